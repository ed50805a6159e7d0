"""Reading a shopper's sentence into a query and filters."""

from __future__ import annotations

from decimal import Decimal

import pytest

from borderless.capabilities.search.needs import read_need


@pytest.mark.parametrize(
    ("text", "query", "low", "high", "stock"),
    [
        ("a birthday gift for my mother who gardens, under 20 pounds",
         "birthday gift mother gardens", None, "20", None),
        ("candle holder over $10", "candle holder", "10", None, None),
        ("red lantern in stock around £4", "red lantern", "3.20", "4.80", True),
        ("cadeau pour un enfant entre 5 et 10 euros", "cadeau pour un enfant", "5", "10", None),
        ("Geschenk für Oma unter 15,50 €", "Geschenk für Oma", None, "15.50", None),
        ("regalo para mi madre menos de 12 libras", "regalo para mi madre", None, "12", None),
        ("送给妈妈的礼物 20英镑以下", "送给妈妈的礼物", None, "20", None),
        ("白色灯笼 有货", "白色灯笼", None, None, True),
        ("lantern", "lantern", None, None, None),
        ("the", "the", None, None, None),  # all filler: keep the words rather than nothing
    ],
)  # fmt: skip
def test_sentences(
    text: str, query: str, low: str | None, high: str | None, stock: bool | None
) -> None:
    # Each sentence's currency is its shop's own here, so prices read as written (a price in
    # another currency is converted or refused: tests/test_localization.py).
    shop = "USD" if "$" in text else "EUR" if "€" in text or "euros" in text else "GBP"
    need = read_need(text, currency=shop)
    assert need.query == query
    assert need.min_price == (Decimal(low) if low else None)
    assert need.max_price == (Decimal(high) if high else None)
    assert need.in_stock is stock
    assert need.understood[0] == f"looking for: {query}"
    if high:
        assert any(high in phrase for phrase in need.understood[1:])


@pytest.mark.parametrize(
    ("text", "query", "why"),
    [
        ("candle under 500 yen", "candle", "no exchange rate for JPY"),
        ("bougie moins de 5 francs", "bougie", "no exchange rate for CHF"),
        ("свеча under 300 руб", "свеча", "no exchange rate for RUB"),
        ("bag under 50 pesos", "bag", "could be one of several"),
        ("香薰蜡烛 100元以下", "香薰蜡烛", "no exchange rate for CNY"),
        # a walk: "10元以下的杯子" looked for "的杯子"; "جنيه" stayed in the query, read as £
        ("10元以下的杯子", "杯子", "no exchange rate for CNY"),
        ("شمعة أقل من 2 جنيه", "شمعة", "no exchange rate for EGP"),
    ],
)  # fmt: skip
def test_a_price_in_another_currency_is_never_read_in_the_shops(
    text: str, query: str, why: str
) -> None:
    need = read_need(text, currency="GBP")
    assert need.max_price is None and need.min_price is None
    assert len(need.refused) == 1 and why in need.refused[0]
    assert need.query == query  # the currency's word does not stay in the query


def test_a_currency_word_stands_alone() -> None:
    # "kr" (kroner, kronor: refused as ambiguous) is no currency inside "krug" or "kroner"
    need = read_need("kroner krug under 5", currency="GBP")
    assert need.max_price == Decimal("5") and need.query == "kroner krug"
    need = read_need("real leather bag under 50", currency="GBP")
    assert need.max_price == Decimal("50") and need.query == "real leather bag"


@pytest.mark.parametrize(
    ("text", "query", "why"),
    [
        ("candle under 5 bitcoin", "candle", "no currency the shop's rates can hold"),
        ("candle under 5 XYZ", "candle", "no currency the shop's rates can hold"),
        ("candle under 5 CAD", "candle", "no exchange rate for CAD"),
        ("candle under 5 stone", "candle", "stone is a unit"),
        ("vase between 10 and 20 cm", "vase", "cm is a unit"),
        ("mug under 1e309 pounds", "mug", "scientific notation"),
        ("mug under 99999999999 pounds", "mug", "more than 1,000,000,000"),
    ],
)  # fmt: skip
def test_an_unknown_currency_a_unit_or_an_absurd_figure_is_refused_not_relabelled(
    text: str, query: str, why: str
) -> None:
    # issue 21: "an unknown currency or unit is an error, not a silent pass-through"
    need = read_need(text, currency="GBP")
    assert need.max_price is None and need.min_price is None
    assert len(need.refused) == 1 and why in need.refused[0], need.refused
    assert need.query == query


