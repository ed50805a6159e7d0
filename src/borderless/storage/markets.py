"""The seller's exchange rates: one row per currency, all against one base currency.

A rate is checked (known ISO 4217 currency, a positive number, a known rounding rule) before
anything is written; setting a currency again replaces its rate. Every rate shares the base of
the rates already stored, so a price never goes through two bases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import delete, select

from borderless.capabilities.catalog.money import (
    ROUNDING_RULES,
    Rate,
    check_currency,
    check_rate,
    plain,
)
from borderless.errors import InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = ["remove_rate", "save_rate", "shop_currency_and_rates", "stored_rates"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def stored_rates(db: Database) -> dict[str, Rate]:
    """currency -> its rate, every stored one."""
    r = t.market_rates
    with db.engine.connect() as conn:
        rows = conn.execute(select(r).order_by(r.c.currency)).all()
    return {
        row.currency: Rate(row.currency, plain(Decimal(row.rate)), row.base, row.rounding)
        for row in rows
    }


def shop_currency_and_rates(db: Database, default: str = "GBP") -> tuple[str, dict[str, Rate]]:
    """The shop's base currency (the stored rates' base, else `default`) and the rates."""
    rates = stored_rates(db)
    return (next(iter(rates.values())).base if rates else default), rates


def save_rate(
    db: Database, currency: str, rate: object, actor: str, base: str = "GBP",
    rounding: str = "exact",
) -> Rate:  # fmt: skip
    """Store (or replace) the rate of `currency` against `base`, checked first."""
    code, base = check_currency(currency, "currency"), check_currency(base, "base")
    value = check_rate(rate)
    if rounding not in ROUNDING_RULES:
        raise InvalidInput(
            f"unknown rounding rule {rounding!r}; use one of {', '.join(ROUNDING_RULES)}",
            field="rounding",
        )
    if code == base:
        # "EUR is the base currency" was said to a GBP shop sending base EUR by mistake
        raise InvalidInput(f"a rate of {code} against base {base} is 1: give {code}'s rate "
                           "against the shop's base currency", field="currency")  # fmt: skip
    r = t.market_rates
    with db.engine.begin() as conn:
        bases = set(conn.execute(select(r.c.base).where(r.c.currency != code)).scalars())
        if bases and bases != {base}:
            raise InvalidInput(
                f"the stored rates are against {', '.join(sorted(bases))}, not {base}",
                field="base",
            )
        # the base is a currency the shop prices in: "SEK against EUR" in a shop priced in
        # pounds was stored, and every price in SEK was then refused for want of a GBP rate
        # (an attack)
        priced = set(conn.execute(select(t.products.c.currency).distinct()).scalars())
        if priced and base not in priced:
            raise InvalidInput(
                f"the shop's prices are in {', '.join(sorted(priced))}, not {base}: give "
                f"{code}'s rate against {sorted(priced)[0] if len(priced) == 1 else 'one of them'}",
                field="base",
            )
        conn.execute(delete(r).where(r.c.currency == code))
        conn.execute(
            r.insert().values(
                currency=code,
                base=base,
                rate=value,
                rounding=rounding,
                updated_by=actor[:64],
                updated_at=_now(),
            )
        )
    return Rate(code, value, base, rounding)


def remove_rate(db: Database, currency: str) -> None:
    code = check_currency(currency, "currency")
    r = t.market_rates
    with db.engine.begin() as conn:
        if conn.execute(delete(r).where(r.c.currency == code)).rowcount == 0:
            raise NotFound(f"no rate for {code}", field="currency")
