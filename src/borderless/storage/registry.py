"""The model registry in the shop database: versions, the active one per task, comparisons and
staff corrections (labelled examples per task).

Exactly one version per task is active: `model_tasks` holds it in one row per task, and its
`generation` grows on every change, which is what a running service checks to reload."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from borderless.capabilities.lifecycle.champion import Comparison
from borderless.capabilities.lifecycle.data import folder_size
from borderless.capabilities.lifecycle.loop import Trained
from borderless.errors import InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = [
    "Correction",
    "ModelVersion",
    "ShopRegistry",
    "StoredComparison",
    "active_versions",
    "add_correction",
    "comparisons",
    "corrections",
    "get_version",
    "list_versions",
    "promote",
    "record_comparison",
    "record_version",
    "rollback",
    "write_correction",
]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class ModelVersion:
    task: str
    version: str
    path: str
    parameters: dict[str, Any]
    data: dict[str, Any]
    metrics: dict[str, Any]
    size_bytes: int
    train_seconds: float
    created_by: str
    created_at: datetime
    replaced: str | None
    promoted_at: datetime | None
    active: bool

    def public(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["created_at"] = self.created_at.isoformat() + "Z"
        out["promoted_at"] = self.promoted_at.isoformat() + "Z" if self.promoted_at else None
        out["files_present"] = Path(self.path).exists()
        return out


@dataclass(frozen=True)
class StoredComparison:
    id: int
    task: str
    champion: str | None
    challenger: str
    metric: str
    champion_score: float | None
    challenger_score: float | None
    margin: float
    decision: str
    detail: dict[str, Any]
    created_at: datetime

    def public(self) -> dict[str, Any]:
        return dict(self.__dict__) | {"created_at": self.created_at.isoformat() + "Z"}


@dataclass(frozen=True)
class Correction:
    id: int
    task: str
    input: str
    label: str
    predicted: str | None
    source: str
    subject: str
    model_version: str | None
    actor: str
    created_at: datetime

    def public(self) -> dict[str, Any]:
        return dict(self.__dict__) | {"created_at": self.created_at.isoformat() + "Z"}


def _version(row: Any, active: str | None) -> ModelVersion:
    return ModelVersion(
        row.task, row.version, row.path, dict(row.parameters), dict(row.data), dict(row.metrics),
        int(row.size_bytes), float(row.train_seconds), row.created_by, row.created_at,
        row.replaced, row.promoted_at, row.version == active,
    )  # fmt: skip


def _active(conn: Connection, task: str) -> str | None:
    found = conn.execute(
        select(t.model_tasks.c.active_version).where(t.model_tasks.c.task == task)
    ).scalar()
    return str(found) if found is not None else None


def _set_active(conn: Connection, task: str, version: str, now: datetime) -> None:
    rows = conn.execute(
        update(t.model_tasks)
        .where(t.model_tasks.c.task == task)
        .values(active_version=version, generation=t.model_tasks.c.generation + 1, updated_at=now)
    ).rowcount
    if not rows:
        conn.execute(
            insert(t.model_tasks).values(
                task=task, active_version=version, generation=1, updated_at=now
            )
        )


def record_version(
    db: Database,
    task: str,
    version: str,
    path: Path,
    *,
    metrics: Mapping[str, Any],
    parameters: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    size_bytes: int = 0,
    train_seconds: float = 0.0,
    created_by: str = "cli",
    activate: bool = False,
) -> ModelVersion:
    """Store a trained version (activated when asked, or when the task has none yet)."""
    if not task or len(task) > 32:
        raise InvalidInput("a task name has 1 to 32 characters", field="task")
    if not metrics:
        raise InvalidInput("a version needs at least one held-out metric", field="metrics")
    now = _now()
    with db.engine.begin() as conn:
        taken = conn.execute(
            select(t.model_versions.c.version).where(
                t.model_versions.c.task == task, t.model_versions.c.version == version
            )
        ).first()
        if taken:
            raise InvalidInput(f"{task} version {version!r} is already registered", field="version")
        active = _active(conn, task)
        make_active = activate or active is None
        conn.execute(
            insert(t.model_versions).values(
                task=task, version=version, path=str(path), parameters=dict(parameters or {}),
                data=dict(data or {}), metrics=dict(metrics), size_bytes=size_bytes,
                train_seconds=train_seconds, created_by=created_by[:200], created_at=now,
                replaced=active if make_active else None,
                promoted_at=now if make_active else None,
            )
        )  # fmt: skip
        if make_active:
            _set_active(conn, task, version, now)
    return get_version(db, task, version)


def list_versions(db: Database, task: str | None = None) -> list[ModelVersion]:
    """Every version (of `task`), newest first within each task."""
    query = select(t.model_versions)
    if task is not None:
        query = query.where(t.model_versions.c.task == task)
    query = query.order_by(t.model_versions.c.task, t.model_versions.c.created_at.desc(),
                           t.model_versions.c.version.desc())  # fmt: skip
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
        active = {
            r.task: r.active_version
            for r in conn.execute(select(t.model_tasks.c.task, t.model_tasks.c.active_version))
        }
    return [_version(r, active.get(r.task)) for r in rows]


def get_version(db: Database, task: str, version: str) -> ModelVersion:
    """One version; NotFound names the task it belongs to when it is another one's."""
    with db.engine.connect() as conn:
        row = conn.execute(
            select(t.model_versions).where(
                t.model_versions.c.task == task, t.model_versions.c.version == version
            )
        ).first()
        if row is None:
            other = conn.execute(
                select(t.model_versions.c.task).where(t.model_versions.c.version == version)
            ).scalar()
            if other is not None:
                raise NotFound(
                    f"version {version!r} belongs to task {other!r}, not {task!r}",
                    field="version",
                )
            known = conn.execute(
                select(func.count()).where(t.model_versions.c.task == task)
            ).scalar()
            raise NotFound(
                f"no {task} version {version!r}"
                + ("" if known else f" (task {task!r} has no versions)"),
                field="version",
            )
        return _version(row, _active(conn, task))


