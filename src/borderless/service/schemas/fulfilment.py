"""Warehouse/carrier lanes."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = [
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


class LanesUpdate(BaseModel):
    data: list[LanePublic] = Field(min_length=1, max_length=10_000)
