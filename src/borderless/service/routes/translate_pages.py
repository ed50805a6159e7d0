"""Dashboard: a listing translated side by side, and the review list of flagged segments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.errors import InvalidInput
from borderless.jobs import translate_fields
from borderless.languages import LANGUAGE_NAMES, language_name
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, acting, product_path, record, staff_redirect
from borderless.service.routes.pages import render
from borderless.service.routes.translate import checked_correction, desk
from borderless.storage.catalog import catalog_language, get_product
from borderless.storage.localize import (
    correct_translation,
    product_translations,
    save_product_translations,
)

router = APIRouter(include_in_schema=False)
Language = Annotated[str, Query(pattern=r"^[a-z]{2}$")]


@router.get("/products/{sku:path}/translate", response_class=HTMLResponse)
def side_by_side(request: Request, db: DB, sku: str, language: Language = "de") -> Response:
    return _side_by_side(request, db, sku, language)


def _side_by_side(
    request: Request,
    db: DB,
    sku: str,
    language: str,
    error: tuple[str, str, str] | None = None,
) -> Response:
    """The listing beside its translation; `error`: (field, message, text typed) of a refused
    correction, shown at that field with what was typed."""
    language_name(language, "language")
    product = get_product(db, sku)
    rows, _ = product_translations(db, sku=sku, language=language)
    stored = {r.field: r for r in rows}
    return render(
        request,
        "translate.html",
        {"product": product, "language": language, "stored": stored, "error": error,
         "languages": sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1])},
        status_code=422 if error else 200,
    )  # fmt: skip


@router.post("/products/{sku:path}/translate")
def translate_now(
    request: Request, db: DB, sku: str, language: Annotated[str, Form()] = "de"
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    language_name(language, "language")
    product = get_product(db, sku)
    items = [(sku, f, text) for f, text in (("title", product.title),
             ("description", product.description)) if text.strip()]  # fmt: skip
    chosen = desk(request)
    rows = model_work(request, lambda: translate_fields(chosen, items, product.language, language))
    save_product_translations(db, rows)
    return RedirectResponse(product_path(sku, f"/translate?language={language}"), status_code=303)


@router.post("/products/{sku:path}/translate/{field}")
def correct_form(
    request: Request,
    db: DB,
    sku: str,
    field: str,
    language: Annotated[str, Form()] = "de",
    text: Annotated[str, Form()] = "",
    override: Annotated[bool, Form()] = False,
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    if field not in ("title", "description"):
        raise InvalidInput("field must be title or description", field="field")
    try:
        checked_correction(request, db, sku, language, field, text, override)
        correct_translation(db, sku, language, field, text, actor=acting(request))
    except InvalidInput as exc:  # the page again, the error at the field (was a dead-end page)
        if exc.field != "text":
            raise
        return _side_by_side(request, db, sku, language, (field, exc.message, text))
    record(request, "translation.correct", f"{sku}/{language}/{field}",
           **({"override": "true"} if override else {}))  # fmt: skip
    return RedirectResponse(product_path(sku, f"/translate?language={language}"), status_code=303)


@router.get("/translations", response_class=HTMLResponse)
def review(request: Request, db: DB, language: Language = "de") -> Response:
    language_name(language, "language")
    return render(
        request,
        "translations.html",
        {"language": language,
         "flagged": product_translations(db, language=language, flagged=True)[0],
         # an English catalog was offered a translation into English (a walk)
         "catalog_language": catalog_language(db),
         "languages": sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1])},
    )  # fmt: skip
