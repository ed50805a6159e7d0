"""Search hits with their ranks, and the facets of the best matches."""

from __future__ import annotations

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Page
from borderless.service.schemas.shop import ProductPublic

__all__ = [
    "FACET_DEPTH",
    "FacetValuePublic",
    "SearchHitPublic",
    "SearchPage",
]

FACET_DEPTH = 200  # matches the facets count over (the hybrid index's candidate depth)


class SearchHitPublic(BaseModel):
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    product: ProductPublic


class FacetValuePublic(BaseModel):
    value: str
    count: int


class SearchPage(Page[SearchHitPublic]):
    interpretation: list[str]
    facets: dict[str, list[FacetValuePublic]] = Field(
        default_factory=dict,
        description=f"attribute values among the best {FACET_DEPTH} matches, with counts",
    )
