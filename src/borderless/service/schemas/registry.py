"""Model versions, champion/challenger comparisons and staff corrections."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page

__all__ = [
    "AlertPublic",
    "ComparisonPage",
    "ComparisonPublic",
    "CorrectionCreate",
    "CorrectionPage",
    "CorrectionPublic",
    "ModelVersionPage",
    "ModelVersionPublic",
    "MonitoringPage",
    "MonitoringPublic",
    "SignalPublic",
]


class ModelVersionPublic(BaseModel):
    task: str
    version: str
    active: bool
    metrics: dict[str, Any]
    parameters: dict[str, Any]
    data: dict[str, Any] = Field(description="what it was trained on: file, sha256, rows, dates")
    size_bytes: int
    train_seconds: float
    created_by: str
    created_at: str
    replaced: str | None
    promoted_at: str | None
    files_present: bool


class ModelVersionPage(Page[ModelVersionPublic]):
    """One page of ModelVersionPublic records."""


class ComparisonPublic(BaseModel):
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
    created_at: str


class ComparisonPage(Page[ComparisonPublic]):
    """One page of ComparisonPublic records."""


class CorrectionCreate(Body):
    text: str = Field(min_length=1, max_length=5000, description="what the model was given")
    label: str = Field(min_length=1, max_length=500, description="what it should have said")
    source: str = Field(default="api", min_length=1, max_length=64)
    subject: str = Field(
        min_length=1, max_length=200, pattern=r"\S", description="what was corrected (an id)"
    )
    predicted: str | None = Field(default=None, max_length=500)


class CorrectionPublic(BaseModel):
    id: int
    task: str
    input: str
    label: str
    predicted: str | None
    source: str
    subject: str
    model_version: str | None
    actor: str
    created_at: str


class CorrectionPage(Page[CorrectionPublic]):
    """One page of CorrectionPublic records."""


class SignalPublic(BaseModel):
    mean: float = Field(description="count-weighted mean over the window")
    n: float = Field(description="observations")


class MonitoringPublic(BaseModel):
    """One capability and model version over the window."""

    capability: str
    version: str
    requests: int
    errors: int
    p95_ms: float = Field(description="the worst minute's p95 latency")
    signals: dict[str, SignalPublic]


class AlertPublic(BaseModel):
    """A signal that crossed its threshold."""

    capability: str
    version: str
    signal: str
    value: float
    limit: float
    count: int
    meaning: str


class MonitoringPage(Page[MonitoringPublic]):
    """Per capability and version over the last `hours`, with the alerts they raise."""

    alerts: list[AlertPublic]
    hours: float
