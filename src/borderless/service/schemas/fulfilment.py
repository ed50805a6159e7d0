"""Warehouse/carrier lanes and the fulfilment plan that chooses among them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page

__all__ = [
    "FulfilmentAssignmentPublic",
    "FulfilmentMarketPublic",
    "FulfilmentPlanPublic",
    "LaneImportPublic",
    "LanePage",
    "LanePublic",
    "LanesUpdate",
]


class LanePublic(BaseModel):
    warehouse: str = Field(min_length=1, max_length=64)
    carrier: str = Field(min_length=1, max_length=64)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    cost_per_order: float = Field(ge=0)
    cost_per_kg: float = Field(ge=0)
    lead_time_days: int = Field(ge=1, le=90)
    capacity: int | None = Field(None, ge=0, description="orders per day; null: no limit")


class LaneCreate(LanePublic, Body):
    """One lane of a lanes update: a LanePublic checked as a request body."""


class LanesUpdate(Body):
    data: list[LaneCreate] = Field(min_length=1, max_length=10_000)


class LanePage(Page[LanePublic]):
    """One page of LanePublic records."""


class LaneImportPublic(BaseModel):
    lanes: int = Field(description="lanes stored (the table is replaced)")


class FulfilmentMarketPublic(BaseModel):
    country: str
    orders: int
    cost: float
    naive_cost: float
    promise_days: int
    meets_promise: bool
    lanes: dict[str, int] = Field(description="orders per warehouse/carrier")


class FulfilmentAssignmentPublic(BaseModel):
    order_id: str
    country: str
    lane: str = Field(description="warehouse/carrier")
    cost: float
    lead_time_days: int


class FulfilmentPlanPublic(BaseModel):
    """The plan for a window of orders: its cost against the naive one, per market; with
    `orders=true` each order's lane too."""

    since: str
    until: str
    days: int
    orders: int
    cost: float
    naive_cost: float
    saving: float
    method: str
    notes: list[str]
    assumed_weight_orders: int = Field(description="orders with a product that has no weight")
    kg_per_unit: float
    markets: list[FulfilmentMarketPublic]
    assignments: list[FulfilmentAssignmentPublic] | None = Field(
        default=None, description="only with orders=true"
    )
