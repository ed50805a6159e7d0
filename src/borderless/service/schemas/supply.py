"""Demand forecasts, stock, and each market's service level."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Timestamp

__all__ = [
    "ForecastCreate",
    "ForecastPointPublic",
    "ForecastPublic",
    "FrequencyName",
    "LevelName",
    "MarketSupplyUpdate",
    "StockPublic",
    "StockUpdate",
]

LevelName = Literal["sku_market", "sku", "market", "total"]
FrequencyName = Literal["daily", "weekly"]


class ForecastCreate(BaseModel):
    level: LevelName = "sku_market"
    frequency: FrequencyName = "weekly"
    horizon: int = Field(8, ge=1, le=104)
    selection: Literal["per_kind", "per_series"] = "per_kind"
    lightgbm: bool = True
    holidays: str | None = Field(
        "auto",
        pattern=r"^(auto|[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?)$",
        description="Public-holiday features: 'auto' (each SKU@CC or CC series' market; "
        "SKU and total series follow the market that buys most), a market such as GB-ENG, "
        "or null for none.",
    )


class StockPublic(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    on_hand: int = Field(ge=0)
    on_order: int = Field(0, ge=0)
    lead_time_days: int | None = Field(None, ge=1, le=365)


class StockUpdate(BaseModel):
    data: list[StockPublic] = Field(min_length=1, max_length=50_000)


class MarketSupplyUpdate(BaseModel):
    service_level: float = Field(0.95, ge=0.5, lt=1.0)
    lead_time_days: int | None = Field(None, ge=1, le=365)
    review_days: int = Field(7, ge=1, le=90)


class ForecastPointPublic(BaseModel):
    ds: Timestamp
    yhat: float
    lo_80: float
    hi_80: float
    lo_95: float
    hi_95: float


class ForecastPublic(BaseModel):
    level: LevelName
    frequency: FrequencyName
    series_id: str
    model: str
    kind: str
    sigma: float
    created_at: Timestamp
    points: list[ForecastPointPublic] = []
