"""Dashboard: the orders, newest first, filtered by customer or country, and one order's lines."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from borderless.capabilities.catalog.markets import MARKETS
from borderless.service.routes.deps import DB, staff_redirect
from borderless.service.routes.pages import (
    PAGE_SIZE,
    PageNumber,
    filter_countries,
    page_count,
    page_number,
    render,
    to_page,
)
from borderless.storage.catalog import products_by_sku
from borderless.storage.sales import get_customer, get_order, list_orders
from borderless.storage.shipments import shipments_of

router = APIRouter(include_in_schema=False)


@router.get("/orders", response_class=HTMLResponse)
def orders_page(
    request: Request,
    db: DB,
    customer: Annotated[str, Query(max_length=64)] = "",
    country: Annotated[str, Query(pattern=r"^([A-Za-z]{2})?$")] = "",
    kind: Annotated[Literal["", "sale", "cancellation"], Query()] = "",
    page: PageNumber = "1",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    number = page_number(page)
    customer_id, code = customer.strip(), country.upper()
    rows, total = list_orders(
        db,
        customer_id=customer_id or None,
        country=code or None,
        kind=kind or None,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    if str(number) != page or number > page_count(total):
        return to_page(request, min(number, page_count(total)))
    return render(
        request,
        "orders.html",
        {"orders": rows, "total": total, "page": number, "pages": page_count(total),
         "customer": customer_id, "country": code, "kind": kind, "markets": MARKETS,
         "countries": filter_countries(db, "orders", code)},
    )  # fmt: skip


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(request: Request, db: DB, order_id: str) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    order = get_order(db, order_id)
    products = {p.sku: p for p in products_by_sku(db, [ln["sku"] for ln in order["lines"]])}
    customer = get_customer(db, order["customer_id"]) if order["customer_id"] else None
    # the carrier's scans, which the API gave and the page did not (a walk)
    shipments = shipments_of(db, order_id)
    from borderless.storage.risk import get_risk

    return render(
        request,
        "order.html",
        # its risk score and the seller's decision, which only the Risk page showed (a walk)
        {"order": order, "products": products, "customer": customer, "shipments": shipments,
         "risk": get_risk(db, order_id),
         "market": MARKETS.get(order["country"]),
         "units": sum(ln["quantity"] for ln in order["lines"])},
    )  # fmt: skip
