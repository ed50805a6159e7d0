"""Shapes every area shares: the list page and a moment with its offset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, Field

__all__ = ["Page", "Timestamp"]

T = TypeVar("T")


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# A moment in an answer, always with its offset: the shop stores UTC without one (order times of
# the demo data have none either and are read as UTC), and OpenAPI's date-time requires one.
Timestamp = Annotated[datetime, AfterValidator(_utc)]


class Page(BaseModel, Generic[T]):
    """Every list answer: one page of records, how many match in all, and where it starts."""

    data: list[T]
    count: int = Field(description="how many records match, over all pages")
    limit: int = Field(description="the most records one page holds")
    offset: int = Field(default=0, description="records skipped before this page")
