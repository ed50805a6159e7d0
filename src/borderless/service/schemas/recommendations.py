"""Recommended products with their scores."""

from __future__ import annotations

from pydantic import BaseModel

from borderless.service.schemas.common import Page
from borderless.service.schemas.shop import ProductPublic

__all__ = [
    "RecommendationPage",
    "RecommendationPublic",
]


class RecommendationPublic(BaseModel):
    score: float
    product: ProductPublic


class RecommendationPage(Page[RecommendationPublic]):
    basis: str
