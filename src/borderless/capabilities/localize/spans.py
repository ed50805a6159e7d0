"""Whether a translation kept the protected spans a segment went out with as text.

Exact text is the rule (SKUs, URLs, e-mails, tags, prices: a price is never relabelled), with
two ways a correct translation may write a span differently, both checked against the value:
- a plain number written the target language's way: "1,000" may come back "1.000" in
  Portuguese or "1 000" in French, "2.5" as "2,5" in German (parsed with CLDR data through
  Babel, in the target's convention or the source's); the value must be the same.
- a measure with its unit named in the target language: "6 inches" may come back "6 polegadas"
  or "6 pol." (the CLDR unit names for that number, long, short and narrow), "20 cm" as
  "20 см". The number is checked as above.
Anything else that differs ("1960s" as "década de 1960", "AUD$45" as "US $ 45") does not
count as kept, and the localizer sends the segment again with placeholders.

Measured on FLORES-200 (benchmarks/RESULTS.md, "Translation: FLORES-200 devtest"): before,
every English number that Bergamot wrote the Portuguese way failed the exact check and went
as a placeholder, which cost chrF.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import cache

__all__ = ["spans_kept"]

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_MEASURE = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)\s?(?P<unit>[^\d\s]+)$")
# numbers as written in running text, with the group separators languages use
_IN_TEXT = re.compile(r"(?<![\d.,])\d+(?:[.,\u00a0\u202f ]\d+)*(?:[.,]\d+)?")
# protect.UNITS -> CLDR unit ids
CLDR_UNITS = {
    "mm": "length-millimeter", "cm": "length-centimeter", "m": "length-meter",
    "km": "length-kilometer", "in": "length-inch", "inch": "length-inch",
    "inches": "length-inch", "ft": "length-foot", "g": "mass-gram", "kg": "mass-kilogram",
    "mg": "mass-milligram", "lb": "mass-pound", "lbs": "mass-pound", "oz": "mass-ounce",
    "ml": "volume-milliliter", "cl": "volume-centiliter", "l": "volume-liter",
    "w": "power-watt", "kw": "power-kilowatt", "v": "electric-volt", "gb": "digital-gigabyte",
    "tb": "digital-terabyte", "mb": "digital-megabyte", "°c": "temperature-celsius",
    "°f": "temperature-fahrenheit", "%": "concentr-percent",
}  # fmt: skip


def spans_kept(text: str, spans: Iterable[str], source: str = "en", target: str = "en") -> bool:
    """Every span occurs in `text` as often as among `spans`: exactly, not inside a longer
    number or word ("1" does not count inside "2013"; "1型" counts), or, for plain numbers and
    measures, written the target language's way with the same value."""
    wanted = Counter(spans)
    values: Counter[Decimal] | None = None
    for span, count in wanted.items():
        exact = len(re.findall(rf"(?<![0-9A-Za-z]){re.escape(span)}(?![0-9A-Za-z])", text))
        if exact >= count:
            continue
        if values is None:
            values = _values(text, source, target)
        if _NUMBER.match(span):
            value = _value(span, source)
            if value is None or values[value] < count:
                return False
            continue
        measure = _MEASURE.match(span)
        if measure is None or not _measure_kept(text, measure, count, source, target):
            return False
    return True


def _measure_kept(text: str, measure: re.Match[str], count: int, source: str, target: str) -> bool:
    value = _value(measure["number"], source)
    unit = CLDR_UNITS.get(measure["unit"].lower())
    if value is None or unit is None:
        return False
    names = {measure["unit"].lower(), *_unit_names(unit, str(value), target)}
    found = 0
    for number in _IN_TEXT.finditer(text):
        if value not in _readings(number.group(0), source, target):
            continue
        after = text[number.end() : number.end() + 24].lstrip(" \u00a0\u202f").lower()
        before = text[max(0, number.start() - 24) : number.start()].rstrip(" \u00a0\u202f")
        if any(after.startswith(n) or before.lower().endswith(n) for n in names if n):
            found += 1
    return found >= count


@cache
def _unit_names(unit: str, value: str, locale: str) -> frozenset[str]:
    """How the target language names `unit` after this number (CLDR: long, short, narrow)."""
    try:
        from babel.units import format_unit
    except ImportError:  # pragma: no cover - Babel is a core dependency
        return frozenset()
    names = set()
    for length in ("long", "short", "narrow"):
        try:
            written = format_unit(Decimal(value), unit, length=length, locale=locale)
        except (ValueError, LookupError, AttributeError):
            continue
        name = re.sub(r"[\d.,\u00a0\u202f\s]+", " ", written).strip().lower()
        if name:
            names.add(name)
    return frozenset(names)


def _values(text: str, source: str, target: str) -> Counter[Decimal]:
    found: Counter[Decimal] = Counter()
    for number in _IN_TEXT.finditer(text):
        for value in _readings(number.group(0), source, target):
            found[value] += 1
    return found


def _readings(written: str, source: str, target: str) -> set[Decimal]:
    """The values `written` may stand for: in the target's convention or the source's."""
    out = {v for v in (_value(written, target), _value(written, source)) if v is not None}
    return out


@cache
def _value(written: str, locale: str) -> Decimal | None:
    try:
        from babel.numbers import NumberFormatError, parse_decimal
    except ImportError:  # pragma: no cover
        return None
    text = written.replace("\u00a0", " ").replace("\u202f", " ")
    try:
        return parse_decimal(text.replace(" ", "\u00a0"), locale=locale, strict=True)
    except (NumberFormatError, ValueError, InvalidOperation, LookupError):
        pass
    try:  # grouped with plain spaces, as engines often write French or Polish numbers
        return parse_decimal(text.replace(" ", ""), locale=locale, strict=False)
    except (NumberFormatError, ValueError, InvalidOperation, LookupError):
        return None