def test_grouped_thousands_are_one_figure() -> None:
    assert read_need("sofa under £1,200", currency="GBP").max_price == Decimal("1200")
    assert read_need("Sofa unter 1.200,50 €", currency="EUR").max_price == Decimal("1200.50")
    assert read_need("lamp under 12,50 €", currency="EUR").max_price == Decimal("12.50")
    # all in capitals, a three-letter word after the price is a word, not a currency code
    assert read_need("MUG UNDER 5 FOR MUM", currency="GBP").max_price == Decimal("5")


def test_a_price_alone_lists_what_it_buys_and_an_empty_range_is_said() -> None:
    """ "under 5 pounds" searched the words of the price ("NUMBER TILE VINTAGE FONT 5" came
    first); "over 5 GBP under 2 GBP" answered 422 naming min_price, a field nobody sent."""
    from borderless.capabilities.search.documents import SearchDocument
    from borderless.capabilities.search.hybrid import HybridIndex
    from borderless.capabilities.search.shop import SearchFilter

    alone = read_need("under 5 pounds")
    assert alone.query == "" and alone.max_price == Decimal("5")
    assert alone.understood[0] == "looking for: anything"
    index = HybridIndex()
    index.upsert([SearchDocument("A", "NUMBER TILE VINTAGE FONT 5", price=Decimal("0.95")),
               SearchDocument("B", "Candle", price=Decimal("3.50")),
               SearchDocument("C", "Lamp", price=Decimal("12.00"))])  # fmt: skip
    hits = index.search("", 10, where=SearchFilter(max_price=alone.max_price).accepts)
    assert [h.id for h in hits] == ["A", "B"]  # every one the price buys, cheapest first
    empty = read_need("mug over 5 GBP under 2 GBP")
    assert (empty.min_price, empty.max_price, empty.query) == (None, None, "mug")
    assert any("no price is both" in r for r in empty.refused)


def test_the_yen_sign_is_yen_or_yuan_as_the_shop_and_its_rates_say() -> None:
    """ "¥" was always read as yuan: "under ¥1000" in a shop with only a yen rate was refused
    for want of a CNY rate."""
    from borderless.capabilities.catalog.money import Rate

    yen = {"JPY": Rate("JPY", Decimal("190"), "GBP")}
    both = {**yen, "CNY": Rate("CNY", Decimal("9"), "GBP")}
    assert read_need("mug under ¥1000", "GBP", yen).max_price == Decimal("5.26")
    assert read_need("マグ ¥1000以下", "GBP", both).max_price == Decimal("5.26")  # kana: yen
    assert read_need("mug under ¥1000", "JPY").max_price == Decimal("1000")
    assert read_need("杯子 ￥100以下", "CNY").max_price == Decimal("100")
    torn = read_need("mug under ¥1000", "GBP", both)
    assert torn.max_price is None and "¥ is yen or yuan" in torn.refused[0]
    # the shopper's country names it: a search for Japan with only a yuan rate read yuan
    yuan = {"CNY": Rate("CNY", Decimal("9"), "GBP")}
    in_japan = read_need("mug under ¥1000", "GBP", yuan, country="JP")
    assert in_japan.max_price is None and "JPY" in in_japan.refused[0]  # no yen rate: refused
    assert read_need("mug under ¥1000", "GBP", both, country="jp").max_price == Decimal("5.26")
    assert read_need("mug under ¥90", "GBP", both, country="CN").max_price == Decimal("10")
    # Chinese without kana: a Chinese shopper's yuan (was refused as yen or yuan, a walk)
    assert read_need("马克杯 ¥90以下", "GBP", both).max_price == Decimal("10")


def test_currency_symbols_with_a_country_prefix() -> None:
    """ "CN¥100" was no price at all (the letters before the sign stopped the rule); CLDR
    writes yuan so in English and dollars outside the US as "A$", "HK$"."""
    from borderless.capabilities.catalog.money import Rate

    rates = {c: Rate(c, Decimal(r), "GBP") for c, r in
             (("CNY", "9"), ("JPY", "190"), ("AUD", "2"), ("USD", "1.25"))}  # fmt: skip
    assert read_need("mug under CN¥90", "GBP", rates).max_price == Decimal("10")
    assert read_need("mug under JP¥1900", "GBP", rates).max_price == Decimal("10")
    assert read_need("mug under A$20", "GBP", rates).max_price == Decimal("10")
    assert read_need("mug under US$12.50", "GBP", rates).max_price == Decimal("10")
    hk = read_need("mug under HK$50", "GBP", rates)
    assert hk.max_price is None and "HKD" in hk.refused[0]


