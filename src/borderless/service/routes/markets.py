"""Markets API: the seller's exchange rates, and prices, measures and sizes as a market reads
them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request

from borderless.capabilities.catalog.checks import check_money
from borderless.capabilities.catalog.markets import LOCALIZE_TEXT, localize_for_market
from borderless.capabilities.catalog.money import Rate
from borderless.service.routes.deps import DB, WriteAccess, acting, record
from borderless.service.schemas.markets import LocalizedPublic, RatePage, RatePublic, RateUpdate
from borderless.storage.catalog import MAX_OFFSET, catalog_language
from borderless.storage.markets import (
    remove_rate,
    save_rate,
    shop_currency_and_rates,
    stored_rates,
)

router = APIRouter(prefix="/v1/markets", tags=["markets"])


def _public(rate: Rate) -> RatePublic:
    return RatePublic(currency=rate.currency, base=rate.base, rate=format(rate.rate, "f"),
                      rounding=rate.rounding)  # fmt: skip


@router.get("/rates", response_model=RatePage)
def list_rates(
    db: DB,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> RatePage:
    """The seller's exchange rates."""
    rates = list(stored_rates(db).values())
    page = [_public(r) for r in rates[offset : offset + limit]]
    return RatePage(data=page, count=len(rates), limit=limit, offset=offset)


@router.put("/rates/{currency}", response_model=RatePublic, dependencies=[WriteAccess])
def put_rate(currency: str, body: RateUpdate, db: DB, request: Request) -> RatePublic:
    """Set or replace one currency's rate and rounding rule."""
    saved = save_rate(db, currency, body.rate, acting(request), base=body.base,
                      rounding=body.rounding)  # fmt: skip
    record(request, "markets.rate", saved.currency, rate=str(saved.rate), base=saved.base)
    return _public(saved)


@router.delete("/rates/{currency}", status_code=204, dependencies=[WriteAccess])
def delete_rate(currency: str, db: DB, request: Request) -> None:
    """Remove a currency's rate: prices in it are then refused, never relabelled."""
    remove_rate(db, currency)
    record(request, "markets.rate.remove", currency.upper())


@router.get("/{code}/localize", response_model=LocalizedPublic)
def localize(
    code: str,
    db: DB,
    price: Annotated[
        str | None, Query(max_length=40, description="an amount such as 12.50, 0 to 1,000,000")
    ] = None,
    currency: Annotated[str, Query(max_length=3)] = "GBP",
    text: Annotated[str, Query(max_length=LOCALIZE_TEXT)] = "",
) -> LocalizedPublic:
    """A price in the market's currency, and a text's prices, measures and sizes in its systems."""
    # The rules of every other price (the rates, products): "٥", "1e2" and a control character
    # passed here. A parameter given twice is refused for every route (deps.single_values).
    amount = check_money(price, "price", high=Decimal(1_000_000))
    base, rates = shop_currency_and_rates(db)
    found = localize_for_market(code, rates, amount=amount, currency=currency, text=text,
                                base=base, source=catalog_language(db))  # fmt: skip
    return LocalizedPublic.model_validate(found)
