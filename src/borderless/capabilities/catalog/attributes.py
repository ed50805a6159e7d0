"""The vocabulary of product facts, and facts read from a product title.

The vocabulary (defaults/vocabulary.json) lists materials, colours, size classes and claims
as patterns per language under canonical ids, plus well-known brand names. Copy in any
language is grounded by comparing ids with the product's facts. Retail titles such as
"SET OF 3 WHITE CERAMIC HEART BOWLS" carry facts of their own; `attributes_from_title`
stores them as attributes at import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from borderless.capabilities.catalog.units import INCHES_GO_ON

__all__ = [
    "BOOKKEEPING",
    "DESIGN",
    "GROUPS",
    "PRODUCT",
    "Measure",
    "Mention",
    "Vocabulary",
    "attributes_from_title",
    "find_measures",
    "find_numbers",
    "load_vocabulary",
]

GROUPS = ("material", "colour", "size", "claim")
# keys of a product's attributes about where its facts came from, not facts
BOOKKEEPING = frozenset({"source", "confirmed"})
# What kind of product a text names (mug, teapot, necklace, ...): read only where asked for
# (copy grounding), so attribute extraction and suggestions see the four groups above alone.
PRODUCT = "product"
# Designs copy may claim (a heart, stars, stripes, vintage): read in copy grounding only; the
# attribute rules read a title's pattern by their own, broader table (attributes/patterns.py),
# whose values ("Pattern: heart" in the facts) this group reads back.
DESIGN = "design"
_COMPILED = (*GROUPS, PRODUCT, DESIGN)
SPACED = {"zh", "ja"}  # scripts without spaces: patterns match anywhere
PARTICLES = {"ko"}  # a word may end in a particle ("유리로", of glass): no boundary after it
_DEFAULT = Path(__file__).with_name("defaults") / "vocabulary.json"

# Units to a base unit per dimension: lengths in mm, weights in g, volumes in ml, power in W.
UNITS: dict[str, tuple[str, Decimal]] = {
    "mm": ("length", Decimal(1)), "cm": ("length", Decimal(10)), "m": ("length", Decimal(1000)),
    "in": ("length", Decimal("25.4")), "inch": ("length", Decimal("25.4")),
    "inches": ("length", Decimal("25.4")), '"': ("length", Decimal("25.4")),
    "ft": ("length", Decimal("304.8")), "g": ("weight", Decimal(1)),
    "kg": ("weight", Decimal(1000)), "oz": ("weight", Decimal("28.35")),
    "lb": ("weight", Decimal("453.6")), "lbs": ("weight", Decimal("453.6")),
    "ml": ("volume", Decimal(1)), "cl": ("volume", Decimal(10)), "l": ("volume", Decimal(1000)),
    "litre": ("volume", Decimal(1000)), "liter": ("volume", Decimal(1000)),
    "w": ("power", Decimal(1)), "v": ("voltage", Decimal(1)),
    "厘米": ("length", Decimal(10)), "毫米": ("length", Decimal(1)),
    "米": ("length", Decimal(1000)), "公斤": ("weight", Decimal(1000)),
    "千克": ("weight", Decimal(1000)), "克": ("weight", Decimal(1)),
    "毫升": ("volume", Decimal(1)), "升": ("volume", Decimal(1000)),
}  # fmt: skip
_NUMBER = r"\d{1,3}(?:,\d{3})+\.\d+|\d+(?:[.,]\d+)?"  # 2,950.00 | 2.95 | 2,95
# "in" is inches only where a measure goes on ("20 in wide", "FRAME 20 IN"), not in "2 in a
# gift box", "2 IN 1", "3 in stock" (copy saying so was flagged as an unbacked measure)
_INCHES = f"in{INCHES_GO_ON}"
_UNIT_ALTERNATIVES = "|".join(
    _INCHES if u == "in" else re.escape(u) for u in sorted(UNITS, key=len, reverse=True) if u != '"'
)
_MEASURE = re.compile(
    rf"(?<![\"“\d.,])({_NUMBER})\s*(?:x\s*(?:{_NUMBER})\s*)*(?:({_UNIT_ALTERNATIVES})(?![a-zA-Z])|(\"))",
    re.IGNORECASE,
)
_NUMBERS = re.compile(rf"(?<![A-Za-z0-9.,])(?:{_NUMBER})(?!\d)")
_PACK = re.compile(
    r"\b(?:set|pack|box|bag|tube|tin|roll|sheet|bundle)s?\s*(?:of\s*|/\s*)?(\d+)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Mention:
    group: str  # material | colour | size | claim | brand | product | design
    id: str
    span: str
    start: int
    end: int


@dataclass(frozen=True)
class Measure:
    span: str
    dimension: str
    value: Decimal  # in the dimension's base unit
    start: int
    end: int


class Vocabulary:
    """Compiled patterns: group -> canonical id -> language -> regex."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.patterns: dict[str, dict[str, dict[str, re.Pattern[str]]]] = {}
        for group in _COMPILED:
            self.patterns[group] = {
                key: {
                    lang: re.compile(
                        pattern
                        if lang in SPACED
                        else rf"(?<!\w)(?:{pattern})"
                        if lang in PARTICLES
                        else rf"(?<!\w)(?:{pattern})(?!\w)",
                        re.IGNORECASE,
                    )
                    for lang, pattern in forms.items()
                }
                for key, forms in data.get(group, {}).items()
                if not key.startswith("_")
            }
        self.brands = [str(b) for b in data.get("brand", [])]
        # other products copy may name beside this one (a lantern holds a candle)
        self.product_with: dict[str, set[str]] = {
            key: set(ids) for key, ids in data.get("product_with", {}).items()
            if not key.startswith("_")
        }  # fmt: skip
        self.implies = [
            (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), ids)
            for pattern, ids in data.get("implies", {}).items()
            if not pattern.startswith("_")
        ]

    def find(self, text: str, language: str, groups: tuple[str, ...] = GROUPS) -> list[Mention]:
        """Every mention of a vocabulary entry in `text`, read as `language` and English."""
        found: dict[tuple[int, int, str], Mention] = {}
        languages = [language] if language == "en" else [language, "en"]
        for group in groups:
            for key, forms in self.patterns[group].items():
                for lang in languages:
                    pattern = forms.get(lang)
                    for m in pattern.finditer(text) if pattern else ():
                        found.setdefault((m.start(), m.end(), group), Mention(
                            group, key, m.group(0), m.start(), m.end()
                        ))  # fmt: skip
        return _outermost(sorted(found.values(), key=lambda m: (m.start, -m.end)))

    def ids(
        self,
        text: str,
        language: str = "en",
        implied: bool = True,
        groups: tuple[str, ...] = GROUPS,
    ) -> dict[str, set[str]]:
        """Ids the text states, and with `implied` those its nouns imply ("candle" -> wax)."""
        out: dict[str, set[str]] = {g: set() for g in groups}
        for mention in self.find(text, language, groups):
            out[mention.group].add(mention.id)
        for pattern, implied_ids in self.implies if implied else ():
            if pattern.search(text):
                for group, ids in implied_ids.items():
                    if group in out:
                        out[group].update(ids)
        return out

    def find_brands(self, text: str) -> list[Mention]:
        return [
            Mention("brand", brand, m.group(0), m.start(), m.end())
            for brand in self.brands
            for m in re.finditer(rf"(?<!\w){re.escape(brand)}(?!\w)", text, re.IGNORECASE)
        ]


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Drop a mention inside a longer one of the same group ("stainless steel" over "steel")."""
    kept: list[Mention] = []
    for m in mentions:
        if any(k.group == m.group and k.start <= m.start and m.end <= k.end for k in kept):
            continue
        kept.append(m)
    return kept


@cache
def _default_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_DEFAULT.read_text(encoding="utf-8"))
    return data


@cache
def _default_vocabulary() -> Vocabulary:
    return Vocabulary(_default_data())


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """The built-in vocabulary (compiled once per process), or a JSON file of the same shape
    merged over it."""
    if path is None:
        return _default_vocabulary()
    from borderless.errors import InvalidInput

    try:
        extra = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise InvalidInput(f"{path}: not a vocabulary file ({exc})", field="vocabulary") from exc
    data = dict(_default_data())
    for group in (*_COMPILED, "product_with"):
        data[group] = data.get(group, {}) | extra.get(group, {})
    data["brand"] = [*data.get("brand", []), *extra.get("brand", [])]
    return Vocabulary(data)


def _decimal(text: str) -> Decimal | None:
    if "," in text and "." in text:  # 2,950.00: commas group thousands
        text = text.replace(",", "")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def find_measures(text: str) -> list[Measure]:
    """Numbers with a unit ("20 cm", "1,5 l", "8\""), in base units; each number of a run in
    one unit ("60x40cm": 60 cm and 40 cm, one span) is a measure (the run's first number was
    dropped: "POLYESTER FILLER PAD 60x40cm" had the measure "40cm", a walk)."""
    out = []
    for m in _MEASURE.finditer(text):
        unit = (m.group(2) or m.group(3) or "").lower()
        if unit not in UNITS:
            continue
        dimension, factor = UNITS[unit]
        run = m.group(0)[: m.start(2) - m.start() if m.group(2) else m.start(3) - m.start()]
        for number in re.findall(_NUMBER, run):
            value = _decimal(number)
            if value is not None:
                out.append(Measure(m.group(0), dimension, value * factor, m.start(), m.end()))
    return out


def find_numbers(text: str) -> list[tuple[Decimal, int, int]]:
    """Every number written in digits, with its position."""
    out = []
    for m in _NUMBERS.finditer(text):
        value = _decimal(m.group(0))
        if value is not None:
            out.append((value, m.start(), m.end()))
    return out


def attributes_from_title(title: str, vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """Facts a retail title states: colours, materials, size class, pack size, measures.

    Only what the title says: "T-LIGHT HOLDER" is not stored as glass (the vocabulary's
    "implies" rules give suggestions for the seller, see capabilities/attributes)."""
    vocab = vocabulary or load_vocabulary()
    ids = vocab.ids(title, "en", implied=False)
    out: dict[str, Any] = {g: sorted(ids[g]) for g in ("colour", "material", "size") if ids[g]}
    pack = _PACK.search(title) or re.match(r"(\d+)\s+[A-Za-z]", title)
    if pack:
        out["quantity"] = int(pack.group(1))
    measures = list(dict.fromkeys(m.span.strip().lower() for m in find_measures(title)))
    if measures:
        out["measures"] = measures
    return out