def test_the_dollar_sign_follows_the_shop_and_the_shoppers_market() -> None:
    """ "under $20" from Australia was read as US dollars; "pas plus de 20" ("no more than")
    was read as "plus de" (more than): a minimum."""
    from borderless.capabilities.catalog.money import Rate

    rates = {c: Rate(c, Decimal(r), "GBP") for c, r in
             (("USD", "1.25"), ("AUD", "2"), ("MXN", "25"))}  # fmt: skip
    assert read_need("mug under $20", "GBP", rates).max_price == Decimal("16")  # USD
    assert read_need("mug under $20", "GBP", rates, country="AU").max_price == Decimal("10")
    assert read_need("taza bajo $250", "GBP", rates, country="MX").max_price is None  # no rule
    assert read_need("taza hasta $250", "GBP", rates, country="MX").max_price == Decimal("10")
    # in Mexico "dollars" are US dollars; "$" is the peso
    assert read_need("mug under 20 dollars", "GBP", rates, country="MX").max_price == Decimal("16")
    assert read_need("mug under $20", "AUD").max_price == Decimal("20")  # the shop's own
    for text in ("bougie pas plus de 20 US$", "Kerze nicht mehr als 20 US$",
                 "vela no más de 20 US$"):  # fmt: skip
        need = read_need(text, "GBP", rates)
        assert (need.min_price, need.max_price) == (None, Decimal("16")), text


def test_a_range_with_a_currency_is_a_price_range() -> None:
    """ "US$10-20" and "from £5 to £8" were no price at all (only "between ... and" was read);
    a range without a currency ("pack of 10-20", "10-20 cm") stays in the query."""
    from borderless.capabilities.catalog.money import Rate

    rates = {"USD": Rate("USD", Decimal("1.25"), "GBP"), "EUR": Rate("EUR", Decimal("1.25"), "GBP")}
    for text in ("mug US$10-20", "mug from $10 to $20", "taza de 10 a 20 US$", "mug $10 – $20"):
        need = read_need(text, "GBP", rates)
        assert (need.query, need.min_price, need.max_price) == ("mug" if "mug" in text
                                                               else "taza", Decimal("8"),
                                                               Decimal("16")), text  # fmt: skip
    own = read_need("candle £5-£8 in stock", "GBP")
    assert (own.query, own.min_price, own.max_price, own.in_stock) == (
        "candle", Decimal("5"), Decimal("8"), True)  # fmt: skip
    for text in ("pack of 10-20 candles", "candle 10-20 cm", "calendar 2011-2012"):
        need = read_need(text, "GBP", rates)
        assert (need.min_price, need.max_price, need.refused) == (None, None, []), text
    no_rate = read_need("bougie 10-20 €", "GBP")
    assert no_rate.max_price is None and "EUR" in no_rate.refused[0]


