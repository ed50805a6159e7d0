"""Dashboard: the shop's glossary (brand terms every translation keeps or forces), with CSV
import and export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.catalog.checks import CONTROL
from borderless.capabilities.catalog.csvfiles import write_csv
from borderless.capabilities.localize.protect import GlossaryTerm, read_glossary
from borderless.errors import InvalidInput, NotFound
from borderless.languages import LANGUAGE_NAMES
from borderless.service.routes.deps import DB, acting, record, staff_redirect
from borderless.service.routes.pages import render
from borderless.service.uploads import uploaded_file
from borderless.storage.glossary import remove_term, save_terms, stored_glossary

router = APIRouter(include_in_schema=False)


def _sorted_terms(db: DB) -> list[GlossaryTerm]:
    return sorted(stored_glossary(db).terms, key=lambda t: (t.language, t.source.lower()))


def _page(
    request: Request,
    db: DB,
    error: InvalidInput | None = None,
    done: str = "",
    tried: dict[str, str] | None = None,
) -> HTMLResponse:
    terms = _sorted_terms(db)
    return render(
        request,
        "glossary.html",
        {"terms": terms, "error": error, "done": done, "tried": tried or {},
         "languages": sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1])},
        status_code=422 if error else 200,
    )  # fmt: skip


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(
    request: Request,
    db: DB,
    done: Annotated[str, Query(max_length=16)] = "",
    terms: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    # said from its parts: the notice was the address's own text, so a link could make the
    # page say anything (a walk)
    said = {"saved": "saved", "removed": "removed", "imported": f"imported {terms:,} terms"}
    return _page(request, db, done=said.get(done, ""))


@router.get("/glossary.csv")
def glossary_file(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    rows = [{"source": t.source, "target": t.target, "language": t.language}
            for t in _sorted_terms(db)]  # fmt: skip
    return Response(
        write_csv(("source", "target", "language"), rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="glossary.csv"'},
    )


@router.post("/glossary", response_class=HTMLResponse)
def add_term(
    request: Request,
    db: DB,
    source: Annotated[str, Form()] = "",
    target: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        save_terms(db, [GlossaryTerm(source, target, language)], acting(request))
    except InvalidInput as exc:  # the form keeps what was typed (it was emptied: a walk)
        # what was typed, less what no page should hold (a NUL was written back into the
        # form's value: an attack)
        shown = {"source": source[:200], "target": target[:200], "language": language[:8]}
        return _page(request, db, exc, tried={k: CONTROL.sub("", v) for k, v in shown.items()})
    record(request, "glossary.add", source.strip()[:200], target=target.strip(), language=language)
    return RedirectResponse("/glossary?done=saved", status_code=303)


@router.post("/glossary/remove")
def remove(
    request: Request,
    db: DB,
    source: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        remove_term(db, source, language)
    except NotFound:  # removed meanwhile: the page shows the glossary as it is
        return RedirectResponse("/glossary", status_code=303)
    record(request, "glossary.remove", source.strip()[:200], language=language)
    return RedirectResponse("/glossary?done=removed", status_code=303)


@router.post("/glossary/import", response_class=HTMLResponse)
def import_terms(
    request: Request, db: DB, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        terms = _read_upload(file, request.app.state.settings.max_upload_bytes)
        count = save_terms(db, terms, acting(request))
    except InvalidInput as exc:
        return _page(request, db, exc)
    record(
        request, "glossary.import", file.filename or "glossary.csv" if file else "-", terms=count
    )
    return RedirectResponse(f"/glossary?done=imported&terms={count}", status_code=303)


def _read_upload(file: UploadFile | None, limit: int) -> list[GlossaryTerm]:
    """The uploaded CSV's terms, read as `borderless localize --glossary` reads a file."""
    with uploaded_file(file, "glossary.csv", limit) as path:
        return list(read_glossary(path).terms)
