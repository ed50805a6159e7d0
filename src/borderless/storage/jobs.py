"""Background jobs in the shop database: what was asked, by whom, and how far it got.

A job goes queued -> running -> done | failed | cancelled. The service's runner claims the
oldest queued job (an update guarded by its status, so two runners never take the same one),
counts its work, and moves `done` on after each stored batch. Cancelling marks the job at once;
the runner sees it before its next batch. A job still `running` when the service starts again
was cut off: it is marked failed and can be started again (the batch code resumes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import and_, func, insert, select, update

from borderless.errors import Conflict, InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = [
    "ACTIVE",
    "INTERRUPTED",
    "Job",
    "JobKind",
    "JobStatus",
    "active_job",
    "advance_job",
    "cancel_job",
    "claim_next_job",
    "create_job",
    "fail_interrupted_jobs",
    "finish_job",
    "get_job",
    "list_jobs",
    "start_counted",
]

JobKind = Literal["translate", "copy", "forecast", "reviews"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
ACTIVE: tuple[JobStatus, ...] = ("queued", "running")
INTERRUPTED = (
    "the service stopped while this job ran; start it again (translations and copy keep the "
    "batches they stored and do only what is left; a forecast or review scoring starts over)"
)
# Kinds that work on the whole shop whatever their parameters: one at a time (two forecasts
# with different horizons would each recompute every series and overwrite the other).
WHOLE_SHOP: tuple[JobKind, ...] = ("forecast", "reviews")
WHAT = {"translate": "translating", "copy": "writing copy", "forecast": "forecasting demand",
        "reviews": "scoring reviews"}  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Job:
    id: int
    kind: JobKind
    parameters: dict[str, Any]
    status: JobStatus
    done: int
    total: int | None
    error: str | None
    summary: str | None
    started_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def percent(self) -> int | None:
        """How far it got, 0..100, once the job has counted its work."""
        if self.total is None:
            return None
        return 100 if self.total == 0 else min(100, round(100 * self.done / self.total))

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def seconds_left(self) -> int | None:
        """A running job's time to finish at the pace so far (None until it has done some of
        its counted work): "16 / 3,810" alone left a seller to work out hours (a walk)."""
        if self.status != "running" or not self.total or not self.done or not self.started_at:
            return None
        spent = max((_now() - self.started_at).total_seconds(), 0.0)
        return round(spent / self.done * max(self.total - self.done, 0))


def _job(row: Any) -> Job:
    return Job(
        row.id, row.kind, dict(row.parameters or {}), row.status, row.done, row.total, row.error,
        row.summary, row.started_by, row.created_at, row.started_at, row.finished_at,
    )  # fmt: skip


def create_job(db: Database, kind: str, parameters: dict[str, Any], started_by: str) -> Job:
    if kind not in get_args(JobKind):
        raise InvalidInput(f"kind must be one of {', '.join(get_args(JobKind))}", field="kind")
    j = t.jobs
    with db.engine.begin() as conn:
        # the same work already waiting or running (a double click, two staff at once) is not
        # queued twice: it would translate or write the same catalog again
        for row in conn.execute(
            select(j.c.id, j.c.parameters).where(
                j.c.kind == kind, j.c.status.in_(("queued", "running"))
            )
        ):
            if row.parameters == parameters or kind in WHOLE_SHOP:
                shown = ", ".join(f"{k} {v}" for k, v in sorted(row.parameters.items()) if v)
                raise Conflict(f"job {row.id} is {WHAT.get(kind, kind)} already"
                               f"{f' ({shown})' if shown else ''}: follow it on the Jobs page, "
                               "or cancel it first")  # fmt: skip
        new = conn.execute(
            insert(t.jobs).values(
                kind=kind,
                parameters=parameters,
                status="queued",
                done=0,
                total=None,
                error=None,
                summary=None,
                started_by=started_by[:64],
                created_at=_now(),
            )
        ).inserted_primary_key
    assert new is not None
    return get_job(db, int(new[0]))


def active_job(db: Database, kind: str) -> Job | None:
    """The oldest job of `kind` waiting or running, if any (a page offers no second one)."""
    j = t.jobs
    with db.engine.connect() as conn:
        row = conn.execute(
            select(j).where(j.c.kind == kind, j.c.status.in_(ACTIVE)).order_by(j.c.id).limit(1)
        ).first()
    return _job(row) if row is not None else None


def get_job(db: Database, job_id: int) -> Job:
    with db.engine.connect() as conn:
        row = conn.execute(select(t.jobs).where(t.jobs.c.id == job_id)).first()
    if row is None:
        raise NotFound(f"no job {job_id}", field="job_id")
    return _job(row)


def list_jobs(
    db: Database, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Job], int]:
    """Newest first, and how many match over all pages."""
    where = [t.jobs.c.status == status] if status else []
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.jobs).where(*where).order_by(t.jobs.c.id.desc()).limit(limit).offset(offset)
        ).all()
        total = conn.execute(select(func.count()).select_from(t.jobs).where(*where)).scalar_one()
    return [_job(r) for r in rows], int(total)


def claim_next_job(db: Database) -> Job | None:
    """The oldest queued job, now running; None when none waits."""
    j = t.jobs
    while True:
        with db.engine.begin() as conn:
            found = conn.execute(
                select(j.c.id).where(j.c.status == "queued").order_by(j.c.id).limit(1)
            ).first()
            if found is None:
                return None
            taken = conn.execute(
                update(j).where(j.c.id == found.id, j.c.status == "queued")
                .values(status="running", started_at=_now())
            ).rowcount  # fmt: skip
        if taken:
            return get_job(db, found.id)


def start_counted(db: Database, job_id: int, total: int) -> bool:
    """Record how much work the job holds; False when it was cancelled meanwhile."""
    return _running_update(db, job_id, total=total)


def note_job(db: Database, job_id: int, note: str | None) -> bool:
    """Say what a running job is doing before its progress moves (shown where a finished job's
    summary goes); None takes the note off. False when the job was cancelled meanwhile."""
    return _running_update(db, job_id, summary=note)


def advance_job(db: Database, job_id: int, done: int, *, stored: bool = True) -> bool:
    """Move the job's progress to `done` (a stored batch counts even when the job was cancelled
    while it ran); False when the job is no longer running, so the runner stops. `stored=False`
    for work kept only at the end (forecasts, review scores): a cancelled job's count stays
    (a cancelled forecast went on counting 8,000 to 10,000 with nothing stored: an attack)."""
    j = t.jobs
    with db.engine.begin() as conn:
        which = j.c.id == job_id if stored else and_(j.c.id == job_id, j.c.status == "running")
        conn.execute(update(j).where(which).values(done=done))
        status = conn.execute(select(j.c.status).where(j.c.id == job_id)).scalar_one_or_none()
    return status == "running"


def _running_update(db: Database, job_id: int, **values: Any) -> bool:
    j = t.jobs
    with db.engine.begin() as conn:
        changed = conn.execute(
            update(j).where(j.c.id == job_id, j.c.status == "running").values(**values)
        ).rowcount
    return bool(changed)


def finish_job(
    db: Database,
    job_id: int,
    status: JobStatus,
    *,
    error: str | None = None,
    summary: str | None = None,
) -> None:
    """A running job ends; a cancelled one keeps its status and gets the summary."""
    j = t.jobs
    with db.engine.begin() as conn:
        ended = conn.execute(
            update(j).where(j.c.id == job_id, j.c.status == "running")
            .values(status=status, error=error, summary=summary, finished_at=_now())
        ).rowcount  # fmt: skip
        if not ended and summary:
            conn.execute(update(j).where(j.c.id == job_id).values(summary=summary))


def cancel_job(db: Database, job_id: int) -> Job:
    """Stop a queued or running job; Conflict when it has already ended."""
    j = t.jobs
    with db.engine.begin() as conn:
        changed = conn.execute(
            update(j).where(j.c.id == job_id, j.c.status.in_(ACTIVE))
            .values(status="cancelled", finished_at=_now())
        ).rowcount  # fmt: skip
    job = get_job(db, job_id)
    if not changed:
        raise Conflict(f"job {job_id} has already ended ({job.status})", field="job_id")
    return job


def fail_interrupted_jobs(db: Database) -> int:
    """Mark jobs left `running` by a stopped service as failed; how many there were."""
    j = t.jobs
    with db.engine.begin() as conn:
        return int(
            conn.execute(
                update(j).where(j.c.status == "running")
                .values(status="failed", error=INTERRUPTED, finished_at=_now())
            ).rowcount
        )  # fmt: skip
