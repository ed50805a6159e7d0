"""Customer profiles and RFM segments."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from borderless.service.schemas.common import Page

__all__ = [
    "ProfilePublic",
    "SegmentPage",
    "SegmentPublic",
    "TagPublic",
]


class TagPublic(BaseModel):
    kind: str
    name: str
    reason: str


class ProfilePublic(BaseModel):
    customer_id: str
    as_of: str
    segment: str
    rfm: dict[str, Any]
    lifetime: dict[str, Any] | None
    churn_risk: float | None
    horizon_days: int
    tags: list[TagPublic]


class SegmentPublic(BaseModel):
    segment: str
    customers: int
    share: float


class SegmentPage(Page[SegmentPublic]):
    """The RFM segments with their sizes."""
