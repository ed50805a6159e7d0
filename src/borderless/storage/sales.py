"""Customers, orders and the shop's figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, distinct, func, select, union

from borderless.capabilities.catalog.markets import NOT_COUNTRIES
from borderless.errors import NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = [
    "ShopStats",
    "countries_of",
    "get_customer",
    "get_order",
    "list_customers",
    "list_orders",
    "out_of_stock",
    "product_sales",
    "purchase_history",
    "revenue_by_country",
    "shop_stats",
    "top_products",
]

_line_value = t.order_lines.c.quantity * t.order_lines.c.unit_price


def countries_of(db: Database, what: str) -> frozenset[str]:
    """The market codes the shop's "orders" or "customers" are in (a country filter offered
    every market, most with nothing to show: a walk)."""
    table = {"orders": t.orders, "customers": t.customers}[what]
    with db.engine.connect() as conn:
        query = select(distinct(table.c.country)).where(table.c.country.is_not(None))
        return frozenset(str(code) for (code,) in conn.execute(query))


_is_sale = t.orders.c.kind == "sale"
# a customer's or a market's orders are their sales: a cancellation is not an order placed
# ("13 orders" for 8 sales and 5 cancellations, beside the segments' 8: a walk)
_sales = func.count(distinct(case((_is_sale, t.orders.c.id))))
_cancellations = func.count(distinct(case((~_is_sale, t.orders.c.id))))


@dataclass(frozen=True)
class ShopStats:
    products: int
    customers: int
    orders: int  # sales and cancellations
    order_lines: int
    countries: int
    reviews: int
    sales: int
    cancellations: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _count(conn: Any, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def shop_stats(db: Database) -> ShopStats:
    """Row counts; `countries` is the number of countries (markets but "Unspecified" and the
    EU) that customers or orders are in."""
    with db.engine.connect() as conn:
        markets_used = union(select(t.orders.c.country), select(t.customers.c.country)).subquery()
        countries = conn.execute(
            select(func.count(distinct(markets_used.c.country))).where(
                markets_used.c.country.not_in(NOT_COUNTRIES)
            )
        ).scalar_one()
        sales, cancellations = conn.execute(select(_sales, _cancellations)).one()
        return ShopStats(
            products=_count(conn, t.products),
            customers=_count(conn, t.customers),
            orders=int(sales + cancellations),
            order_lines=_count(conn, t.order_lines),
            countries=int(countries),
            reviews=_count(conn, t.reviews),
            sales=int(sales),
            cancellations=int(cancellations),
        )


def revenue_by_country(db: Database, limit: int = 15) -> list[dict[str, Any]]:
    """Net revenue (sales less cancellations) and order count per market, largest first."""
    query = (
        select(
            t.markets.c.code,
            t.markets.c.name,
            func.sum(_line_value).label("revenue"),
            _sales.label("orders"),
        )
        .select_from(t.order_lines)
        .join(t.orders, t.orders.c.id == t.order_lines.c.order_id)
        .join(t.markets, t.markets.c.code == t.orders.c.country)
        .group_by(t.markets.c.code, t.markets.c.name)
        .order_by(func.sum(_line_value).desc())
        .limit(limit)
    )
    with db.engine.connect() as conn:
        return [
            {"code": r.code, "name": r.name, "revenue": _money(r.revenue), "orders": r.orders}
            for r in conn.execute(query)
        ]


def top_products(db: Database, limit: int = 10) -> list[dict[str, Any]]:
    """Best-selling merchandise by net revenue."""
    query = (
        select(
            t.products.c.sku,
            t.products.c.title,
            func.sum(t.order_lines.c.quantity).label("units"),
            func.sum(_line_value).label("revenue"),
        )
        .select_from(t.order_lines)
        .join(t.products, t.products.c.sku == t.order_lines.c.sku)
        .where(t.products.c.kind == "merchandise")
        .group_by(t.products.c.sku, t.products.c.title)
        .order_by(func.sum(_line_value).desc())
        .limit(limit)
    )
    with db.engine.connect() as conn:
        return [
            {"sku": r.sku, "title": r.title, "units": int(r.units), "revenue": _money(r.revenue)}
            for r in conn.execute(query)
        ]


def product_sales(db: Database, sku: str) -> dict[str, Any]:
    """Units and revenue of one SKU, in all and per market."""
    base = (
        select(
            t.orders.c.country,
            func.sum(t.order_lines.c.quantity).label("units"),
            func.sum(_line_value).label("revenue"),
            _sales.label("orders"),
        )
        .select_from(t.order_lines)
        .join(t.orders, t.orders.c.id == t.order_lines.c.order_id)
        .where(t.order_lines.c.sku == sku)
        .group_by(t.orders.c.country)
        .order_by(func.sum(_line_value).desc())
    )
    with db.engine.connect() as conn:
        rows = [
            {
                "country": r.country,
                "units": int(r.units),
                "revenue": _money(r.revenue),
                "orders": int(r.orders),
            }
            for r in conn.execute(base)
        ]
    return {
        "units": sum(r["units"] for r in rows),
        "revenue": sum((r["revenue"] for r in rows), Decimal(0)),
        "orders": sum(r["orders"] for r in rows),
        "by_country": rows,
    }


# a customer's sales, cancellations, and first and last sale (the last order shown was a
# cancellation, where the segments' recency counts the last sale: a walk)
_customer_orders = (
    _sales.label("orders"),
    _cancellations.label("cancellations"),
    func.min(case((_is_sale, t.orders.c.placed_at))).label("first_order_at"),
    func.max(case((_is_sale, t.orders.c.placed_at))).label("last_order_at"),
)


def list_customers(
    db: Database,
    *,
    country: str | None = None,
    id_prefix: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Customers by id with their order counts; `id_prefix` keeps those whose id starts so
    (the customers page had no way to find one: a walk)."""
    where = and_(
        t.customers.c.country == country.upper() if country else and_(True),
        t.customers.c.id.startswith(id_prefix, autoescape=True) if id_prefix else and_(True),
    )
    query = (
        select(t.customers, *_customer_orders)
        .select_from(t.customers)
        .outerjoin(t.orders, t.orders.c.customer_id == t.customers.c.id)
        .where(where)
        .group_by(t.customers.c.id, t.customers.c.country, t.customers.c.language)
        .order_by(t.customers.c.id)
        .limit(limit)
        .offset(offset)
    )
    with db.engine.connect() as conn:
        total = conn.execute(
            select(func.count()).select_from(t.customers).where(where)
        ).scalar_one()
        return [dict(r._mapping) for r in conn.execute(query)], int(total)


