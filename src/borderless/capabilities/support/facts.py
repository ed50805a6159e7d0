"""Facts in a support reply, rendered by rule in the customer's language, never translated.

Order numbers, dates, amounts and statuses come from the order. Dates and money are written
with CLDR data (Babel: "7 grudnia 2011", "139,12 GBP"), statuses from `STATUS_NAMES`, order
numbers as they are. A reply template that is not written in the customer's language is
translated with each fact swapped for a placeholder token (`ZXQ1Z`, as the translation desk
protects spans), and the rendered facts go in after; a translation that loses or repeats a
token is not used. The bug this replaces: the whole English reply went through the LLM, which
turned 2011-12-07 into "7 stycznia 2011" (7 January) in Polish and "placed" into "sent" in
Arabic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal

from borderless.capabilities.grouping import cldr_grouped
from borderless.errors import BackendError, InvalidInput, ModelUnavailable

__all__ = [
    "LANGUAGES",
    "STATUS_NAMES",
    "counted_words",
    "fill",
    "format_day",
    "format_money",
    "format_month",
    "format_named_day",
    "format_number",
    "korean_particles",
    "missing_facts",
    "regional",
    "status_name",
]

LANGUAGES = ("en", "zh", "es", "de", "fr", "ja", "pt", "it", "ko", "ar", "ru", "nl", "pl", "tr")
# What each order or shipment status is called, per language (written for Borderless; the
# shop's own wording in the answers file wins where it has one).
STATUS_NAMES: dict[str, dict[str, str]] = {
    "placed": {
        # "received": "Status: aufgegeben" after "wurde ... aufgegeben" repeated the sentence,
        # "Durum: verildi" read as "given", "realizado", "effettuato" as done (walks)
        "en": "placed", "zh": "已下单", "es": "recibido", "de": "eingegangen",
        "fr": "enregistrée", "ja": "注文受付済み", "pt": "recebido", "it": "ricevuto",
        "ko": "주문 접수", "ar": "تم تقديم الطلب", "ru": "оформлен", "nl": "geplaatst",
        "pl": "złożone", "tr": "alındı",
    },
    "cancelled": {
        "en": "cancelled", "zh": "已取消", "es": "cancelado", "de": "storniert", "fr": "annulée",
        "ja": "キャンセル済み", "pt": "cancelado", "it": "annullato", "ko": "취소됨",
        "ar": "ملغى", "ru": "отменён", "nl": "geannuleerd", "pl": "anulowane",
        "tr": "iptal edildi",
    },
    "shipped": {
        "en": "shipped", "zh": "已发货", "es": "enviado", "de": "versandt", "fr": "expédiée",
        "ja": "発送済み", "pt": "enviado", "it": "spedito", "ko": "발송됨", "ar": "تم الشحن",
        "ru": "отправлен", "nl": "verzonden", "pl": "wysłane", "tr": "kargoya verildi",
    },
    "delivered": {
        "en": "delivered", "zh": "已送达", "es": "entregado", "de": "zugestellt",
        "fr": "livrée", "ja": "配達済み", "pt": "entregue", "it": "consegnato", "ko": "배송 완료",
        "ar": "تم التسليم", "ru": "доставлен", "nl": "bezorgd", "pl": "dostarczone",
        "tr": "teslim edildi",
    },
}  # fmt: skip
TOKEN = "ZXQ{}Z"  # the translation desk's placeholder form, which engines copy through
SLOT = re.compile(r"\{(\w+)\}")


def _locale(language: str) -> str:
    """CLDR's locale for a reply language: English as the world writes it ("7 December 2011",
    en_001), not as the US does ("December 7, 2011": a walk found it odd from a UK shop); a
    language with its market ("pt_PT", regional()) as that market writes it."""
    base = language.split("_")[0]
    found = base if base in LANGUAGES else "en"
    if found == "en":
        return "en_001"
    return language if base == found and language != base else found


def regional(language: str, market: str | None) -> str:
    """`language` as `market`'s listings write it (markets.market_locale), where that is the
    market's language: "pt_PT" for a customer in Portugal ("58,35 £", where Brazil's "pt"
    writes "£ 58,35": a walk), "de_CH", "fr_BE"; else `language`. English stays the world's
    (en_001)."""
    if not market or language == "en" or language not in LANGUAGES:
        return language
    from borderless.capabilities.catalog.markets import MARKETS, market_locale

    where = MARKETS.get(market.upper())
    if where is None or where.language != language:
        return language  # a Spanish customer in Germany: Spanish as Spain writes it
    return market_locale(where)


def status_name(status: str, language: str) -> str:
    """A status by its name in `language` (English when the table has no such language)."""
    names = STATUS_NAMES.get(status)
    if names is None:
        raise InvalidInput(
            f"unknown order status {status!r}; known: {', '.join(STATUS_NAMES)}", field="status"
        )
    return names.get(language, names["en"])


def format_day(day: date | datetime, language: str) -> str:
    """A date as CLDR writes it in `language`, long form: "7. Dezember 2011"."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=_locale(language)))


def format_named_day(month: int, day: int, year: int | None, language: str) -> str:
    """A day a customer named, as CLDR writes it in `language`: with its year when they gave
    one ("23 December 2011"), else day and month ("23 December")."""
    from babel.dates import format_skeleton

    if year is not None:
        return format_day(date(year, month, day), language)
    return str(format_skeleton("MMMMd", date(2000, month, day), locale=_locale(language)))


