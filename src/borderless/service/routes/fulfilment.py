"""Fulfilment API: the warehouse/carrier lanes and the plan that chooses among them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from borderless.capabilities.fulfilment import Lane
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess
from borderless.service.schemas.fulfilment import (
    FulfilmentPlanPublic,
    LaneImportPublic,
    LanePage,
    LanePublic,
    LanesUpdate,
)
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.fulfilment import list_lanes, set_lanes, shop_plan

router = APIRouter(prefix="/v1/fulfilment", tags=["fulfilment"], dependencies=[StaffAccess])


@router.put("/lanes", dependencies=[WriteAccess])
def put_lanes(db: DB, body: LanesUpdate) -> LaneImportPublic:
    """Replace the warehouse/carrier lanes (all or nothing; item N is line N)."""
    lanes = [
        Lane(x.warehouse.strip(), x.carrier.strip(), x.country.upper(), x.cost_per_order,
             x.cost_per_kg, x.lead_time_days, x.capacity, i)
        for i, x in enumerate(body.data, start=1)
    ]  # fmt: skip
    return LaneImportPublic(lanes=set_lanes(db, lanes, source="request body"))


@router.get("/lanes")
def lanes(
    db: DB,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> LanePage:
    """The warehouse/carrier lanes: cost per order and per kg, lead time, capacity per day."""
    every = list_lanes(db)
    data = [
        LanePublic(warehouse=x.warehouse, carrier=x.carrier, country=x.country,
                   cost_per_order=x.cost_per_order, cost_per_kg=x.cost_per_kg,
                   lead_time_days=x.lead_time_days, capacity=x.capacity)
        for x in every[offset : offset + limit]
    ]  # fmt: skip
    return LanePage(data=data, count=len(every), limit=limit, offset=offset)


@router.get("/plan", response_model_exclude_unset=True)
def plan(
    db: DB,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    kg_per_unit: Annotated[float, Query(gt=0, le=100, allow_inf_nan=False)] = 0.5,
    strict: bool = False,
    orders: bool = False,
) -> FulfilmentPlanPublic:
    """The plan for the last `days` days of orders: per market cost, lanes and the naive cost."""
    found = shop_plan(db, days=days, kg_per_unit=kg_per_unit, strict=strict)
    return FulfilmentPlanPublic.model_validate(found.as_dict(orders=orders))


def fulfilment_context(db: DB) -> dict[str, Any]:
    """The Supply page's fulfilment and shipment sections: last week's plan against the naive
    choice, or why there is none, and the shipments at risk."""
    from borderless.errors import InvalidInput
    from borderless.storage.shipments import list_shipments

    plan, note = None, ""
    lanes = list_lanes(db)
    if not lanes:
        note = "No warehouse/carrier lanes yet: upload them below."
    else:
        try:
            plan = shop_plan(db, days=7)
        except InvalidInput as error:
            note = error.message
    at_risk, risky = list_shipments(db, flagged=True, limit=20)
    return {"fulfil": plan, "fulfil_note": note, "at_risk": at_risk, "at_risk_count": risky,
            "lanes": lanes}  # fmt: skip
