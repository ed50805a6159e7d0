"""Dashboard: supply chain. What to order now, market settings, and each series' forecast chart."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.catalog.markets import MARKETS, market
from borderless.errors import InvalidInput
from borderless.service.routes.deps import DB, record, staff_redirect
from borderless.service.routes.fulfilment import fulfilment_context
from borderless.service.routes.pages import (
    PAGE_SIZE,
    PageNumber,
    page_count,
    page_number,
    render,
    to_page,
)
from borderless.storage.catalog import products_by_sku
from borderless.storage.shipments import list_promises
from borderless.storage.supply import (
    forecast_levels,
    get_forecast,
    list_forecast_series,
    list_market_supply,
    sale_lines,
)

router = APIRouter(include_in_schema=False)

LEVEL_NAMES = {
    "sku_market": "product × market",
    "sku": "product",
    "market": "market",
    "total": "whole shop",
}


@router.get("/supply", response_class=HTMLResponse)
def supply_page(
    request: Request,
    db: DB,
    level: Literal["sku_market", "sku", "market", "total"] = "sku_market",
    frequency: Literal["daily", "weekly"] = "weekly",
    q: Annotated[str, Query(max_length=80)] = "",
    page: PageNumber = "1",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return _page(request, db, level, frequency, q, page)


def _page(
    request: Request,
    db: DB,
    level: str = "sku_market",
    frequency: str = "weekly",
    q: str = "",
    page: str = "1",
    failed: tuple[str, InvalidInput, dict[str, str]] | None = None,
) -> Response:
    """The Supply page; `failed`: the form that was refused (stock, market, promise or lanes),
    its error and what was sent, shown beside that form (the page's context names them
    `<form>_error` and `<form>_sent`)."""
    from borderless.jobs.supply import replenishment_plan
    from borderless.storage.jobs import active_job

    number = page_number(page)
    levels = forecast_levels(db)
    # the forecast at start-up ran while the page said "No forecasts yet" (a walk)
    forecasting = active_job(db, "forecast")
    series, total = list_forecast_series(
        db, level, frequency, prefix=q.strip(), limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    if str(number) != page or number > page_count(total):
        return to_page(request, min(number, page_count(total)))
    try:
        plan = replenishment_plan(db)
        plan_note = ""
    except InvalidInput as error:
        plan, plan_note = [], error.message
        if forecasting is not None:
            plan_note = "A forecast is running: the plan follows from it when it is done."
        elif not levels:  # the message names a command; the page has a button
            plan_note = "No forecast yet: start one under Demand forecasts below."
    to_order = [r for r in plan if r.order_quantity > 0 or r.lead_time_days is None]
    # what each SKU is: the list showed codes alone (a walk)
    titles = {p.sku: p.title for p in products_by_sku(db, sorted({r.sku for r in to_order[:50]}))}
    return render(
        request,
        "supply.html",
        {"levels": levels, "level": level, "frequency": frequency, "q": q.strip(),
         "series": series, "total": total, "page": number, "pages": page_count(total),
         "level_names": LEVEL_NAMES, "plan": to_order[:50], "stocked": len(plan),
         "forecasting": forecasting,
         "plan_note": plan_note, "markets": MARKETS, "titles": titles,
         "supply": sorted(list_market_supply(db).values(), key=lambda m: m.country),
         "promises": list_promises(db), **fulfilment_context(db), **_form_context(failed)},
        status_code=422 if failed else 200,
    )  # fmt: skip


_FORMS = ("stock", "market", "promise", "lanes")


def _form_context(failed: tuple[str, InvalidInput, dict[str, str]] | None) -> dict[str, Any]:
    """`<form>_error` and `<form>_sent` for each of the page's forms: the refused one's, else
    nothing."""
    out: dict[str, Any] = {}
    for form in _FORMS:
        mine = failed if failed and failed[0] == form else None
        out[f"{form}_error"] = mine[1] if mine else None
        out[f"{form}_sent"] = mine[2] if mine else {}
    return out


@router.post("/supply/markets", response_class=HTMLResponse)
def market_form(
    request: Request,
    db: DB,
    country: Annotated[str, Form(max_length=8)] = "",
    service_level: Annotated[str, Form(max_length=8)] = "",
    lead_time_days: Annotated[str, Form(max_length=8)] = "",
    review_days: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """A market's stock settings from the dashboard, as `borderless inventory market` sets
    them: the reorder table asked for them and only the command line could make them (a
    walk). The service level is given in percent (95), stored as a share."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    from borderless.capabilities.catalog.checks import check_whole
    from borderless.storage.supply import MarketSupply, set_market_supply

    sent = {"country": country, "service_level": service_level,
            "lead_time_days": lead_time_days, "review_days": review_days}  # fmt: skip
    try:
        code = market(country, "country").code
        said = service_level.strip().removesuffix("%").strip()
        # the form's percentage to the share the store keeps, 99.9 at most (99.9 / 100 is
        # 0.9990000000000001 in floats: it was refused as over 0.999, a walk)
        if not re.fullmatch(r"[0-9]{1,2}(?:\.[0-9]{1,3})?", said) or not 50 <= float(said) <= 99.9:
            raise InvalidInput("service_level: a percentage from 50 to 99.9 (95 is usual)",
                               field="service_level")  # fmt: skip
        lead = check_whole(lead_time_days or None, "lead_time_days", low=1, high=365)
        review = check_whole(review_days or "7", "review_days", low=1, high=90)
        share = round(float(said) / 100, 6)
        set_market_supply(db, MarketSupply(code, share, lead, review or 7))
    except InvalidInput as error:
        return _page(request, db, failed=("market", error, sent))
    record(request, "inventory.market", code, service_level=share)
    return RedirectResponse("/supply#markets", status_code=303)