def format_money(amount: Decimal, currency: str, language: str, rule: str = "exact") -> str:
    """An amount with its currency as CLDR writes it in `language`: "139,12 £". `rule` is the
    seller's rounding rule the amount was rounded by: a price under the "whole" rule is "12 €"
    here as on the market's listings (money.format_price writes both; the chat had said
    "12,00 €" beside a listing's "12 €")."""
    from borderless.capabilities.catalog.money import format_price
    from borderless.languages import text_direction

    written = format_price(amount, currency, _locale(language), rule)
    if text_direction(language.split("_")[0]) == "rtl" and re.search("[A-Za-z]", written):
        # a symbol with Latin letters is isolated left to right, so that it keeps its place:
        # "190.18 UK£" read "£UK 190.18" in an Arabic reply (a walk); "ر.س." stays as CLDR
        # writes it (the right-to-left mark before the amount would turn the isolate around)
        written = "\u2066" + written.replace("\u200f", "") + "\u2069"
    return written


def format_number(value: int | Decimal, language: str) -> str:
    from babel.numbers import format_decimal

    return cldr_grouped(str(format_decimal(value, locale=_locale(language))), _locale(language))


def format_month(year: int, month: int, language: str) -> str:
    """A month with its year as CLDR writes it standing alone: "Dezember 2010", "2010年12月"."""
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMMM", date(year, month, 1), locale=_locale(language)))


def missing_facts(text: str, facts: Mapping[str, str]) -> list[str]:
    """Names of the facts whose rendered text is not in `text` exactly."""
    return [name for name, value in facts.items() if value and value not in text]


# Korean particles after a figure, written "은(는)" in a template whose figure is not known yet:
# the right one follows how the number is read (Sino-Korean), by its last digit: 2 이, 4 사,
# 5 오, 9 구 end in a vowel; 1 일, 7 칠, 8 팔 in ㄹ; the rest (and 십, 백, 천, 만 for a
# final 0) in another consonant. "주문 540280은(는)" read as a form to fill in.
_PARTICLE = re.compile(r"(\d)(은\(는\)|을\(를\)|이\(가\)|과\(와\)|\(으\)로)")
_VOWEL_END, _RIEUL_END = frozenset("2459"), frozenset("178")


def korean_particles(text: str) -> str:
    """`text` with each two-way particle after a number resolved ("540280은")."""

    def one(match: re.Match[str]) -> str:
        digit, pair = match.groups()
        vowel, rieul = digit in _VOWEL_END, digit in _RIEUL_END
        if pair == "(으)로":
            return digit + ("로" if vowel or rieul else "으로")
        consonant_form, vowel_form = pair[0], pair[2]
        return digit + (vowel_form if vowel else consonant_form)

    return _PARTICLE.sub(one, text)


# A count and its word written for any number in a template: "4 item(s)", "1 article(s)",
# "3 item(ns)", "2 articolo/i", "5 artikel(en)"; said for the count by CLDR's plural rules
# (French "0 article", "1 article"; English "1 item", "4 items").
# (an ending of one to three letters: "2 days/weeks" is two words, not "dayweeks")
_COUNTED = re.compile(
    r"(?<![\w.,])(\d[\d.,\u00a0\u202f ]*?) (\w+)(?:\((\w{1,3})\)|/(\w{1,2})(?!\w))"
)


def counted_words(text: str, language: str) -> str:
    """`text` with each "N word(s)" written for the count N in `language`."""
    from babel import Locale

    try:
        plural_form = Locale.parse(language).plural_form
    except (ValueError, LookupError):
        return text

    def one(match: re.Match[str]) -> str:
        figure, word, suffix, ending = match.groups()
        digits = re.sub(r"\D", "", figure)
        if not digits:
            return match.group(0)
        if plural_form(int(digits)) == "one":
            return f"{figure} {word}"
        if ending:  # Italian "articolo/i": the ending replaces the last letter
            return f"{figure} {word[:-1]}{ending}"
        if suffix == "ns" and word.endswith("m"):  # Portuguese "item(ns)": itens
            return f"{figure} {word[:-1]}{suffix}"
        return f"{figure} {word}{suffix}"

    return _COUNTED.sub(one, text)


def _written(text: str, language: str) -> str:
    """A filled template as `language` writes it: counts with their word, Korean particles."""
    said = counted_words(text, language)
    return korean_particles(said) if language == "ko" else said


def fill(
    template: str,
    facts: Callable[[str], Mapping[str, str]],
    source: str,
    target: str,
    translate: Callable[[str, str, str], str] | None,
) -> tuple[str, str]:
    """`template` (written in `source`) in `target` with the facts, rendered for a language by
    `facts(language)`, put in by rule.

    Returns (text, its language): in `target` when the template is written there or its
    translation kept every placeholder exactly once, else in `source` with facts rendered
    for `source`. `translate(text, source, target)` may raise the backend's errors.
    """
    names = SLOT.findall(template)
    if source == target or translate is None:
        return _written(template.format(**facts(source)), source), source
    tokens = {name: TOKEN.format(i + 1) for i, name in enumerate(dict.fromkeys(names))}
    masked = SLOT.sub(lambda m: tokens[m.group(1)], template)
    try:
        said = translate(masked, source, target)
    except (ModelUnavailable, BackendError, InvalidInput):
        said = ""
    if said and all(said.count(t) == masked.count(t) for t in tokens.values()):
        rendered = facts(target)
        for name, token in tokens.items():
            said = said.replace(token, rendered[name])
        if not missing_facts(said, {n: rendered[n] for n in tokens}):
            return _written(said, target), target
    return _written(template.format(**facts(source)), source), source
