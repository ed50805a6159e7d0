"""Dashboard: the markets the shop sells to and the exchange rates it prices them with.

Rates are the seller's own (never fetched): a market whose currency has no rate is shown no
price anywhere, so the currencies still missing one come first. The same checks as
`PUT /v1/markets/rates/CUR` and `borderless markets rates set` (storage/markets.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.catalog.markets import (
    ROUNDING_NAMES,
    SAMPLE_PRICE,
    currencies_of_markets,
    market_formats,
    rounding_name,
)
from borderless.errors import InvalidInput, NotFound
from borderless.service.routes.deps import DB, acting, record, staff_redirect
from borderless.service.routes.pages import render, shop_markets
from borderless.storage.markets import remove_rate, save_rate, shop_currency_and_rates

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    db: DB,
    *,
    error: InvalidInput | None = None,
    tried: dict[str, str] | None = None,
    done: str = "",
) -> HTMLResponse:
    base, rates = shop_currency_and_rates(db)
    codes = shop_markets(db)
    today = datetime.now(UTC).date()
    return render(
        request,
        "markets.html",
        {"base": base, "currencies": currencies_of_markets(codes, rates, base),
         "markets": [market_formats(c, today) for c in codes], "rules": ROUNDING_NAMES,
         "rounding_name": rounding_name, "sample": SAMPLE_PRICE, "error": error,
         "tried": tried or {}, "done": done},
        status_code=422 if error else 200,
    )  # fmt: skip


def _done(done: str, currency: str, was: str, was_rounding: str) -> str:
    """What the last write did, said from its parts: the notice was the address's own text,
    so a link could make the page say anything ("replaced the rate ... by admin": a walk)."""
    if not re.fullmatch(r"[A-Z]{3}", currency):
        return ""
    if done == "saved":
        return f"saved the rate of {currency}"
    if done == "removed":
        return f"removed the rate of {currency}"
    if (
        done == "replaced"
        and re.fullmatch(r"[0-9]{1,12}(?:\.[0-9]{1,12})?", was)
        and (was_rounding in ROUNDING_NAMES)
    ):
        return (f"replaced the rate of {currency} (it was {was}, "
                f"{rounding_name(was_rounding, currency)})")  # fmt: skip
    return ""


@router.get("/markets", response_class=HTMLResponse)
def markets_page(
    request: Request,
    db: DB,
    done: Annotated[str, Query(max_length=16)] = "",
    currency: Annotated[str, Query(max_length=3)] = "",
    was: Annotated[str, Query(max_length=25)] = "",
    was_rounding: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return _page(request, db, done=_done(done, currency, was, was_rounding))


@router.post("/markets/rates", response_class=HTMLResponse)
def set_rate(
    request: Request,
    db: DB,
    # no max_length here: a refused field comes back on this page beside its row (the body
    # limit bounds it; FastAPI's own 422 was a bare error page)
    currency: Annotated[str, Form()] = "",
    rate: Annotated[str, Form()] = "",
    rounding: Annotated[str, Form()] = "exact",
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    base, before = shop_currency_and_rates(db)
    try:
        if not rate.strip():
            raise InvalidInput(f"give the rate: how many {currency.strip().upper() or 'units'} "
                               f"one {base} buys", field="rate")  # fmt: skip
        saved = save_rate(db, currency, rate, acting(request), base=base, rounding=rounding)
    except InvalidInput as exc:
        tried = {"currency": currency.strip().upper()[:16], "rate": rate[:200],
                 "rounding": rounding[:16]}  # fmt: skip
        return _page(request, db, error=exc, tried=tried)
    record(request, "markets.rate", saved.currency, rate=str(saved.rate), base=saved.base)
    said = {"done": "saved", "currency": saved.currency}
    if (old := before.get(saved.currency)) is not None and old != saved:  # said, not silent
        said = said | {"done": "replaced", "was": str(old.rate), "was_rounding": old.rounding}
    return RedirectResponse(f"/markets?{urlencode(said)}#rate-{saved.currency}",
                            status_code=303)  # fmt: skip


@router.post("/markets/rates/remove")
def drop_rate(
    request: Request, db: DB, currency: Annotated[str, Form(max_length=16)] = ""
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        remove_rate(db, currency)
    except NotFound:  # removed meanwhile: the page shows the rates as they are
        return RedirectResponse("/markets", status_code=303)
    except InvalidInput as exc:
        return _page(request, db, error=exc)
    record(request, "markets.rate.remove", currency.strip().upper())
    said = urlencode({"done": "removed", "currency": currency.strip().upper()})
    return RedirectResponse(f"/markets?{said}", status_code=303)
