"""`borderless registry` (list, show, promote, rollback, challenge, comparisons, corrections)
and `borderless retrain TASK`: the model lifecycle from the command line (docs/lifecycle.md)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from borderless.cli.options import Margin

registry_app = typer.Typer(
    help="Model versions, the active one per task, comparisons and corrections.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Task = Annotated[str, typer.Argument(help="A model task, e.g. intents.")]
Version = Annotated[str, typer.Argument(help="A registered version of the task.")]


def _metrics(metrics: dict[str, object]) -> str:
    shown = [f"{k}={v}" for k, v in metrics.items() if isinstance(v, int | float)]
    return " ".join(shown[:5])


@registry_app.command("list")
def list_versions(
    ctx: typer.Context,
    task: Annotated[str | None, typer.Option(help="Only this task.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Every registered model version; * marks the active one of each task."""
    from borderless.cli.common import database_from
    from borderless.storage.registry import list_versions as versions

    if task is not None:
        _check_task(ctx, task)
    found = versions(database_from(ctx), task)
    if as_json:
        typer.echo(json.dumps({"models": [v.public() for v in found]}, ensure_ascii=False))
        return
    if not found:
        what = f"versions of {task}" if task else "models"
        typer.echo(f"no registered {what} yet (training commands record them)")
    for v in found:
        mark = "*" if v.active else " "
        typer.echo(f"{mark} {v.task:<10} {v.version:<24} {v.created_at:%Y-%m-%d %H:%M}  "
                   f"{_metrics(v.metrics)}")  # fmt: skip


def _check_task(ctx: typer.Context, task: str) -> None:
    """NotFound naming the tasks whose versions are recorded, for one that is none ("nope"
    and a typo had printed nothing, or "no registered models yet")."""
    from borderless.cli.common import services_from

    services_from(ctx).lifecycle.check_task(task)


@registry_app.command("show")
def show(ctx: typer.Context, task: Task, version: Version) -> None:
    """One version as JSON: parameters, data, metrics, size, training time, who made it."""
    from borderless.cli.common import database_from
    from borderless.storage.registry import get_version

    found = get_version(database_from(ctx), task, version)
    typer.echo(json.dumps(found.public(), indent=2, ensure_ascii=False))


@registry_app.command("promote")
def promote(ctx: typer.Context, task: Task, version: Version) -> None:
    """Make a version the active one (it is loaded first: a broken one is refused)."""
    from borderless.cli.common import services_from

    record = services_from(ctx).lifecycle.promote(task, version)
    typer.echo(f"{task} {record.version} is now active")


@registry_app.command("rollback")
def rollback(ctx: typer.Context, task: Task) -> None:
    """Back to the version the active one replaced."""
    from borderless.cli.common import services_from

    record = services_from(ctx).lifecycle.rollback(task)
    typer.echo(f"{task} rolled back to {record.version}")


@registry_app.command("challenge")
def challenge(
    ctx: typer.Context,
    task: Task,
    version: Version,
    holdout: Annotated[Path, typer.Option(help="Labelled held-out file both are scored on.")],
    margin: Margin = 0.0,
    as_json: JsonFlag = False,
) -> None:
    """Score a version and the active one on the same held-out file; promote if better."""
    from borderless.cli.common import services_from

    found = services_from(ctx).lifecycle.challenge(task, version, holdout, margin)
    if as_json:
        typer.echo(json.dumps(found.__dict__ | {"decision": found.decision}))
    else:
        typer.echo(f"{found.decision}: {found.reason}")


@registry_app.command("comparisons")
def comparisons(ctx: typer.Context, task: Task, as_json: JsonFlag = False) -> None:
    """Stored champion/challenger comparisons of a task, newest first."""
    from borderless.cli.common import database_from
    from borderless.storage.registry import comparisons as stored

    _check_task(ctx, task)
    found = stored(database_from(ctx), task)
    if as_json:
        typer.echo(json.dumps({"comparisons": [c.public() for c in found]}, ensure_ascii=False))
        return
    for c in found:
        typer.echo(f"{c.created_at:%Y-%m-%d %H:%M} {c.challenger} vs {c.champion or '-'}: "
                   f"{c.decision} ({c.detail.get('reason', '')})")  # fmt: skip


@registry_app.command("corrections")
def corrections(
    ctx: typer.Context,
    task: Task,
    out: Annotated[
        Path | None, typer.Option(help="Write text,label CSV here (default: stdout).")
    ] = None,
) -> None:
    """Staff corrections of a task as labelled examples (CSV text,label,source,subject)."""
    from borderless.capabilities.catalog.csvfiles import guarded
    from borderless.cli.common import database_from, services_from, write_output
    from borderless.storage.registry import corrections as stored

    services_from(ctx).check_corrected(task)  # "nosuchtask" printed an empty CSV (an attack)
    rows = stored(database_from(ctx), task)
    handle = io.StringIO()
    writer = csv.writer(handle)
    writer.writerow(["text", "label", "predicted", "source", "subject", "created_at"])
    for c in rows:
        # a customer's message may start "=HYPERLINK(...)": guarded as the dashboard's file is
        writer.writerow([guarded(v) for v in (c.input, c.label, c.predicted or "", c.source,
                                              c.subject, c.created_at.isoformat())])  # fmt: skip
    if out is None:
        sys.stdout.write(handle.getvalue())
    else:
        write_output(out, handle.getvalue(), "out")
        typer.echo(f"{len(rows)} corrections written to {out}", err=True)


def retrain(
    ctx: typer.Context,
    task: Task,
    holdout: Annotated[
        Path | None,
        typer.Option(
            help="Labelled held-out file: compare with the active version and "
            "promote if better (without it the challenger is only registered)."
        ),
    ] = None,
    margin: Margin = 0.0,
    base: Annotated[
        Path | None, typer.Option(help="Base data (default: the active version's file).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """A challenger from the base data plus every staff correction of TASK, then the
    champion/challenger comparison."""
    from borderless.cli.common import services_from

    outcome = services_from(ctx).lifecycle.retrain(task, holdout, margin, "cli: retrain", base)
    summary: dict[str, object] = {
        "task": task,
        "version": outcome.version.version,
        "active": outcome.active,
        "metrics": outcome.version.metrics,
        "corrections": outcome.version.parameters.get("corrections", 0),
    }
    if outcome.comparison is not None:
        summary["comparison"] = outcome.comparison.reason
    for warning in outcome.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        typer.echo("\n".join(f"{k}: {v}" for k, v in summary.items()))
