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
from decimal import Decimal
from functools import cache

from borderless.capabilities.localize.figures import (
    IN_TEXT,
    decimals,
    known_locale,
    number_value,
    readings,
    write_number,
)
from borderless.capabilities.localize.prices import price_kept, read_price, write_price

__all__ = ["spans_kept", "write_span", "written_as_target"]

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)?")
_SIZES = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?:\s?[x×]\s?\d+(?:[.,]\d+)?)+")
# a measure of one number or a size of several: "1.5 kg", "46x33cm", "6x4 inch"
_MEASURES = re.compile(
    r"^(?P<numbers>\d+(?:[.,]\d+)?(?:\s?[x×]\s?\d+(?:[.,]\d+)?)*)(?P<space>\s?)(?P<unit>[^\d\s]+)$"
)
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
        price = read_price(span, source)
        if price is not None:
            if price_kept(text, price, source, target) < count:
                return False
            continue
        if _NUMBER.match(span):
            value = number_value(span, source)
            if value is None or values[value] < count:
                return False
            continue
        measure = _MEASURES.match(span)
        if measure is None:
            return False
        numbers = _NUMBERS.findall(measure["numbers"])
        kept = _measure_kept if len(numbers) == 1 else _sizes_kept
        if not kept(text, measure, count, source, target):
            return False
    return True


# a number with one decimal mark, or thousands in groups of three (and a decimal part)
_ONE_NUMBER = re.compile(r"\d+[.,]\d+|[1-9]\d{0,2}(?:([.,])\d{3})+(?:(?!\1)[.,]\d+)?")
# one or two digits, a point or colon, two digits under 60: a clock time as often as a number
_CLOCK = re.compile(r"(?:[01]?\d|2[0-3])[.:][0-5]\d")


