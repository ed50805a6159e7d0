"""Marketing copy: the write request and a review."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool

from borderless.service.schemas.common import Body, Page, Timestamp
from borderless.storage.copy_drafts import DraftStatus

__all__ = [
    "CopyCreate",
    "CopyDraftPage",
    "CopyDraftPublic",
    "CopyUpdate",
    "CopyVariantPage",
    "CopyVariantPublic",
]


class CopyCreate(Body):
    sku: str = Field(min_length=1, max_length=64)
    kind: str = "description"
    language: str = Field(default="en", min_length=2, max_length=8)
    market: str | None = Field(default=None, min_length=1, max_length=8)  # "" is no market
    tone: str = "friendly"
    length: str = "medium"
    temperature: float = Field(default=0.7, ge=0.0, le=2.0)
    top_p: float = Field(default=0.9, gt=0.0, le=1.0)
    max_tokens: int | None = Field(default=None, ge=8, le=4096)
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)
    n: int = Field(default=1, ge=1, le=8)
    policy: Literal["regenerate", "drop", "report"] = "regenerate"
    stream: bool = False


class CopyUpdate(Body):
    status: Literal["approved", "rejected", "draft"] | None = None
    text: str | None = Field(default=None, min_length=1, max_length=20000)
    # approve although the verdict says "needs review": true or false, not "yes" (a walk)
    override: StrictBool = False


class CopyDraftPublic(BaseModel):
    """A stored version of copy; `verdict` is the checker's, `needs_review` when it failed or
    the text states facts the product does not back."""

    id: int
    sku: str
    kind: str
    language: str
    version: int
    text: str
    status: DraftStatus
    grounding: dict[str, Any]
    length: dict[str, Any]
    options: dict[str, Any]
    model: str
    template: str
    edited_from: int | None
    created_at: Timestamp
    reviewed_at: Timestamp | None
    verdict: dict[str, Any] | None
    needs_review: bool
    overridden: bool = Field(description="approved over a verdict that asked for review")
    outdated: bool = Field(
        default=False,
        description="written from earlier facts: the product's price, the market's rate, its "
        "title or attributes changed since (approved only with override)",
    )


class CopyDraftPage(Page[CopyDraftPublic]):
    """One page of stored copy, newest first."""


class CopyVariantPublic(BaseModel):
    """A variant just written and stored as a draft (`id`, `version`): its text, the grounding
    check (with the policy's actions and the verdict), and what it cost."""

    id: int
    version: int
    sku: str
    kind: str
    language: str
    text: str
    grounding: dict[str, Any]
    length: dict[str, Any]
    model: str
    template: str
    options: dict[str, Any]
    attempts: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    verdict: dict[str, Any] | None = None
    needs_review: bool = Field(
        default=False, description="the verdict failed or a fact stated is not backed"
    )


class CopyVariantPage(Page[CopyVariantPublic]):
    """The variants of one write request (one page)."""
