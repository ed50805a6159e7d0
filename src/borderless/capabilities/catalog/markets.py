"""Markets: country names as they appear in shop data, mapped to code, language and currency."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from borderless.capabilities.catalog.checks import check_money, check_text
from borderless.capabilities.catalog.money import (
    Rate,
    check_currency,
    format_price,
    has_rate,
    local_price,
    no_rate,
    rule_for,
)
from borderless.capabilities.catalog.records import Market, Product
from borderless.capabilities.catalog.units import (
    convert_size,
    found_measures,
    localize_measures,
    shoe_sizes,
    size_system,
    unit_system,
)
from borderless.capabilities.grouping import cldr_grouped
from borderless.capabilities.localize.prices import COMMON, PREFIXED
from borderless.errors import InvalidInput
from borderless.languages import RIGHT_TO_LEFT

__all__ = [
    "LOCALIZE_TEXT",
    "MARKETS",
    "NOT_COUNTRIES",
    "RIGHT_TO_LEFT",
    "CurrencyRates",
    "MarketFormats",
    "MarketPrice",
    "ProductInMarket",
    "currencies_of_markets",
    "localize_for_market",
    "market",
    "market_for_country",
    "market_formats",
    "market_locale",
    "price_in_market",
    "prices_in_text",
    "product_in_markets",
    "rounding_name",
]

# markets that are no country: the retail file's "Unspecified" and "European Community" (the
# home page counted them among "38 countries": a walk)
NOT_COUNTRIES = ("XX", "EU")
LOCALIZE_TEXT = 5000  # characters of listing text localized at once
ROUNDING_NAMES = {"exact": "exact", "whole": "whole units", "99": "up to .99", "95": "up to .95",
                  "100": "up to a whole 100 (10 or 1 on small prices)"}  # fmt: skip


def rounding_name(rule: str, currency: str) -> str:
    """A rounding rule as a seller reads it for `currency`: "up to ...99" for the yen, which
    has no decimals (the Markets page said "up to .99" beside ¥1,999)."""
    from babel.numbers import get_currency_precision

    if rule in ("99", "95") and get_currency_precision(currency) == 0:
        return f"up to ...{rule}"
    return ROUNDING_NAMES.get(rule, rule)


# Names as written in the UCI Online Retail file (and common spellings). Languages are the
# main language of each market; currencies are those in use today. ISO 3166 has no code for
# the Channel Islands or an unspecified country: X* codes are reserved for such user use.
_ROWS: list[tuple[str, str, str, str]] = [
    ("GB", "United Kingdom", "en", "GBP"),
    ("DE", "Germany", "de", "EUR"),
    ("FR", "France", "fr", "EUR"),
    ("IE", "Ireland", "en", "EUR"),
    ("ES", "Spain", "es", "EUR"),
    ("NL", "Netherlands", "nl", "EUR"),
    ("BE", "Belgium", "nl", "EUR"),
    ("CH", "Switzerland", "de", "CHF"),
    ("PT", "Portugal", "pt", "EUR"),
    ("AU", "Australia", "en", "AUD"),
    ("NO", "Norway", "no", "NOK"),
    ("IT", "Italy", "it", "EUR"),
    ("XC", "Channel Islands", "en", "GBP"),
    ("FI", "Finland", "fi", "EUR"),
    ("CY", "Cyprus", "el", "EUR"),
    ("SE", "Sweden", "sv", "SEK"),
    ("XX", "Unspecified", "en", "GBP"),
    ("AT", "Austria", "de", "EUR"),
    ("DK", "Denmark", "da", "DKK"),
    ("JP", "Japan", "ja", "JPY"),
    ("PL", "Poland", "pl", "PLN"),
    ("IL", "Israel", "he", "ILS"),
    ("US", "United States", "en", "USD"),
    ("HK", "Hong Kong", "zh", "HKD"),
    ("SG", "Singapore", "en", "SGD"),
    ("IS", "Iceland", "is", "ISK"),
    ("CA", "Canada", "en", "CAD"),
    ("GR", "Greece", "el", "EUR"),
    ("MT", "Malta", "en", "EUR"),
    ("AE", "United Arab Emirates", "ar", "AED"),
    ("EU", "European Community", "en", "EUR"),
    ("ZA", "South Africa", "en", "ZAR"),
    ("LB", "Lebanon", "ar", "LBP"),
    ("LT", "Lithuania", "lt", "EUR"),
    ("BR", "Brazil", "pt", "BRL"),
    ("CZ", "Czech Republic", "cs", "CZK"),
    ("BH", "Bahrain", "ar", "BHD"),
    ("SA", "Saudi Arabia", "ar", "SAR"),
    ("CN", "China", "zh", "CNY"),
    ("KR", "South Korea", "ko", "KRW"),
    ("MX", "Mexico", "es", "MXN"),
    # not in the demo data, but the market of one of our 14 languages each (Turkey's and
    # Russia's own codes were refused as "unknown market" everywhere a market is named)
    ("TR", "Turkey", "tr", "TRY"),
    ("RU", "Russia", "ru", "RUB"),
]

MARKETS: dict[str, Market] = {
    code: Market(code, name, lang, cur) for code, name, lang, cur in _ROWS
}

_ALIASES = {"EIRE": "IE", "USA": "US", "RSA": "ZA", "UK": "GB", "Türkiye": "TR",
            "Russian Federation": "RU"}  # fmt: skip
_BY_NAME = {m.name.casefold(): m for m in MARKETS.values()} | {
    alias.casefold(): MARKETS[code] for alias, code in _ALIASES.items()
}


def market_for_country(name: str) -> Market | None:
    """The market for a country name or code as found in shop data, or None if unknown."""
    key = name.strip().casefold()
    return _BY_NAME.get(key) or MARKETS.get(name.strip().upper())


@cache
def market_locale(where: Market) -> str:
    """The CLDR locale a market writes in: its language and country where CLDR has that pair
    (en_GB writes "3 December 2026", en the American "December 3, 2026"; pt_PT "11,99 €",
    es_MX, de_CH "1'234.5"), else the language alone (Norwegian is Bokmål, nb)."""
    from babel import Locale, UnknownLocaleError

    # codes CLDR has no country for: the Channel Islands write as Britain does (they were
    # shown the American "December 4, 2026", a walk), the EU as English in Europe does
    own = {"XC": "en_GB", "XX": "en_GB", "EU": "en_150"}.get(where.code)
    if own is not None and where.language == "en":
        return own
    language = "nb" if where.language == "no" else where.language
    try:
        Locale.parse(f"{language}_{where.code}")
    except (UnknownLocaleError, ValueError):
        return language
    return f"{language}_{where.code}"


def market(code: str, field: str = "market") -> Market:
    """The market with this code, or InvalidInput listing the codes that exist."""
    found = MARKETS.get(code.strip().upper())
    if found is None:
        raise InvalidInput(
            f"unknown market {code!r}; known: {', '.join(sorted(MARKETS))}", field=field
        )
    return found


def localize_for_market(
    code: str,
    rates: Mapping[str, Rate],
    amount: Decimal | None = None,
    currency: str = "GBP",
    text: str = "",
    base: str | None = None,
    source: str | None = None,
) -> dict[str, str]:
    """A price, and a listing text's measures and sizes, as market `code` reads them: its
    currency (the seller's rates and rounding rule), units, size system and CLDR formats.
    `base` is the shop's own currency (the rates' base; without rates, the shop's): a missing
    rate is told as the market's (field `code`) or the price's (field `currency`). `source`:
    the language the text is written in (the catalog's), whose decimal mark reads "1,200 g"."""
    # the API's rule for the CLI too: a NUL and 100,000 characters passed there (an attack)
    check_text(text, "text", LOCALIZE_TEXT)
    where = market(code)
    found = {"market": where.code, "language": where.language, "currency": where.currency,
             "units": unit_system(where.code), "sizes": size_system(where.code)}  # fmt: skip
    language = market_locale(where)
    currency = check_currency(currency, "currency")  # also without a price ("XYZ" passed)
    checked = check_money(amount, "price")  # finite, 0 to MAX_PRICE; None stays None
    if checked is not None:
        price, rule = _in_market(checked, currency, where, rates, base, field="currency")
        found["price"] = str(price)
        found["formatted"] = format_price(price, where.currency, language, rule)
    if text:
        # prices first, kept out of the measures' way: '"£4.95"' was read as 4.95 inches, then
        # as a price of £12.60 ('14,99 € cm', an attack); each stands as a private-use mark
        # while the measures are read, unless the text has such characters of its own
        marks = re.search(_MARKS, text) is None
        shielded, pieces = _prices(text, where, rates, base, language, marks)
        try:
            localized = localize_measures(shielded, where.code, language, source)
        except InvalidInput as exc:  # a shoe size: the field sent is the text
            raise InvalidInput(exc.message, field="text") from exc
        found["text"] = _put_back(localized, pieces)
    return found


def _priced(code: str, base: str | None, rates: Mapping[str, Rate]) -> bool:
    """Whether a price in `code` can be shown elsewhere: the shop's own currency, or a rate."""
    return code == base or has_rate(code, rates)


def _in_market(
    amount: Decimal,
    currency: str,
    where: Market,
    rates: Mapping[str, Rate],
    base: str | None,
    field: str,
    said: str = "",
) -> tuple[Decimal, str]:
    """`amount` in `currency` as market `where` charges it, and the rounding rule used. A
    missing rate is the price's (`field`, `said` before the message) before the market's:
    the market's currency lacking one is told as field `code` (a walk: "currency", and in a
    shop without rates "set one for GBP" where JPY's was wanted)."""
    if where.currency != currency and not _priced(currency, base, rates):
        raise InvalidInput(said + no_rate(currency).message, field=field)
    if where.currency != currency and not _priced(where.currency, base, rates):
        raise InvalidInput(no_rate(where.currency).message, field="code")
    return local_price(amount, currency, where.currency, rates), rule_for(
        currency, where.currency, rates
    )


# A price's amount read without knowing the text's language: its last mark is the decimal
# mark when one or two digits follow it ("4.95", "4,95", "1.234,50"), else every mark groups
# ("1,250", "1.250": a price with three decimals is no price a shop writes; "0.001" is no group).
# Groups may also be spaces, as French, Polish and Russian write them ("1 250,00 €" was read
# as a 1 and 250 €, a silent wrong price): a no-break or thin space always groups, a plain one
# only before decimals; "1 250 zł" may be one price or a 1 and a price, and is refused. A
# figure space and an apostrophe (Swiss "1'250.00") group too. A price against another number
# that is no group ("1 25,00 £", "1 2500,00 £", "£0 250") is refused: an attack found each
# converted in part ("1 29,25 €").
_HIGHEST = Decimal(10**12)
_GROUP_SPACES = " \u00a0\u202f\u2009\u2007'’"
_AGAINST_BEFORE = re.compile(rf"\d[\t{_GROUP_SPACES}]$")
# a number followed by a unit is a measure, not the rest of the price: "£5 500 ml bottle" is
# £5 and 500 ml (it was refused as "may be one price or a number and a price", an attack)
_UNIT = r"(?i:mm|cm|ml|cl|kg|g|l|m|oz|lb|lbs|fl\.?\s?oz|pcs|pc|pack)\b"
_UNIT_NEXT = rf"\d*(?:[.,]\d+)?\s?{_UNIT}"
_AGAINST_AFTER = re.compile(rf"[\t{_GROUP_SPACES}]+\d(?!{_UNIT_NEXT})")  # "£0 250", "£1 25.00"
_DECIMALS = re.compile(r"[.,](\d{1,2})$")  # an amount's decimals: "4.95", "4,9"
# "£1.250": three decimals (a fuel price) or a European group; after £ or $ it is refused
_DOT_GROUP = re.compile(r"[1-9]\d{0,2}\.\d{3}")  # "£0.001" is a fraction
_AMOUNT = (
    rf"[1-9]\d{{0,2}}(?:[{_GROUP_SPACES}]\d{{3}})+(?:[.,]\d{{1,2}})?(?!\d|\s?{_UNIT})"
    r"|[1-9]\d{0,2}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,3})?"
)
_SIGN_CODES = {"£": "GBP", "€": "EUR", "₺": "TRY", "TL": "TRY", "₽": "RUB", "руб": "RUB",
               "руб.": "RUB", "₩": "KRW", "₹": "INR", "zł": "PLN", "円": "JPY", "元": "CNY",
               **PREFIXED}  # fmt: skip
_MARKS = "[\ue000-\uf8ff]"  # private-use characters: where a converted price stands
_BEFORE = r"(?:[A-Z]{3}|US|HK|NZ|MX|AU|CA|[RACS])\$|[£$€¥₺₽₩₹]|\b[A-Z]{3}\b"
_AFTER = r"[£$€¥₺₽₩₹円元]|zł|TL\b|руб\.?|\b[A-Z]{3}\b"
# a price, and a range in one currency ("£4.95-9.95", "£4.95 – £9.95", "4,95–9,95 €"); never
# glued to letters or digits, but a count may stand before or after ("2x£4.95", "£4.95x2"). A
# dash with spaces and no sign after it starts no range: "£4.95 - 100 ml" was the range
# "5,79 €–117 € ml" (an attack).
_PRICE = re.compile(
    rf"(?:(?<![\w.,])|(?<=\d[x×]))(?P<before>{_BEFORE})\s?(?P<a>{_AMOUNT})"
    rf"(?:[-–](?:(?P=before)\s?)?(?P<b>{_AMOUNT})|\s?[-–]\s?(?P=before)\s?(?P<b3>{_AMOUNT}))?"
    rf"(?!(?![x×]\d)\w|[.,]\d)"
    rf"|(?<![\w.,])(?P<a2>{_AMOUNT})(?:\s?[-–]\s?(?P<b2>{_AMOUNT}))?"
    rf"\s?(?P<after>{_AFTER})(?![\w])"
)


# Pence: "95p" is £0.95 (it was left as written in every market, a price the market does not
# pay in); one or two digits against the p, against no other word or number ("2 p" with a
# space may be two pieces, "page 5 p." a page)
_PENCE = re.compile(r"(?<![\w.,£$€\ue000-\uf8ff])([1-9]\d?)p(?![\w'’-])")

_CODES_READ = frozenset({m.currency for m in MARKETS.values()} | set(COMMON))


def _amount(written: str) -> Decimal:
    tail = _DECIMALS.search(written)
    if tail is None and re.fullmatch(r"0[.,]\d{3}", written):
        return Decimal(written.replace(",", "."))  # "0.001": a fraction, not a group
    whole = written[: tail.start()] if tail else written
    return Decimal(re.sub(r"\D", "", whole) + ("." + tail.group(1) if tail else ""))


def prices_in_text(
    text: str, where: Market, rates: Mapping[str, Rate], base: str | None, language: str
) -> str:
    """`text` with each price ("£4.95", "12 EUR", "€3,50", "R$10", "₺100", "500円", a range
    "£4.95-9.95") in the market's currency by the seller's rates and rounding, written the
    CLDR way of `language`. A price in a currency without a rate, or a sign that names
    several ("$" with no US rate but an Australian one, "¥" for both yen and yuan), is
    InvalidInput (field `text`): never relabelled, never left in a currency the market does
    not pay in (a walk: "£4.95" stayed as written in Japan; an attack: "₺100", "500円" and
    "R$10" were left or refused as currency "R")."""
    return _prices(text, where, rates, base, language, marks=False)[0]


def _put_back(text: str, pieces: list[str]) -> str:
    """`text` with each private-use mark _prices left replaced by its converted price."""
    if not pieces:
        return text
    return re.sub(_MARKS, lambda m: pieces[ord(m.group(0)) - 0xE000], text)


def _prices(
    text: str,
    where: Market,
    rates: Mapping[str, Rate],
    base: str | None,
    language: str,
    marks: bool,
) -> tuple[str, list[str]]:
    """The text with its prices converted, and, with `marks`, each standing as a private-use
    mark (U+E000 for the first) and the converted prices in order."""

    def currency_of(marker: str, written: str) -> str | None:
        if marker in _SIGN_CODES:
            return _SIGN_CODES[marker]
        if marker in ("$", "¥"):
            codes = ["USD", "AUD", "CAD", "NZD", "HKD", "SGD"] if marker == "$" else ["JPY", "CNY"]
            known = [c for c in codes if _priced(c, base, rates)]
            first = base if base in codes else "USD" if "USD" in known else None
            if first is None and len(known) != 1:
                raise InvalidInput(
                    f"{written!r} may be {', '.join(sorted(codes))}: write the currency's code "
                    f"(such as {codes[0]} 10)",
                    field="text",
                )
            return first or known[0]
        code = marker[:3]  # "AUD$4" is the Australian dollar
        # the markets' currencies and the common ones only: "SET OF 6 CUP" (a Cuban peso
        # code) and "100 ALL" (Albania's) are titles, "SET 10" no price at all
        return code if code in _CODES_READ else None

    def convert_one(amount_text: str, currency: str, written: str) -> str:
        if " " in amount_text and not _DECIMALS.search(amount_text):
            raise InvalidInput(
                f"{written!r} may be one price or a number and a price: write the amount "
                f"without spaces ({amount_text.replace(' ', '')}) or apart from the number "
                "before it",
                field="text",
            )
        amount = _amount(amount_text)
        check_money(amount, "text", high=_HIGHEST)  # "¥1,500,000" is a price; 10^15 is none
        local, rule = _in_market(amount, currency, where, rates, base, "text", f"{written}: ")
        if not _DECIMALS.search(amount_text) and local == local.to_integral_value():
            rule = "whole"  # "£3" stays "£3" (was "£3.00")
        return format_price(local, where.currency, language, rule)

    pieces: list[str] = []

    def placed(written: str) -> str:
        """A converted price as it stands in the text: itself, or with `marks` its mark."""
        if not marks:
            return written
        pieces.append(written)
        return chr(0xE000 + len(pieces) - 1)

    def rewrite(m: re.Match[str]) -> str:
        currency = currency_of(m["before"] or m["after"], m.group(0))
        if currency is None:
            return m.group(0)
        first, second = m["a"] or m["a2"], m["b"] or m["b3"] or m["b2"]
        if (m["a2"] and _AGAINST_BEFORE.search(m.string[: m.start()])) or (
            m["before"]
            and not _DECIMALS.search(second or first)
            and _AGAINST_AFTER.match(m.string[m.end() :])
        ):
            around = m.string[max(0, m.start() - 8) : m.end() + 8].strip()
            raise InvalidInput(
                f"{m.group(0)!r} stands against another number ({around!r}): write the price "
                "apart from it, its thousands without spaces or with no-break ones",
                field="text",
            )
        if m["before"] in ("£", "$") and any(_DOT_GROUP.fullmatch(a or "") for a in m.groups()):
            raise InvalidInput(
                f"{m.group(0)!r} may be a price of three decimals or one with its thousands "
                "grouped by a dot: write it as 1,250 or 1.25",
                field="text",
            )
        kept = ""  # what the match holds that is no price: "2011 - " before "5 €"
        between = ""  # "£9.99-£4.99": two prices, no range
        if second and _amount(second) < _amount(first):  # "2011 - 5 €", "£4.95-2 pcs"
            if m["a2"]:
                kept, first, second = m.string[m.start() : m.start("b2")], second, None
            else:
                end = m.start("b3") if m["b3"] else m.start("b")
                between = m.string[m.end("a") : end]
                if m["before"] not in between:  # no sign: a count after a dash
                    between, second = m.string[m.end("a") : m.end()], None
        written = convert_one(first, currency, m.group(0))
        if second and between:
            written += between.replace(m["before"], "") + convert_one(second, currency, m[0])
        elif second:
            written += f"–{convert_one(second, currency, m.group(0))}"
        else:
            written += between
        return kept + placed(written)

    def pence(m: re.Match[str]) -> str:
        return placed(convert_one(f"0.{int(m.group(1)):02d}", "GBP", m.group(0)))

    return _PENCE.sub(pence, _PRICE.sub(rewrite, text)), pieces


@dataclass(frozen=True)
class ProductInMarket:
    """One product as one market reads it: its price in the market's currency (or why there
    is none) and its measures and sizes in the market's systems (original, as read there)."""

    market: Market
    price: str | None  # CLDR-formatted in the market's language
    rounding: str  # the rule that made `price`, in words
    note: str  # why there is no price ("no exchange rate for EUR: ...")
    # (as the product says it, as the market reads it or why it cannot, whether it could)
    measures: tuple[tuple[str, str, bool], ...]

    @property
    def direction(self) -> str:
        return "rtl" if self.market.language in RIGHT_TO_LEFT else "ltr"


@dataclass(frozen=True)
class MarketPrice:
    """A product's price as one market is charged it: its amount in the market's currency
    (the seller's rate and rounding rule), written the market's way; or None and why not
    ("no price set", "no exchange rate for EUR: ...")."""

    market: Market
    amount: Decimal | None
    formatted: str | None
    rounding: str  # the rule in words ("the product's own price" in its own currency)
    note: str


def price_in_market(product: Product, where: Market, rates: Mapping[str, Rate]) -> MarketPrice:
    """`product`'s price in market `where`, never the shop's number under another sign."""
    if product.price is None:
        return MarketPrice(where, None, None, "", "no price set")
    try:
        if where.currency != product.currency and not has_rate(where.currency, rates):
            raise no_rate(where.currency)  # the market's rate first, not the shop's
        amount = local_price(product.price, product.currency, where.currency, rates)
        rule = rule_for(product.currency, where.currency, rates)
    except InvalidInput as exc:
        return MarketPrice(where, None, None, "", exc.message)
    formatted = format_price(amount, where.currency, market_locale(where), rule)
    own = where.currency == product.currency
    rounding = "the product's own price" if own else rounding_name(rule, where.currency)
    return MarketPrice(where, amount, formatted, rounding, "")


def product_in_markets(
    product: Product, codes: Sequence[str], rates: Mapping[str, Rate]
) -> list[ProductInMarket]:
    """`product` in each market of `codes`: a price only where the seller's rates give one,
    never the shop's number under another currency's sign."""
    texts = [product.title, product.description]
    measures = product.attributes.get("measures", [])
    texts += [str(m) for m in (measures if isinstance(measures, list) else [measures])]
    # "90cm" in the attributes and "90 cm" in the title are one measure.
    seen: dict[str, str] = {}
    shoes: set[str] = set()
    for text in texts:
        for span in found_measures(text):
            seen.setdefault(span.replace(" ", ""), span)
        shoes |= shoe_sizes(text)
    found = list(seen.values())
    out = []
    for code in codes:
        where = market(code)
        language = market_locale(where)
        shown = price_in_market(product, where, rates)
        price, rounding, note = shown.formatted, shown.rounding, shown.note
        read = []
        for span in found:
            if span in shoes and size_system(where.code) not in span:
                read.append((span, f"{span} is a shoe size: only women's clothing sizes are "
                             "converted (write the shoe size for each market)", False))  # fmt: skip
                continue
            try:
                read.append((span, localize_measures(span, where.code, language,
                                                     product.language), True))  # fmt: skip
            except InvalidInput as exc:
                read.append((span, exc.message, False))
        out.append(ProductInMarket(where, price, rounding, note, tuple(read)))
    return out


@dataclass(frozen=True)
class CurrencyRates:
    """One currency the shop's markets pay in: its rate and rounding rule (None when the seller
    has set none: those markets are shown no price), and a sample price as they read it."""

    currency: str
    markets: tuple[Market, ...]  # the shop's markets that pay in it (none: a rate kept anyway)
    rate: Rate | None
    rounding: str  # the rule in words
    # SAMPLE_PRICE in the base currency as its markets write it (up to SAMPLE_FORMS ways); ""
    # without a rate
    sample: str


SAMPLE_PRICE = Decimal("10")
SAMPLE_FORMS = 3


def currencies_of_markets(
    codes: Sequence[str], rates: Mapping[str, Rate], base: str
) -> list[CurrencyRates]:
    """Every currency the markets of `codes` pay in (the base currency left out) and every
    currency with a stored rate, those without a rate first: what the seller must set."""
    by_currency: dict[str, list[Market]] = {}
    for code in codes:
        where = market(code)
        if where.currency != base:
            by_currency.setdefault(where.currency, []).append(where)
    for currency in rates:
        by_currency.setdefault(currency, [])
    out = []
    for currency, markets in by_currency.items():
        rate = rates.get(currency)
        sample = ""
        if rate is not None:
            # each way its markets write it ("11,99 €" in France, "€ 11,99" in the
            # Netherlands): the first market's alone had shown the Dutch one for every euro
            # market (a walk)
            amount = local_price(SAMPLE_PRICE, base, currency, rates)
            written = [
                format_price(amount, currency, market_locale(m), rate.rounding) for m in markets
            ] or [format_price(amount, currency, "en", rate.rounding)]
            sample = " · ".join(list(dict.fromkeys(written))[:SAMPLE_FORMS])
        rounding = rounding_name(rate.rounding, currency) if rate else ""
        out.append(CurrencyRates(currency, tuple(markets), rate, rounding, sample))
    return sorted(out, key=lambda c: (c.rate is not None, -len(c.markets), c.currency))


@dataclass(frozen=True)
class MarketFormats:
    """How a market writes things (CLDR through Babel): a date, a number, its systems."""

    market: Market
    date: str
    number: str
    units: str
    sizes: str

    @property
    def size_example(self) -> str:
        """A UK 10 in the market's sizes ("DE 36"): the scale's name alone does not say which
        of Europe's it is."""
        return f"{self.sizes} {convert_size('10', 'UK', self.sizes)}"


def market_formats(code: str, day: date) -> MarketFormats:
    """Market `code`'s way of writing `day` and 1234.5, and its unit and size systems."""
    from babel.dates import format_date
    from babel.numbers import format_decimal

    where = market(code)
    language = market_locale(where)
    return MarketFormats(
        where,
        str(format_date(day, format="long", locale=language)),
        cldr_grouped(str(format_decimal(Decimal("1234.5"), locale=language)), language),
        unit_system(where.code),
        size_system(where.code),
    )
