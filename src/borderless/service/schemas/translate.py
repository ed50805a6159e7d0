"""Translation requests and a person's correction of a stored translation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page, Timestamp
from borderless.storage.localize import TranslatedField

__all__ = [
    "GlossaryTermCreate",
    "TranslatedTextPage",
    "TranslatedTextPublic",
    "TranslationCreate",
    "TranslationPage",
    "TranslationPublic",
    "TranslationUpdate",
    "VerdictPublic",
    "VerdictReasonPublic",
]


class GlossaryTermCreate(Body):
    source: str = Field(min_length=1, max_length=200)
    target: str = Field(default="", max_length=200)


class TranslationCreate(Body):
    texts: list[str] = Field(min_length=1, max_length=100)
    source: str = Field(default="auto", min_length=2, max_length=8)
    target: str = Field(min_length=2, max_length=8)
    glossary: list[GlossaryTermCreate] = Field(default_factory=list, max_length=500)
    html: bool = False
    candidates: int = Field(
        default=1,
        ge=1,
        le=5,
        description="answers per segment where the route uses an LLM: the engine's plus "
        "sampled ones, the best by quality estimate kept (one LLM call each)",
    )


class TranslationUpdate(Body):
    text: str = Field(min_length=1, max_length=20000)
    override: bool = Field(
        default=False,
        description="save a correction the verdict says needs review: you checked it yourself",
    )


class TranslationPublic(BaseModel):
    """A stored translation of a product's field, with the text it was made from."""

    sku: str
    language: str
    field: TranslatedField
    source_hash: str
    text: str
    engine: str
    score: float | None
    checks: list[str]
    flagged: bool
    reviewed: bool
    updated_at: Timestamp
    source_text: str
    outdated: bool = Field(
        description="made from another text than the field holds now: translate it again"
    )


class TranslationPage(Page[TranslationPublic]):
    """One page of stored translations, weakest first."""


class VerdictReasonPublic(BaseModel):
    check: str = Field(description="spelling, placeholder, template, untranslated, language, ...")
    message: str
    span: str
    blocking: bool = Field(description="false: shown, but the text may still pass")


class VerdictPublic(BaseModel):
    """The checker's verdict on a text: "ok" or "needs review", with its reasons."""

    status: Literal["ok", "needs review"]
    ok: bool
    language: str
    reasons: list[VerdictReasonPublic]
    unchecked: list[str] = Field(description="checks that could not run, and why")
    scores: dict[str, float]


class TranslatedTextPublic(BaseModel):
    """One translated segment, in the order of the request's `texts`."""

    text: str
    source: str = Field(description="the source language (detected when 'auto')")
    engine: str
    score: float | None = Field(description="quality estimate, when the engine gives one")
    checks: list[str]
    flagged: bool = Field(description="low score, or a verdict that needs review")
    verdict: VerdictPublic | None


class TranslatedTextPage(Page[TranslatedTextPublic]):
    """Every segment of one translate request (one page)."""