@pytest.mark.parametrize(
    ("text", "query", "low", "high"),
    [
        ("świeca poniżej 20 zł", "świeca", None, "4.00"),
        ("candela meno di 10 euro", "candela", None, "8.00"),
        ("candela più di 5 euro", "candela", "4.00", None),
        ("vela até 10 euros", "vela", None, "8.00"),
        ("kaars onder de 10 euro", "kaars", None, "8.00"),
        ("свеча дешевле 1000 руб", "свеча", None, "10.00"),
        ("양초 20000원 이하", "양초", None, "11.76"),
        ("mum 400 TL altında", "mum", None, "10.00"),
        # a walk: Arabic price words, "sotto 5 euro", 未満 and the pound's Italian name
        ("كوب أقل من 20 ريال", "كوب", None, "4.00"),
        ("كوب تحت 20 ريال", "كوب", None, "4.00"),
        ("حامل شموع بأقل من 10 يورو", "حامل شموع", None, "8.00"),
        ("tazza sotto 5 euro", "tazza", None, "4.00"),
        ("マグ 1000円未満", "マグ", None, "5.00"),
        ("tazza da 1 a 2 sterline", "tazza", "1", "2"),
        ("kubek do 10 funtów", "kubek", None, "10"),
        ("кружка до 500 рублей", "кружка", None, "5.00"),
        ("candela oltre 5 euro", "candela", "4.00", None),
        ("от 500 до 1000 рублей", "", "5.00", "10.00"),  # was "at most 10", query "от 500"
        ("regalo per mamma oltre 20 sterline e sotto 30 sterline", "regalo per mamma", "20",
         "30"),  # the "e" (and) was left in the query
        # an attack: years, sizes, counts and times after the new words are no prices
        ("calendario oltre 2024", "calendario oltre 2024", None, None),
        ("تقويم حتى 2025", "تقويم حتى 2025", None, None),
        ("fino a 2025", "fino 2025", None, None),
        ("tavolo oltre 2 metri", "tavolo oltre 2 metri", None, None),
        ("طاولة أقل من 2 متر", "طاولة", None, None),
        ("شمعة فوق 20 سم", "شمعة", None, None),
        ("لعبة أقل من 3 سنوات", "لعبة", None, None),
        ("меньше 3 лет", "меньше 3 лет", None, None),
        ("حامل حتى 20 ريال", "حامل", None, "4.00"),  # with a currency, حتى is "up to"
        # a walk of the other markets: none of these was read
        ("кружка менее 10 фунтов", "кружка", None, "10"),
        ("kaars onder 5 euro", "kaars", None, "4.00"),
        ("kaars tot 10 euro", "kaars", None, "8.00"),
        ("kupa 100 liranın altında", "kupa", None, "2.50"),
        ("mum 5 sterlinin altında", "mum", None, "5"),
        ("tasse à café moins de 3 livres", "tasse à café", None, "3"),  # "livres" was left
        ("taza por menos de 5 libras", "taza", None, "5"),  # "por" was left
        ("tot ziens kaars 5", "tot ziens kaars 5", None, None),
        # an attack on those: a Dutch range, and a year read as a price
        ("kaars van 5 tot 10 euro", "kaars", "4.00", "8.00"),
        ("mug under 2012", "mug 2012", None, None),
        ("mug under 2012 pounds", "mug", None, "2012"),
    ],
)  # fmt: skip
def test_price_words_of_more_market_languages(
    text: str, query: str, low: str | None, high: str | None
) -> None:
    """ "świeca poniżej 20 zł" was no price at all, with no word said about it."""
    from borderless.capabilities.catalog.money import Rate

    rates = {c: Rate(c, Decimal(r), "GBP") for c, r in (("PLN", "5"), ("EUR", "1.25"),
             ("KRW", "1700"), ("TRY", "40"), ("RUB", "100"), ("SAR", "5"),
             ("JPY", "200"))}  # fmt: skip
    need = read_need(text, "GBP", rates)
    assert need.query == query
    assert need.min_price == (Decimal(low) if low else None)
    assert need.max_price == (Decimal(high) if high else None)


def test_a_shopper_is_not_shown_the_sellers_command() -> None:
    """The products page showed shoppers "set one with `borderless markets rates set USD`"."""
    need = read_need("mug US$10-20", "GBP")
    assert need.refused == ["US$10-20 not applied: the shop has no exchange rate for USD"]


_SHOPPER_RATES = {"EUR": ("1.17", "DE"), "PLN": ("5.05", "PL"), "TRY": ("40.5", "TR"),
                  "JPY": ("190", "JP"), "KRW": ("1700", "KR")}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "country", "query", "low", "high"),
    [
        ("kubek w kropki do 20 zł", "PL", "kubek w kropki", None, "3.96"),
        ("kubek od 10 do 20 zł", "PL", "kubek", "1.98", "3.96"),
        ("20 TL altı kırmızı kupa", "TR", "kırmızı kupa", None, "0.49"),
        ("kırmızı kupa 50 liraya kadar", "TR", "kırmızı kupa", None, "1.23"),
        ("kırmızı kupa 20 TL'den ucuz", "TR", "kırmızı kupa", None, "0.49"),
        ("赤いマグカップ 千円以下", "JP", "赤いマグカップ", None, "5.26"),
        ("マグカップ 500円から1000円", "JP", "マグカップ", "2.63", "5.26"),
        ("マグカップ 1万5千円まで", "JP", "マグカップ", None, "78.94"),
        # Korean writes them 만 and 천 (a walk: no price read)
        ("2만원 이하 머그컵", "KR", "머그컵", None, "11.76"),
        ("머그컵 1만 5천원까지", "KR", "머그컵", None, "8.82"),
        ("Kerze günstiger als 5 €", "DE", "Kerze", None, "4.27"),
        ("Kerze max. 5 €", "DE", "Kerze", None, "4.27"),
        ("Tasse für 5,50 € oder weniger", "DE", "Tasse", None, "4.70"),
        ("bougie à moins de 5 €", "DE", "bougie", None, "4.27"),
        ("pack 10 do 20", None, "pack 10 do 20", None, None),  # "do" needs a currency
    ],
)
def test_a_shoppers_price_in_their_own_words(
    text: str, country: str | None, query: str, low: str | None, high: str | None
) -> None:
    """A walk in five markets: each of these was no price, its words left in the query
    ("kubek w kropki do 20 zł" listed packs of 20 pegs and napkins among the mugs)."""
    from borderless.capabilities.catalog.money import Rate

    rates = {c: Rate(c, Decimal(r), "GBP") for c, (r, _) in _SHOPPER_RATES.items()}
    need = read_need(text, "GBP", rates, country=country)
    expected = (None if low is None else Decimal(low), None if high is None else Decimal(high))
    assert (need.query, (need.min_price, need.max_price)) == (query, expected), need
    assert not need.refused


