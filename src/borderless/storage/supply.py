"""Supply chain records: stock and lead times per product and market, market service levels,
the sales that demand is forecast from, and the latest forecasts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select

from borderless.errors import InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.calendar import in_calendar
from borderless.storage.database import Database
from borderless.storage.sync import SyncCount, sync_rows

__all__ = [
    "MAX_SERVICE_LEVEL",
    "ForecastPoint",
    "MarketSupply",
    "SeriesForecast",
    "StockLevel",
    "forecast_levels",
    "get_forecast",
    "last_sale_at",
    "list_forecast_series",
    "list_market_supply",
    "list_stock",
    "sale_lines",
    "sale_order_count",
    "save_forecast",
    "set_market_supply",
    "set_stock",
    "unknown_to_shop",
]


@dataclass(frozen=True)
class StockLevel:
    sku: str
    country: str
    on_hand: int
    # None in a write keeps the stored figure (0 for a new row), as a missing lead time does:
    # a file or request without it set 50 units on order to 0 (an attack); reads give a number
    on_order: int | None = None
    lead_time_days: int | None = None  # None: the market's default


@dataclass(frozen=True)
class MarketSupply:
    country: str
    service_level: float
    lead_time_days: int | None = None
    review_days: int = 7


@dataclass(frozen=True)
class SeriesForecast:
    level: str
    frequency: str
    series_id: str
    model: str
    kind: str
    sigma: float
    created_at: datetime


@dataclass(frozen=True)
class ForecastPoint:
    series_id: str
    ds: datetime
    yhat: float
    lo_80: float
    hi_80: float
    lo_95: float
    hi_95: float


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def sale_lines(
    db: Database, *, sku: str | None = None, country: str | None = None
) -> list[tuple[str, str, datetime, int]]:
    """(sku, market, placed_at, units) of every merchandise line on a sale order.

    Cancellations are separate orders with negative quantities (see docs/retail-import.md); they
    are not demand, so they are left out here rather than netted against the week they fall in.
    """
    ol, o, p = t.order_lines, t.orders, t.products
    query = (
        select(ol.c.sku, o.c.country, o.c.placed_at, ol.c.quantity)
        .select_from(ol)
        .join(o, o.c.id == ol.c.order_id)
        .join(p, p.c.sku == ol.c.sku)
        .where(o.c.kind == "sale", p.c.kind == "merchandise", ol.c.quantity > 0)
        .where(in_calendar(o.c.placed_at))
    )
    if sku:
        query = query.where(ol.c.sku == sku)
    if country:
        query = query.where(o.c.country == country.upper())
    with db.engine.connect() as conn:
        return [(r[0], r[1], r[2], int(r[3])) for r in conn.execute(query)]


def sale_order_count(db: Database) -> int:
    """Sale orders with at least one merchandise line bought (what `sale_lines` reads)."""
    ol, o, p = t.order_lines, t.orders, t.products
    query = (
        select(func.count(func.distinct(o.c.id)))
        .select_from(ol)
        .join(o, o.c.id == ol.c.order_id)
        .join(p, p.c.sku == ol.c.sku)
        .where(o.c.kind == "sale", p.c.kind == "merchandise", ol.c.quantity > 0)
        .where(in_calendar(o.c.placed_at))
    )
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def last_sale_at(db: Database) -> datetime | None:
    with db.engine.connect() as conn:
        newest = select(func.max(t.orders.c.placed_at)).where(in_calendar(t.orders.c.placed_at))
        value = conn.execute(newest).scalar()
    return value if isinstance(value, datetime) else None


def unknown_to_shop(conn: Any, skus: set[str], countries: set[str]) -> tuple[set[str], set[str]]:
    """The SKUs and market codes among these that the shop has no record of."""
    known_skus = {
        r[0] for r in conn.execute(select(t.products.c.sku).where(t.products.c.sku.in_(skus)))
    }
    known = {
        r[0] for r in conn.execute(select(t.markets.c.code).where(t.markets.c.code.in_(countries)))
    }
    return skus - known_skus, countries - known


def _check_known(conn: Any, skus: set[str], countries: set[str]) -> None:
    unknown_skus, unknown_markets = unknown_to_shop(conn, skus, countries)
    if missing := sorted(unknown_skus):
        raise InvalidInput(f"unknown product(s): {', '.join(missing[:5])}", field="sku")
    if missing := sorted(unknown_markets):
        raise InvalidInput(f"unknown market(s): {', '.join(missing[:5])}", field="country")


MAX_STOCK = 1_000_000_000  # units of one product in one market
MAX_SERVICE_LEVEL = 0.999  # the API took 0.9999999 where the command line refused it


def set_stock(db: Database, levels: Sequence[StockLevel]) -> SyncCount:
    """Upsert stock per product and market in one transaction; unknown SKUs or markets: nothing
    is written; nor when a product and market is given twice (which would win?). A level
    without a lead time or stock on order keeps the one stored."""
    first: dict[tuple[str, str], int] = {}
    for row, level in enumerate(levels, 1):
        seen = first.setdefault((level.sku, level.country), row)
        if seen != row:
            raise InvalidInput(
                f"{level.sku} in {level.country} is given twice (rows {seen} and {row})",
                field="sku",
            )
        for name in ("on_hand", "on_order"):
            if (value := getattr(level, name)) is not None and not 0 <= value <= MAX_STOCK:
                raise InvalidInput(
                    f"{name} of {level.sku} in {level.country} must be 0-{MAX_STOCK:,} units",
                    field=name,
                )
        if level.lead_time_days is not None and not 0 < level.lead_time_days <= 365:
            raise InvalidInput(
                f"lead time of {level.sku} in {level.country} must be 1-365 days",
                field="lead_time_days",
            )
    with db.engine.begin() as conn:
        skus, markets = unknown_to_shop(
            conn, {lv.sku for lv in levels}, {lv.country for lv in levels}
        )
        for unknown, name, field in ((skus, "product", "sku"), (markets, "market", "country")):
            # each named with its row, as a file's are with their lines (the API's said neither)
            found = [(row, getattr(lv, field)) for row, lv in enumerate(levels, 1)
                     if getattr(lv, field) in unknown]  # fmt: skip
            if found:
                named = ", ".join(f"{value!r} (row {row})" for row, value in found[:5])
                more = f" and {len(found) - 5} more" if len(found) > 5 else ""
                raise InvalidInput(f"unknown {name}(s): {named}{more}", field=field)
        # a level without a lead time or stock on order keeps the one stored (a file without
        # the column wiped it)
        s = t.stock_levels
        open_rows = {(lv.sku, lv.country) for lv in levels
                     if lv.lead_time_days is None or lv.on_order is None}  # fmt: skip
        stored: dict[tuple[str, str], Any] = {}
        if open_rows:
            query = select(s.c.sku, s.c.country, s.c.on_order, s.c.lead_time_days).where(
                s.c.sku.in_({sku for sku, _ in open_rows})
            )
            stored = {(r.sku, r.country): r for r in conn.execute(query)
                      if (r.sku, r.country) in open_rows}  # fmt: skip
        rows = []
        for lv in levels:
            before = stored.get((lv.sku, lv.country))
            on_order = lv.on_order if lv.on_order is not None else before.on_order if before else 0
            lead = lv.lead_time_days
            if lead is None and before is not None:
                lead = before.lead_time_days
            rows.append(
                {
                    "sku": lv.sku,
                    "country": lv.country,
                    "on_hand": lv.on_hand,
                    "on_order": on_order,
                    "lead_time_days": lead,
                    "updated_at": _now(),
                }
            )
        return sync_rows(conn, t.stock_levels, rows,
                         owned=["on_hand", "on_order", "lead_time_days"])  # fmt: skip


def list_stock(
    db: Database, *, country: str | None = None, sku: str | None = None
) -> list[StockLevel]:
    s = t.stock_levels
    query = select(s).order_by(s.c.country, s.c.sku)
    if country:
        query = query.where(s.c.country == country.upper())
    if sku is not None:
        query = query.where(s.c.sku == sku)
    with db.engine.connect() as conn:
        return [
            StockLevel(r.sku, r.country, r.on_hand, r.on_order, r.lead_time_days)
            for r in conn.execute(query)
        ]


def set_market_supply(db: Database, market: MarketSupply) -> MarketSupply:
    if not 0.5 <= market.service_level <= MAX_SERVICE_LEVEL:  # 0.9999999: 5.2 sigmas of stock
        raise InvalidInput(f"the service level is a share from 0.5 to {MAX_SERVICE_LEVEL}",
                           field="service_level")  # fmt: skip
    if market.lead_time_days is not None and not 0 < market.lead_time_days <= 365:
        raise InvalidInput("the lead time must be 1-365 days", field="lead_time_days")
    if not 1 <= market.review_days <= 90:
        raise InvalidInput("the review period must be 1-90 days", field="review_days")
    with db.engine.begin() as conn:
        _check_known(conn, set(), {market.country})
        sync_rows(
            conn,
            t.market_supply,
            [{"country": market.country, "service_level": market.service_level,
              "lead_time_days": market.lead_time_days, "review_days": market.review_days,
              "updated_at": _now()}],
        )  # fmt: skip
    return market


def list_market_supply(db: Database) -> dict[str, MarketSupply]:
    m = t.market_supply
    with db.engine.connect() as conn:
        return {
            r.country: MarketSupply(r.country, r.service_level, r.lead_time_days, r.review_days)
            for r in conn.execute(select(m).order_by(m.c.country))
        }


def save_forecast(
    db: Database,
    level: str,
    frequency: str,
    series: Sequence[SeriesForecast],
    points: Sequence[ForecastPoint],
) -> None:
    """Replace the stored forecasts of one level and frequency, in one transaction."""
    where = and_(t.forecast_series.c.level == level, t.forecast_series.c.frequency == frequency)
    points_where = and_(
        t.demand_forecasts.c.level == level, t.demand_forecasts.c.frequency == frequency
    )
    with db.engine.begin() as conn:
        conn.execute(delete(t.demand_forecasts).where(points_where))
        conn.execute(delete(t.forecast_series).where(where))
        if series:
            conn.execute(
                insert(t.forecast_series),
                [{"level": level, "frequency": frequency, "series_id": s.series_id,
                  "model": s.model, "kind": s.kind, "sigma": s.sigma,
                  "created_at": s.created_at} for s in series],
            )  # fmt: skip
        if points:
            conn.execute(
                insert(t.demand_forecasts),
                [{"level": level, "frequency": frequency, "series_id": p.series_id, "ds": p.ds,
                  "yhat": p.yhat, "lo_80": p.lo_80, "hi_80": p.hi_80, "lo_95": p.lo_95,
                  "hi_95": p.hi_95} for p in points],
            )  # fmt: skip


def _series(r: Any) -> SeriesForecast:
    return SeriesForecast(r.level, r.frequency, r.series_id, r.model, r.kind, r.sigma,
                          r.created_at)  # fmt: skip


def forecast_levels(db: Database) -> list[tuple[str, str, int]]:
    """(level, frequency, series count) of the stored forecasts."""
    f = t.forecast_series
    query = select(f.c.level, f.c.frequency, func.count()).group_by(f.c.level, f.c.frequency)
    with db.engine.connect() as conn:
        return [(r[0], r[1], int(r[2])) for r in conn.execute(query)]


def list_forecast_series(
    db: Database,
    level: str,
    frequency: str,
    *,
    prefix: str = "",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SeriesForecast], int]:
    f = t.forecast_series
    where = and_(
        f.c.level == level,
        f.c.frequency == frequency,
        f.c.series_id.startswith(prefix, autoescape=True),
    )
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(f).where(where)).scalar_one()
        rows = conn.execute(
            select(f).where(where).order_by(f.c.series_id).limit(limit).offset(offset)
        )
        return [_series(r) for r in rows], int(total)


def get_forecast(
    db: Database, level: str, frequency: str, series_id: str
) -> tuple[SeriesForecast, list[ForecastPoint]]:
    f, d = t.forecast_series, t.demand_forecasts
    with db.engine.connect() as conn:
        row = conn.execute(
            select(f).where(
                f.c.level == level, f.c.frequency == frequency, f.c.series_id == series_id
            )
        ).first()
        if row is None:
            raise NotFound(
                f"no {frequency} forecast for {series_id!r} at level {level}; "
                "run `borderless forecast shop` first",
                field="series_id",
            )
        points = conn.execute(
            select(d)
            .where(d.c.level == level, d.c.frequency == frequency, d.c.series_id == series_id)
            .order_by(d.c.ds)
        )
        return _series(row), [
            ForecastPoint(p.series_id, p.ds, p.yhat, p.lo_80, p.hi_80, p.lo_95, p.hi_95)
            for p in points
        ]
