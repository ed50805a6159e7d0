"""Dashboard: create a product and edit one, checked exactly as the API checks them.

The form's values go through the API's own request models (ProductCreate / ProductUpdate) and
then the catalog's one check in storage, so a value the API refuses is refused here with the
same message; a refused form comes back filled in, with the message beside its field, and
nothing is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from borderless.capabilities.catalog.attributes import BOOKKEEPING
from borderless.capabilities.catalog.records import Product
from borderless.errors import BorderlessError
from borderless.languages import LANGUAGE_NAMES
from borderless.service.errors import plain
from borderless.service.routes.deps import DB, product_path, record, staff_redirect
from borderless.service.routes.pages import render
from borderless.service.schemas import ProductCreate, ProductUpdate
from borderless.storage.catalog import create_product, get_product, update_product

router = APIRouter(include_in_schema=False)

BLANK_ROWS = 3  # empty attribute rows offered under the filled ones
FIELDS = ("title", "description", "price", "currency", "stock", "language")


def shown(value: object) -> str:
    """An attribute value as the form shows it: a text as it is, a list of texts and numbers
    as "red, black" (it was '["white"]': a walk), a number as written, anything else as
    JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) and "," not in str(v)
        for v in value
    ):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def listed(text: str) -> list[str]:
    """ "red, black" as the values it names (what `shown` writes a list as)."""
    return [v.strip() for v in text.split(",") if v.strip()]


def _form_values(product: Product | None) -> dict[str, Any]:
    if product is None:
        return {"sku": "", "title": "", "description": "", "price": "", "currency": "GBP",
                "stock": "", "language": "en", "attributes": []}  # fmt: skip
    return {
        "sku": product.sku,
        "title": product.title,
        "description": product.description,
        "price": "" if product.price is None else str(product.price),
        "currency": product.currency,
        "stock": "" if product.stock is None else str(product.stock),
        "language": product.language,
        # where facts came from is kept, not edited ("confirmed: type" was a row: a walk)
        "attributes": [
            (name, shown(value))
            for name, value in product.attributes.items()
            if name not in BOOKKEEPING
        ],
    }


def _json_list(value: str) -> list[Any] | None:
    """`value` read as a JSON list ('["metal", "glass"]'), or None when it is not one."""
    if not value.lstrip().startswith("["):
        return None
    try:
        found = json.loads(value)
    except ValueError:
        return None
    return found if isinstance(found, list) else None


def _attributes(
    names: list[str], values: list[str], before: dict[str, Any]
) -> tuple[dict[str, Any], str | None]:
    """Name/value rows as an attributes object. A value left as the form showed it keeps its
    stored type (a list stays a list, a list edited is split at its commas); anything else
    typed is text. A row with an empty name and
    value is a blank row; a name whose value was emptied is removed (it was saved as
    `{"colour": ""}`: a walk)."""
    out: dict[str, Any] = {}
    for name, value in zip(names, values, strict=False):
        name = name.strip()
        if not value.strip():
            continue
        if not name:
            return out, f"attributes: the value {value.strip()[:40]!r} has no name"
        if name in out:
            return out, f"attributes: {name!r} is given twice"
        if name in BOOKKEEPING:
            return out, f"attributes: {name!r} is kept by Borderless; give the fact another name"
        if name in before and shown(before[name]) == value:
            out[name] = before[name]
        elif (as_json := _json_list(value)) is not None:
            out[name] = as_json  # a list written as JSON, as the form showed lists before
        elif isinstance(before.get(name), list):  # a list edited as "red, black" stays one
            out[name] = listed(value)
        else:
            out[name] = value.strip()
    return out | {k: before[k] for k in BOOKKEEPING if k in before}, None


def _problem(exc: ValidationError) -> dict[str, str | None]:
    """The API's 422 for a request model's error: its first problem, named by field."""
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or None
    said = plain(first)
    message = f"{field}: {said}" if field else said
    return {"field": field, "message": message}


def _show_form(
    request: Request,
    product: Product | None,
    values: dict[str, Any],
    error: dict[str, str | None] | None = None,
) -> HTMLResponse:
    rows = list(values["attributes"]) + [("", "")] * BLANK_ROWS
    languages = sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1])
    return render(
        request,
        "product_form.html",
        {"product": product, "values": values, "rows": rows, "error": error,
         "languages": languages},
        status_code=422 if error else 200,
    )  # fmt: skip


