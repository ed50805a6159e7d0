"""Marketing copy: the write request and a review."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "CopyCreate",
    "CopyUpdate",
]


class CopyCreate(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    kind: str = "description"
    language: str = Field(default="en", min_length=2, max_length=8)
    market: str | None = Field(default=None, max_length=8)
    tone: str = "friendly"
    length: str = "medium"
    temperature: float = Field(default=0.7, ge=0.0, le=2.0)
    top_p: float = Field(default=0.9, gt=0.0, le=1.0)
    max_tokens: int | None = Field(default=None, ge=8, le=4096)
    seed: int | None = None
    n: int = Field(default=1, ge=1, le=8)
    policy: Literal["regenerate", "drop", "report"] = "regenerate"
    stream: bool = False


class CopyUpdate(BaseModel):
    status: Literal["approved", "rejected", "draft"] | None = None
    text: str | None = Field(default=None, min_length=1, max_length=20000)
    override: bool = False  # approve although the verdict says "needs review"
