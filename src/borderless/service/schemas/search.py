"""Search hits with their ranks, and the facets of the best matches."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page
from borderless.service.schemas.shop import ProductPublic

__all__ = [
    "FACET_DEPTH",
    "FacetValuePublic",
    "MarketPricePublic",
    "SearchClickCreate",
    "SearchHitPublic",
    "SearchPage",
]

FACET_DEPTH = 200  # matches the facets count over (the hybrid index's candidate depth)


class MarketPricePublic(BaseModel):
    """The product's price in the market searched from (`country`), in its currency by the
    seller's rates and rounding rule; `amount` and `formatted` null, and `note` why, where the
    seller has no rate (or the product no price)."""

    country: str
    currency: str
    amount: Decimal | None
    formatted: str | None = Field(description="as the market writes it, e.g. 3,49 €")
    note: str = ""


class SearchHitPublic(BaseModel):
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    product: ProductPublic
    market_price: MarketPricePublic | None = Field(
        default=None, description="with `country`: the price as that market is charged it"
    )


class FacetValuePublic(BaseModel):
    value: str
    count: int


class SearchPage(Page[SearchHitPublic]):
    # a ranked search has no total: every product is some distance from any query by meaning,
    # so "how many match, over all pages" (the other lists' count) read as `limit` (a walk)
    count: int = Field(
        description="how many results this answer holds, best first (a ranked search has no "
        "total: ask for a higher limit, up to 100, for more)"
    )
    interpretation: list[str]
    facets: dict[str, list[FacetValuePublic]] = Field(
        default_factory=dict,
        description=f"attribute values among the best {FACET_DEPTH} matches, with counts",
    )


class SearchClickCreate(Body):
    """A shopper opened result `rank` of a search: a labelled example for the `search` task."""

    # 1 to 500 characters, checked by SearchClick (which names the field)
    query: str = Field(description="what was searched for (1 to 500 characters)")
    sku: str = Field(min_length=1, max_length=64, description="the result opened")
    rank: int = Field(ge=1, le=100, description="its position in the results, from 1")
    above: list[str] = Field(
        default_factory=list, max_length=99, description="the SKUs shown above it, best first"
    )
