from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from borderless.service.routes.deps import DB, StaffAccess
from borderless.service.schemas import OrderDetailPublic, OrderPage, OrderPublic
from borderless.service.schemas.common import QueryMarket
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.sales import get_order, list_orders

router = APIRouter(prefix="/v1/orders", tags=["orders"], dependencies=[StaffAccess])


@router.get("")
def orders(
    db: DB,
    customer_id: str | None = None,
    country: QueryMarket = None,
    kind: Literal["sale", "cancellation"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> OrderPage:
    """List orders, newest first."""
    rows, total = list_orders(
        db, customer_id=customer_id, country=country, kind=kind, limit=limit, offset=offset
    )
    return OrderPage(data=[OrderPublic(**r) for r in rows], count=total, limit=limit, offset=offset)


@router.get("/{order_id}")
def order(db: DB, order_id: Annotated[str, Path(max_length=32)]) -> OrderDetailPublic:
    """One order with its lines."""
    return OrderDetailPublic(**get_order(db, order_id))
