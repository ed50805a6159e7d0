"""Orders a cancellation record takes back whole.

The retail file records a cancellation as an order of its own (C581229) with the lines negated;
the order it cancels stays a sale. An order is *reversed* when a later cancellation of the same
customer has the same lines (products, quantities, prices): "Status: placed" was said of order
580158, all of whose lines C581229 had cancelled, and customer 12346's £77,183.60 order,
cancelled the same day, made them a top spender expected to spend £14k (walks). A partial
cancellation leaves its order standing, and one cancellation reverses one order, the latest
before it that it matches: C546735 had marked two orders of £705.60 cancelled, and a manual
line of £400 matched a cancelled one of £907 by product and quantity alone (a walk).

A cancellation that is one manual adjustment (a product that is not merchandise, such as the
retail file's "M  Manual") reverses the latest earlier sale of the same customer whose total it
equals to the penny: customer 15098's 60 picnic baskets at £649.50 (£38,970, keyed for one)
were taken back by C556445, "Manual -1 x 38970.00", and the segments page counted them as
bought, an expected spend of £11,605 for a customer whose net spend is £649.50 (a walk).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from borderless.storage import tables as t

__all__ = ["reversed_orders"]

CENT = Decimal("0.01")


def reversed_orders(conn: Any, customer_id: str | None = None) -> set[str]:
    """The sale orders a cancellation reverses, of one customer or of every customer."""
    ol, o = t.order_lines, t.orders
    who = (
        o.c.customer_id == customer_id
        if customer_id is not None
        else o.c.customer_id.in_(
            select(o.c.customer_id).where(o.c.kind == "cancellation").distinct()
        )
    )
    p = t.products
    found = conn.execute(
        select(o.c.customer_id, ol.c.order_id, ol.c.sku, ol.c.quantity, ol.c.unit_price,
               o.c.placed_at, o.c.kind, p.c.kind.label("product_kind"))
        .join(o, o.c.id == ol.c.order_id)
        .outerjoin(p, p.c.sku == ol.c.sku)
        .where(who, o.c.customer_id.is_not(None))
    ).all()  # fmt: skip
    lines: dict[str, Counter[tuple[str, Decimal]]] = {}
    when: dict[str, tuple[datetime, str]] = {}
    kinds: dict[str, str] = {}
    owner: dict[str, str] = {}
    totals: dict[str, Decimal] = {}
    adjustments: set[str] = set()  # orders with a line that is no merchandise
    for line in found:
        price = abs(Decimal(str(line.unit_price))).normalize()
        lines.setdefault(line.order_id, Counter())[(line.sku, price)] += abs(int(line.quantity))
        totals[line.order_id] = totals.get(line.order_id, Decimal(0)) + price * abs(
            int(line.quantity)
        )
        when[line.order_id] = (line.placed_at, line.order_id)
        kinds[line.order_id] = line.kind
        owner[line.order_id] = line.customer_id
        if line.product_kind not in (None, "merchandise"):
            adjustments.add(line.order_id)
    by_customer: dict[str, list[str]] = {}
    for order in lines:
        by_customer.setdefault(owner[order], []).append(order)
    undone: set[str] = set()
    for orders in by_customer.values():
        cancellations = sorted((k for k in orders if kinds[k] == "cancellation"),
                               key=when.__getitem__)  # fmt: skip
        for reversal in cancellations:
            matching = [k for k in orders if kinds[k] != "cancellation" and k not in undone
                        and when[k] <= when[reversal] and lines[k] == lines[reversal]]  # fmt: skip
            if not matching and reversal in adjustments and len(lines[reversal]) == 1:
                # one manual line of an order's whole amount
                amount = totals[reversal].quantize(CENT)
                matching = [k for k in orders if kinds[k] != "cancellation" and k not in undone
                            and when[k] <= when[reversal]
                            and totals[k].quantize(CENT) == amount]  # fmt: skip
            if matching:
                undone.add(max(matching, key=when.__getitem__))
    return undone
