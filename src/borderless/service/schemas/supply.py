"""Demand forecasts, stock, and each market's service level."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from borderless.capabilities.catalog.checks import MAX_STOCK
from borderless.service.schemas.common import Body, Page, Timestamp
from borderless.storage.supply import MAX_SERVICE_LEVEL

__all__ = [
    "ForecastCreate",
    "ForecastPage",
    "ForecastPointPublic",
    "ForecastPublic",
    "ForecastRunPublic",
    "FrequencyName",
    "LevelName",
    "MarketSupplyPage",
    "MarketSupplyPublic",
    "MarketSupplyUpdate",
    "ReplenishmentPage",
    "ReplenishmentPublic",
    "StockChangesPublic",
    "StockImportPublic",
    "StockPage",
    "StockPublic",
    "StockUpdate",
]

LevelName = Literal["sku_market", "sku", "market", "total"]
FrequencyName = Literal["daily", "weekly"]


class ForecastCreate(Body):
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
    on_hand: int = Field(ge=0, le=MAX_STOCK)
    on_order: int = Field(0, ge=0, le=MAX_STOCK)
    lead_time_days: int | None = Field(None, ge=1, le=365)


class StockCreate(StockPublic, Body):
    """One line of a stock update: a StockPublic checked as a request body (an answer shows
    what is stored as it is). Without `on_order` or `lead_time_days` (or with null), the
    stored figure is kept (0 units on order and the market's lead time for a new line)."""

    on_order: int | None = Field(None, ge=0, le=MAX_STOCK)  # type: ignore[assignment]


class StockUpdate(Body):
    data: list[StockCreate] = Field(min_length=1, max_length=50_000)


class StockPage(Page[StockPublic]):
    """Stock per product and market (one page)."""


class StockChangesPublic(BaseModel):
    inserted: int
    updated: int
    unchanged: int


class StockImportPublic(BaseModel):
    """Rows sent, and what they changed."""

    rows: int
    changes: StockChangesPublic


class MarketSupplyUpdate(Body):
    """The settings to change; one left out keeps its stored value (the default for a market
    never set: service level 0.95, no default lead time, a 7-day review)."""

    service_level: float = Field(0.95, ge=0.5, le=MAX_SERVICE_LEVEL)
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


class ForecastPage(Page[ForecastPublic]):
    """Stored forecast series, without their points."""


class ForecastRunPublic(BaseModel):
    """What one forecast run stored: series per model, series too short to forecast, time."""

    level: LevelName
    frequency: FrequencyName
    horizon: int
    version: str | None = Field(
        None, description="the run's version of task forecast in the model registry"
    )
    series: int
    skipped_single_period: int
    models: dict[str, int] = Field(description="series per model, most used first")
    seconds: float
    ray: bool


class MarketSupplyPublic(BaseModel):
    country: str
    service_level: float
    lead_time_days: int | None = Field(description="default lead time; null: none set")
    review_days: int


class MarketSupplyPage(Page[MarketSupplyPublic]):
    """Every market's supply settings (one page)."""


class ReplenishmentPublic(BaseModel):
    """One product in one market: its stock, the policy's numbers, and what to order."""

    sku: str
    country: str
    on_hand: int
    on_order: int
    lead_time_days: int | None
    service_level: float
    lead_time_demand: float
    safety_stock: float
    reorder_point: int
    order_up_to: int
    order_quantity: int
    reason: str


class ReplenishmentPage(Page[ReplenishmentPublic]):
    """Lines to order (all stocked lines with `all=true`), those with an order first."""

    stocked: int = Field(description="stocked product/market lines before the filter")
