"""Writing imported shop data: each import is one transaction and is idempotent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select

from borderless.capabilities.catalog.checks import (
    check_customer,
    check_listing,
    check_order,
    check_product,
)
from borderless.capabilities.catalog.markets import MARKETS
from borderless.capabilities.catalog.records import Listing, Product
from borderless.capabilities.catalog.retail import RetailImport
from borderless.errors import InvalidInput
from borderless.storage import tables as t
from borderless.storage.catalog import refuse_case_twins
from borderless.storage.catalog_state import catalog_changed
from borderless.storage.database import Database
from borderless.storage.rows import (
    customer_row,
    listing_from_row,
    listing_row,
    market_row,
    order_row,
    product_from_row,
    product_row,
)
from borderless.storage.sync import SyncCount, sync_rows

__all__ = ["ImportSummary", "load_listings", "save_listings", "save_retail"]

T = TypeVar("T")


@dataclass
class ImportSummary:
    """What one import changed, table by table."""

    tables: dict[str, SyncCount] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(c.inserted + c.updated for c in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {name: count.as_dict() for name, count in self.tables.items()}


def _checked(check: Callable[[T], T], record: T, name: str) -> None:
    try:
        check(record)
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: {exc.message}", field=exc.field) from exc


def save_retail(
    db: Database, data: RetailImport, progress: Callable[[int], None] | None = None
) -> ImportSummary:
    """Write a cleaned retail file: markets, products, customers, orders, lines; all or nothing.

    Every record is checked before the first write, so a value no reader should have let
    through still cannot reach the database.
    """
    for product in data.products:
        _checked(check_product, product, f"SKU {product.sku!r}")
    for customer in data.customers:
        _checked(check_customer, customer, f"customer {customer.id!r}")
    for order in data.orders:
        _checked(check_order, order, f"order {order.id!r}")
    summary = ImportSummary()
    lines = [
        {
            "order_id": o.id,
            "line_no": line.line_no,
            "sku": line.sku,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "description": line.description,
        }
        for o in data.orders
        for line in o.lines
    ]
    products = [product_row(p) for p in data.products]
    # one catalog import at a time: three of the same file at once got UNIQUE-constraint
    # errors on markets and products in all but one (an attack)
    with db.writing("catalog import") as conn:
        summary.tables["markets"] = sync_rows(
            conn, t.markets, [market_row(m) for m in MARKETS.values()]
        )
        refuse_case_twins(conn, [p["sku"] for p in products])
        # The file owns title, price and kind; a seller's description, attributes or stock
        # added since must survive a re-import.
        summary.tables["products"] = sync_rows(
            conn, t.products, products, owned=("title", "price", "currency", "kind", "aliases")
        )
        summary.tables["customers"] = sync_rows(
            conn, t.customers, [customer_row(c) for c in data.customers]
        )
        summary.tables["orders"] = sync_rows(conn, t.orders, [order_row(o) for o in data.orders])
        summary.tables["order_lines"] = sync_rows(conn, t.order_lines, lines, progress=progress)
        if _moved(summary, "products"):
            catalog_changed(conn)
    return summary


def save_listings(
    db: Database, listings: Sequence[Listing], products: Sequence[Product]
) -> ImportSummary:
    """Write listings and their SKUs from a Shopify or WooCommerce file in one transaction.

    Every record is checked before the first write: all are written, or none.
    """
    for item in listings:
        _checked(check_listing, item, f"listing {item.handle!r}")
    for product in products:
        _checked(check_product, product, f"SKU {product.sku!r}")
    handles = {item.handle for item in listings}
    for p in products:
        if p.listing_handle not in handles:
            raise InvalidInput(
                f"SKU {p.sku} points at unknown listing {p.listing_handle}", field="sku"
            )
    summary = ImportSummary()
    with db.writing("catalog import") as conn:
        refuse_case_twins(conn, [p.sku for p in products])
        summary.tables["listings"] = sync_rows(conn, t.listings, [listing_row(i) for i in listings])
        summary.tables["products"] = sync_rows(conn, t.products, [product_row(p) for p in products])
        if _moved(summary, "listings", "products"):
            catalog_changed(conn)
    return summary


def _moved(summary: ImportSummary, *tables: str) -> bool:
    return any(summary.tables[n].inserted or summary.tables[n].updated for n in tables)


def load_listings(
    db: Database, handles: Sequence[str] | None = None
) -> list[tuple[Listing, list[Product]]]:
    """Listings with their SKUs in position order, in the order they were first stored."""
    query = select(t.listings)
    if handles:
        query = query.where(t.listings.c.handle.in_(handles))
    with db.engine.connect() as conn:
        found = [listing_from_row(r) for r in conn.execute(query)]
        by_handle: dict[str, list[Product]] = {item.handle: [] for item in found}
        product_query = (
            select(t.products)
            .where(t.products.c.listing_handle.in_(list(by_handle)))
            .order_by(t.products.c.listing_handle, t.products.c.position)
        )
        for row in conn.execute(product_query):
            product = product_from_row(row)
            by_handle[str(product.listing_handle)].append(product)
    found.sort(key=lambda item: int(item.extra.get("file_order", 0)))
    return [(item, by_handle[item.handle]) for item in found]
