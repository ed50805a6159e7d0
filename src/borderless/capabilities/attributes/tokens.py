"""Words of a title with their positions, and what is left once known facts are masked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderless.capabilities.attributes.patterns import (
    WIDE,
    find_audience,
    find_pattern,
    find_quantity,
    find_tiers,
    is_measure_token,
    model_like,
)
from borderless.capabilities.catalog.attributes import Vocabulary, find_measures

__all__ = ["HEAD_FIRST", "STOP", "Token", "content_tokens", "masks", "singular", "tokens"]

HEAD_FIRST = {"fr", "es", "pt", "it"}  # "bol en céramique": the noun comes first
_TOKEN = re.compile(r"[^\s,;:()\[\]|!?\"]+")
_CUT = {  # words after which a title names what the product fits, not what it is
    "en": {"for", "with", "fits", "compatible", "w/", "including", "incl"},
    "de": {"für", "mit", "passend"},
    "fr": {"pour", "avec"},
    "es": {"para", "con"},
    "pt": {"para", "com"},
}
STOP = {"of", "and", "&", "the", "a", "an", "in", "-", "+", "/", "x", "new", "assorted",
         "und", "der", "die", "das", "von", "aus", "de", "en", "et", "la", "le", "les", "du",
         "des", "el", "los", "las", "y", "da", "do", "e", "em", "set", "pack", "lot",
         "design", "style", "colour", "color", "colours", "colors", "mixed"}  # fmt: skip


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.text.lower().strip(".'-*")


def tokens(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def singular(word: str, language: str) -> str:
    if language != "en" or len(word) < 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if re.search(r"(?:ches|shes|sses|xes)$", word):
        return word[:-2]
    if word.endswith("s") and not re.search(r"(?:ss|us|is|as|ics)$", word):
        return word[:-1]
    return word


def masks(
    text: str, language: str, vocabulary: Vocabulary, materials: bool = True
) -> list[tuple[int, int]]:
    """Spans of facts the rules know: pack sizes, measures, vocabulary words, patterns, audiences.

    Without `materials` a material word stays a word: "card" and "tin" are also products."""
    spans = [
        (m.start, m.end)
        for m in vocabulary.find(text, language)
        if materials or m.group != "material"
    ]
    spans += [(m.start, m.end) for m in find_measures(text)]
    spans += [(s, e) for _, s, e in find_pattern(text, language)]
    spans += [(s, e) for _, s, e in find_audience(text, language)]
    quantity = find_quantity(text, language)
    if quantity:
        spans.append((quantity[1], quantity[2]))
    if tiers := find_tiers(text, language):
        spans.append(tiers)
    return spans


def content_tokens(
    text: str,
    language: str,
    vocabulary: Vocabulary,
    skip: frozenset[str] = frozenset(),
    materials: bool = True,
) -> list[Token]:
    """Words that may name the product: before "for"/"with", not masked, not codes or numbers."""
    if language in WIDE:
        return []
    covered = masks(text, language, vocabulary, materials)
    cut = _CUT.get(language, _CUT["en"])
    out: list[Token] = []
    before: list[Token] | None = None
    for i, token in enumerate(tokens(text)):
        key = token.key
        if key in cut and i > 0 and before is None:
            before, out = out, []
            continue
        if any(s < token.end and token.start < e for s, e in covered):
            continue
        if (
            key in STOP
            or key in skip
            or len(key) < 2
            or not any(ch.isalpha() for ch in key)
            or is_measure_token(key)
            or model_like(key)
        ):
            continue
        out.append(token)
    # "WHITE WITH METAL BAG CHARM": nothing before "with" names a product, so what follows does
    return before if before else out
