"""Dashboard: the attributes block on a product's page (evidence highlighted in the title,
suggestions to confirm or reject, an edit form for editors)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from borderless.capabilities.attributes import NAMES, Attribute, ProductAttributes
from borderless.service.routes.deps import DB, acting, product_path, record, staff_redirect
from borderless.service.routes.product_pages import listed
from borderless.storage.attributes import decide_attribute, product_attributes, set_attributes

router = APIRouter(include_in_schema=False)


def marked_title(title: str, attributes: list[Attribute]) -> list[tuple[str, str]]:
    """The title in pieces, each with the attributes its span backs ("" = none)."""
    spans = sorted(
        (a.start, a.end, f"{a.name}: {a.value}")
        for a in attributes
        if a.field == "title" and a.status != "rejected" and 0 <= a.start < a.end <= len(title)
    )
    pieces: list[tuple[str, str]] = []
    at = 0
    for start, end, label in spans:
        if start < at:
            if pieces and pieces[-1][1]:  # overlaps the previous mark: one mark, both labels
                pieces[-1] = (pieces[-1][0], f"{pieces[-1][1]}; {label}")
            continue
        pieces += [(title[at:start], ""), (title[start:end], label)]
        at = end
    pieces.append((title[at:], ""))
    return [p for p in pieces if p[0]]


def attributes_block(request: Request, sku: str, title: str) -> dict[str, Any]:
    """For the product page: facts with evidence, suggestions, the title marked up."""
    found: ProductAttributes = product_attributes(request.app.state.db, sku)
    shown = [a for a in found.attributes if a.status in ("stated", "confirmed")]
    read = request.query_params.get("read", "")  # what "Read the title now" found (a count)
    return {
        "read": int(read) if read.isdigit() and len(read) < 4 else None,
        "facts": shown,
        "suggested": [a for a in found.attributes if a.status == "suggested"],
        "rejected": [a for a in found.attributes if a.status == "rejected"],
        "pieces": marked_title(title, found.attributes),
        "values": {name: ", ".join(str(v) for v in found.values(name)) for name in NAMES},
        "names": NAMES,
    }


def _back(sku: str) -> RedirectResponse:
    return RedirectResponse(product_path(sku, "#attributes"), 303)


@router.post("/products/{sku:path}/attributes")
async def edit_form(request: Request, db: DB, sku: str) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    form = await request.form()
    current = product_attributes(db, sku)
    changed: dict[str, Any] = {}
    for name in NAMES:
        given = form.get(name)
        if not isinstance(given, str):
            continue
        values = listed(given)
        before = [str(v).casefold() for v in current.values(name)]
        if [v.casefold() for v in values] != before:
            changed[name] = values
    if changed:
        set_attributes(db, sku, changed, acting(request))
        record(request, "attributes.update", sku, names=sorted(changed))
    return _back(sku)


@router.post("/products/{sku:path}/attributes/read")
def read_form(request: Request, db: DB, sku: str) -> Response:
    """Read the title now: a product added on this dashboard or by the API had "no attributes"
    until the next catalog import, and the page pointed at a command."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    from borderless.jobs.attributes import read_product

    found = read_product(db, sku)
    record(request, "attributes.read", sku, found=found)
    return RedirectResponse(product_path(sku, f"?read={found}#attributes"), 303)


@router.post("/products/{sku:path}/attributes/decide")
async def decide_form(request: Request, db: DB, sku: str) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    form = await request.form()
    name, value, status = (str(form.get(k) or "") for k in ("name", "value", "status"))
    decide_attribute(db, sku, name, value, status, acting(request))
    record(request, f"attributes.{status}", sku, name=name, value=value)
    return _back(sku)
