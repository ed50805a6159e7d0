from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from borderless.service.routes.deps import DB, StaffAccess
from borderless.service.schemas import CustomerDetailPublic, CustomerPage, CustomerPublic
from borderless.service.schemas.common import QueryMarket
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.sales import get_customer, list_customers

router = APIRouter(prefix="/v1/customers", tags=["customers"], dependencies=[StaffAccess])


@router.get("")
def customers(
    db: DB,
    country: QueryMarket = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> CustomerPage:
    """List customers with their order counts."""
    rows, total = list_customers(db, country=country, limit=limit, offset=offset)
    return CustomerPage(
        data=[CustomerPublic(**r) for r in rows], count=total, limit=limit, offset=offset
    )


@router.get("/{customer_id}")
def customer(db: DB, customer_id: Annotated[str, Path(max_length=64)]) -> CustomerDetailPublic:
    """One customer with order count and net spend."""
    return CustomerDetailPublic(**get_customer(db, customer_id))