@dataclass
class Posted:
    """What the product form sent: its texts, and the attribute rows as two lists."""

    values: dict[str, Any]
    names: list[str]
    texts: list[str]


Text = Annotated[str, Form()]  # lengths are the one check's business (the body is bounded)


def posted(
    new_sku: Annotated[str, Form(alias="sku")] = "",  # not the edit page's path {sku}
    title: Text = "",
    description: Text = "",
    price: Text = "",
    currency: Text = "",
    stock: Text = "",
    language: Text = "",
    attribute_name: Annotated[list[str] | None, Form()] = None,
    attribute_value: Annotated[list[str] | None, Form()] = None,
) -> Posted:
    values = {"sku": new_sku, "title": title, "description": description, "price": price,
              "currency": currency, "stock": stock, "language": language}  # fmt: skip
    return Posted(values, list(attribute_name or []), list(attribute_value or []))


Form_ = Annotated[Posted, Depends(posted)]


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """Form texts as the API's JSON would carry them: an empty price or stock is null."""
    out = {name: values[name] for name in FIELDS}
    for name in ("price", "stock"):
        out[name] = out[name].strip() or None
    # "1,50" as most markets write it; "1,250" is a thousand or one and a quarter, so it goes
    # to the API's check as typed and is refused (it was saved as 1.25)
    if out["price"] and re.fullmatch(r"\d+,\d{1,2}", out["price"]):
        out["price"] = out["price"].replace(",", ".")
    out["currency"] = out["currency"].strip().upper()
    return out


@router.get("/products/new", response_class=HTMLResponse)
def new_product_form(request: Request) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    return _show_form(request, None, _form_values(None))


@router.post("/products/new", response_class=HTMLResponse)
def new_product(request: Request, db: DB, form: Form_) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    values, names, texts = form.values, form.names, form.texts
    attributes, bad = _attributes(names, texts, {})
    values["attributes"] = list(zip(names, texts, strict=False))
    if bad:
        return _show_form(request, None, values, {"field": "attributes", "message": bad})
    try:
        body = ProductCreate.model_validate(
            _typed(values) | {"sku": values["sku"].strip(), "attributes": attributes}
        )
    except ValidationError as exc:
        return _show_form(request, None, values, _problem(exc))
    try:
        product = create_product(db, Product(**body.model_dump()))
    except BorderlessError as exc:
        return _show_form(request, None, values, {"field": exc.field, "message": exc.message})
    record(request, "product.create", product.sku)
    request.app.state.services.search.changed([product])
    return RedirectResponse(product_path(product.sku, "?saved=created"), status_code=303)


@router.get("/products/{sku:path}/edit", response_class=HTMLResponse)
def edit_product_form(request: Request, db: DB, sku: str) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    product = get_product(db, sku)
    return _show_form(request, product, _form_values(product))


@router.post("/products/{sku:path}/edit", response_class=HTMLResponse)
def edit_product(request: Request, db: DB, sku: str, form: Form_) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    product = get_product(db, sku)
    values, names, texts = form.values, form.names, form.texts
    values["sku"] = product.sku
    attributes, bad = _attributes(names, texts, product.attributes)
    values["attributes"] = list(zip(names, texts, strict=False))
    if bad:
        return _show_form(request, product, values, {"field": "attributes", "message": bad})
    # Only what the seller changed is sent, as a PATCH would send it.
    before = _typed(_form_values(product))
    changes = {k: v for k, v in _typed(values).items() if v != before[k]}
    if attributes != product.attributes:
        changes["attributes"] = attributes
    if not changes:  # the API's "nothing to change: give at least one field" (a walk)
        return _show_form(request, product, values, {"field": None, "message":
                          "nothing changed: the form holds what is stored already"})  # fmt: skip
    try:
        body = ProductUpdate.model_validate(changes)
    except ValidationError as exc:
        return _show_form(request, product, values, _problem(exc))
    fields = body.model_dump(exclude_unset=True)
    try:
        changed = update_product(db, sku, fields)
    except BorderlessError as exc:
        return _show_form(request, product, values, {"field": exc.field, "message": exc.message})
    record(request, "product.update", sku, fields=sorted(fields))
    request.app.state.services.search.changed([changed])
    return RedirectResponse(product_path(sku, "?saved=updated"), status_code=303)
