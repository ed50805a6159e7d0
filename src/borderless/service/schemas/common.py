"""Shapes every area shares: the list page and a moment with its offset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from borderless.capabilities.catalog.checks import CONTROL, unreadable

__all__ = ["Body", "Page", "Timestamp"]

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


def _no_control(value: Any) -> Any:
    if isinstance(value, str):
        if bad := CONTROL.search(value):  # capabilities/catalog/checks.py: one definition
            raise ValueError(f"holds {unreadable(bad.group())} at position "
                             f"{bad.start()}")  # fmt: skip
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            try:
                _no_control(item)
            except ValueError as exc:  # which item: "texts: holds ..." named none (an attack)
                raise ValueError(f"item {i}: {exc}") from None
    return value


class Body(BaseModel):
    """Every request body: an unknown field is refused (a misspelt option must not be silently
    ignored), no number is NaN or infinite (a temperature of "NaN" was told "should be less
    than or equal to 2") and no text holds a control character."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return _no_control(value)
