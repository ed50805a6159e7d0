"""Dashboard: background jobs with their progress, started and cancelled from the page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.copywrite import KINDS
from borderless.errors import Conflict, InvalidInput
from borderless.languages import LANGUAGE_NAMES
from borderless.service.routes.deps import DB, record, staff_redirect
from borderless.service.routes.jobs import start_job
from borderless.service.routes.pages import render
from borderless.storage.catalog import catalog_language
from borderless.storage.jobs import WHOLE_SHOP, cancel_job, list_jobs

router = APIRouter(include_in_schema=False)
SHOWN = 50
# The kinds the page starts from a form of their own, with the form's fields each passes on
# ("copy_kind" as the job's "kind"); the reviews job is a button at the top and takes none.
# check_parameters refuses any other field and checks these.
FORMS = {"translate": ("language",), "copy": ("language", "copy_kind"), "forecast": ("horizon",)}


def _page(
    request: Request,
    db: DB,
    error: InvalidInput | Conflict | None = None,
    sent: dict[str, str] | None = None,
) -> HTMLResponse:
    """The Jobs page; after a refused start, `sent` (the form's fields) puts the error beside
    the form that sent it and keeps what was typed there."""
    jobs, total = list_jobs(db, limit=SHOWN)
    kind = (sent or {}).get("kind", "")
    error_at = kind if kind in FORMS else "top"
    return render(
        request,
        "jobs.html",
        {"jobs": jobs, "total": total, "running": any(j.active for j in jobs), "error": error,
         "sent": sent or {}, "whole_shop": WHOLE_SHOP, "error_at": error_at,
         "languages": sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1]), "kinds": list(KINDS),
         "catalog_language": catalog_language(db),
         "language_names": LANGUAGE_NAMES},
        status_code=409 if isinstance(error, Conflict) else 422 if error else 200,
    )  # fmt: skip


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return _page(request, db)


@router.post("/jobs", response_class=HTMLResponse)
def start_form(
    request: Request,
    db: DB,
    kind: Annotated[str, Form()] = "translate",
    language: Annotated[str, Form()] = "",
    copy_kind: Annotated[str, Form()] = "description",
    horizon: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    typed = {"language": language, "copy_kind": copy_kind, "horizon": horizon}
    parameters = {name.removeprefix("copy_"): typed[name] for name in FORMS.get(kind, ())}
    try:
        job = start_job(request, kind, parameters)
    except (InvalidInput, Conflict) as exc:  # a 409: the same work is queued or running
        return _page(request, db, exc, {"kind": kind, **typed})
    return RedirectResponse(f"/jobs#job-{job.id}", status_code=303)


@router.post("/jobs/{job_id}/cancel")
def cancel_form(
    request: Request, db: DB, job_id: Annotated[int, Path(ge=1, le=2_147_483_647)]
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        cancel_job(db, job_id)
        record(request, "job.cancel", str(job_id))
    except Conflict:  # it ended meanwhile: the page shows how
        pass
    return RedirectResponse(f"/jobs#job-{job_id}", status_code=303)