def test_a_kanji_number_that_is_no_price_stays_as_typed() -> None:
    """千 and 万 are read as digits only where they make a price: a case for 1,000-yen notes
    is searched as its name, not as "1000円札ケース"."""
    assert read_need("千円札ケース").query == "千円札ケース"
    assert read_need("만원 버스").query == "만원 버스"  # a full bus


def test_a_search_filter_compares_prices_in_the_shops_currency() -> None:
    """An attack: "over 1000 pounds" found a ¥1,900 fan (about £10), and max 9 GBP left out a
    €10 mug (£8.55): the search compared bare numbers across currencies."""
    from borderless.capabilities.catalog.money import Rate
    from borderless.capabilities.search.documents import SearchDocument
    from borderless.capabilities.search.shop import SearchFilter

    rates = {"JPY": Rate("JPY", Decimal("190"), "GBP"), "EUR": Rate("EUR", Decimal("1.17"), "GBP")}
    fan = SearchDocument("FAN", "Paper fan", price=Decimal("1900"), currency="JPY")
    mug = SearchDocument("MUG", "Mug", price=Decimal("10"), currency="EUR")
    pound = SearchDocument("CUP", "Cup", price=Decimal("9"), currency="GBP")
    rich = SearchFilter(min_price=Decimal("1000"), base="GBP", rates=rates)
    assert not rich.accepts(fan) and not rich.accepts(pound)
    cheap = SearchFilter(max_price=Decimal("9"), base="GBP", rates=rates)
    assert cheap.accepts(mug) and cheap.accepts(pound) and not cheap.accepts(fan)
    # a currency without a rate is not compared: left out of a price filter, never relabelled
    sek = SearchDocument("SEK1", "Mug", price=Decimal("5"), currency="SEK")
    assert not cheap.accepts(sek) and SearchFilter(base="GBP", rates=rates).accepts(sek)


def test_a_price_read_gives_way_to_a_bound_given_that_it_cannot_meet() -> None:
    """ "mug under 10 pounds" with min_price=50 was "min_price is above max_price", a max_price
    never sent (an attack): the given bound wins, the read one is said as not applied."""
    from borderless.capabilities.search.needs import give_way

    need = read_need("mug under 10 pounds", "GBP", {})
    give_way(need, Decimal("50"), None)
    assert (need.min_price, need.max_price, need.query) == (None, None, "mug")
    assert need.refused == ["price at most 10 not applied: min_price 50 was given"]
    assert [u for u in need.understood if u.startswith("price")] == need.refused  # said once
    fits = read_need("mug under 10 pounds", "GBP", {})
    give_way(fits, Decimal("5"), None)  # 5 to 10: both stand
    assert (fits.max_price, fits.refused) == (Decimal("10"), [])
    over = read_need("mug over 20 pounds", "GBP", {})
    give_way(over, None, Decimal("8"))
    assert over.min_price is None and over.refused == [
        "price at least 20 not applied: max_price 8 was given"]  # fmt: skip


def test_a_joiner_a_price_leaves_at_the_edge_goes_with_it() -> None:
    """A walk: "2ポンド以下のキャンドル" was shown as "looking for: のキャンドル"; a word the
    shopper began with the joiner stays ("のし袋", a gift envelope)."""
    need = read_need("2ポンド以下のキャンドル")
    assert need.query == "キャンドル" and need.max_price == Decimal("2")
    assert read_need("のし袋").query == "のし袋"
    assert read_need("のし袋 2ポンド以下").query == "のし袋"
