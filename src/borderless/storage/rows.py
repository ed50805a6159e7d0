"""Conversions between records and table rows, kept in one place so both directions agree."""

from __future__ import annotations

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
    return {
        "sku": p.sku,
        "title": p.title,
        "description": p.description,
        "attributes": p.attributes,
        "price": p.price,
        "currency": p.currency,
        "stock": p.stock,
        "language": p.language,
        "kind": p.kind,
        "listing_handle": p.listing_handle,
        "position": p.position,
        "option_values": p.option_values,
        "compare_at_price": p.compare_at_price,
        "barcode": p.barcode,
        "weight_grams": p.weight_grams,
        "image_src": p.image_src,
        "aliases": p.aliases,
        "extra": p.extra,
    }


def product_from_row(row: Row[Any]) -> Product:
    m = row._mapping
    return Product(
        sku=m["sku"],
        title=m["title"],
        description=m["description"],
        attributes=dict(m["attributes"] or {}),
        price=_money(m["price"]),
        currency=m["currency"],
        stock=m["stock"],
        language=m["language"],
        kind=m["kind"],
        listing_handle=m["listing_handle"],
        position=m["position"],
        option_values=list(m["option_values"] or []),
        compare_at_price=_money(m["compare_at_price"]),
        barcode=m["barcode"],
        weight_grams=m["weight_grams"],
        image_src=m["image_src"],
        aliases=list(m["aliases"] or []),
        extra=dict(m["extra"] or {}),
    )


def listing_row(item: Listing) -> dict[str, Any]:
    return {
        "handle": item.handle,
        "title": item.title,
        "body_html": item.body_html,
        "vendor": item.vendor,
        "product_type": item.product_type,
        "category": item.category,
        "tags": item.tags,
        "status": item.status,
        "option_names": item.option_names,
        "images": [{"src": i.src, "position": i.position, "alt": i.alt} for i in item.images],
        "source_format": item.source_format,
        "extra": item.extra,
    }


def listing_from_row(row: Row[Any]) -> Listing:
    m = row._mapping
    return Listing(
        handle=m["handle"],
        title=m["title"],
        body_html=m["body_html"],
        vendor=m["vendor"],
        product_type=m["product_type"],
        category=m["category"],
        tags=list(m["tags"] or []),
        status=m["status"],
        option_names=list(m["option_names"] or []),
        images=[Image(i["src"], int(i["position"]), i.get("alt", "")) for i in m["images"] or []],
        source_format=m["source_format"],
        extra=dict(m["extra"] or {}),
    )


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
