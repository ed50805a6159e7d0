"""Dashboard: models. Registered versions per task with promote and rollback, champion/
challenger comparisons, and monitoring over time (requests, p95 latency, quality signals) with
the alerts whose thresholds are crossed."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from borderless.capabilities.lifecycle.monitor import THRESHOLDS, Sample, Threshold, alerts
from borderless.capabilities.lifecycle.plots import curve_chart, line_chart
from borderless.errors import InvalidInput, NotFound
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, acting, record, staff_redirect
from borderless.service.routes.pages import render
from borderless.storage import Database
from borderless.storage.registry import (
    comparisons,
    correction_counts,
    corrections,
    list_versions,
)

router = APIRouter(include_in_schema=False)

LIMITS = {t.signal: t for t in THRESHOLDS}


def _own_limits(versions: list[Any]) -> dict[tuple[str, str], list[Threshold]]:
    """(capability, version) -> the thresholds each intent version keeps from its training."""
    from borderless.capabilities.lifecycle.drift import thresholds

    return thresholds(("support", v.version, v.path) for v in versions if v.task == "intents")


def _charts(
    samples: list[Sample], own: dict[tuple[str, str], list[Threshold]] | None = None
) -> dict[str, list[tuple[str, Markup]]]:
    """capability -> [(caption, svg)]: requests a minute, worst p95, each quality signal
    with its alert line (a line kept with a version: the latest drawn version's)."""
    by_capability: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_capability[s.capability].append(s)
    out: dict[str, list[tuple[str, Markup]]] = {}
    for capability, group in sorted(by_capability.items()):
        requests: dict[str, dict[datetime, float]] = defaultdict(lambda: defaultdict(float))
        p95: dict[str, dict[datetime, float]] = defaultdict(dict)
        signals: dict[str, dict[str, dict[datetime, list[float]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
        )
        for s in group:
            requests[s.version][s.minute] += s.requests
            if s.p95_ms is not None:
                p95[s.version][s.minute] = max(p95[s.version].get(s.minute, 0.0), s.p95_ms)
            for name, v in s.signals.items():
                pair = signals[name][s.version][s.minute]
                pair[0] += v["mean"] * v["n"]
                pair[1] += v["n"]
        charts = [
            ("Requests a minute", line_chart(f"{capability}: requests a minute",
                                             {v: list(m.items()) for v, m in requests.items()})),
            ("Latency p95 (ms)", line_chart(f"{capability}: p95 latency",
                                            {v: list(m.items()) for v, m in p95.items()},
                                            unit=" ms")),
        ]  # fmt: skip
        for name, versions in sorted(signals.items()):
            series = {
                v: [(t, s / n) for t, (s, n) in minutes.items() if n]
                for v, minutes in versions.items()
            }
            caption = name.replace("_", " ").capitalize()
            mine = (t for v in sorted(versions, reverse=True)
                    for t in (own or {}).get((capability, v), ()) if t.signal == name)  # fmt: skip
            limit = LIMITS.get(name) or next(mine, None)
            if limit is None:
                svg = line_chart(f"{capability}: {name}", series)
            else:
                svg = line_chart(f"{capability}: {name}", series, limit.limit, above=limit.above)
                way = "above" if limit.above else "below"
                caption += f" (alert {way} {limit.limit:.4g})"
            charts.append((caption, svg))
        out[capability] = [(caption, Markup(svg)) for caption, svg in charts if svg]
    return out


def _operating_points(versions: list[Any]) -> dict[str, dict[str, Any]]:
    """task -> the active version's chosen operating point and its trade-off curve (SVG)."""
    import json
    from pathlib import Path

    found = {}
    for v in versions:
        card = Path(v.path) / "model.json"
        if not v.active or not card.is_file():
            continue
        try:
            point = json.loads(card.read_text(encoding="utf-8")).get("operating_point")
        except (OSError, ValueError):
            continue  # a broken card is reported where the model loads, not here
        if point:
            svg = curve_chart(point["curve"], point["chosen"]["threshold"])
            found[v.task] = point | {"svg": Markup(svg)}
    return found


# Held-out metrics as the Models page writes them: (label, how the value reads). The page showed
# the registry's keys ("with_brand 0.0013", "backtest_wape_last_window 80.616") to sellers.
_SHARE, _COUNT, _PERCENT, _PLAIN = "share", "count", "percent", "plain"
METRICS: dict[str, tuple[str, str]] = {
    "accuracy": ("accuracy", _SHARE),
    "cv_accuracy": ("accuracy (cross-validated)", _SHARE),
    "cv_folds": ("folds", _COUNT),
    "validation_in_scope_accuracy": ("in-scope accuracy (validation)", _SHARE),
    "validation_oos_recall": ("out-of-scope recall (validation)", _SHARE),
    "oos_threshold": ("out-of-scope threshold", _PLAIN),
    "held_out": ("held-out examples", _COUNT),
    "examples": ("examples", _COUNT),
    "labels": ("labels", _COUNT),
    "images": ("images", _COUNT),
    "backtest_wape_last_window": ("error in the last weeks (WAPE)", _PERCENT),
    "series_scored": ("series scored", _COUNT),
    "points_scored": ("points scored", _COUNT),
    "recall@10": ("held-out purchases among the top 10 (recall@10)", _SHARE),
    "ndcg@10": ("ranking quality (NDCG@10, 0 to 1)", _PLAIN),
    "popularity_recall@10": ("the same for best sellers alone", _SHARE),
    "customers_tested": ("customers tested", _COUNT),
    "inner_auprc": ("AUPRC (inner folds)", _PLAIN),
    "auprc": ("AUPRC", _PLAIN),
    "auroc": ("AUROC", _PLAIN),
    "validation_review_rate": ("orders sent to review (validation)", _SHARE),
    "validation_caught": ("fraud caught (validation)", _SHARE),
    "validation_false_blocks": ("good orders blocked (validation)", _SHARE),
    "labelled_queries": ("labelled queries", _COUNT),
    "products": ("products", _COUNT),
    "suggested": ("suggested", _COUNT),
    "brands_learnt": ("brands learnt", _COUNT),
    "types_learnt": ("product types learnt", _COUNT),
    "seller_confirmed": ("confirmed by the seller", _COUNT),
    "seller_rejected": ("rejected by the seller", _COUNT),
    "seller_set": ("set by the seller", _COUNT),
}


def metric_text(key: str, value: float) -> str:
    """One held-out metric in words: "colour found in 38.5% of products", "accuracy 96.6%",
    "error in the last weeks (WAPE) 80.6%"; a key the table lacks reads with spaces."""
    if key.startswith("with_"):
        return f"{key[5:]} found in {100 * value:.1f}% of products"
    label, kind = METRICS.get(key, (key.replace("_", " "), _PLAIN))
    if kind == _SHARE and 0 <= value <= 1:
        return f"{label} {100 * value:.1f}%"
    if kind == _PERCENT:
        return f"{label} {value:.1f}%"
    if kind == _COUNT and float(value).is_integer():
        return f"{label} {int(value):,}"
    return f"{label} {value:g}"


def _page(
    request: Request, db: Database, hours: float, error: str | None = None, status: int = 200
) -> Response:
    from borderless.service.metrics import flush
    from borderless.storage.monitoring import load_samples

    services = request.app.state.services
    flush(services, everything=True)
    samples = load_samples(db, datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=hours))
    versions = list_versions(db)
    own = _own_limits(versions)
    tasks: dict[str, list[Any]] = defaultdict(list)
    for v in versions:
        tasks[v.task].append(v)
    context = {
        "operating": _operating_points(versions),
        "tasks": dict(sorted(tasks.items())),
        "comparisons": comparisons(db, limit=20),
        "corrections": correction_counts(db),
        "alerts": alerts(samples, per_version=own),
        "charts": _charts(samples, own),
        "loaded": services.loaded_versions(),
        # tasks that can be promoted and rolled back; the others are recorded only
        "promotable": set(services.lifecycle.tasks),
        "model_errors": services.model_errors,
        "hours": hours,
        "error": error,
        "metric_text": metric_text,
    }
    return render(request, "models.html", context, status_code=status)


@router.get("/models", response_class=HTMLResponse)
def models_page(
    request: Request,
    db: DB,
    hours: Annotated[float, Query(gt=0, le=24 * 31, allow_inf_nan=False)] = 24.0,
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return _page(request, db, hours)


@router.get("/models/{task}/corrections.csv")
def corrections_csv(request: Request, db: DB, task: str) -> Response:
    """A task's staff corrections as a CSV file: the labelled dataset `retrain` adds."""
    import csv
    import io

    from borderless.capabilities.catalog.csvfiles import guarded

    if (redirect := staff_redirect(request)) is not None:
        return redirect
    found = corrections(db, task[:64])
    if not found:
        raise NotFound(f"no staff corrections for task {task[:64]!r}", field="task")
    out = io.StringIO()
    columns = ["id", "created_at", "source", "input", "label", "predicted", "subject",
               "model_version", "actor"]  # fmt: skip
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    for c in found:
        writer.writerow({k: guarded(v) for k, v in c.public().items()})
    name = "".join(ch for ch in task if ch.isalnum() or ch in "-_")[:64] or "task"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-corrections.csv"'},
    )


def _act(request: Request, db: Database, action: str, task: str, version: str | None) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    lifecycle = request.app.state.services.lifecycle
    try:
        if version is None:
            found = model_work(request, lambda: lifecycle.rollback(task))
        else:
            found = model_work(request, lambda: lifecycle.promote(task, version))
    except (InvalidInput, NotFound) as exc:  # the active version keeps serving
        return _page(request, db, 24.0, error=exc.message, status=422)
    record(request, f"models.{action}", f"{task}/{found.version}")
    return RedirectResponse(f"/models#task-{task}", status_code=303)


@router.post("/models/{task}/{version}/promote")
def promote(request: Request, db: DB, task: str, version: str) -> Response:
    return _act(request, db, "promote", task, version)


@router.post("/models/{task}/rollback")
def rollback(request: Request, db: DB, task: str) -> Response:
    return _act(request, db, "rollback", task, None)


@router.post("/support/conversations/{conversation_id}/relabel")
def relabel(
    request: Request,
    db: DB,
    conversation_id: str,
    seq: Annotated[int, Form(ge=1)],
    label: Annotated[str, Form(min_length=1, max_length=64)],
) -> Response:
    """Staff say which intent a customer's message really had: a labelled example for the next
    `borderless retrain intents`."""
    from borderless.storage.registry import add_correction
    from borderless.storage.support import get_conversation

    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    messages = {m.seq: m for m in get_conversation(db, conversation_id).messages}
    message = messages.get(seq)
    if message is None or message.role != "customer":
        raise NotFound(f"conversation {conversation_id} has no customer message {seq}", field="seq")
    label = request.app.state.services.lifecycle.check_label("intents", label)
    answer = messages.get(seq + 1)
    add_correction(
        db, "intents", message.text, label, source="support.relabel",
        subject=f"{conversation_id}:{seq}", predicted=answer.intent if answer else None,
        model_version=request.app.state.services.loaded_versions().get("intents"),
        actor=acting(request),
    )  # fmt: skip
    record(request, "support.relabel", conversation_id, seq=seq, label=label)
    return RedirectResponse(f"/support/conversations/{conversation_id}#relabel", status_code=303)
