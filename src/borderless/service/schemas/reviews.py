"""Customer reviews."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from borderless.service.schemas.common import Page, Timestamp

__all__ = [
    "ReviewPage",
    "ReviewPublic",
]


class ReviewPublic(BaseModel):
    id: int
    sku: str
    product_title: str
    customer_id: str | None
    rating: int | None
    title: str
    text: str
    language: str
    market: str | None
    created_at: Timestamp
    source: str
    sentiment: str | None
    sentiment_score: float | None
    aspects: list[dict[str, Any]] | None


class ReviewPage(Page[ReviewPublic]):
    """One page of ReviewPublic records."""
