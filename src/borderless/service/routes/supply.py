"""Supply chain API: demand forecasts, stock and lead times, service levels, what to order."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess
from borderless.service.schemas import Timestamp
from borderless.storage.supply import (
    MarketSupply,
    StockLevel,
    get_forecast,
    list_forecast_series,
    list_market_supply,
    list_stock,
    set_market_supply,
    set_stock,
)

router = APIRouter(prefix="/v1/supply", tags=["supply"], dependencies=[StaffAccess])

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
    level: str
    frequency: str
    series_id: str
    model: str
    kind: str
    sigma: float
    created_at: Timestamp
    points: list[ForecastPointPublic] = []


@router.post("/forecasts", dependencies=[WriteAccess])
def run_forecast(request: Request, db: DB, body: ForecastCreate) -> dict[str, Any]:
    """Forecast the shop's demand at one level and store it (replaces that level's forecasts)."""
    from borderless.jobs.supply import forecast_shop

    return model_work(
        request,
        lambda: forecast_shop(
            db,
            level=body.level,
            frequency=body.frequency,
            horizon=body.horizon,
            selection=body.selection,
            lightgbm=body.lightgbm,
            holidays=body.holidays,
        ),
    )


@router.get("/forecasts")
def forecasts(
    db: DB,
    level: LevelName = "sku_market",
    frequency: FrequencyName = "weekly",
    prefix: Annotated[str, Query(max_length=80)] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Stored forecast series (without points), by series id."""
    rows, total = list_forecast_series(
        db, level, frequency, prefix=prefix, limit=limit, offset=offset
    )
    data = [ForecastPublic(**asdict(r)) for r in rows]
    return {"data": data, "count": total, "limit": limit, "offset": offset}


@router.get("/forecasts/{series_id}")
def forecast(
    db: DB, series_id: str, level: LevelName = "sku_market", frequency: FrequencyName = "weekly"
) -> ForecastPublic:
    """One series' forecast with its 80% and 95% intervals."""
    series, points = get_forecast(db, level, frequency, series_id)
    return ForecastPublic(
        **asdict(series), points=[ForecastPointPublic(**asdict(p)) for p in points]
    )


@router.put("/stock", dependencies=[WriteAccess])
def put_stock(db: DB, body: StockUpdate) -> dict[str, Any]:
    """Set stock, stock on order and lead time per product and market (all or nothing)."""
    levels = [
        StockLevel(r.sku, r.country.upper(), r.on_hand, r.on_order, r.lead_time_days)
        for r in body.data
    ]
    return {"rows": len(levels), "changes": set_stock(db, levels).as_dict()}


@router.get("/stock")
def stock(
    db: DB, country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None
) -> dict[str, Any]:
    """Stock per product and market."""
    rows = [StockPublic(**asdict(r)) for r in list_stock(db, country=country)]
    return {"data": rows, "count": len(rows), "limit": len(rows), "offset": 0}


@router.put("/markets/{country}", dependencies=[WriteAccess])
def put_market(db: DB, country: str, body: MarketSupplyUpdate) -> dict[str, Any]:
    """Set a market's service level, default lead time and review period."""
    saved = set_market_supply(
        db,
        MarketSupply(country.upper(), body.service_level, body.lead_time_days, body.review_days),
    )
    return asdict(saved)


@router.get("/markets")
def markets(db: DB) -> dict[str, Any]:
    """Service level, default lead time and review period per market."""
    data = [asdict(m) for m in list_market_supply(db).values()]
    return {"data": data, "count": len(data), "limit": len(data), "offset": 0}


@router.get("/replenishment")
def replenishment(
    db: DB,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    everything: Annotated[bool, Query(alias="all")] = False,
) -> dict[str, Any]:
    """What to order now, how much, for which market, with the reason (lines with an order
    first)."""
    from borderless.jobs.supply import replenishment_plan

    lines = replenishment_plan(db, country=country.upper() if country else None)
    shown = [r for r in lines if everything or r.order_quantity > 0 or r.lead_time_days is None]
    data = [r.as_dict() for r in shown]
    return {"data": data, "count": len(data), "limit": len(data), "offset": 0,
            "stocked": len(lines)}  # fmt: skip
