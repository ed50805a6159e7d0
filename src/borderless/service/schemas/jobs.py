"""Background catalog jobs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from borderless.service.schemas.common import Body, Page, Timestamp
from borderless.storage.jobs import JobKind, JobStatus

__all__ = [
    "JobCreate",
    "JobPage",
    "JobPublic",
    "JobStatus",
]


class JobCreate(Body):
    """translate: {language, source?}; copy: {language, kind?, market?, tone?, length?,
    policy?}; forecast: {horizon?} (weeks, default 8: every SKU x market series); reviews: {}
    (score every review without a sentiment yet)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["translate", "copy", "forecast", "reviews"]
    # any JSON value: check_parameters says in words what each kind takes ("horizon 8.0" got
    # pydantic's "parameters.horizon.str: Input should be a valid string")
    parameters: dict[str, Any] = Field(
        default_factory=dict,  # {"kind": "reviews"} alone, as docs/reviews.md writes it (a walk)
        description="what to do: the target language, and for copy its kind, market, tone...",
    )


class JobPublic(BaseModel):
    id: int
    kind: JobKind
    parameters: dict[str, Any]
    status: JobStatus
    done: int
    total: int | None = Field(description="items the job holds, once it has counted them")
    percent: int | None
    seconds_left: int | None = Field(
        description="a running job's time to finish at its pace so far, in seconds"
    )
    error: str | None
    summary: str | None
    started_by: str
    created_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None


class JobPage(Page[JobPublic]):
    limit: int = Field(description="the most records one page holds")
    offset: int = Field(description="records skipped before this page")
