"""Background jobs API: translate the whole catalog, or write its copy, with progress."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from borderless.jobs.background import check_parameters
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess, acting, record
from borderless.service.schemas.jobs import JobCreate, JobPage, JobPublic, JobStatus
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.jobs import Job, cancel_job, create_job, get_job, list_jobs

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

JobId = Annotated[int, Path(ge=1, le=2_147_483_647, description="the job's number")]


def public(job: Job) -> JobPublic:
    return JobPublic.model_validate({name: getattr(job, name) for name in JobPublic.model_fields})


def start_job(request: Request, kind: str, parameters: dict[str, Any]) -> Job:
    """Check, queue and announce a job (shared by the API and the dashboard)."""
    checked = check_parameters(kind, parameters)
    job = create_job(request.app.state.db, kind, checked, acting(request))
    # the parameters apart: a copy job's own "kind" (description, ad text) had clashed with
    # the job's kind, and every copy job started from the API or the Jobs page was a 500
    record(request, "job.start", str(job.id), job=kind, parameters=checked)
    request.app.state.jobs.wake()
    return job


@router.get("", dependencies=[StaffAccess])
def jobs(
    db: DB,
    status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> JobPage:
    """Background jobs, newest first."""
    found, total = list_jobs(db, status=status, limit=limit, offset=offset)
    return JobPage(data=[public(j) for j in found], count=total, limit=limit, offset=offset)


@router.post("", status_code=202, dependencies=[WriteAccess])
def start(request: Request, body: JobCreate) -> JobPublic:
    """Queue a catalog job (editors); it runs in the background, one job at a time."""
    return public(start_job(request, body.kind, dict(body.parameters)))


@router.get("/{job_id}", dependencies=[StaffAccess])
def job(db: DB, job_id: JobId) -> JobPublic:
    """One job with its progress."""
    return public(get_job(db, job_id))


@router.post("/{job_id}/cancel", dependencies=[WriteAccess])
def cancel(request: Request, db: DB, job_id: JobId) -> JobPublic:
    """Stop a queued or running job (editors); a running one stops after its current batch.
    409 when it has already ended."""
    stopped = cancel_job(db, job_id)
    record(request, "job.cancel", str(job_id))
    return public(stopped)
