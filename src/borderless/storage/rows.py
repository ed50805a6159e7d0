"""Conversions between records and table rows, kept in one place so both directions agree."""

from __future__ import annotations

from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from borderless.capabilities.catalog.records import (
    Customer,
    Image,
    Listing,
    Market,
    Order,
    Product,
)

__all__ = [
    "customer_row",
    "listing_from_row",
    "listing_row",
    "market_row",
    "order_row",
    "product_from_row",
    "product_row",
]


def _money(value: Any) -> Decimal | None:
    """Amounts as read back: exact, with at least two decimals (SQLite returns floats)."""
    if value is None:
        return None
    amount = Decimal(str(value)).normalize()
    exponent = amount.as_tuple().exponent
    return (
        amount.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else amount
    )


def market_row(m: Market) -> dict[str, Any]:
    return {"code": m.code, "name": m.name, "language": m.language, "currency": m.currency}


def product_row(p: Product) -> dict[str, Any]:
    return {f.name: getattr(p, f.name) for f in fields(Product)}


def product_from_row(row: Row[Any]) -> Product:
    m = row._mapping
    values = {f.name: m[f.name] for f in fields(Product)}
    values["price"] = _money(m["price"])
    values["compare_at_price"] = _money(m["compare_at_price"])
    return Product(**values)


def listing_row(item: Listing) -> dict[str, Any]:
    values = {f.name: getattr(item, f.name) for f in fields(Listing)}
    values["images"] = [asdict(i) for i in item.images]
    return values


def listing_from_row(row: Row[Any]) -> Listing:
    m = row._mapping
    values = {f.name: m[f.name] for f in fields(Listing)}
    values["images"] = [Image(i["src"], int(i["position"]), i.get("alt", "")) for i in m["images"]]
    return Listing(**values)


def customer_row(c: Customer) -> dict[str, Any]:
    return {"id": c.id, "country": c.country, "language": c.language}


def order_row(o: Order) -> dict[str, Any]:
    return {
        "id": o.id,
        "kind": o.kind,
        "placed_at": o.placed_at,
        "country": o.country,
        "customer_id": o.customer_id,
        "currency": o.currency,
    }
