"""Attributes from a title and description, in any language we support, each with its span.

Order of trust: the vocabulary (colours, materials, sizes, known brands) and the rules in
`patterns` state facts; the catalog lexicon adds brands and product types learnt from the
seller's own titles; the vocabulary's "implies" rules ("candle" -> wax) only *suggest* values
for the seller to confirm, because the title does not say them. Without a lexicon a single
title still gets its type (its head word), pack size, colours and materials.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from borderless.capabilities.attributes.chinese import chinese_type
from borderless.capabilities.attributes.induce import (
    CatalogLexicon,
    head_phrases,
    wide_remainder,
)
from borderless.capabilities.attributes.patterns import (
    WIDE,
    find_audience,
    find_pattern,
    find_quantity,
    find_tiers,
    model_like,
)
from borderless.capabilities.attributes.records import Attribute, AttributeField, ProductAttributes
from borderless.capabilities.attributes.tokens import STOP, content_tokens, masks, singular, tokens
from borderless.capabilities.catalog.attributes import Vocabulary, find_measures, load_vocabulary

__all__ = ["AttributeExtractor", "guess_language"]

COMPATIBLE = frozenset({"for", "with", "fits", "compatible"})
# A known brand's name right before one of these is a picture on the product, not its maker
# ("LUNCH BAG APPLE DESIGN" was brand Apple in the demo shop's facets).
# Not "print": "sony print paper" is Sony's (the one Abt-Buy title a motif word follows).
MOTIF = frozenset({"design", "designs", "pattern", "motif", "shape", "shaped", "style"})

_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def guess_language(text: str, fallback: str = "en") -> str:
    """Script first (kana is Japanese, Han alone Chinese); other titles by the detector."""
    if _KANA.search(text):
        return "ja"
    if _HAN.search(text):
        return "zh"
    if _HANGUL.search(text):
        return "ko"
    from borderless.capabilities.language import detect_language
    from borderless.errors import ModelUnavailable

    try:
        found = detect_language(text.lower(), fallback=fallback)
    except ModelUnavailable:
        return fallback
    return found.code if found.score >= 0.5 and found.code in _SPACED_KNOWN else fallback


_MANY = ("colour", "material", "pattern")  # a title may state several
_SPACED_KNOWN = {"en", "de", "fr", "es", "pt", "it", "nl"}


def _next_word(text: str, at: int) -> str:
    found = re.match(r"[\s-]*(\w+)", text[at:])
    return found.group(1).lower() if found else ""


class AttributeExtractor:
    """Extracts attributes; `fit` on a catalog's titles to learn its brands and types first."""

    def __init__(self, vocabulary: Vocabulary | None = None, model_position: str = "last",
                 suggest: bool = True) -> None:  # fmt: skip
        self.vocabulary = vocabulary or load_vocabulary()
        self.model_position = model_position
        self.suggest = suggest
        self.lexicon_: CatalogLexicon | None = None

    def fit(
        self, titles: Sequence[str], languages: Sequence[str] | None = None
    ) -> AttributeExtractor:
        self.lexicon_ = CatalogLexicon().fit(titles, languages, self.vocabulary)
        return self

    def extract(
        self, id: str, title: str, description: str = "", language: str | None = None
    ) -> ProductAttributes:
        lang = language or guess_language(title)
        found: list[Attribute] = []
        found += self._brand(title, lang)
        found += self._model(title, lang, {str(a.value).lower() for a in found})
        texts: tuple[tuple[AttributeField, str], ...] = (
            ("title", title),
            ("description", description),
        )
        for field, text in texts:
            if not text.strip():
                continue
            have = {a.name for a in found}
            found += [
                a for a in self._stated(text, lang, field)
                if a.name not in have or (field == "title" and a.name in _MANY)
            ]  # fmt: skip
        if not any(a.name == "type" for a in found):
            found += self._type(
                title, lang, {str(a.value).lower() for a in found if a.name == "brand"}
            )
        if self.suggest:
            found += self._suggested(title, lang, found)
        return ProductAttributes(id, lang, found)

    def _stated(self, text: str, language: str, field: AttributeField) -> list[Attribute]:
        out = [
            Attribute(m.group, m.id, m.span, m.start, m.end, field, "vocabulary")
            for m in self.vocabulary.find(text, language, ("colour", "material", "size"))
        ]
        codes = [(w.start, w.end) for w in tokens(text) if model_like(w.key)]
        out += [
            Attribute("size", m.span.strip().lower(), m.span, m.start, m.end, field, "rule")
            for m in find_measures(text)
            if not any(s <= m.start and m.end <= e for s, e in codes)
        ]
        quantity = find_quantity(text, language)
        if quantity:
            value, start, end = quantity
            out.append(Attribute("quantity", value, text[start:end], start, end, field, "rule"))
        for name, finder in (("pattern", find_pattern), ("audience", find_audience)):
            out += [
                Attribute(name, key, text[s:e], s, e, field, "rule")
                for key, s, e in finder(text, language)
            ]
        return out

    def _brand(self, title: str, language: str) -> list[Attribute]:
        words = tokens(title)
        # A brand after "for", "with", "fits" or "compatible" is what the product fits ("video
        # game for the sony ps3", "mouse for apple notebooks"), not who makes it.
        cut = next((w.start for w in words if w.key in COMPATIBLE), len(title))
        known = [m for m in self.vocabulary.find_brands(title)
                 if m.start < cut and _next_word(title, m.end) not in MOTIF]  # fmt: skip
        if known:
            b = min(known, key=lambda m: m.start)
            return [Attribute("brand", b.id, b.span, b.start, b.end, "title", "vocabulary")]
        lexicon = self.lexicon_
        if lexicon is None or not lexicon.branded_ or not words or language in WIDE:
            return []
        for w, after in zip(words, [*words[1:], None], strict=True):
            if w.key in COMPATIBLE:
                break
            if after is not None and (w.key, after.key) in lexicon.brand_phrases_:
                span = title[w.start : after.end]
                return [Attribute("brand", span, span, w.start, after.end, "title", "catalog")]
            if w.key in lexicon.brands_:
                return [Attribute("brand", w.text, w.text, w.start, w.end, "title", "catalog")]
        first = next((w for w in words if w.key not in STOP), words[0])
        seen = lexicon.df_.get(first.key, 0)
        if (
            seen <= 3
            and any(model_like(w.key) for w in words[1:])
            and any(ch.isalpha() for ch in first.key)
            and not model_like(first.key)
            and first.key not in STOP
            and lexicon.heads_.get(first.key, 0) == 0
            and not self.vocabulary.find(first.text, "en")
        ):
            # a word seen first and rarely elsewhere in a branded catalog: a brand with one product
            return [Attribute("brand", first.text, first.text, first.start, first.end, "title",
                              "position")]  # fmt: skip
        return []

    def _model(self, title: str, language: str, brands: set[str]) -> list[Attribute]:
        quantity = find_quantity(title, language)
        covered = [(quantity[1], quantity[2])] if quantity else []
        if tiers := find_tiers(title, language):
            covered.append(tiers)
        candidates = [
            w for w in tokens(title)
            if model_like(w.key) and w.key not in brands
            and not any(s < w.end and w.start < e for s, e in covered)
        ]  # fmt: skip
        if not candidates:
            return []
        lexicon = self.lexicon_
        if lexicon is not None:
            rare = min(lexicon.df_.get(w.key, 0) for w in candidates)
            candidates = [w for w in candidates if lexicon.df_.get(w.key, 0) <= max(rare, 2)]
        w = candidates[-1] if self.model_position == "last" else candidates[0]
        return [Attribute("model", w.text.upper(), w.text, w.start, w.end, "title", "rule")]

    def _type(self, title: str, language: str, brands: set[str]) -> list[Attribute]:
        if language in WIDE:
            tail, start = wide_remainder(title, language, self.vocabulary)
            if not tail:
                return []
            kana = re.search(r"[\u30a0-\u30ffー]+$", tail)
            chinese = (
                chinese_type(title, masks(title, language, self.vocabulary))
                if language == "zh"
                else None
            )
            if chinese:
                value, at = chinese
                return [Attribute("type", value, value, at, at + len(value), "title", "rule")]
            if kana:
                value = kana.group(0)
            else:
                value = self.lexicon_.wide_type(tail) if self.lexicon_ else tail[-4:]
            at = title.rindex(value)
            return [Attribute("type", value, value, at, at + len(value), "title",
                              "catalog" if self.lexicon_ else "rule")]  # fmt: skip
        content = content_tokens(
            title, language, self.vocabulary, frozenset(brands), materials=self.lexicon_ is None
        )
        head = self.lexicon_.head_index(content, language) if self.lexicon_ else None
        phrases = head_phrases(content, language, title, head)
        if not phrases:
            return []
        # alone, a title's last two adjacent words ("hand warmer", "t-light holder")
        alone = phrases[min(1, len(phrases) - 1)]
        phrase = self.lexicon_.type_phrase(phrases, language) if self.lexicon_ else alone
        if not phrase:
            return []
        words = [t.key for t in phrase]
        index = 0 if language in ("fr", "es", "pt", "it") else -1
        words[index] = singular(words[index], language)
        start, end = min(t.start for t in phrase), max(t.end for t in phrase)
        return [Attribute("type", " ".join(words), title[start:end], start, end, "title",
                          "catalog" if self.lexicon_ else "rule")]  # fmt: skip

    def _suggested(self, title: str, language: str, found: list[Attribute]) -> list[Attribute]:
        """Values the vocabulary implies but the text does not state: for the seller to confirm."""
        stated = {(a.name, a.value) for a in found}
        types = [a for a in found if a.name == "type" and a.field == "title"]
        out = []
        for pattern, implied in self.vocabulary.implies:
            m = pattern.search(title)
            # only what the product *is* implies anything: a candle holder is not wax
            if not m or not any(t.start <= m.start() and m.end() >= t.end - 1 for t in types):
                continue
            for group, ids in implied.items():
                out += [
                    Attribute(group, i, m.group(0), m.start(), m.end(), "title", "vocabulary",
                              "suggested")
                    for i in ids if (group, i) not in stated
                ]  # fmt: skip
        return out