def written_as_target(text: str, spans: Iterable[str], source: str, target: str) -> str:
    """`text` with each span that came back exactly as the source wrote it ("£12.99", "9.5 cm",
    "1,200 g" in a German answer, where a German reader takes "1,200 g" for 1.2 g) written the
    target's way ("12,99 £", "9,5 cm", "1.200 g"). An engine that is sent the spans as text
    often copies them; only spans with a decimal or group mark change ("2011" stays), and
    only into Latin digits (Babel writes Arabic ones for some locales)."""
    spans = set(spans)
    # the number of a measure whose unit the engine wrote its own way ("1,250 g" as "1,250 г"
    # in Russian, where it reads 1.25): its grouped thousands alone
    spans |= {n for s in spans if _MEASURES.match(s) for n in _NUMBERS.findall(s)
              if re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+", n) and n not in spans}  # fmt: skip
    for span in sorted(spans, key=len, reverse=True):
        if not re.search(r"\d[.,]\d", span):
            continue
        wanted = write_span(span, source, target)
        if wanted == span or any(c.isdigit() and not c.isascii() for c in wanted):
            continue
        alone = rf"(?<![0-9A-Za-z.,]){re.escape(span)}(?![0-9A-Za-z]|[.,]\d)"
        text = re.sub(alone, wanted.replace("\\", "\\\\"), text)
    return text


def _sizes_kept(text: str, sizes: re.Match[str], count: int, source: str, target: str) -> bool:
    """A size of several numbers ("6x4 inch") kept: the same numbers in order, each with the
    same value, and the unit or its name in the target language after the last."""
    wanted = [number_value(n, source) for n in _NUMBERS.findall(sizes["numbers"])]
    unit = CLDR_UNITS.get(sizes["unit"].lower())
    if None in wanted or unit is None:
        return False
    names = {sizes["unit"].lower(), *_unit_names(unit, str(wanted[-1]), target)}
    found = 0
    for m in _SIZES.finditer(text):
        numbers = _NUMBERS.findall(m.group(0))
        same = len(numbers) == len(wanted) and all(
            value in readings(n, source, target) for n, value in zip(numbers, wanted, strict=True)
        )
        after = text[m.end() : m.end() + 24].lstrip(" \u00a0\u202f").lower()
        found += same and any(after.startswith(n) for n in names if n)
    return found >= count


def _measure_kept(text: str, measure: re.Match[str], count: int, source: str, target: str) -> bool:
    """A measure of one number ("20 cm") kept: its value with the unit or the target's name of
    it, after the number or before it."""
    value = number_value(measure["numbers"], source)
    unit = CLDR_UNITS.get(measure["unit"].lower())
    if value is None or unit is None:
        return False
    names = {measure["unit"].lower(), *_unit_names(unit, str(value), target)}
    found = 0
    for number in IN_TEXT.finditer(text):
        if value not in readings(number.group(0), source, target):
            continue
        after = text[number.end() : number.end() + 24].lstrip(" \u00a0\u202f").lower()
        before = text[max(0, number.start() - 24) : number.start()].rstrip(" \u00a0\u202f")
        if any(after.startswith(n) or before.lower().endswith(n) for n in names if n):
            found += 1
    return found >= count


@cache
def _unit_names(unit: str, value: str, locale: str) -> frozenset[str]:
    """How the target language names `unit` after this number (CLDR: long, short, narrow)."""
    if not known_locale(locale):
        return frozenset()
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
    for number in IN_TEXT.finditer(text):
        for value in readings(number.group(0), source, target):
            found[value] += 1
    return found


def write_span(span: str, source: str, target: str) -> str:
    """A number, measure or price written the target language's way, for putting back in place
    of a placeholder: "£4.95" as "4,95 £" in German, "1.5 kg" as "1,5 kg", "1,200" as "1.200",
    "6x4 inch" as "6x4 polegadas". Plain whole numbers, codes and anything else stay as written
    ("2011" is a year, not "2.011")."""
    price = read_price(span, source)
    if price is not None:
        return write_price(price, target)
    if _NUMBER.match(span):
        return _write_number(span, source, target)
    measure = _MEASURES.match(span)
    if measure is None:
        return span
    unit = measure["unit"]
    cldr = CLDR_UNITS.get(unit.lower())
    space = measure["space"]
    if cldr and unit.isalpha() and len(unit) > 2:  # "inch": a word, so the target's word
        last = _NUMBERS.findall(measure["numbers"])[-1]
        value = number_value(last, source)
        named = _unit_word(cldr, value, target) if value is not None else None
        unit, space = named or (unit, space)
    numbers = _NUMBERS.sub(lambda m: _write_number(m[0], source, target, bare=False),
                     measure["numbers"])  # fmt: skip
    return numbers + space + unit


@cache
def _unit_word(unit: str, value: Decimal, locale: str) -> tuple[str, str] | None:
    """The target's long name of `unit` after `value`, and the space CLDR puts before it
    ("polegadas" after " ", "Zoll" after " ", "英寸" after nothing); None when unknown."""
    if not known_locale(locale):
        return None
    try:
        from babel.units import format_unit

        written = str(format_unit(value, unit, length="long", locale=locale))
    except (ImportError, ValueError, LookupError, AttributeError):
        return None
    m = re.match(r"^[\d.,\u00a0\u202f ]*\d(?P<space>[\u00a0\u202f ]?)(?P<name>\D+)$", written)
    return (m["name"].strip(), " " if m["space"] else "") if m else None


def _write_number(written: str, source: str, target: str, bare: bool = True) -> str:
    """`written` in the target's marks when it has any ("1,200", "2.5"); whole as it is. Only
    a number that reads one way is rewritten: a date, a version or a clock time ("1.5.2024",
    "2.0.1", "12.30") stays as written (they became "152,024", "201" and "12,30": an attack)."""
    if not re.search(r"[.,]", written):
        return written
    if not _ONE_NUMBER.fullmatch(written) or (bare and _CLOCK.fullmatch(written)):
        return written  # a number before a unit is no clock time ("12.30 cm")
    value = number_value(written, source)
    if value is None:
        return written
    return write_number(value, decimals(written, source), target) or written
