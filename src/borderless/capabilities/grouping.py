"""CLDR's minimum grouping digits, which Babel does not apply: Spanish, Polish and European
Portuguese group a number's thousands only from five digits on ("1234,50 €", "12.345,50 €";
Babel writes "1.234,50 €", which a Spanish reader finds foreign: a walk of the Markets page).
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["cldr_grouped"]

# locales whose CLDR data has minimumGroupingDigits 2 among our markets' (Mexico's Spanish
# groups from four digits, as CLDR's es_MX does)
_FROM_FIVE = frozenset({"es", "es_ES", "pl", "pl_PL", "pt_PT"})


@cache
def _four_digits(locale: str) -> re.Pattern[str] | None:
    if locale not in _FROM_FIVE:
        return None
    from babel.numbers import get_group_symbol

    group = re.escape(str(get_group_symbol(locale)))
    # one group of three after one digit, and no more groups on either side
    return re.compile(rf"(?<![\d.,\u00a0\u202f ])(\d){group}(\d{{3}})(?!\d|{group}\d)")


def cldr_grouped(written: str, locale: str) -> str:
    """`written` (Babel's output for `locale`) with four-digit numbers ungrouped where CLDR
    groups only from five digits: "1.234,5" -> "1234,5" in Spanish; "12.345,5" stays."""
    pattern = _four_digits(locale)
    return pattern.sub(r"\1\2", written) if pattern is not None else written
