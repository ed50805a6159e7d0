"""Recommendations: models behind one interface (fit, recommend, similar_items), measured."""

from borderless.capabilities.recommend.base import Recommender
from borderless.capabilities.recommend.interactions import Interactions

__all__ = ["Interactions", "Recommender"]