@router.post("/supply/promises", response_class=HTMLResponse)
def promise_form(
    request: Request,
    db: DB,
    country: Annotated[str, Form(max_length=8)] = "",
    days: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """A market's delivery promise from the dashboard, as `borderless shipments promise`
    sets it: the fulfilment plan needs one per market, and the page had only named the
    command (a walk)."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    from borderless.storage.shipments import DeliveryPromise, set_promise

    try:
        code = market(country, "country").code
        if not re.fullmatch(r"[0-9]{1,3}", days.strip()):  # "٣" was read as 3 (an attack)
            raise InvalidInput("days: a whole number of days from order to door, 1-90",
                               field="days")  # fmt: skip
        set_promise(db, DeliveryPromise(code, int(days)))
    except InvalidInput as error:  # what was sent stays in the form (it was cleared: a walk)
        return _page(request, db, failed=("promise", error, {"country": country, "days": days}))
    record(request, "shipments.promise", code, days=int(days))
    return RedirectResponse("/supply#fulfilment", status_code=303)


@router.post("/supply/stock", response_class=HTMLResponse)
def import_stock_form(
    request: Request, db: DB, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """A stock file from the dashboard, as `borderless inventory import` reads it: one
    transaction, a bad line named beside the form and nothing written."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    from borderless.jobs.supply import import_stock
    from borderless.service.uploads import uploaded_file

    try:
        with uploaded_file(file, "stock.csv", request.app.state.settings.max_upload_bytes) as path:
            done = import_stock(db, path)
    except InvalidInput as error:
        return _page(request, db, failed=("stock", error, {}))
    record(request, "supply.stock.import", path.name, rows=done["rows"])
    return RedirectResponse(f"/supply?stocked={done['rows']}#replenishment", status_code=303)


@router.post("/supply/lanes", response_class=HTMLResponse)
def import_lanes_form(
    request: Request, db: DB, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """The warehouse/carrier lanes from a file, as `borderless inventory lanes` reads it: the
    whole table replaced in one transaction, a bad line named and nothing written (the page
    could only name the command: a walk)."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    from borderless.capabilities.fulfilment import read_lanes_file
    from borderless.service.uploads import uploaded_file
    from borderless.storage.fulfilment import set_lanes

    try:
        with uploaded_file(file, "lanes.csv", request.app.state.settings.max_upload_bytes) as path:
            count = set_lanes(db, read_lanes_file(path), source=path.name)
    except InvalidInput as error:
        return _page(request, db, failed=("lanes", error, {}))
    record(request, "fulfilment.lanes", path.name, lanes=count)
    # said on the page (an upload took 6 s and then said nothing: a walk)
    return RedirectResponse(f"/supply?lanes={count}#fulfilment", status_code=303)


def _history(
    db: DB, level: str, frequency: str, series_id: str
) -> tuple[list[tuple[datetime, float]], tuple[int, int] | None]:
    """The series' whole periods, and what the period the data ends in holds so far (units and
    days), which the history leaves out so that a half week never reads as a slump: a seller
    saw 212 forecast for a week that had 252 ordered in five days (a walk)."""
    from borderless.capabilities.forecast import demand_series
    from borderless.storage.supply import last_sale_at

    sku, _, country = series_id.partition("@")
    filters = {
        "sku_market": {"sku": sku, "country": country},
        "sku": {"sku": series_id},
        "market": {"country": series_id},
        "total": {},
    }[level]
    lines = sale_lines(db, **filters)
    if not lines:
        return [], None
    end = last_sale_at(db)
    frame, _ = demand_series(lines, level=level, frequency=frequency, end=end)
    frame = frame[frame["unique_id"] == series_id]
    history = [(d.to_pydatetime(), float(y)) for d, y in zip(frame["ds"], frame["y"], strict=True)]
    if not history or end is None:
        return history, None
    after = history[-1][0].date()  # the last whole period's last day
    units = sum(q for _, _, at, q in lines if at.date() > after and q > 0)
    days = (end.date() - after).days
    return history, (units, days) if days > 0 else None


@router.get("/supply/forecast", response_class=HTMLResponse)
def forecast_page(
    request: Request,
    db: DB,
    series: Annotated[str, Query(max_length=80)] = "",
    level: Literal["sku_market", "sku", "market", "total"] = "sku_market",
    frequency: Literal["daily", "weekly"] = "weekly",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    if not series.strip():  # no series named: the list to pick one from ("series: Field
        return RedirectResponse("/supply", status_code=303)  # required" was the page, a walk)
    from borderless.capabilities.forecast.chart import forecast_chart

    stored, points = get_forecast(db, level, frequency, series)
    history, so_far = _history(db, level, frequency, series)
    chart = forecast_chart(
        history,
        [(p.ds, p.yhat, p.lo_80, p.hi_80, p.lo_95, p.hi_95) for p in points],
        last=52 if frequency == "weekly" else 90,
    )
    sku, _, country = series.partition("@")
    named = products_by_sku(db, [sku]) if level in ("sku_market", "sku") else []
    return render(
        request,
        "forecast.html",
        {"series": stored, "points": points, "chart": chart, "level": level,
         "frequency": frequency, "level_names": LEVEL_NAMES,
         "sku": sku if level in ("sku_market", "sku") else None,
         "title": named[0].title if named else "",  # the SKU alone told a seller little (a walk)
         "market": MARKETS.get(country if level == "sku_market" else series),
         "history_total": sum(v for _, v in history), "history_points": len(history),
         "so_far": so_far},
    )  # fmt: skip
