"""Checks generated copy against the product's facts.

Every number, measure, clothing size, material, colour, size class, claim, brand, design (a
heart's copy may not promise stars) and kind of product (a pen's copy may not call it a mug) in
the text must be backed by a fact (a measure in other units, or a size in another system,
counts when it is the same value: "35.4 in" for 90 cm, "US 6" for UK 10); the text must be
in the language asked for. Mentions are compared by canonical id (the vocabulary's), so German
or Chinese copy is checked against English facts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from borderless.capabilities.catalog.attributes import (
    DESIGN,
    PRODUCT,
    Vocabulary,
    find_measures,
    find_numbers,
)
from borderless.capabilities.catalog.units import find_sizes
from borderless.capabilities.copywrite.facts import Facts

__all__ = ["Grounding", "Violation", "check_copy", "sentences"]

MEASURE_TOLERANCE = Decimal("0.03")  # 3%: "20 cm" may be said as "7.9 in"
_NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "pair": 2},
    "de": {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
           "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dutzend": 12},
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "douzaine": 12},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
           "nueve": 9, "diez": 10, "once": 11, "doce": 12, "docena": 12},
    "pt": {"dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
           "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "dúzia": 12},
}  # fmt: skip
_ZH_DIGITS = {
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_ZH_COUNT = re.compile(r"([两二三四五六七八九十])\s*(?:个|只|件|套|片|支|包|盒|张|条|款|枚|根|层)")
# kinds of product as a seller reads them (vocabulary.json "product" ids)
_KIND_NAMES = {
    "cup": "mug or cup",
    "writing": "pen or pencil",
    "hot_water_bottle": "hot-water bottle",
}
_MARKED = re.compile(r"([A-Z][\w&'.-]*)\s*[™®]")
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?]+[\"'”’)]*(?=\s|$)|[。！？]+[”」]*|\n|$)")


@dataclass(frozen=True)
class Violation:
    kind: str  # language | number | measure | material | colour | size | claim | brand | product
    # | design
    span: str
    start: int
    end: int
    message: str


@dataclass
class Grounding:
    violations: list[Violation] = field(default_factory=list)
    checked: list[dict[str, Any]] = field(default_factory=list)
    language: str | None = None  # the language detected in the text

    @property
    def ok(self) -> bool:
        return not self.violations

    def record(
        self, kind: str, span: str, start: int, end: int, backed: bool, message: str,
        **detail: str,
    ) -> None:  # fmt: skip
        """Note a checked mention; one the facts do not back is a violation too."""
        self.checked.append({"kind": kind, "span": span, **detail, "backed": backed})
        if not backed:
            self.violations.append(Violation(kind, span, start, end, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "violations": [asdict(v) for v in self.violations],
            "checked": self.checked,
            "detected_language": self.language,
        }


# a list's number: at a line's start or after a sentence's end, then "." or ")" and a space
_LIST_MARKER = re.compile(r"(?<![^\s])(?:(?<=^)|(?<=\n)|(?<=[.!?:]\s)|(?<=[.!?:]))\d{1,2}[.)]\s")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (or bullet line) spans of `text`."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _measure_backed(dimension: str, value: Decimal, facts: Facts) -> bool:
    return any(
        d == dimension and abs(value - v) <= MEASURE_TOLERANCE * max(v, Decimal("0.001"))
        for d, v in facts.measures
    )


def _number_backed(value: Decimal, facts: Facts) -> bool:
    return value == 1 or value in facts.numbers


def check_copy(text: str, language: str, facts: Facts, vocabulary: Vocabulary) -> Grounding:
    """Violations in `text` (in `language`) against `facts`, and what was checked."""
    result = Grounding()
    result.language = _language_of(text)
    if text.strip() and result.language not in (None, language):
        result.violations.append(
            Violation(
                "language", text[:80], 0, len(text), f"written in {result.language}, not {language}"
            )
        )
    covered: list[tuple[int, int]] = []
    for system, size, start, end in find_sizes(text):
        covered.append((start, end))
        span = text[start:end]
        result.record("size", span, start, end, (system, size) in facts.sizes,
                      f"{span!r} is not the product's size in any system")  # fmt: skip
    for m in find_measures(text):
        covered.append((m.start, m.end))
        result.record("measure", m.span, m.start, m.end,
                      _measure_backed(m.dimension, m.value, facts),
                      f"{m.span!r} matches no measure of the product")  # fmt: skip
    for value, start, end in find_numbers(text):
        if _LIST_MARKER.match(text, start):
            # "1. Easy to make: ... 2. ..." numbers a list, states no fact: the markers were
            # dropped as unbacked numbers, leaving an orphan "1." (a walk, German copy)
            continue
        if not any(s <= start < e for s, e in covered):
            span = text[start:end]
            result.record("number", span, start, end, _number_backed(value, facts),
                          f"the number {span} is not among the product's facts")  # fmt: skip
    for start, end, count in _number_words(text, language):
        span = text[start:end]
        result.record("number", span, start, end, Decimal(count) in facts.numbers,
                      f"{span!r} ({count}) is not among the product's facts")  # fmt: skip
    for mention in vocabulary.find(text, language):
        group, key = mention.group, mention.id
        result.record(group, mention.span, mention.start, mention.end,
                      key in facts.ids.get(group, set()),
                      f"{group} {key!r} is not among the product's facts", id=key)  # fmt: skip
    for mention in vocabulary.find(text, language, (DESIGN,)):
        result.record(DESIGN, mention.span, mention.start, mention.end,
                      mention.id in facts.ids.get(DESIGN, set()),
                      f"the design {mention.id!r} is not among the product's facts",
                      id=mention.id)  # fmt: skip
    own = facts.ids.get(PRODUCT, set())
    # A product whose facts name what it is (a pen) is not sold as another (a mug); one whose
    # facts name no known kind is not checked for this ("cake stand": plates are fine there).
    for mention in vocabulary.find(text, language, (PRODUCT,)) if own else ():
        result.record(PRODUCT, mention.span, mention.start, mention.end, mention.id in own,
                      f"{mention.span!r} names another kind of product than this "
                      f"{' or '.join(sorted(_KIND_NAMES.get(k, k) for k in own))}",
                      id=mention.id)  # fmt: skip
    brands = [(b.start, b.end, b.span, b.id) for b in vocabulary.find_brands(text)]
    brands += [(m.start(1), m.end(1), m.group(1), m.group(1)) for m in _MARKED.finditer(text)]
    for start, end, span, name in brands:
        result.record("brand", span, start, end, name.lower() in facts.brands,
                      f"the brand {name!r} is not the product's")  # fmt: skip
    result.violations.sort(key=lambda v: (v.start, v.kind))
    return result


def _number_words(text: str, language: str) -> list[tuple[int, int, int]]:
    if language == "zh":
        return [(m.start(1), m.end(1), _ZH_DIGITS[m.group(1)]) for m in _ZH_COUNT.finditer(text)]
    words = _NUMBER_WORDS.get(language, {})
    if not words:
        return []
    pattern = re.compile(rf"(?<!\w)({'|'.join(words)})(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end(), words[m.group(1).lower()]) for m in pattern.finditer(text)]


def _language_of(text: str) -> str | None:
    """The text's language when the detector is reasonably sure, else None."""
    from borderless.capabilities.language import detect_language
    from borderless.errors import ModelUnavailable

    if len(text.strip()) < 12:
        return None
    try:
        found = detect_language(" ".join(text.split()), fallback="und")
    except ModelUnavailable:
        return None
    return found.code if found.score >= 0.5 and found.code != "und" else None