def active_versions(db: Database) -> dict[str, tuple[str, int]]:
    """task -> (active version, generation): one small read, what the service polls."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.model_tasks.c.task, t.model_tasks.c.active_version, t.model_tasks.c.generation)
        ).all()
    return {r.task: (r.active_version, int(r.generation)) for r in rows}


def promote(
    db: Database,
    task: str,
    version: str,
    check: Callable[[Path], object] | None = None,
    *,
    undo: bool = False,
) -> ModelVersion:
    """Make `version` the active one. Its files must be there and pass `check` (a load of the
    model) first: a broken version is refused and the active one stays."""
    found = get_version(db, task, version)
    folder = Path(found.path)
    if not folder.exists():
        raise InvalidInput(
            f"{task} version {version}: its files are gone ({folder}); the active version stays",
            field="version",
        )
    if check is not None:
        check(folder)  # raises InvalidInput for a corrupted model folder
    now = _now()
    with db.engine.begin() as conn:
        active = _active(conn, task)
        if active == version:
            return found
        values: dict[str, Any] = {"promoted_at": now}
        if not undo:
            values["replaced"] = active
        conn.execute(
            update(t.model_versions)
            .where(t.model_versions.c.task == task, t.model_versions.c.version == version)
            .values(**values)
        )
        _set_active(conn, task, version, now)
    return get_version(db, task, version)


def rollback(
    db: Database, task: str, check: Callable[[Path], object] | None = None
) -> ModelVersion:
    """Back to the version the active one replaced."""
    with db.engine.connect() as conn:
        active = _active(conn, task)
    if active is None:
        raise NotFound(f"task {task!r} has no active version", field="task")
    previous = get_version(db, task, active).replaced
    if previous is None:
        raise InvalidInput(
            f"{task} version {active} replaced nothing: there is nothing to roll back to",
            field="task",
        )
    return promote(db, task, previous, check, undo=True)


def record_comparison(
    db: Database, task: str, comparison: Comparison, detail: Mapping[str, Any] | None = None
) -> StoredComparison:
    with db.engine.begin() as conn:
        new_id = conn.execute(
            insert(t.model_comparisons).values(
                task=task, champion=comparison.champion, challenger=comparison.challenger,
                metric=comparison.metric, champion_score=comparison.champion_score,
                challenger_score=comparison.challenger_score, margin=comparison.margin,
                decision=comparison.decision,
                detail={"reason": comparison.reason} | dict(detail or {}), created_at=_now(),
            )
        ).inserted_primary_key  # fmt: skip
    found = [c for c in comparisons(db, task) if new_id is not None and c.id == new_id[0]]
    return found[0]


def comparisons(db: Database, task: str | None = None, limit: int = 50) -> list[StoredComparison]:
    query = select(t.model_comparisons).order_by(t.model_comparisons.c.id.desc()).limit(limit)
    if task is not None:
        query = query.where(t.model_comparisons.c.task == task)
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        StoredComparison(
            r.id,
            r.task,
            r.champion,
            r.challenger,
            r.metric,
            r.champion_score,
            r.challenger_score,
            float(r.margin),
            r.decision,
            dict(r.detail),
            r.created_at,
        )
        for r in rows
    ]


def add_correction(
    db: Database,
    task: str,
    text: str,
    label: str,
    *,
    source: str,
    subject: str,
    predicted: str | None = None,
    model_version: str | None = None,
    actor: str = "staff",
) -> Correction:
    """A staff correction as a labelled example; the same subject corrected again replaces it."""
    with db.engine.begin() as conn:
        write_correction(conn, task, text, label, source=source, subject=subject,
                         predicted=predicted, model_version=model_version, actor=actor)  # fmt: skip
    return next(
        c for c in corrections(db, task) if c.source == source and c.subject == subject[:200]
    )


def write_correction(
    conn: Connection,
    task: str,
    text: str,
    label: str,
    *,
    source: str,
    subject: str,
    predicted: str | None = None,
    model_version: str | None = None,
    actor: str = "staff",
) -> None:
    """`add_correction` inside the caller's transaction, so an edit and its labelled example
    are written together or not at all."""
    text, label = text.strip(), label.strip()
    if not text:
        raise InvalidInput("the corrected text is empty", field="text")
    if not label:
        raise InvalidInput("the correction needs a label", field="label")
    subject = subject[:200]
    key = (
        (t.model_feedback.c.task == task)
        & (t.model_feedback.c.source == source)
        & (t.model_feedback.c.subject == subject)
    )
    values = {"input": text, "label": label, "predicted": predicted,
              "model_version": model_version and model_version[:64], "actor": actor[:64],
              "created_at": _now()}  # fmt: skip
    if not conn.execute(update(t.model_feedback).where(key).values(**values)).rowcount:
        conn.execute(
            insert(t.model_feedback).values(task=task, source=source, subject=subject, **values)
        )


def corrections(db: Database, task: str) -> list[Correction]:
    """The task's labelled corrections, oldest first."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.model_feedback)
            .where(t.model_feedback.c.task == task)
            .order_by(t.model_feedback.c.id)
        ).all()
    return [
        Correction(
            r.id,
            r.task,
            r.input,
            r.label,
            r.predicted,
            r.source,
            r.subject,
            r.model_version,
            r.actor,
            r.created_at,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CorrectionCount:
    task: str
    examples: int
    latest: datetime
    sources: tuple[str, ...]  # the kinds of edit they came from (relabel, click, copy_edit, ...)


def correction_counts(db: Database) -> list[CorrectionCount]:
    """Per task: how many labelled corrections the staff have made, the latest, and from what."""
    c = t.model_feedback.c
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(c.task, c.source, func.count(), func.max(c.created_at))
            .group_by(c.task, c.source)
            .order_by(c.task, c.source)
        ).all()
    found: dict[str, CorrectionCount] = {}
    for task, source, count, latest in rows:
        before = found.get(task)
        if before is None:
            found[task] = CorrectionCount(task, int(count), latest, (source,))
        else:
            found[task] = CorrectionCount(task, before.examples + int(count),
                                          max(before.latest, latest),
                                          (*before.sources, source))  # fmt: skip
    return list(found.values())


class ShopRegistry:
    """The registry repository bound to one database, as the lifecycle loop asks for it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record_version(
        self, task: str, trained: Trained, created_by: str, activate: bool
    ) -> ModelVersion:
        return record_version(
            self.db, task, trained.version, trained.folder, metrics=trained.metrics,
            parameters=trained.parameters, data=trained.data,
            size_bytes=folder_size(trained.folder), train_seconds=trained.train_seconds,
            created_by=created_by, activate=activate,
        )  # fmt: skip

    def get_version(self, task: str, version: str) -> ModelVersion:
        return get_version(self.db, task, version)

    def active(self, task: str) -> ModelVersion | None:
        found = active_versions(self.db).get(task)
        return get_version(self.db, task, found[0]) if found else None

    def promote(self, task: str, version: str, check: Callable[[Path], object]) -> ModelVersion:
        return promote(self.db, task, version, check)

    def rollback(self, task: str, check: Callable[[Path], object]) -> ModelVersion:
        return rollback(self.db, task, check)

    def record_comparison(
        self, task: str, comparison: Comparison, detail: Mapping[str, Any]
    ) -> StoredComparison:
        return record_comparison(self.db, task, comparison, detail)

    def corrections(self, task: str) -> list[tuple[str, str]]:
        return [(c.input, c.label) for c in corrections(self.db, task)]
