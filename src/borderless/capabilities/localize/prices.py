"""Prices in a translation: kept with their currency, written the target language's way, and
repaired where an engine relabelled the currency.

A price is a number with its currency sign or code ("£2.55", "€3.50", "AUD$45", "12 EUR").
A translation keeps it when the same value stands beside the same currency, in whatever form
the target language writes it: "2,55 £", "£ 2,55", "2,55 libras" (the currency's CLDR names,
symbols and codes through Babel, in the target language and in English).

Measured on the number-heavy shop texts (benchmarks/RESULTS.md, "Translation: number-heavy
shop texts"): Bergamot writes nearly every "£4.95" as "4,95 euros", the wrong currency. Refusing
those answers sent every sentence with a price through the placeholder pass, whose wording is
worse (ours was 8.9 chrF below the raw engine en->pt). `repair` keeps the engine's wording,
number and order and puts the price's own currency in place of the wrong one ("4,95 euros"
becomes "4,95 £"): the value must match exactly, and a price whose value the engine changed
("£0.72" as "0,772 euros") is not repaired, so that answer is still refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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

__all__ = [
    "COMMON",
    "PREFIXED",
    "PRICE_IN_TEXT",
    "Price",
    "price_kept",
    "read_price",
    "relabelled",
    "repair",
    "write_price",
]

_SIGNS = {
    "£": frozenset({"GBP"}),
    "€": frozenset({"EUR"}),
    "$": frozenset({"USD", "AUD", "CAD", "NZD", "HKD", "SGD"}),
    "¥": frozenset({"JPY", "CNY"}),
    "RMB": frozenset({"CNY"}),
}
# dollars and the real by their prefixes (the catalog's market prices read them too)
PREFIXED = {"R$": "BRL", "A$": "AUD", "C$": "CAD", "S$": "SGD", "AU$": "AUD", "CA$": "CAD",
            "MX$": "MXN", "NZ$": "NZD", "US$": "USD", "HK$": "HKD"}  # fmt: skip
# Currencies whose names an engine may write in place of a sign (the markets we sell in).
COMMON = ("GBP", "EUR", "USD", "AUD", "CAD", "NZD", "CHF", "CNY", "JPY", "KRW", "RUB", "TRY",
          "PLN", "BRL", "SEK", "DKK", "NOK", "CZK", "HUF", "INR", "SAR", "AED", "HKD", "SGD",
          "EGP")  # fmt: skip
# A price in running text: a sign or code before or after the amount ("£2.55", "AUD$45",
# "12 EUR"); the amount ends at its last digit (a full stop after it is the sentence's).
PRICE_IN_TEXT = re.compile(
    r"(?:\b[A-Z]{1,3}[$¥£]|[£$€¥]|\b(?:GBP|EUR|USD|CNY|RMB)\s?)\d+(?:[.,]\d+)*"
    r"|\d+(?:[.,]\d+)*\s?(?:[£$€¥]|(?:GBP|EUR|USD|CNY)\b)"
)
_PRICE = re.compile(
    r"^(?:(?P<before>[A-Z]{0,3}[£$€¥]|[A-Z]{3})\s?)?(?P<number>\d+(?:[.,]\d+)*)"
    r"(?:\s?(?P<after>[£$€¥]|[A-Z]{3}))?$"
)
_SPACE = "[ \u00a0\u202f]*"


@dataclass(frozen=True)
class Price:
    written: str  # as the source wrote it
    value: Decimal
    decimals: int  # digits after the decimal mark in the source ("2.50": 2)
    marker: str  # the sign or code as the source wrote it
    codes: frozenset[str]  # the currencies the marker may stand for


def read_price(span: str, source: str) -> Price | None:
    """The price `span` stands for, or None when it is not a price."""
    m = _PRICE.match(span.strip())
    if m is None or bool(m["before"]) == bool(m["after"]):
        return None
    marker = m["before"] or m["after"]
    sign = marker[-1] if marker[-1] in "£$€¥" else ""
    if sign and len(marker) > 1:  # "AUD$", "US$", "HK$", "R$": the letters name the currency
        named = PREFIXED.get(marker) or (marker[:-1] if len(marker) == 4 else marker[:-1] + "D")
        codes = frozenset({named})
    else:
        codes = _SIGNS.get(marker, frozenset({marker}))
    value = number_value(m["number"], source)
    if value is None:
        return None
    return Price(span, value, decimals(m["number"], source), marker, codes)


def write_price(price: Price, target: str) -> str:
    """The price the target language's way (its CLDR currency pattern: where the sign goes,
    the decimal mark, the grouping), keeping the source's own sign and its decimals."""
    pattern, number = _currency_pattern(target), write_number(price.value, price.decimals, target)
    if pattern is None or number is None:
        return price.written
    pattern = pattern.replace("\u200f", "").replace("\u200e", "")
    written = re.sub(r"[#0,.]+", lambda _: number, pattern, count=1)
    return written.replace("¤", price.marker).strip()


def price_kept(text: str, price: Price, source: str, target: str) -> int:
    """How many times `price` stands in `text`: its value beside one of its own currencies."""
    return sum(_same(codes, price.codes) for _, codes in _priced(text, price, source, target))


