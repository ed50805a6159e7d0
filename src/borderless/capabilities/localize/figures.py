"""Numbers as each language writes them: reading "1.000" as a thousand in Portuguese and
"2,5" as two and a half in German, and writing a number back with the target's marks.

CLDR data through Babel. Engines often group French or Polish numbers with plain spaces
("330 000"), so those are read too.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from borderless.capabilities.grouping import cldr_grouped

__all__ = ["IN_TEXT", "decimal_mark", "known_locale", "number_value", "readings", "write_number"]

# numbers as written in running text, with the group separators languages use
IN_TEXT = re.compile(r"(?<![\d.,])\d+(?:[.,\u00a0\u202f ]\d+)*(?:[.,]\d+)?")


@cache
def known_locale(code: str) -> bool:
    """Whether Babel has CLDR data for `code` (a language outside it is matched exactly)."""
    try:
        from babel import Locale
        from babel.core import UnknownLocaleError

        Locale.parse(code)
    except ImportError:  # pragma: no cover - Babel is a core dependency
        return False
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@cache
def number_value(written: str, locale: str) -> Decimal | None:
    """The value `written` has in `locale`'s convention, or None when it is not a number there."""
    if not known_locale(locale):
        return None
    try:
        from babel.numbers import NumberFormatError, parse_decimal
    except ImportError:  # pragma: no cover - Babel is a core dependency
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


def readings(written: str, source: str, target: str) -> set[Decimal]:
    """The values `written` may stand for: in the target's convention or the source's."""
    values = (number_value(written, target), number_value(written, source))
    return {v for v in values if v is not None}


@cache
def decimal_mark(locale: str) -> str:
    if not known_locale(locale):
        return "."
    try:
        from babel.numbers import get_decimal_symbol

        return str(get_decimal_symbol(locale))
    except (ImportError, ValueError, LookupError):  # pragma: no cover
        return "."


def decimals(written: str, locale: str) -> int:
    """Digits after the decimal mark in `written`, read in `locale`'s convention ("2.50": 2;
    "1,200" in English: 0)."""
    mark = decimal_mark(locale)
    if mark not in written:
        return 0
    tail = written.rsplit(mark, 1)[1]
    return len(tail) if tail.isdigit() else 0


def write_number(value: Decimal, places: int, target: str) -> str | None:
    """`value` with `places` decimals, the target's decimal mark and grouping; None when the
    locale is unknown."""
    if not known_locale(target):
        return None
    try:
        from babel.numbers import format_decimal

        digits = "#,##0" + ("." + "0" * places if places else "")
        return cldr_grouped(str(format_decimal(value, format=digits, locale=target)), target)
    except (ImportError, ValueError, LookupError, AttributeError):
        return None
