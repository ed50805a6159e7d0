"""Supply chain API: demand forecasts, stock and lead times, service levels, what to order."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from borderless.errors import InvalidInput
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess
from borderless.service.schemas.common import QueryMarket
from borderless.service.schemas.supply import (
    ForecastCreate,
    ForecastPage,
    ForecastPointPublic,
    ForecastPublic,
    ForecastRunPublic,
    FrequencyName,
    LevelName,
    MarketSupplyPage,
    MarketSupplyPublic,
    MarketSupplyUpdate,
    ReplenishmentPage,
    ReplenishmentPublic,
    StockImportPublic,
    StockPage,
    StockPublic,
    StockUpdate,
)
from borderless.storage.catalog import MAX_OFFSET
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


@router.post("/forecasts", dependencies=[WriteAccess])
def run_forecast(request: Request, db: DB, body: ForecastCreate) -> ForecastRunPublic:
    """Forecast the shop's demand at one level and store it (replaces that level's forecasts)."""
    from borderless.capabilities.forecast.holiday_calendar import checked_holidays
    from borderless.jobs.supply import forecast_shop

    checked_holidays(body.holidays)  # before waiting for the model thread
    done = model_work(
        request,
        lambda: forecast_shop(
            db,
            level=body.level,
            frequency=body.frequency,
            horizon=body.horizon,
            selection=body.selection,
            lightgbm=body.lightgbm,
            holidays=body.holidays,
            lifecycle=request.app.state.services.lifecycle,
        ),
    )
    return ForecastRunPublic(**done)


@router.get("/forecasts")
def forecasts(
    db: DB,
    level: LevelName = "sku_market",
    frequency: FrequencyName = "weekly",
    prefix: Annotated[str, Query(max_length=80)] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ForecastPage:
    """Stored forecast series (without points), by series id."""
    rows, total = list_forecast_series(
        db, level, frequency, prefix=prefix, limit=limit, offset=offset
    )
    data = [ForecastPublic(**asdict(r)) for r in rows]
    return ForecastPage(data=data, count=total, limit=limit, offset=offset)


@router.get("/forecasts/{series_id}")
def forecast(
    db: DB,
    series_id: Annotated[str, Path(max_length=80)],
    level: LevelName = "sku_market",
    frequency: FrequencyName = "weekly",
) -> ForecastPublic:
    """One series' forecast with its 80% and 95% intervals."""
    series, points = get_forecast(db, level, frequency, series_id)
    return ForecastPublic(
        **asdict(series), points=[ForecastPointPublic(**asdict(p)) for p in points]
    )


@router.put("/stock", dependencies=[WriteAccess])
def put_stock(db: DB, body: StockUpdate) -> StockImportPublic:
    """Set stock, stock on order and lead time per product and market (all or nothing)."""
    levels = [
        StockLevel(r.sku, r.country.upper(), r.on_hand, r.on_order, r.lead_time_days)
        for r in body.data
    ]
    changes = set_stock(db, levels).as_dict()
    return StockImportPublic.model_validate({"rows": len(levels), "changes": changes})


@router.get("/stock")
def stock(db: DB, country: QueryMarket = None) -> StockPage:
    """Stock per product and market."""
    rows = [StockPublic(**asdict(r)) for r in list_stock(db, country=country)]
    return StockPage(data=rows, count=len(rows), limit=len(rows))


@router.put("/markets/{country}", dependencies=[WriteAccess])
def put_market(db: DB, country: str, body: MarketSupplyUpdate) -> MarketSupplyPublic:
    """Set a market's service level, default lead time or review period; a setting left out
    keeps its stored value. An empty body set every one back to its default (an attack): it
    is refused, as an empty product edit is."""
    given = body.model_fields_set
    if not given:
        raise InvalidInput("nothing to change: give service_level, lead_time_days or "
                           "review_days", field="body")  # fmt: skip
    code = country.upper()
    stored = list_market_supply(db).get(code) or MarketSupply(code, service_level=0.95)
    chosen = {name: getattr(body, name) for name in given}
    saved = set_market_supply(db, replace(stored, **chosen))
    return MarketSupplyPublic(**asdict(saved))


@router.get("/markets")
def markets(db: DB) -> MarketSupplyPage:
    """Service level, default lead time and review period per market."""
    data = [MarketSupplyPublic(**asdict(m)) for m in list_market_supply(db).values()]
    return MarketSupplyPage(data=data, count=len(data), limit=len(data))


@router.get("/replenishment")
def replenishment(
    db: DB,
    country: QueryMarket = None,
    everything: Annotated[bool, Query(alias="all")] = False,
) -> ReplenishmentPage:
    """What to order now, how much, for which market, with the reason (lines with an order
    first)."""
    from borderless.jobs.supply import replenishment_plan

    lines = replenishment_plan(db, country=country.upper() if country else None)
    shown = [r for r in lines if everything or r.order_quantity > 0 or r.lead_time_days is None]
    data = [ReplenishmentPublic(**r.as_dict()) for r in shown]
    return ReplenishmentPage(data=data, count=len(data), limit=len(data), stocked=len(lines))
