"""Turning a shopper's sentence into filters and a search query, by rules, with the reading shown.

"a birthday gift for my mother who gardens, under 20 pounds" becomes the query "birthday gift
mother gardens" with price at most 20. Rules cover prices (under, over, between, a range,
around) and stock in English, German, French, Spanish and Chinese, and price words in Italian,
Portuguese, Dutch, Polish, Russian, Korean, Turkish, Japanese and Arabic, with the names of the
pound and the euro in each; the remaining words, less filler, are
the query. What was understood is returned as plain phrases so the shop can show it.

A price named in a currency other than the shop's ("moins de 5 euros" in a pound shop) is
converted with the seller's rates table (catalog/money.py), or, without a rate for it, not
applied and said so in `refused`: never read as 5 in the shop's currency. The same holds for
a code ISO 4217 does not know ("under 5 XYZ"), money no rates table holds ("5 bitcoin"), a
figure followed by a unit ("under 5 kg", "between 10 and 20 cm": a size, not a price) and a
figure no shop charges (scientific notation, over a billion). Thousands may be grouped
("$1,000,000", "1.200 €").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from borderless.capabilities.catalog.money import Rate, base_bound, convert
from borderless.capabilities.language import script_language
from borderless.errors import InvalidInput

__all__ = ["Need", "give_way", "read_need"]

# thousands grouped in threes ("1,000,000.50", "1.200") or plain digits ("12,50", "7.5")
_GROUPED = r"\d{1,3}(?:[.,\u00a0\u202f' ]\d{3})+"
_NUMBER = rf"({_GROUPED}(?:[.,]\d{{1,2}})?(?!\d)|\d+(?:[.,]\d{{1,2}})?)"
# Currency words and signs -> ISO 4217 code; AMBIGUOUS where one word names several
# currencies ("pesos", "kroner"): such a price is refused, never guessed. Words that are also
# common words are left out ("real", "try", "won" before a noun).
AMBIGUOUS = "?"
UNKNOWN = "!"
YEN_SIGN = "¥"  # yen or yuan: the shop's currency, its rates, or kana in the text decide
YEN_OR_YUAN = "¥?"  # none of them did
DOLLAR_SIGN = "$"  # US dollars unless the shop's currency or the shopper's market has others
DOLLAR_WORD = "$w"  # the same for the word, but in Mexico "dollars" are US dollars
_DOLLARS = {"AU": "AUD", "CA": "CAD", "MX": "MXN", "HK": "HKD", "SG": "SGD", "NZ": "NZD",
            "TW": "TWD", "US": "USD"}  # fmt: skip
_CODES = {
    "£": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "libra": "GBP", "libras": "GBP",
    "pfund": "GBP", "gbp": "GBP", "英镑": "GBP",
    # the pound and the euro in the other market languages (a walk: "tazza da 1 a 2 sterline"
    # was not read); Dutch "pond" is left out, a weight too
    "sterling": "GBP", "sterline": "GBP", "sterlina": "GBP", "sterlin": "GBP", "funt": "GBP",
    # a walk: "mum 5 sterlinin altında", "moins de 3 livres" ("livres" stayed in the query)
    "sterlinin": "GBP", "livre": "GBP", "livres": "GBP", "livres sterling": "GBP",
    "funty": "GBP", "funtów": "GBP", "фунт": "GBP", "фунтов": "GBP", "фунта": "GBP",
    "ポンド": "GBP", "파운드": "GBP", "جنيه إسترليني": "GBP", "إسترليني": "GBP",
    # "جنيه" alone is the Egyptian pound as often as sterling: read as EGP, so a shop without
    # that rate refuses it rather than relabel it (a walk: "شمعة أقل من 2 جنيه" was read as
    # £2 and searched for "شمعة جنيه")
    "جنيه": "EGP", "جنيهات": "EGP",
    "€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "欧元": "EUR", "avro": "EUR",
    "евро": "EUR", "ユーロ": "EUR", "유로": "EUR", "يورو": "EUR",
    "$": DOLLAR_SIGN, "dollar": DOLLAR_WORD, "dollars": DOLLAR_WORD, "usd": "USD",
    "美元": "USD",
    "¥": YEN_SIGN, "￥": YEN_SIGN, "cn¥": "CNY", "cn￥": "CNY", "jp¥": "JPY", "jp￥": "JPY",
    # CLDR's own symbols for dollars outside the US ("US$12.99" is how it writes USD in fr)
    "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "hk$": "HKD",
    "s$": "SGD", "nz$": "NZD", "mx$": "MXN", "nt$": "TWD",
    "yuan": "CNY", "元": "CNY", "rmb": "CNY", "cny": "CNY", "人民币": "CNY",
    "yen": "JPY", "円": "JPY", "jpy": "JPY", "엔": "JPY",
    "₩": "KRW", "원": "KRW", "krw": "KRW",
    "₹": "INR", "rupee": "INR", "rupees": "INR", "inr": "INR",
    "₽": "RUB", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "руб": "RUB", "рублей": "RUB", "рубля": "RUB", "рубль": "RUB", "rub": "RUB",
    "zł": "PLN", "złoty": "PLN", "złotych": "PLN", "zloty": "PLN", "zlotys": "PLN", "pln": "PLN",
    "₺": "TRY", "lira": "TRY", "liras": "TRY", "tl": "TRY", "liraya": "TRY", "liradan": "TRY",
    "liranın": "TRY", "块": "CNY", "块钱": "CNY",
    "franc": "CHF", "francs": "CHF", "franken": "CHF", "chf": "CHF",
    "r$": "BRL", "reais": "BRL", "brl": "BRL",
    "dirham": "AED", "dirhams": "AED", "درهم": "AED", "دراهم": "AED", "د.إ": "AED", "aed": "AED",
    "riyal": "SAR", "riyals": "SAR", "ريال": "SAR", "ريالا": "SAR", "ريالاً": "SAR", "ر.س": "SAR",
    "sar": "SAR", "دولار": DOLLAR_WORD,
    "kronor": "SEK", "sek": "SEK",
    "cad": "CAD", "aud": "AUD", "hkd": "HKD", "sgd": "SGD", "mxn": "MXN",
    "peso": AMBIGUOUS, "pesos": AMBIGUOUS, "kroner": AMBIGUOUS, "krone": AMBIGUOUS,
    "krona": AMBIGUOUS, "kr": AMBIGUOUS, "dinar": AMBIGUOUS, "dinars": AMBIGUOUS,
    "shekel": "ILS", "shekels": "ILS", "baht": "THB", "forint": "HUF", "hryvnia": "UAH",
    "dong": "VND", "ringgit": "MYR", "rupiah": "IDR",
    # money no rates table holds: always refused
    "bitcoin": UNKNOWN, "bitcoins": UNKNOWN, "btc": UNKNOWN, "eth": UNKNOWN,
    "ether": UNKNOWN, "ethereum": UNKNOWN, "crypto": UNKNOWN, "比特币": UNKNOWN,
}  # fmt: skip
# A number followed by one of these is a size, weight or count, not a price ("under 5 kg",
# "between 3 and 5 stone"): it stays in the query and no price is applied.
_UNIT_WORDS = (
    "kg kgs kilo kilos kilogram kilograms g gram grams gramm gramos grammes lb lbs oz ounce "
    "ounces stone stones st mg t cm mm m km metre metres meter meters inch inches in ft feet "
    "foot yard yards ml l cl dl litre litres liter liters gallon gallons pint pints pcs pc "
    "piece pieces pieza piezas stück stk pack packs packung set sets item items x cup cups "
    "w watt watts v volt volts mah gb tb mb hz percent pct years year yrs jahre ans años anni "
    "days day tage jours días hours stunden people personen persons personnes pers sheets "
    "layers tier tiers "
    # the market languages' words for them (an attack: "oltre 2 metri", "أقل من 2 متر", "sotto
    # 10 minuti" were prices)
    "metri metro metre centimetri centimetro millimetri litri litro chili grammi pezzi pezzo "
    "minuti minuto ore ora anni anno mesi giorni giorno persone fogli strati "
    "metros centímetros litros kilos gramos minutos horas meses personas "
    "mètres centimètres litres minutes heures mois jours "
    "meter zentimeter liter minuten monate "
    "metrów metry centymetrów sztuk sztuki lat lata minut godzin dni miesięcy osób "
    "метр метра метров см мм кг г л мл шт штук штуки лет год года минут часов дней месяцев "
    "metre santimetre litre adet yaş dakika saat gün ay kişi "
    "متر مترا أمتار سم سنتيمتر مم كغ كيلو غرام جرام لتر مل قطعة قطع سنة سنوات سنين دقيقة دقائق "
    "ساعة ساعات يوم أيام شهر أشهر شخص أشخاص"
)
_UNITS = frozenset(_UNIT_WORDS.split()) | set(
    ["厘米", "毫米", "公斤", "千克", "克", "米", "升", "毫升", "个", "件", "岁", "寸", "%", '"']
)
# beyond this a figure is no price a shop filters by
_MOST = Decimal(1_000_000_000)
# Longer words first, so "euros" is not read as "eur" + "os".
_CURRENCY = "(?:" + "|".join(re.escape(w) for w in sorted(_CODES, key=len, reverse=True)) + ")"
_MONEY = rf"(?:{_CURRENCY}\s*)?{_NUMBER}(?:\s*{_CURRENCY})?"
# a word currency must stand alone ("kr" is no currency inside "kroner" or "krug"); letters
# of scripts written without spaces may touch it ("100元以下")
_LETTER = "[a-zà-öø-ÿ\u0100-\u024f\u0400-\u04ff]"
_CURRENCY_WORD = re.compile(rf"(?<!{_LETTER}){_CURRENCY}(?!{_LETTER})", re.I)


def _words(*phrases: str) -> str:
    return "|".join(phrases)


_UNDER = _words(
    "under", "below", "less than", "cheaper than", "at most", "max(?:imum)?", "up to",
    "no more than", "pas plus de", "pas plus que", "nicht mehr als", "no más de", "unter",
    "bis", "weniger als", "höchstens", "moins de", "jusqu'à", "menos de", "hasta",
    "por debajo de", "meno di", "sotto i", "sotto", "al di sotto di", "até",
    "abaixo de", "onder de", "onder", "менее", "не больше",
    "minder dan", "maximaal", "poniżej", "mniej niż", "taniej niż", "maksymalnie", "дешевле",
    "меньше", "не дороже", "не более", "günstiger als", "billiger als", "moins cher que",
    "más barato que", "goedkoper dan", "tańszy niż", "tańsze niż",
    # Arabic (a walk: "كوب أقل من 20 ريال" read 20 as a word and found 20 DOLLY PEGS)
    "أقل من", "بأقل من", "تحت", "لا يزيد عن", "بحد أقصى",
)  # fmt: skip
# after the price: "20 TL altı", "50 liraya kadar", "20 TL'den ucuz", "5 € oder weniger",
# "千円以下", "1000円まで"
_UNDER_AFTER = _words(
    "以下", "以内", "之内", "이하", "미만", "까지", "まで", "未満", r"\baltında\b", r"\baltı\b",
    r"'?(?:d[ae]n|t[ae]n)\s+(?:daha\s+)?(?:ucuz|az)\b", r"'?(?:y?[ae])?\s*kadar\b",
    r"\bor (?:less|under|cheaper)\b", r"\boder (?:weniger|günstiger|billiger)\b",
    r"\bou moins\b", r"\bo menos\b", r"\bo meno\b", r"\bof minder\b",
    r"\blub (?:mniej|taniej)\b", r"\bили дешевле\b",
)  # fmt: skip
_OVER = _words(
    "over", "above", "more than", "at least", "min(?:imum)?", "from", "über", "mehr als",
    "mindestens", "ab", "plus de", "au moins", "más de", "al menos", "desde", "più di",
    "almeno", "mais de", "pelo menos", "meer dan", "minstens", "powyżej", "więcej niż",
    "дороже", "не менее", "أكثر من", "فوق",
)  # fmt: skip
_AROUND = _words("around", "about", "roughly", "circa", "ungefähr", "etwa", "environ",
                 "alrededor de", "unos")  # fmt: skip
_BETWEEN = rf"\b(?:between|zwischen|entre)\s+{_MONEY}\s+(?:and|und|et|y)\s+{_MONEY}"
# "US$10-20", "from £5 to £8", "de 10 à 20 euros": a range, read only when it names a
# currency ("pack of 10-20 candles" is no price)
_RANGE = (
    rf"(?:\b(?:from|von|de|desde|da|od|от|van)\s+)?{_MONEY}"
    rf"\s*(?:-|–|—|~|～|到|至|から|\b(?:to|bis|à|a|do|до|tot)\b)\s*{_MONEY}(?:\s*まで)?"
)

_YEAR = re.compile(r"(?:19|20)\d\d")
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("between", re.compile(_BETWEEN, re.I)),
    ("range", re.compile(_RANGE, re.I)),
    ("under", re.compile(rf"(?:\b(?:{_UNDER})\b\.?|<|≤)\s*{_MONEY}", re.I)),
    ("over", re.compile(rf"(?:\b(?:{_OVER})\b\.?|>|≥)\s*{_MONEY}", re.I)),
    ("around", re.compile(rf"\b(?:{_AROUND})\s+{_MONEY}", re.I)),
    ("under", re.compile(rf"{_MONEY}\s*(?:{_UNDER_AFTER})", re.I)),
    # Polish "do 20 zł" (up to): only with a currency, "do" being an English word too
    ("under+currency", re.compile(rf"\b(?:do|до)\s+{_MONEY}", re.I)),
    # words that say "until" or "beyond" as often as "up to" a price: only with a currency
    # ("calendario oltre 2024", "تقويم حتى 2025" were prices, an attack)
    ("under+currency", re.compile(rf"\b(?:حتى|fino a|tot)\s+{_MONEY}", re.I)),
    ("over+currency", re.compile(rf"\b(?:oltre)\s+{_MONEY}", re.I)),
    ("under", re.compile(rf"(?:低于|不超过|少于)\s*{_MONEY}", re.I)),
    ("over", re.compile(rf"{_MONEY}\s*(?:以上|이상|\büstünde\b)", re.I)),
]
_IN_STOCK = re.compile(
    r"\b(?:in stock|available now|ready to ship|auf lager|lieferbar|en stock|disponible"
    r"|en existencia)\b|现货|有货",
    re.I,
)
_FILLER = set(
    [
        "a",
        "an",
        "the",
        "for",
        "my",
        "me",
        "i",
        "we",
        "our",
        "your",
        "his",
        "her",
        "their",
        "who",
        "which",
        "that",
        "with",
        "and",
        "e",
        "or",
        "to",
        "of",
        "in",
        "on",
        "at",
        "something",
        "some",
        "any",
        "looking",
        "look",
        "need",
        "needs",
        "want",
        "wants",
        "would",
        "like",
        "please",
        "find",
        "me",
        "gift-wise",
        "is",
        "are",
        "be",
        "it",
        "this",
        "these",
        "those",
        "one",
        "ones",
        "under",
        "over",
        "around",
        "about",
        "pounds",
        "pound",
        "quid",
    ]
)


# a word left last once the price after it is read: "bougie à (moins de 5 €)", "Tasse für
# (5,50 € oder weniger)"
_PARTICLES = "の的之"  # Japanese and Chinese joiners left at a phrase's edge by a price read out
_DANGLING = frozenset({"à", "a", "de", "für", "for", "pour", "para", "por", "per", "dla", "za",
                       "için", "bei", "zu", "um", "по", "за", "на"})  # fmt: skip


@dataclass
class Need:
    """What a shopper asked for: a query for the index, filters, and the reading in words."""

    query: str
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    understood: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # prices not applied, and why


def give_way(need: Need, min_price: Decimal | None, max_price: Decimal | None) -> None:
    """Prices read from the query give way to a bound given beside it that they cannot meet:
    "mug under 10 pounds" with min_price=50 was "min_price is above max_price", a max_price
    never sent (an attack). The read prices are said as not applied, and why."""
    low, high = need.min_price, need.max_price
    why = None
    if min_price is not None and max_price is None and high is not None and high < min_price:
        why = f"min_price {min_price} was given"
    elif max_price is not None and min_price is None and low is not None and low > max_price:
        why = f"max_price {max_price} was given"
    if why is None:
        return
    said = [f"{u} not applied: {why}" for u in need.understood if u.startswith("price ")]
    need.understood = [u for u in need.understood if not u.startswith("price ")] + said
    need.refused += said  # the reading lists what was refused too (read_need)
    need.min_price = need.max_price = None


# Japanese and Chinese write round prices with 千 (thousand) and 万 (ten thousand): "千円以下",
# "1万5千円", "5千元"; Korean with 천 and 만: "2만원 이하", "1만 5천원", "만원" (a walk: no
# Korean price in 만 was read)
_KANJI_PRICE = re.compile(r"(?:(\d*)[万만]\s*(?:(\d*)[千천])?|(\d*)[千천])(\d*)(?=\s*[円元원])")


def _kanji_digits(text: str) -> str:
    """ "千円" as "1000円", "1万5千円" as "15000円", "2만원" as "20000원"; other text as it
    is."""

    def digits(m: re.Match[str]) -> str:
        ten_thousands, thousands, only_thousands, rest = m.groups()
        value = (int(ten_thousands or 1) * 10000 if ten_thousands is not None else 0) + int(
            rest or 0
        )
        if thousands is not None or only_thousands is not None:
            value += int(thousands or only_thousands or 1) * 1000
        return str(value)

    return _KANJI_PRICE.sub(digits, text)


def _amount(text: str) -> Decimal:
    grouped = re.fullmatch(rf"({_GROUPED})(?:[.,](\d{{1,2}}))?", text)
    if grouped:
        whole = re.sub(r"\D", "", grouped.group(1))
        return Decimal(whole + ("." + grouped.group(2) if grouped.group(2) else ""))
    return Decimal(text.replace(",", "."))


# what follows a figure: an exponent ("1e309"), or a word, perhaps after the range's other end
# ("5 kg", "from 3 to 5 kg")
_AFTER = re.compile(
    r"(?P<exponent>[eE][+-]?\d+)"
    r'|\s*(?:(?:to|and|-|–|bis|und|à|et|a|y)\s*\d+(?:[.,]\d+)?\s*)?(?P<word>[^\W\d_]+|%|")',
    re.I,
)
_CODE = re.compile(r"\s*\b([A-Z]{3})\b")


def _not_a_price(text: str, end: int) -> tuple[str, int] | None:
    """Why the price just matched (ending at `end`) is none, and where what makes it none ends:
    a figure in scientific notation, a size or weight ("under 5 kg"); else None."""
    after = _AFTER.match(text, end)
    if after is None:
        return None
    if after.group("exponent"):
        return "a number in scientific notation is not a price", after.end()
    if after.group("word").lower() in _UNITS:
        return f"{after.group('word')} is a unit, not a currency", after.end()
    return None


def _code_after(text: str, end: int) -> tuple[str, int] | None:
    """A currency code right after a price ("under 5 CAD", "under 5 XYZ"): the code (UNKNOWN
    when ISO 4217 has no such code) and where it ends. In a text written all in capitals a
    three-letter word is just a word ("MUG UNDER 5 FOR MUM")."""
    from babel.numbers import list_currencies

    code = _CODE.match(text, end)
    if code is None or not re.search(r"[a-z]", text):
        return None
    found = code.group(1)
    return (found if found in list_currencies() else UNKNOWN), code.end()


def _yen_or_yuan(
    text: str, currency: str, rates: Mapping[str, Rate] | None, country: str | None
) -> str:
    """What "¥" means in a price: the shop's own currency when it is yen or yuan; the
    shopper's country's (Japan, China); yen in a text with kana, yuan in Chinese without;
    the one of the two the
    seller's rates hold; else AMBIGUOUS. It was always read as yuan, so "unter ¥1000" in a
    shop with only a yen rate was refused (no CNY rate); and a shopper in Japan had yuan
    applied where the shop held only a yuan rate."""
    if currency in ("JPY", "CNY"):
        return currency
    if country is not None and (own := {"JP": "JPY", "CN": "CNY"}.get(country.upper())):
        return own
    written = script_language(text)
    if written == "ja":  # kana
        return "JPY"
    if written == "zh":  # Chinese characters and no kana: a Chinese shopper's yuan (was
        return "CNY"  # refused as yen or yuan: "马克杯 ¥50以下", a walk)
    held = [c for c in ("JPY", "CNY") if c in (rates or {})]
    return held[0] if len(held) == 1 else YEN_OR_YUAN


def _dollar(currency: str, country: str | None, sign: bool = True) -> str:
    """What "$" (`sign`) or "dollars" means in a price: the shop's own currency when it is a
    dollar (or the peso Mexico writes with "$"); else the shopper's market's; else US dollars.
    "under $20" from Australia was read as US dollars."""
    if currency in _DOLLARS.values() and (sign or currency != "MXN"):
        return currency
    found = _DOLLARS.get((country or "").upper(), "USD")
    return found if sign or found != "MXN" else "USD"


def _refusal(named: set[str], numbers: list[Decimal]) -> str | None:
    """Why a price read by the rules cannot be applied at all, or None."""
    if UNKNOWN in named:
        return "no currency the shop's rates can hold (write an ISO 4217 code such as EUR or USD)"
    if any(n > _MOST for n in numbers):
        return f"more than {_MOST:,} is no price"
    if AMBIGUOUS in named:
        return "the currency could be one of several (write its ISO code, e.g. 50 MXN or 50 DKK)"
    if YEN_OR_YUAN in named:
        return "¥ is yen or yuan (write 1000 JPY or 100 CNY)"
    if len(named) > 1:
        return "two currencies in one price"
    return None


def _in_base(
    kind: str, numbers: list[Decimal], theirs: str, base: str, rates: Mapping[str, Rate]
) -> list[Decimal]:
    """A shopper's prices in their currency as bounds on the shop's: a bound keeps to the
    prices they are shown (converted and rounded by the market's rule, money.base_bound);
    "around" is the plain conversion, to the cent."""
    if kind == "under":
        return [base_bound(numbers[0], theirs, base, rates, upper=True)]
    if kind == "over":
        return [base_bound(numbers[0], theirs, base, rates, upper=False)]
    if kind in ("between", "range") and len(numbers) == 2:
        low, high = sorted(numbers)
        return [base_bound(low, theirs, base, rates, upper=False),
                base_bound(high, theirs, base, rates, upper=True)]  # fmt: skip
    return [convert(n, theirs, base, rates).quantize(Decimal("0.01")) for n in numbers]


def read_need(
    text: str,
    currency: str = "GBP",
    rates: Mapping[str, Rate] | None = None,
    country: str | None = None,
) -> Need:
    """Filters found by rules, and what is left of the sentence as the semantic query.

    Prices are filters in `currency` (the shop's); one named in another currency is converted
    through `rates`, or refused when there is no rate for it. `country`, the shopper's market
    when the search names one, says what "¥" is there.
    """
    written = _kanji_digits(text.strip())
    if written != text.strip():  # "千円以下" is a price; "千円札ケース" stays as typed
        need = _read(written, currency, rates, country)
        if (need.min_price, need.max_price, need.refused) != (None, None, []):
            return need
    return _read(text.strip(), currency, rates, country)


def _read(text: str, currency: str, rates: Mapping[str, Rate] | None, country: str | None) -> Need:
    rest = text
    need = Need(query="")
    for kind, pattern in _RULES:
        match = pattern.search(rest)
        if match is None:
            continue
        numbers = [_amount(g) for g in match.groups() if g]
        named = {_CODES[w.lower()] for w in _CURRENCY_WORD.findall(match.group(0))}
        if YEN_SIGN in named:
            named = (named - {YEN_SIGN}) | {_yen_or_yuan(text, currency, rates, country)}
        if DOLLAR_SIGN in named:
            named = (named - {DOLLAR_SIGN}) | {_dollar(currency, country)}
        if DOLLAR_WORD in named:
            named = (named - {DOLLAR_WORD}) | {_dollar(currency, country, sign=False)}
        if kind in ("range", "under+currency", "over+currency") and not named:
            continue
        if not named and all(_YEAR.fullmatch(g) for g in match.groups() if g):
            continue  # "mug under 2012": a year without a currency is no price (an attack)
        kind = kind.removesuffix("+currency")
        if not named and (none := _not_a_price(rest, match.end())):
            # "1e309" and "5 kg" go from the query too: a figure no filter used misleads it
            reason, stop = none
            need.refused.append(f"{rest[match.start() : stop].strip()} not applied as a price: "
                                f"{reason}")  # fmt: skip
            rest = rest[: match.start()] + " " + rest[stop:]
            continue
        stop = match.end()
        if not named and (code := _code_after(rest, stop)) is not None:
            named, stop = {code[0]}, code[1]
        said = rest[match.start() : stop].strip()
        why = _refusal(named, numbers)
        if why is None and named and (theirs := next(iter(named))) != currency:
            try:
                numbers = _in_base(kind, numbers, theirs, currency, rates or {})
            except InvalidInput as exc:
                # said to a shopper: the seller's how-to (a CLI command) is not for them
                why = (f"the shop has no exchange rate for {theirs}"
                       if theirs not in (rates or {}) else exc.message)  # fmt: skip
            else:
                need.understood.append(f"{said} is {' to '.join(map(str, numbers))} {currency}")
        if why is not None:
            need.refused.append(f"{said} not applied: {why}")
            rest = rest[: match.start()] + " " + rest[stop:]
            continue
        if kind in ("between", "range") and len(numbers) == 2:
            need.min_price, need.max_price = min(numbers), max(numbers)
            need.understood.append(f"price between {need.min_price} and {need.max_price}")
        elif kind == "under" and need.max_price is None:
            need.max_price = numbers[0]
            need.understood.append(f"price at most {need.max_price}")
        elif kind == "over" and need.min_price is None:
            need.min_price = numbers[0]
            need.understood.append(f"price at least {need.min_price}")
        elif kind == "around" and need.max_price is None:
            need.min_price = (numbers[0] * Decimal("0.8")).quantize(Decimal("0.01"))
            need.max_price = (numbers[0] * Decimal("1.2")).quantize(Decimal("0.01"))
            need.understood.append(
                f"price around {numbers[0]} ({need.min_price} to {need.max_price})"
            )
        else:
            continue
        rest = rest[: match.start()] + " " + rest[stop:]
    stock = _IN_STOCK.search(rest)
    if stock:
        need.in_stock = True
        need.understood.append("in stock")
        rest = rest[: stock.start()] + " " + rest[stock.end() :]
    if (
        need.min_price is not None
        and need.max_price is not None
        and (need.min_price > need.max_price)
    ):  # "over 5 GBP under 2 GBP": said, never applied (it named min_price, a field not sent)
        need.refused.append(f"price at least {need.min_price} and at most {need.max_price} not "
                            "applied: no price is both")  # fmt: skip
        need.understood = [u for u in need.understood if not u.startswith("price at")]
        need.min_price = need.max_price = None
    words = [w for w in re.split(r"[\s,.;:!?]+", rest) if w]
    kept = [w for w in words if w.lower() not in _FILLER]
    while kept and kept[-1].lower() in _DANGLING:  # "bougie à" once "moins de 5 €" is read
        kept.pop()
    # a joiner a price's removal left at an edge: "2ポンド以下のキャンドル" left "のキャンドル",
    # "10元以下的杯子" "的杯子" (a walk); one the shopper wrote there stays ("のし袋")
    if kept and not text.strip().startswith(kept[0]):
        kept[0] = kept[0].lstrip(_PARTICLES) or kept[0]
    if kept and not text.strip().endswith(kept[-1]):
        kept[-1] = kept[-1].rstrip(_PARTICLES) or kept[-1]
    filtered = (need.min_price, need.max_price, need.in_stock) != (None, None, None)
    # a price and no words lists what that price buys ("" with a filter), not the price's words
    need.query = " ".join(kept) or " ".join(words) or ("" if filtered else text.strip())
    need.understood.insert(0, f"looking for: {need.query or 'anything'}")
    need.understood += need.refused
    return need
