"""Model lifecycle API: registered versions, promotion and rollback, comparisons, monitoring
(JSON and Prometheus's /metrics) and the liveness and readiness probes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from borderless._version import __version__
from borderless.capabilities.lifecycle.drift import thresholds
from borderless.capabilities.lifecycle.monitor import alerts, combine
from borderless.errors import InvalidInput, NotFound
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess, record
from borderless.service.schemas.registry import (
    ComparisonPage,
    ComparisonPublic,
    CorrectionCreate,
    CorrectionPage,
    CorrectionPublic,
    ModelVersionPage,
    ModelVersionPublic,
    MonitoringPage,
    MonitoringPublic,
)
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.registry import comparisons, get_version, list_versions

router = APIRouter(tags=["models"])
staff = APIRouter(prefix="/v1", tags=["models"], dependencies=[StaffAccess])


def _public(found: Any) -> ModelVersionPublic:
    return ModelVersionPublic(**found.public())


def _filter_task(request: Request, task: str | None) -> None:
    """A task filter names a task whose versions are recorded: "nope" answered an empty list
    (an attack); 422 naming the tasks."""
    if task is not None:
        try:
            request.app.state.services.lifecycle.check_task(task)
        except NotFound as exc:
            raise InvalidInput(exc.message, field="task") from exc


@staff.get("/models")
def versions(
    request: Request,
    db: DB,
    task: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ModelVersionPage:
    """Registered model versions, newest first per task; `active` marks the one serving."""
    _filter_task(request, task)
    found = list_versions(db, task)
    page = [_public(v) for v in found[offset : offset + limit]]
    return ModelVersionPage(data=page, count=len(found), limit=limit, offset=offset)


@staff.get("/models/{task}/corrections")
def task_corrections(
    request: Request, db: DB, task: Annotated[str, Path(max_length=32)]
) -> CorrectionPage:
    """Staff corrections of a task as labelled examples (what `borderless retrain` adds)."""
    from borderless.storage.registry import corrections

    request.app.state.services.check_corrected(task)  # "nope" listed none, as if none were kept
    found = [CorrectionPublic(**c.public()) for c in corrections(db, task)]
    return CorrectionPage(data=found, count=len(found), limit=len(found))


@staff.post("/models/{task}/corrections", status_code=201, dependencies=[WriteAccess])
def add_task_correction(
    request: Request, db: DB, task: str, body: CorrectionCreate
) -> CorrectionPublic:
    """A labelled example from a staff correction; the same subject again replaces it."""
    from borderless.service.routes.deps import acting
    from borderless.storage.registry import add_correction

    if len(task) > 32:
        raise InvalidInput("a task name has at most 32 characters", field="task")
    # only a task that retrains learns from corrections: one for "nope" would be kept forever
    # and used by nothing (404 names the tasks that do); its label is one the model can learn
    lifecycle = request.app.state.services.lifecycle
    label = lifecycle.check_label(task, body.label)
    text = lifecycle.check_input(task, body.text)
    predicted = None
    if body.predicted is not None:  # a label too: "\t\n" and "NaN" were stored (an attack)
        try:
            predicted = lifecycle.check_label(task, body.predicted)
        except InvalidInput as exc:
            raise InvalidInput(f"predicted: {exc.message}", field="predicted") from exc
    if task == "risk":  # a decision on an order the shop lacks was kept forever (an attack)
        from borderless.storage.risk import check_sale

        check_sale(db, body.text.strip(), "corrected", field="text")
    found = add_correction(
        db, task, text, label, source=body.source, subject=body.subject,
        predicted=predicted, actor=acting(request),
        model_version=request.app.state.services.loaded_versions().get(task),
    )  # fmt: skip
    return CorrectionPublic(**found.public())


@staff.get("/models/{task}/{version}")
def version(
    request: Request,
    db: DB,
    task: Annotated[str, Path(max_length=32)],
    version: Annotated[str, Path(max_length=64)],
) -> ModelVersionPublic:
    """One version: parameters, training data, held-out metrics, size, training time."""
    request.app.state.services.lifecycle.check_task(task)  # "nope" was said of the version
    return _public(get_version(db, task, version))


@staff.post("/models/{task}/{version}/promote", dependencies=[WriteAccess])
def promote(request: Request, task: str, version: str) -> ModelVersionPublic:
    """Make a version the active one; it is loaded first, a broken one is refused (422)."""
    services = request.app.state.services
    found = model_work(request, lambda: services.lifecycle.promote(task, version))
    record(request, "models.promote", f"{task}/{version}")
    return _public(found)


@staff.post("/models/{task}/rollback", dependencies=[WriteAccess])
def rollback(request: Request, task: str) -> ModelVersionPublic:
    """Back to the version the active one replaced."""
    services = request.app.state.services
    found = model_work(request, lambda: services.lifecycle.rollback(task))
    record(request, "models.rollback", f"{task}/{found.version}")
    return _public(found)


@staff.get("/models/comparisons")
def model_comparisons(
    request: Request, db: DB, task: Annotated[str | None, Query(max_length=32)] = None
) -> ComparisonPage:
    """Champion/challenger comparisons, newest first."""
    _filter_task(request, task)
    found = [ComparisonPublic(**c.public()) for c in comparisons(db, task)]
    return ComparisonPage(data=found, count=len(found), limit=len(found))


@staff.get("/monitoring")
def monitoring(
    request: Request,
    db: DB,
    hours: Annotated[float, Query(gt=0, le=24 * 31, allow_inf_nan=False)] = 24.0,
) -> MonitoringPage:
    """Per capability and model version over the last `hours`: requests, errors, worst p95,
    quality signals, and the alerts whose thresholds they cross."""
    from borderless.service.metrics import flush
    from borderless.storage.monitoring import load_samples

    flush(request.app.state.services, everything=True)
    since = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=hours)
    samples = load_samples(db, since)
    own = thresholds(("support", v.version, v.path) for v in list_versions(db, "intents"))
    groups: dict[tuple[str, str], list[Any]] = {}
    for s in samples:
        groups.setdefault((s.capability, s.version), []).append(s)
    data = [
        MonitoringPublic(capability=c, version=v, **combine(group))
        for (c, v), group in sorted(groups.items())
    ]
    return MonitoringPage.model_validate({"data": data, "count": len(data), "limit": len(data),
        "alerts": [a.as_dict() for a in alerts(samples, per_version=own)],
        "hours": hours})  # fmt: skip


@router.get("/metrics", dependencies=[StaffAccess], response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus text format: requests, latency histograms, quality signals, loaded versions
    (scrape with the staff key as a bearer token)."""
    from prometheus_client import CONTENT_TYPE_LATEST

    from borderless.service.metrics import prometheus_text

    body = prometheus_text(request.app.state.services)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@router.get("/health/live")
def live() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok", "version": __version__}


@router.get("/health/ready")
def ready(request: Request, db: DB) -> JSONResponse:
    """Readiness: the database answers; which model versions this worker serves, and any
    promoted version that failed to load (the previous one keeps serving)."""
    services = request.app.state.services
    with db.engine.connect():
        pass
    body = {
        "status": "ok",
        "version": __version__,
        "models": services.loaded_versions(),
        "model_errors": dict(services.model_errors),
        "services": services.built(),
    }
    return JSONResponse(body)


router.include_router(staff)
