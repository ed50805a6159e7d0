"""Translation requests and a person's correction of a stored translation."""

from __future__ import annotations

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Page, Timestamp
from borderless.storage.localize import TranslatedField

__all__ = [
    "GlossaryTermCreate",
    "TranslationCreate",
    "TranslationPage",
    "TranslationPublic",
    "TranslationUpdate",
]


class GlossaryTermCreate(BaseModel):
    source: str = Field(min_length=1, max_length=200)
    target: str = Field(default="", max_length=200)


class TranslationCreate(BaseModel):
    texts: list[str] = Field(min_length=1, max_length=100)
    source: str = Field(default="auto", min_length=2, max_length=8)
    target: str = Field(min_length=2, max_length=8)
    glossary: list[GlossaryTermCreate] = Field(default_factory=list, max_length=500)
    html: bool = False


class TranslationUpdate(BaseModel):
    text: str = Field(min_length=1, max_length=20000)


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


class TranslationPage(Page[TranslationPublic]):
    """One page of stored translations, weakest first."""