def repair(text: str, price: Price, wanted: int, source: str, target: str) -> tuple[str, list[str]]:
    """`text` with the price's own currency put in place of another one the engine wrote
    beside its value ("2,55 euros" for "£2.55" becomes "2,55 £": the engine's number and
    word order stay, only the currency changes), up to `wanted` times in all; and what
    was changed."""
    found = _priced(text, price, source, target)
    have = sum(_same(codes, price.codes) for _, codes in found)
    wrong = [where for where, codes in found if codes and not _same(codes, price.codes)]
    changes: list[str] = []
    for start, end in reversed(wrong[: max(0, wanted - have)]):
        changes.append(f"{text[start:end]!r} for {price.written!r}: currency put back")
        text = text[:start] + price.marker + text[end:]
    return text, changes[::-1]


def relabelled(text: str, source: str, source_language: str, target: str) -> list[str]:
    """The prices of `source` whose value stands in `text` beside another currency only
    ("£4.95" in the source, "4,95 euros" in the translation): a price changed into a wrong
    one, which a check of the numbers alone lets through."""
    out = []
    for m in PRICE_IN_TEXT.finditer(source):
        price = read_price(m.group(0), source_language)
        if price is None or price.written in out:
            continue
        found = _priced(text, price, source_language, target)
        own = sum(_same(codes, price.codes) for _, codes in found)
        other = sum(bool(codes) and not _same(codes, price.codes) for _, codes in found)
        if other and not own:
            out.append(price.written)
    return out


def _same(written: frozenset[str], meant: frozenset[str]) -> bool:
    """Whether a currency written as one that may be `written` keeps a price in `meant`: the
    same currency, and no more definite than the source ("$5" kept as "5 dólares" or "$ 5",
    not as "US$ 5": the source never said which dollar)."""
    if len(meant) == 1:
        return meant <= written
    return len(written) > 1 and bool(written & meant)


def _priced(
    text: str, price: Price, source: str, target: str
) -> list[tuple[tuple[int, int], frozenset[str]]]:
    """Each number in `text` with the price's value: where the currency beside it is written,
    and the currencies it may be (an empty place and no currencies when none is beside it)."""
    forms = _forms(target)
    out = []
    for number in IN_TEXT.finditer(text):
        written = number.group(0).strip(" \u00a0\u202f")
        if price.value not in readings(written, source, target):
            continue
        start, end = number.start(), number.start() + len(written)
        after = forms.after.match(text, end)
        window = max(0, start - 40)
        before = forms.before.search(text[window:start])
        if after:
            out.append((after.span("form"), forms.codes[_key(after["form"])]))
        elif before:
            place = (window + before.start("form"), window + before.end("form"))
            out.append((place, forms.codes[_key(before["form"])]))
        else:
            out.append(((end, end), frozenset()))
    return out


@dataclass(frozen=True)
class _Forms:
    codes: dict[str, frozenset[str]]  # a currency as written (folded) -> what it may stand for
    after: re.Pattern[str]
    before: re.Pattern[str]


def _key(form: str) -> str:
    return re.sub(r"\s+", "", form).casefold()


@cache
def _forms(target: str) -> _Forms:
    """Every way the target language (or English, which engines leave in) writes the common
    currencies: ISO code, CLDR symbols, singular and plural names, their first and last words."""
    from babel.numbers import get_currency_name, get_currency_symbol

    codes: dict[str, set[str]] = {}

    def add(form: str, code: str) -> None:
        form = form.strip().strip(".")
        if form and not form.isdigit():
            codes.setdefault(_key(form), set()).add(code)

    for sign, meant in _SIGNS.items():
        for code in meant:
            add(sign, code)
    for code in COMMON:
        add(code, code)
        for locale in {target if known_locale(target) else "en", "en"}:
            try:
                add(get_currency_symbol(code, locale), code)
                for count in (1, 2, 5):
                    name = get_currency_name(code, count, locale)
                    add(name, code)
                    words = name.split()
                    add(words[0], code)
                    add(words[-1], code)
            except (ValueError, LookupError, AttributeError):
                continue
    forms = sorted({f for f in codes}, key=len, reverse=True)
    alternatives = "|".join(_loose(f) for f in forms)
    return _Forms(
        {k: frozenset(v) for k, v in codes.items()},
        re.compile(rf"{_SPACE}(?P<form>{alternatives})", re.IGNORECASE),
        re.compile(rf"(?P<form>{alternatives}){_SPACE}$", re.IGNORECASE),
    )


def _loose(form: str) -> str:
    """A pattern for `form` that allows spaces inside ("US $") and needs a word boundary on
    any side where the form has a letter of an alphabetic script ("euros", not "eurosceptic")."""
    pattern = _SPACE.join(re.escape(ch) for ch in form if not ch.isspace())
    latin = [ch.isalpha() and ord(ch) < 0x2E80 for ch in (form[0], form[-1])]
    return ("(?<!\\w)" if latin[0] else "") + pattern + ("(?!\\w)" if latin[1] else "")


@cache
def _currency_pattern(target: str) -> str | None:
    """The target's CLDR currency pattern ("#,##0.00 ¤" in German), positive part only."""
    if not known_locale(target):
        return None
    try:
        from babel import Locale

        pattern = str(Locale.parse(target).currency_formats["standard"].pattern)
    except (ImportError, ValueError, LookupError, AttributeError, KeyError):
        return None
    return pattern.split(";")[0]
