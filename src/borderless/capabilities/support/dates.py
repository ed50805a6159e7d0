"""Days a customer names in a message ("my order from 14/11/2011", "the one of 11 November",
"注文は11月14日"), so the order placed that day is told, not the latest (a walk: all three were
answered with the order of 24 November).

Month names are CLDR's (Babel) in the 14 market languages (abbreviated in English only), in
the forms dates are written with ("14 ноября", "14 listopada"); numeric dates day first, as
the shop's customers write them, and month first as well when the day first is no date. The
year is optional: a day without one matches that day of any year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from borderless.languages import MARKET_LANGUAGES

__all__ = ["NamedDay", "days_named", "order_days", "order_months"]


@dataclass(frozen=True)
class NamedDay:
    month: int
    day: int
    year: int | None = None
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def matches(self, year: int, month: int, day: int) -> bool:
        return (self.month, self.day) == (month, day) and self.year in (None, year)


_NUMERIC = re.compile(
    r"(?<![\d.,/-])(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"|(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?)(?![\d/-]|[.,]\d)"
)
_CJK = re.compile(r"(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")


def _alternation(months: dict[str, int]) -> str:
    """The month words as one regex alternation, the longest first."""
    return "|".join(re.escape(w) for w in sorted(months, key=len, reverse=True))


@cache
def _month_words() -> tuple[re.Pattern[str], dict[str, int]]:
    from babel.dates import get_month_names

    months: dict[str, int] = {}
    for language in MARKET_LANGUAGES:
        if language in ("zh", "ja", "ko"):
            continue
        # abbreviations in English only: others are words ("2 set" is no 2 September in
        # Italian here, "out" no October, "dez" is ten in Portuguese)
        for width in ("wide", "abbreviated") if language == "en" else ("wide",):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=language).items():
                    word = str(name).lower().rstrip(".")
                    if len(word) >= 3:
                        months.setdefault(word, number)
    # Austria's January (de_AT: "Jänner"; "vom Jänner 2011" was told the latest order as if
    # it were that one: an attack)
    months.setdefault("jänner", 1)
    # "may" is a month and a verb: only with a day beside it, as every month here
    words = _alternation(months)
    pattern = re.compile(
        rf"(?<!\w)(?:(\d{{1,2}})\.?(?:st|nd|rd|th)?\s*(?:de\s+|of\s+)?({words})\.?"
        rf"|({words})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?)(?!\w)(?:,?\s*(?:de\s+)?(\d{{4}}))?",
        re.IGNORECASE,
    )
    return pattern, months


def days_named(text: str) -> list[NamedDay]:
    """Every day `text` names, in order; a numeric date that reads both ways (5/11) twice."""
    found: list[NamedDay] = []

    def add(m: re.Match[str], year: str | None, month: int, day: int) -> None:
        if 1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]:
            full = None if not year else int(year) + (2000 if len(year) == 2 else 0)
            if NamedDay(month, day, full) not in found:
                found.append(NamedDay(month, day, full, m.start(), m.end()))

    for m in _NUMERIC.finditer(text):
        if m.group(1):
            add(m, m.group(1), int(m.group(2)), int(m.group(3)))
            continue
        if not m.group(6) and m.group(0).count(".") == 1 and text[m.end() : m.end() + 1] != ".":
            continue  # "2.5" is a number, not the 2nd of May; "vom 3.12." is a day
        first, second = int(m.group(4)), int(m.group(5))
        add(m, m.group(6), second, first)  # day first, as the shop's customers write
        if first <= 12 and second > 12:
            add(m, m.group(6), first, second)  # "11/14/2011": month first
    for m in _CJK.finditer(text):
        add(m, m.group(1), int(m.group(2)), int(m.group(3)))
    pattern, months = _month_words()
    for m in pattern.finditer(text):
        if m.group(2):
            add(m, m.group(5), months[m.group(2).lower()], int(m.group(1)))
        else:
            add(m, m.group(5), months[m.group(3).lower()], int(m.group(4)))
    return found


_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # "31 November" is no day
# Words right before a day that say it is the day an order was placed ("my order from 14/11",
# "vom 17. November", "от 17 ноября"); a deadline or a birthday ("by 10/10", "my birthday is
# 10 October", a walk: both were told the order placed that day) has none of them
_FROM = re.compile(
    r"(?:\b(?:from|of|placed|dated|vom|von|du|del|de|dell'|do|da|van|z dnia|z|od|от|за)|"
    r"بتاريخ|من)\s+(?:the\s+|le\s+|el\s+|il\s+|o\s+|dnia\s+)?$",
    re.IGNORECASE,
)
# "on" and its kind only in a message that says the customer ordered ("I ordered 12 candles on
# 14 November", "am 17. November bestellt")
_ON = re.compile(r"\b(?:on|am|le|el|il|em|op|w dniu)\s+(?:the\s+)?$", re.IGNORECASE)
_ORDERED = re.compile(
    r"\b(?:ordered|bought|purchased|placed|bestellt|gekauft|commandée?s?\b|achet[ée]|ped[íi]\b|"
    r"compr[ée]|ordinato|comprato|encomendei|comprei|besteld|gekocht|zamówi\w*|kupi\w*|"
    r"заказ\w*|купил\w*|sipariş|aldım|طلبت|اشتريت)",
    re.IGNORECASE,
)
# after the day: "17 Kasım tarihli", "11月17日の注文", "11月17日的订单", "11월 17일 주문", and
# Turkish "17 Kasım siparişim", "17 Kasım'daki siparişim" (a walk: the latest order was told)
_AFTER = re.compile(
    r"^\s*(?:tarihli|tarihinde|(?:'?[dt][ae]ki\s+)?sipariş"
    r"|の注文|に注文|的订单|下的|订的|에 주문|주문)",
    re.IGNORECASE,
)


# ...and a day said as a deadline or an occasion is none, whatever follows ("Lo necesito antes
# del 24 de diciembre", "avant le 24 décembre", "pour mon anniversaire le 23 décembre" were
# told no order was placed that day: an attack). Polish "do" and "na" are left out: "do" is
# Portuguese for "of the", "na" for "in the".
_DEADLINE = re.compile(
    r"\b(?:before|by|until|till|for|due|birthday|christmas|antes|para|hasta|cumpleaños|avant|"
    r"pour|jusqu'au|anniversaire|noël|bis|vor|für|zum|spätestens|geburtstag|entro|prima|per|"
    r"compleanno|natale|até|aniversário|voor|tegen|uiterlijk|verjaardag|przed|urodziny|"
    r"до|к|ко|önce|için|kadar|doğum günü)\s+(?:(?:the|le|el|il|o|a|del|de|du|der|dem|den|"
    r"dia|dnia)\s+)?$",
    re.IGNORECASE,
)


def order_days(text: str) -> list[NamedDay]:
    """The days `text` names as the day an order was placed (see _FROM, _ON, _AFTER), none
    said as a deadline (_DEADLINE)."""
    ordered = _ORDERED.search(text) is not None
    return [
        d for d in days_named(text)
        if not _DEADLINE.search(text[max(0, d.start - 32) : d.start])
        and (_FROM.search(text[max(0, d.start - 24) : d.start])
             or (ordered and _ON.search(text[max(0, d.start - 12) : d.start]))
             or _AFTER.match(text[d.end : d.end + 16]))
    ]  # fmt: skip


_CJK_MONTH = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월](?!\s*\d)")
_NUMERIC_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{4})(?![\d/.-])")


@cache
def _month_and_year() -> tuple[re.Pattern[str], dict[str, int]]:
    """A month's name and a year ("December 2010", "août 2011"), built once per process."""
    _, months = _month_words()
    pattern = rf"(?<!\w)({_alternation(months)})\.?,?\s+(?:de\s+|of\s+)?(\d{{4}})(?!\d)"
    return re.compile(pattern, re.IGNORECASE), months


def order_months(text: str) -> list[tuple[int, int]]:
    """The months, each with its year, `text` names with no day ("my order from December
    2010", "ma commande d'août 2011", "2011年8月の注文", "12/2010"): (year, month), none said
    as a deadline. A month alone is no month here: the shop's orders span two Decembers. (A
    walk: "what was the total for my order from December 2010?" was told the latest order.)"""
    named, months = _month_and_year()
    days = [(d.start, d.end) for d in days_named(text)]
    found: list[tuple[int, int]] = []

    def add(start: int, end: int, year: int, month: int) -> None:
        inside = any(s <= start < e or s < end <= e for s, e in days)
        late = _DEADLINE.search(text[max(0, start - 32) : start])
        if 1 <= month <= 12 and not inside and not late and (year, month) not in found:
            found.append((year, month))

    for m in named.finditer(text):
        add(m.start(), m.end(), int(m.group(2)), months[m.group(1).lower()])
    for m in _CJK_MONTH.finditer(text):
        add(m.start(), m.end(), int(m.group(1)), int(m.group(2)))
    for m in _NUMERIC_MONTH.finditer(text):
        add(m.start(), m.end(), int(m.group(2)), int(m.group(1)))
    return found
