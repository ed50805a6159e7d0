"""A warehouse stock file: `sku,country,on_hand[,on_order,lead_time_days]` (an empty or missing
on_order or lead time keeps the figure stored).

Every bad line is reported with its number and nothing is written (`BadRows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from borderless.capabilities.catalog.checks import check_whole
from borderless.capabilities.catalog.csvfiles import read_table
from borderless.capabilities.catalog.markets import market_for_country
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = ["StockRow", "read_stock_file"]

REQUIRED = ("sku", "country", "on_hand")


@dataclass(frozen=True)
class StockRow:
    sku: str
    country: str
    on_hand: int
    on_order: int | None  # None: keep the stored figure
    lead_time_days: int | None
    line: int = 0  # where the file gives it: a product or market the shop lacks is named there


def _whole(text: str, field: str, line: int, bad: list[BadRow], *, low: int,
           high: int) -> int | None:  # fmt: skip
    # the catalog's one rule for a whole number in text: the digits 0-9 ("٥" was read as 5)
    try:
        return check_whole(text, field, low=low, high=high)
    except InvalidInput as exc:
        bad.append(BadRow(line, exc.message, field))
        return None


def read_stock_file(path: Path) -> list[StockRow]:
    rows: list[StockRow] = []
    bad: list[BadRow] = []
    seen: set[tuple[str, str]] = set()
    for line, row in read_table(path, REQUIRED, ("on_order", "lead_time_days")):
        sku = row["sku"]
        if not sku:
            bad.append(BadRow(line, "empty sku", "sku"))
            continue
        # a country by name too, as reviews and the retail file take it ("United Kingdom" was
        # refused as "not a 2-letter code", and the row's other faults went unsaid: a walk)
        found = market_for_country(row["country"])
        country = found.code if found is not None else row["country"].strip().upper()
        if found is None:
            bad.append(BadRow(line, f"country {row['country']!r} is no market (a 2-letter code "
                                    "such as GB, or a country name)", "country"))  # fmt: skip
        twice = (sku, country) in seen
        if twice:  # its values are read too: a bad one was hidden until a second try (a walk)
            bad.append(BadRow(line, f"{sku} in {country} appears twice", "sku"))
        seen.add((sku, country))
        on_hand = _whole(row["on_hand"], "on_hand", line, bad, low=0, high=10**9)
        # an empty or missing on_order or lead time keeps the stored one (storage/supply.py)
        order_text = row.get("on_order") or ""
        on_order = (
            _whole(order_text, "on_order", line, bad, low=0, high=10**9) if order_text else None
        )
        lead_text = row.get("lead_time_days") or ""
        lead = (
            _whole(lead_text, "lead_time_days", line, bad, low=1, high=365) if lead_text else None
        )
        if (
            twice
            or found is None
            or on_hand is None
            or (order_text and on_order is None)
            or (lead_text and lead is None)
        ):
            continue
        rows.append(StockRow(sku, country, on_hand, on_order, lead, line))
    if bad:
        raise BadRows(str(path), bad)
    if not rows:
        raise InvalidInput(f"{path} holds no stock rows", field="file")
    return rows
