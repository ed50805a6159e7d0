"""Translation requests and a person's correction of a stored translation."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = [
    "GlossaryTermCreate",
    "TranslationCreate",
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
