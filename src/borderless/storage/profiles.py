"""What customer profiles are built from: merchandise lines of sales, and who wrote reviews."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select

from borderless.capabilities.profiles.records import Purchase
from borderless.storage import tables as t
from borderless.storage.calendar import in_calendar
from borderless.storage.cancellations import reversed_orders
from borderless.storage.database import Database

__all__ = ["customer_reviews", "purchases"]


def purchases(db: Database) -> list[Purchase]:
    """Every paid merchandise line of every sale with a customer (cancellations left out, and
    the sales a cancellation reverses whole: storage/cancellations.py)."""
    o, line, p, c = t.orders.c, t.order_lines.c, t.products.c, t.customers.c
    query = (
        select(
            o.customer_id,
            o.id,
            o.placed_at,
            line.sku,
            p.title,
            line.quantity,
            line.unit_price,
            o.country,
            c.language,
        )
        .select_from(t.order_lines)
        .join(t.orders, o.id == line.order_id)
        .join(t.products, p.sku == line.sku)
        .join(t.customers, c.id == o.customer_id)
        # a line given away (price 0) is no purchase: customer 13256, whose one order was
        # 12,540 free units, was "Promising" with a spend of £0.00 (a walk)
        .where(o.kind == "sale", p.kind == "merchandise", line.quantity > 0, line.unit_price > 0)
        # an order dated outside the calendar (stored before dates were checked) made the
        # segments page fail: "the day after the last purchase" overflowed on 9999-12-31
        .where(in_calendar(o.placed_at))
    )
    with db.engine.connect() as conn:
        undone = reversed_orders(conn)  # a sale cancelled whole is no purchase
        return [
            Purchase(str(cid), str(oid), when, str(sku), str(title), int(qty), float(price),
                     str(country), str(language))
            for cid, oid, when, sku, title, qty, price, country, language in conn.execute(query)
            if oid not in undone
        ]  # fmt: skip


def customer_reviews(db: Database) -> dict[str, list[tuple[str, str]]]:
    """(language, sentiment or '') of each customer's reviews."""
    r = t.reviews.c
    query = select(r.customer_id, r.language, r.sentiment).where(r.customer_id.is_not(None))
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with db.engine.connect() as conn:
        for customer, language, sentiment in conn.execute(query):
            found[str(customer)].append((str(language), str(sentiment or "")))
    return dict(found)


def reviews_state(db: Database) -> tuple[int, int, int]:
    """How many reviews by known customers, scored and negative: what the profiles' review
    tags are built from (a change means they are out of date)."""
    r = t.reviews.c
    negative = func.sum(case((r.sentiment == "negative", 1), else_=0))
    query = select(func.count(), func.count(r.sentiment), negative).where(
        r.customer_id.is_not(None)
    )
    with db.engine.connect() as conn:
        count, scored, negatives = conn.execute(query).one()
    return int(count), int(scored), int(negatives or 0)
