"""Reviews: the shop's reviews with filters (staff only: reviews carry customer ids)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from borderless.capabilities.reviews.aspects import aspect_named
from borderless.service.routes.deps import DB, StaffAccess
from borderless.service.schemas.common import QueryLanguage, QueryMarket
from borderless.service.schemas.reviews import ReviewPage, ReviewPublic
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.reviews import ReviewFilters, get_review, list_reviews

router = APIRouter(prefix="/v1/reviews", tags=["reviews"], dependencies=[StaffAccess])


@router.get("")
def reviews(
    db: DB,
    sku: str | None = None,
    language: QueryLanguage = None,
    market: QueryMarket = None,
    rating: Annotated[int | None, Query(ge=1, le=5)] = None,
    sentiment: Annotated[str | None, Query(pattern=r"^(positive|negative)$")] = None,
    customer_id: str | None = None,
    aspect: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ReviewPage:
    """List reviews, newest first, filtered by product, language, market, rating, sentiment."""
    filters = ReviewFilters(sku, language, market, rating, sentiment, customer_id,
                            aspect_named(aspect))  # fmt: skip
    rows, total = list_reviews(db, filters, limit=limit, offset=offset)
    data = [ReviewPublic(**r.__dict__) for r in rows]
    return ReviewPage(data=data, count=total, limit=limit, offset=offset)


@router.get("/{review_id}")
def review(db: DB, review_id: Annotated[int, Path(ge=1, le=2_147_483_647)]) -> ReviewPublic:
    """One review."""
    return ReviewPublic(**get_review(db, review_id).__dict__)
