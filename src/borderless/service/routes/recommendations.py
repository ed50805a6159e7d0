from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from borderless.capabilities.recommend.base import Recommendation
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess
from borderless.service.schemas import ProductPublic
from borderless.service.schemas.recommendations import RecommendationPage, RecommendationPublic
from borderless.storage import Database
from borderless.storage.catalog import get_product, products_by_sku

router = APIRouter(prefix="/v1/recommendations", tags=["recommendations"])


def _picks(db: Database, found: Recommendation, basis: str, limit: int) -> RecommendationPage:
    score = dict(found)
    data = [
        RecommendationPublic(
            score=score[p.sku], product=ProductPublic.model_validate(p, from_attributes=True)
        )
        for p in products_by_sku(db, [sku for sku, _ in found])
    ]
    return RecommendationPage(data=data, count=len(data), limit=limit, basis=basis)


@router.get("/products/{sku:path}")
def also_bought(
    request: Request, db: DB, sku: str, limit: Annotated[int, Query(ge=1, le=50)] = 6
) -> RecommendationPage:
    """Customers who bought this also bought (co-occurrence in the shop's orders)."""
    get_product(db, sku)  # 404 for an unknown SKU
    found = request.app.state.services.recommendations.also_bought(sku, limit)
    return _picks(db, found, "bought together", limit)


@router.get("/customers/{customer_id}", dependencies=[StaffAccess])
def for_customer(
    request: Request, db: DB, customer_id: str, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> RecommendationPage:
    """Recommended for this customer (EASE on purchases; for new customers the popular items,
    those sold in their market first: basis `popular in market`)."""
    picks = request.app.state.services.customer_picks(customer_id, limit)  # 404: unknown
    return _picks(db, picks.items, picks.basis, limit)


@router.post("/refresh", status_code=204, dependencies=[WriteAccess])
def refresh(request: Request) -> None:
    """Refit the recommenders on the current orders (needs the API key)."""
    request.app.state.services.recommendations.refresh()