def get_customer(db: Database, customer_id: str) -> dict[str, Any]:
    """One customer with their order count, first and last order, and net spend."""
    with db.engine.connect() as conn:
        row = conn.execute(select(t.customers).where(t.customers.c.id == customer_id)).first()
        if row is None:
            raise NotFound(f"no customer with id {customer_id!r}", field="customer_id")
        stats = conn.execute(
            select(*_customer_orders).where(t.orders.c.customer_id == customer_id)
        ).one()
        spent = conn.execute(
            select(func.sum(_line_value))
            .select_from(t.order_lines)
            .join(t.orders, t.orders.c.id == t.order_lines.c.order_id)
            .where(t.orders.c.customer_id == customer_id)
        ).scalar_one()
    return dict(row._mapping) | dict(stats._mapping) | {"net_spend": _money(spent)}


def list_orders(
    db: Database,
    *,
    customer_id: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    conditions = []
    if customer_id:
        conditions.append(t.orders.c.customer_id == customer_id)
    if country:
        conditions.append(t.orders.c.country == country.upper())
    if kind:
        conditions.append(t.orders.c.kind == kind)
    where = and_(True, *conditions)
    query = (
        select(
            t.orders,
            func.count(t.order_lines.c.line_no).label("lines"),
            func.sum(_line_value).label("total"),
        )
        .select_from(t.orders)
        .outerjoin(t.order_lines, t.order_lines.c.order_id == t.orders.c.id)
        .where(where)
        .group_by(*t.orders.c)
        .order_by(t.orders.c.placed_at.desc(), t.orders.c.id)
        .limit(limit)
        .offset(offset)
    )
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t.orders).where(where)).scalar_one()
        rows = [dict(r._mapping) | {"total": _money(r.total)} for r in conn.execute(query)]
    return rows, int(total)


def get_order(db: Database, order_id: str) -> dict[str, Any]:
    with db.engine.connect() as conn:
        row = conn.execute(select(t.orders).where(t.orders.c.id == order_id)).first()
        if row is None:
            raise NotFound(f"no order with id {order_id!r}", field="order_id")
        lines = [
            dict(r._mapping) | {"unit_price": _money(r.unit_price)}
            for r in conn.execute(
                select(t.order_lines)
                .where(t.order_lines.c.order_id == order_id)
                .order_by(t.order_lines.c.line_no)
            )
        ]
    total = sum((ln["unit_price"] * ln["quantity"] for ln in lines), Decimal(0))
    return dict(row._mapping) | {"lines": lines, "total": total}


def _money(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    return Decimal(str(value)).quantize(Decimal("0.01"))


def purchase_history(db: Database) -> list[tuple[str, str, str, str]]:
    """(customer, SKU, order id, ISO time placed) for every merchandise line of a sale with a
    known customer: what a recommender refit is fitted on, with the orders and dates that
    identify and test it."""
    query = (
        select(t.orders.c.customer_id, t.order_lines.c.sku, t.orders.c.id, t.orders.c.placed_at)
        .join(t.orders, t.orders.c.id == t.order_lines.c.order_id)
        .join(t.products, t.products.c.sku == t.order_lines.c.sku)
        .where(
            t.orders.c.kind == "sale",
            t.orders.c.customer_id.is_not(None),
            t.products.c.kind == "merchandise",
        )
    )
    with db.engine.connect() as conn:
        return [
            (str(r.customer_id), str(r.sku), str(r.id), r.placed_at.isoformat())
            for r in conn.execute(query)
        ]


def out_of_stock(db: Database) -> frozenset[str]:
    """SKUs whose stock is tracked and at zero or below."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(t.products.c.sku).where(t.products.c.stock <= 0))
        return frozenset(r.sku for r in rows)
