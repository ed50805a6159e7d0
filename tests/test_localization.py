"""Localization beyond words (issue 21, point 7): prices in a market's currency through the
seller's rates, measures and sizes in its systems, CLDR formats, and prices in a shopper's
sentence converted or refused, never relabelled."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.attributes import find_measures
from borderless.capabilities.catalog.markets import localize_for_market
from borderless.capabilities.catalog.money import (
    Rate,
    convert,
    format_price,
    local_price,
    round_price,
)
from borderless.capabilities.catalog.retail import RetailImport
from borderless.capabilities.catalog.units import (
    convert_measure,
    convert_size,
    found_measures,
    localize_measures,
)
from borderless.capabilities.search.needs import read_need
from borderless.config import Settings
from borderless.errors import InvalidInput, NotFound
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.markets import remove_rate, save_rate, stored_rates

from .conftest import post_form, postgres_in_slow_step, run

RATES = {
    "EUR": Rate("EUR", Decimal("1.17"), "GBP", "99"),
    "JPY": Rate("JPY", Decimal("190"), "GBP", "exact"),
}


def test_prices_in_the_markets_currency_with_rounding_rules() -> None:
    assert local_price(Decimal("10"), "GBP", "EUR", RATES) == Decimal("11.99")
    assert local_price(Decimal("10.25"), "GBP", "JPY", RATES) == Decimal("1948")  # no decimals
    assert convert(Decimal("11.70"), "EUR", "GBP", RATES) == Decimal("10")
    assert round_price(Decimal("12.00"), "EUR", "99") == Decimal("12.99")
    assert round_price(Decimal("12.96"), "USD", "95") == Decimal("13.95")
    # A currency without decimals ends in the rule's two digits: ¥1,909 read as a typo.
    assert round_price(Decimal("1901.4"), "JPY", "99") == Decimal("1999")
    assert round_price(Decimal("1999"), "JPY", "99") == Decimal("1999")
    assert round_price(Decimal("1999.2"), "JPY", "99") == Decimal("2099")
    assert round_price(Decimal("25120"), "KRW", "95") == Decimal("25195")
    assert round_price(Decimal("8698.5"), "KRW", "100") == Decimal("8700")  # not ₩8,699
    assert round_price(Decimal("1901"), "JPY", "100") == Decimal("2000")
    # never more than a tenth on the price: £2.95 at 5.05 zł was 100 zł (a walk)
    assert round_price(Decimal("14.90"), "PLN", "100") == Decimal("15.00")
    # ...nor a whole unit more: 4.29 zł was 5 zł (+17%), £1.25 at 1.17 2 € (+37%: an attack)
    assert round_price(Decimal("4.29"), "PLN", "100") == Decimal("4.29")
    assert round_price(Decimal("1.4625"), "EUR", "100") == Decimal("1.46")
    assert round_price(Decimal("95"), "JPY", "100") == Decimal("100")
    assert round_price(Decimal("350"), "JPY", "100") == Decimal("350")
    # a tiny price that even the tenth's ending puts over a tenth is exact: 6 cents were
    # 0,15 € and ¥1.9 was ¥9 (an attack)
    assert round_price(Decimal("0.06"), "EUR", "95") == Decimal("0.06")
    assert round_price(Decimal("1.9"), "JPY", "99") == Decimal("2")
    assert round_price(Decimal("0.0048"), "BHD", "95") == Decimal("0.005")
    assert round_price(Decimal("1.11"), "EUR", "99") == Decimal("1.19")  # the tenth's ending
    from borderless.capabilities.catalog.markets import rounding_name

    # the Markets page said "up to .99" beside ¥1,999
    assert (rounding_name("99", "JPY"), rounding_name("99", "EUR")) == ("up to ...99", "up to .99")
    assert round_price(Decimal("12.5"), "EUR", "whole") == Decimal("13")
    # whole units only within a tenth either way: £0.21 at 1.17 was 1 € (an attack)
    assert round_price(Decimal("0.2457"), "EUR", "whole") == Decimal("0.25")
    assert round_price(Decimal("4.3875"), "EUR", "whole") == Decimal("4.00")  # -8.8%
    assert round_price(Decimal("1948.2"), "JPY", "whole") == Decimal("1948")
    de = localize_for_market("de", RATES, amount=Decimal("10"))
    assert de["currency"] == "EUR" and de["formatted"] == "11,99\xa0€"
    assert localize_for_market("JP", RATES, amount=Decimal("10"))["formatted"] == "￥1,900"


@pytest.mark.parametrize(
    ("market", "text", "read"),
    [
        ("DE", "Tasse für 4,95 £ und €3,50", "Tasse für 5,99\xa0€ und 3,50\xa0€"),
        ("JP", "Mug, only £4.95", "Mug, only ￥941"),  # the yen has no decimals
        ("GB", "12 EUR and £3 and £3.50", "£10.26 and £3 and £3.50"),  # "£3" keeps no decimals
        ("FR", "£1,250.00 or £1.250,00", "1\u202f462,99\xa0€ or 1\u202f462,99\xa0€"),
        ("US", "$3 or AUD$4", "$3 or $2.54"),  # "$" is the US dollar; "AUD$" the Australian
        ("DE", "5 cm, no price", "5 cm, no price"),
    ],
)
def test_prices_in_a_text_are_the_markets(market: str, text: str, read: str) -> None:
    """A listing's "£4.95" stayed as written in every market (a walk)."""
    rates = {**RATES, "USD": Rate("USD", Decimal("1.27"), "GBP", "exact"),
             "AUD": Rate("AUD", Decimal("2"), "GBP", "exact")}  # fmt: skip
    assert localize_for_market(market, rates, text=text, base="GBP")["text"] == read


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # an attack: a price before a quote was read as inches, then as a price of £12.60
        ('<a href="/p?price=£4.95">buy</a>', '<a href="/p?price=5,99\xa0€">buy</a>'),
        ('she said "£4.95" was cheap', 'she said "5,99\xa0€" was cheap'),
        ("Mug R$10", "Mug 1,79\xa0€"),  # was refused as currency "R"
        ("₺100, 500円, 10 zł", "2,99\xa0€, 3,19\xa0€, 2,39\xa0€"),  # were left as written
        ("£4.95–9.95", "5,99\xa0€–11,99\xa0€"),  # the range's end stayed in pounds
        ("£ 4.95", "5,99\xa0€"),
        ("Mug £0.001", "Mug 0,01\xa0€"),  # was read as a group: £1
        ("SET 10 pieces, £1e5", "SET 10 pieces, £1e5"),  # no currency; no price
        ("SET OF 6 CUP CAKES", "SET OF 6 CUP CAKES"),  # CUP is a currency code, not here
        ("x\ue003 £4.95", "x\ue003 5,99\xa0€"),  # the text's own private-use character
        # thousands grouped by spaces, as French, Polish, Russian write them, were read as a
        # number and a price ("1 250,00 €" in Britain was "1 £213.68")
        ("Prix : 1 250,00 £", "Prix : 1.462,99\xa0€"),
        ("Prix : 1\u202f250 £ ou 1\xa0250,5 £", "Prix : 1.462,99\xa0€ ou 1.463,99\xa0€"),
        ("2 x 25 €, 3 pack 12 €", "2 x 25\xa0€, 3 pack 12\xa0€"),
        # figure spaces and apostrophes group too (an attack: "1 292,50 €" for £1,250.00)
        ("1\u2007250,00 £ or £1'250.00", "1.462,99\xa0€ or 1.462,99\xa0€"),
        ("Pack 2 £4.95, £4.95 2 pcs", "Pack 2 5,99\xa0€, 5,99\xa0€ 2 pcs"),
        # a second attack: a dash with spaces and no sign starts no range ("£4.95 - 100 ml"
        # was "5,79 €–117 € ml"); a count may touch a price; two prices are no range
        ("£4.95 - 100 ml, Only £4.95 - 3 left", "5,99\xa0€ - 100 ml, Only 5,99\xa0€ - 3 left"),
        ("£4.95 – £9.95, 2x£4.95, £4.95x2", "5,99\xa0€–11,99\xa0€, 2x5,99\xa0€, 5,99\xa0€x2"),
        ("£9.99-£4.99, 2011 - 5 €", "11,99\xa0€-5,99\xa0€, 2011 - 5\xa0€"),
        # pence were left as written in every market; a measure after a price is no group
        # of its thousands ("£5 500 ml" was refused as maybe one price)
        ("Only 95p each, 2 for 99p!", "Only 1,19\xa0€ each, 2 for 1,19\xa0€!"),
        ("£5 500 ml bottle, £4.95 250 g", "5,99\xa0€ 500 ml bottle, 5,99\xa0€ 250 g"),
        (
            "A 3-pack, 50p's worth, top 10 pens, lot de 2 p",
            "A 3-pack, 50p's worth, top 10 pens, lot de 2 p",
        ),
    ],
)
def test_prices_an_attack_found_unread_or_misread(text: str, read: str) -> None:
    rates = {**RATES, "BRL": Rate("BRL", Decimal("6.8"), "GBP", "99"),
             "TRY": Rate("TRY", Decimal("41"), "GBP", "whole"),
             "JPY": Rate("JPY", Decimal("185"), "GBP", "whole"),
             "PLN": Rate("PLN", Decimal("5"), "GBP", "99")}  # fmt: skip
    assert localize_for_market("DE", rates, text=text, base="GBP")["text"] == read


def test_a_price_in_a_text_without_a_rate_is_refused() -> None:
    """Never relabelled, never left in a currency the market does not pay in."""
    for market, text, field, named in [
        ("DE", "£4.95", "code", "EUR"),  # the market's rate is missing
        ("GB", "costs 12 CNY", "text", "CNY"),  # the text's
        ("GB", "¥500", "text", "CNY"),  # yen or yuan: neither priced
        ("GB", "£99999999999999", "text", "between"),
        # a plain space and no decimals: one price, or a number and a price ("lot de 2 100 €")
        ("GB", "Cena 1 250 zł", "text", "1250"),
        ("GB", "lot de 2 100 €", "text", "2100"),
        # a price against a number that is no group (an attack: "1 29,25 €" for "1 25,00 £")
        ("FR", "1 25,00 £", "text", "another number"),
        ("FR", "1 250,000 £", "text", "another number"),
        ("FR", "£0 250", "text", "another number"),
        ("FR", "£1 25.00", "text", "another number"),  # was "1,17 € 25.00"
        ("FR", "£30'6", "text", "another number"),
        ("FR", "£1.250 per litre", "text", "three decimals"),  # was £1,250
    ]:
        with pytest.raises(InvalidInput) as caught:
            rates = {} if field == "code" else {"EUR": RATES["EUR"]}
            localize_for_market(market, rates, text=text, base="GBP")
        assert caught.value.field == field and named in caught.value.message, text


def test_a_price_rounded_to_whole_units_is_written_without_decimals() -> None:
    """A whole-yuan price was written "¥12.00" (a walk); exact prices keep their cents."""
    whole = {"CNY": Rate("CNY", Decimal("9.1"), "GBP", "whole"), **RATES}
    assert localize_for_market("CN", whole, amount=Decimal("1.30"))["formatted"] == "¥12"
    assert localize_for_market("FR", whole, amount=Decimal("10"))["formatted"] == "11,99\xa0€"
    assert format_price(Decimal("12"), "CNY", "zh") == "¥12.00"  # exact: the currency's digits
    assert format_price(Decimal("1234"), "EUR", "de", "whole") == "1.234\xa0€"
    assert format_price(Decimal("1234.5"), "EUR", "es_ES") == "1234,50\xa0€"  # from five digits
    assert format_price(Decimal("12345.5"), "EUR", "es_ES") == "12.345,50\xa0€"
    assert format_price(Decimal("1234.5"), "PLN", "pl_PL") == "1234,50\xa0zł"
    assert format_price(Decimal("12.50"), "EUR", "de", "whole") == "12,50\xa0€"  # not whole


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: local_price(Decimal(1), "GBP", "XYZ", RATES), "currency"),
        (lambda: local_price(Decimal(1), "GBP", "USD", RATES), "currency"),  # no rate for USD
        (lambda: round_price(Decimal(1), "EUR", "49"), "rounding"),
        (lambda: convert_measure(Decimal(1), "cm", "parsec"), "unit"),
        (lambda: convert_measure(Decimal(1), "cm", "kg"), "unit"),
        (lambda: convert_size("13", "UK", "US"), "size"),
        (lambda: convert_size("10", "UK", "CN"), "size"),
        (lambda: convert_size("4", "UK", "KR"), "size"),  # Korea's sizes start at 44 (UK 6)
        (lambda: localize_for_market("ZZ", RATES), "market"),
        (lambda: localize_measures("Dress UK 13", "US"), "size"),
        (lambda: localize_measures("Leather boots US 6", "DE"), "size"),  # a shoe size
        (lambda: localize_for_market("DE", RATES, amount=Decimal("-5")), "price"),
        (lambda: localize_for_market("DE", RATES, amount=Decimal("NaN")), "price"),
    ],
)
def test_unknown_currencies_units_and_sizes_are_errors(call, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call()
    assert caught.value.field == field


def test_measures_and_sizes_in_the_markets_systems() -> None:
    assert convert_measure(Decimal("2.54"), "cm", "inch") == Decimal(1)
    assert localize_measures("Dress UK 10, 90 cm long, 1.5 kg", "US") == (
        "Dress US 6, 35.4 in long, 3.3 lb"
    )
    assert localize_measures("Dress UK 10, 35.4 in long, 2 lb", "DE", "de") == (
        "Dress DE 36, 89,9 cm long, 0,91 kg"
    )
    assert localize_measures("Lantern 20 cm", "FR", "fr") == "Lantern 20 cm"
    # a size already in the market's system is left as it is, shoes too
    assert localize_measures("Schuhe EU 38", "DE", "de") == "Schuhe EU 38"
    # "100°F" and 5" stayed as written for Germany and France (a walk)
    assert localize_measures('Wash at 100°F, H 10cm W 5"', "DE", "de") == (
        "Wash at 37,8 °C, H 10 cm W 12,7 cm"
    )
    assert localize_measures("Wash at 40 °C", "US") == "Wash at 104 °F"
    assert localize_measures('a size "5" fits', "FR", "fr") == 'a size "5" fits'  # a quotation


def test_sizes_written_in_full_are_converted_or_refused() -> None:
    """A walk's "UK shoe size 8, dress size 12" went out unconverted and unrefused: only
    "UK 10" was read as a size."""
    assert localize_measures("Linen dress, UK size 10", "DE", "de") == "Linen dress, DE size 36"
    assert localize_measures("UK dress size 12 in blue", "US") == "US dress size 8 in blue"
    # the size's number is not 12 inches; a measure after it still is
    assert localize_measures("Dress UK 12 in blue, 20 in long", "DE", "de") == (
        "Dress DE 38 in blue, 50,8 cm long"
    )
    with pytest.raises(InvalidInput, match="shoe size"):
        localize_measures("UK shoe size 8", "DE", "de")
    # "us" as a word is not a size system
    assert localize_measures("send us 2 mugs", "DE", "de") == "send us 2 mugs"


def test_volumes_in_us_fluid_ounces_and_millilitres() -> None:
    # "500 ml" used to reach a US listing as written: only lengths and weights were read.
    assert localize_measures("Bottle 500 ml, 2 l jug, 33cl can, 1.5 L", "US") == (
        "Bottle 16.9 fl oz, 67.6 fl oz jug, 11.2 fl oz can, 50.7 fl oz"
    )
    assert localize_measures("Flask 16.9 fl oz, 8 fl. oz. cup", "DE", "de") == (
        "Flask 499,8 ml, 236,6 ml cup"
    )
    assert localize_measures("3 litres of water", "US") == "101.4 fl oz of water"
    assert localize_measures("Pack of 3 L-shaped hooks", "US") == "Pack of 3 L-shaped hooks"


def test_upper_case_titles_have_measures_too() -> None:
    # 20 demo-shop titles end in "60CM"-style sizes; they reached the US view unconverted.
    assert localize_measures("PINK/WHITE CHRISTMAS TREE 60CM", "US") == (
        "PINK/WHITE CHRISTMAS TREE 23.6 in"
    )
    assert localize_measures("ESSENTIAL BALM 3.5g TIN", "US") == "ESSENTIAL BALM 0.12 oz TIN"
    # one-letter units and "in" only as written: these are not measures
    for text in ("2 IN 1 GARDEN TOOL", "3M TAPE", "4G PHONE", "SET OF 3 IN BOX"):
        assert localize_measures(text, "US") == text
    assert convert_measure(Decimal("1"), "fl oz", "ml") == Decimal("29.5735295625")
    with pytest.raises(InvalidInput, match="cannot convert"):
        convert_measure(Decimal("1"), "l", "kg")


def test_without_rates_the_missing_one_named_is_the_markets() -> None:
    with pytest.raises(InvalidInput, match="no exchange rate for EUR"):
        local_price(Decimal(10), "GBP", "EUR", {})


def test_a_price_in_another_currency_is_converted_or_refused_never_relabelled() -> None:
    refused = read_need("bougie parfumée moins de 5 euros", currency="GBP")
    assert refused.max_price is None and refused.query == "bougie parfumée"
    assert (
        "no exchange rate for EUR" in refused.refused[0]
        and refused.refused[0] in refused.understood
    )
    converted = read_need("bougie parfumée moins de 5 euros", currency="GBP", rates=RATES)
    # 5 / 1.17 is 4.27, shown in France as 5,99 € under the "up to .99" rule: 4.26 shows 4,99 €
    assert converted.max_price == Decimal("4.26") and not converted.refused
    germany = read_need("Porzellan Teekanne unter 10 Euro", currency="GBP", rates=RATES)
    assert germany.max_price == Decimal("8.53")  # 8.55 before: 10,99 € on its page
    assert read_need("Kerze über 10 Euro", currency="GBP", rates=RATES).min_price == Decimal(
        "8.54"
    )  # the first base price shown at 10 € or more (10,99 €)
    assert read_need("candle under £5", currency="GBP").max_price == Decimal(5)
    assert read_need("Kerze unter 5 €", currency="EUR").max_price == Decimal(5)


def test_rates_are_stored_checked_and_replaced(db: Database) -> None:
    save_rate(db, "eur", "1.17", "tester", rounding="99")
    save_rate(db, "EUR", Decimal("1.18"), "tester", rounding="99")
    save_rate(db, "JPY", 190, "tester")
    rates = stored_rates(db)
    assert rates["EUR"] == Rate("EUR", Decimal("1.18"), "GBP", "99") and set(rates) == {
        "EUR",
        "JPY",
    }
    for bad, field in [(("ZZZ", "1"), "currency"), (("USD", "-1"), "rate"), (("USD", "x"), "rate"),
                       (("GBP", "1"), "currency")]:  # fmt: skip
        with pytest.raises(InvalidInput) as caught:
            save_rate(db, *bad, "tester")
        assert caught.value.field == field
    with pytest.raises(InvalidInput, match="rounding"):
        save_rate(db, "USD", "1.3", "tester", rounding="97")
    with pytest.raises(InvalidInput) as other_base:
        save_rate(db, "USD", "1.1", "tester", base="EUR")
    assert other_base.value.field == "base" and set(stored_rates(db)) == {"EUR", "JPY"}
    remove_rate(db, "JPY")
    with pytest.raises(NotFound):
        remove_rate(db, "JPY")


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db)) as c:
        yield c


def test_the_product_page_reads_every_measure_of_a_title() -> None:
    """A walk: 'RECORD FRAME 7" SINGLE SIZE' showed "none in the title or description" in
    every market, and "16X16CM" showed as one 16 cm."""
    from borderless.capabilities.catalog.markets import product_in_markets
    from borderless.capabilities.catalog.records import Product

    def read(title: str, code: str) -> list[tuple[str, str, bool]]:
        found = product_in_markets(Product("S1", title, price=Decimal("2")), [code], {})
        return list(found[0].measures)

    assert read('RECORD FRAME 7" SINGLE SIZE', "JP") == [('7"', "17.8 cm", True)]
    assert read("ROSE CANDLE+INCENSE 16X16CM", "US") == [("16X16CM", "6.3x6.3 in", True)]
    # each number with its unit: "65CMx65CM" was not read ("65 cm (65cm)" from the text on)
    assert read("FILLER PAD 65CMx65CM", "US") == [("65CMx65CM", "25.6x25.6 in", True)]
    assert read("FILLER PAD 65CMx65CM", "DE") == [("65CMx65CM", "65x65 cm", True)]
    assert read("ENAMEL MUG 12 OZ", "DE") == [("12 fl oz", "354,9 ml", True)]
    assert read("OVEN SAFE TO 400 DEGREES F", "PL") == [("400 DEGREES F", "204,4 °C", True)]
    # a shoe size is refused here as in the API (it showed "EU 34 (UK 6)", an attack)
    (shoe,) = read("Ladies shoes UK 6", "DE")
    assert shoe[0] == "UK 6" and not shoe[2] and "shoe size" in shoe[1]
    assert read("Ladies shoes UK 6", "GB") == [("UK 6", "UK 6", True)]  # its own system


def test_the_product_list_compares_prices_across_currencies(client: TestClient) -> None:
    """An attack: with products in GBP and JPY, max_price=10 kept every GBP product under £10
    and no yen product, and sort=-price put ¥1,500 above £20."""
    key = {"X-API-Key": "test-key"}
    empty = client.get("/v1/products", params={"max_price": "10", "currency": "EUR"})
    assert empty.status_code == 200 and empty.json()["count"] == 0  # no products, no rates
    unknown = client.get("/v1/products", params={"currency": "ZZZ"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "currency"
    for sku, price, currency in (("G5", "5", "GBP"), ("G20", "20", "GBP"),
                                 ("Y1500", "1500", "JPY"), ("Y5000", "5000", "JPY")):  # fmt: skip
        body = {"sku": sku, "title": f"Mug {sku}", "price": price, "currency": currency}
        assert client.post("/v1/products", json=body, headers=key).status_code == 201

    def listed(**params: str) -> list[str]:
        found = client.get("/v1/products", params=params)
        assert found.status_code == 200, found.text
        return [p["sku"] for p in found.json()["data"]]

    refused = client.get("/v1/products", params={"max_price": "10"})  # no rate for JPY yet
    assert refused.status_code == 422 and refused.json()["field"] == "currency"
    assert "JPY" in refused.json()["message"]
    assert listed(sort="-price") == ["G20", "G5", "Y1500", "Y5000"]  # unknown rate: last
    assert client.put("/v1/markets/rates/JPY", json={"rate": "190"}, headers=key).status_code == 200
    assert listed(max_price="10", sort="price") == ["G5", "Y1500"]  # ¥1,500 is about £7.89
    assert listed(min_price="10", sort="-price") == ["Y5000", "G20"]  # ¥5,000 is about £26.32
    assert listed(max_price="2000", currency="JPY", sort="price") == ["G5", "Y1500"]  # £5 = ¥950
    # a bound exactly at a product's own price keeps it (a division in SQL missed it by 2e-15)
    body = {"sku": "E1521", "title": "Mug E1521", "price": "15.21", "currency": "EUR"}
    assert client.post("/v1/products", json=body, headers=key).status_code == 201
    assert (
        client.put("/v1/markets/rates/EUR", json={"rate": "1.17"}, headers=key).status_code == 200
    )
    assert "E1521" in listed(max_price="15.21", currency="EUR")
    assert "E1521" in listed(max_price="13", min_price="13")  # £13 is €15.21
    # the other filters first: a product in a currency without a rate that "q" leaves out
    # blocks nothing
    client.delete("/v1/markets/rates/JPY", headers=key)
    assert listed(q="G5", max_price="10") == ["G5"]
    euro = client.get("/v1/products", params={"max_price": "10", "currency": "SEK"})
    assert euro.status_code == 422 and "SEK" in euro.json()["message"]  # no rate: refused
    bad = client.get("/v1/products", params={"max_price": "10", "currency": "XYZ"})
    assert bad.status_code == 422 and bad.json()["field"] == "currency"


def test_rates_api_and_localize(client: TestClient) -> None:
    key = {"X-API-Key": "test-key"}
    assert client.put("/v1/markets/rates/EUR", json={"rate": "1.17"}).status_code == 401
    put = client.put("/v1/markets/rates/EUR", json={"rate": "1.17", "rounding": "99"}, headers=key)
    assert put.status_code == 200 and put.json()["rate"] == "1.17"
    listed = client.get("/v1/markets/rates").json()
    assert listed["count"] == 1 and listed["limit"] == 100 and listed["offset"] == 0
    shown = client.get("/v1/markets/DE/localize", params={"price": "10", "text": "Dress UK 10"})
    assert shown.json()["formatted"] == "11,99\xa0€" and shown.json()["text"] == "Dress DE 36"
    assert shown.json()["sizes"] == "DE"
    # Germany, Italy and Russia read their own scales; Spain and France the EU (French) one
    for code, size in (("IT", "IT 42"), ("RU", "RU 44"), ("ES", "EU 38"), ("FR", "EU 38")):
        there = client.get(f"/v1/markets/{code}/localize", params={"text": "Dress UK 10"})
        assert there.json()["text"] == f"Dress {size}", code
    # a price in the text is the market's too (was left as "£4.95" in a German listing)
    priced = client.get("/v1/markets/DE/localize", params={"text": "Mug, only £4.95"}).json()
    assert priced["text"] == "Mug, only 5,99\xa0€", priced
    yen = client.get("/v1/markets/DE/localize", params={"text": "Mug ¥500"}).json()
    assert yen["field"] == "text" and "JPY" in yen["message"] and "CNY" in yen["message"]
    bad = client.put("/v1/markets/rates/ZZZ", json={"rate": "1"}, headers=key)
    assert bad.status_code == 422 and bad.json()["field"] == "currency"
    unit = client.get("/v1/markets/US/localize", params={"text": "Dress UK 13"})
    assert unit.status_code == 422 and unit.json()["field"] == "text"  # the field sent
    assert "'13' is not on the size table" in unit.json()["message"]
    alone = client.get("/v1/markets/US/localize", params={"currency": "XYZ", "text": "mug"})
    assert alone.status_code == 422 and alone.json()["field"] == "currency"  # was ignored
    long = client.get("/v1/markets/GB/localize", params={"text": "1" * 26 + " cm"})
    assert long.status_code == 200 and long.json()["text"] == "1" * 26 + " cm"  # was a 500
    assert client.delete("/v1/markets/rates/EUR", headers=key).status_code == 204
    no_euro = client.get("/v1/markets/DE/localize", params={"price": "10"})
    assert no_euro.status_code == 422 and no_euro.json()["field"] == "code"  # the market's rate
    assert "EUR" in no_euro.json()["message"]
    in_text = client.get("/v1/markets/DE/localize", params={"text": "only £4.95"}).json()
    assert in_text["field"] == "code" and "EUR" in in_text["message"]  # refused, not left
    other = client.get("/v1/markets/GB/localize", params={"price": "10", "currency": "EUR"})
    assert other.status_code == 422 and other.json()["field"] == "currency"  # the one sent
    # a shop without any rate: the market's is missing, not one for its own pound
    client.delete("/v1/markets/rates/JPY", headers=key)
    bare = client.get("/v1/markets/JP/localize", params={"price": "10"}).json()
    assert bare["field"] == "code" and "JPY" in bare["message"] and "GBP" not in bare["message"]
    # Turkey and Russia, the markets of two of our 14 languages, were "unknown market"
    client.put("/v1/markets/rates/TRY", json={"rate": "40.5"}, headers=key)
    turkey = client.get("/v1/markets/TR/localize", params={"price": "10"}).json()
    assert turkey["formatted"] == "\u20ba405,00", turkey
    unknown = client.get("/v1/search", params={"q": "mug", "country": "ZZ"})  # was 200, empty
    assert unknown.status_code == 422 and unknown.json()["field"] == "country"
    assert "TR" in unknown.json()["message"]


@postgres_in_slow_step
def test_cli_rates(database_url: str, tmp_path: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(tmp_path / "data"), "BORDERLESS_DATABASE_URL": database_url}
    done = run("markets", "rates", "set", "EUR", "1.17", "--rounding", "99", env=env)
    assert done.returncode == 0, done.stderr
    listed = json.loads(run("markets", "rates", "list", "--json", env=env).stdout)
    assert listed["data"] == [{"currency": "EUR", "base": "GBP", "rate": "1.17", "rounding": "99"}]
    shown = run("markets", "localize", "--market", "DE", "--price", "10", "--json", env=env)
    assert json.loads(shown.stdout)["formatted"] == "11,99\xa0€"
    bad = run("markets", "rates", "set", "EURO", "1.17", env=env)
    assert (
        bad.returncode == 2 and "unknown currency" in bad.stderr and "Traceback" not in bad.stderr
    )
    # the API's rules for the text: no control character, at most 5,000 characters (an attack)
    for text, says in (("a\x01b", "control character"), ("x" * 5001, "longer than 5,000")):
        odd = run("markets", "localize", "--market", "DE", "--text", text, env=env)
        assert odd.returncode == 2 and says in odd.stderr, odd.stderr


def test_arabic_messages_are_shown_right_to_left(settings: Settings, db: Database) -> None:
    """Support messages in the dashboard carry dir="rtl" when Arabic, dir="auto" otherwise."""
    from types import SimpleNamespace

    templates = create_app(settings, db).state.templates
    said = [
        SimpleNamespace(
            role="customer", intent=None, confidence=None, language=lang, text=text, citations=()
        )
        for lang, text in (("ar", "أين طلبي؟"), ("de", "Wo ist meine Bestellung?"))
    ]
    page = templates.get_template("_messages.html").render(c=SimpleNamespace(messages=said))
    assert '<div class="text" dir="rtl">أين طلبي؟</div>' in page
    assert '<div class="text" dir="auto">Wo ist meine Bestellung?</div>' in page


def test_search_converts_a_foreign_price_with_the_stored_rates(client: TestClient) -> None:
    candle = {"sku": "CANDLE-1", "title": "Scented candle", "price": "4.00"}
    assert client.post("/v1/products", json=candle, headers={"X-API-Key": "test-key"}).is_success
    q = {"q": "bougie moins de 5 euros"}
    refused = client.get("/v1/search", params=q).json()["interpretation"]
    assert any("no exchange rate for EUR" in line for line in refused)
    assert not any("price at most 5" in line for line in refused)  # never relabelled as £5
    client.put("/v1/markets/rates/EUR", json={"rate": "1.17"}, headers={"X-API-Key": "test-key"})
    converted = client.get("/v1/search", params=q).json()["interpretation"]
    assert "price at most 4.27" in converted
    page = client.get("/products", params=q).text  # the dashboard's search reads them too
    assert "price at most 4.27" in page and "price at most 5 " not in page


DRESS = {"sku": "DRESS-1", "title": "Linen dress UK 10", "price": "10.00",
         "description": "A linen dress, 90 cm long."}  # fmt: skip


def test_product_page_shows_the_product_in_each_market(client: TestClient) -> None:
    """Price through the stored rate and its rounding rule, or a 'no rate' note, never the
    pound price under a euro sign; measures and sizes as each market reads them."""
    key = {"X-API-Key": "test-key"}
    assert client.post("/v1/products", json=DRESS, headers=key).is_success
    page = client.get("/products/DRESS-1").text
    germany = page[page.index('id="market-DE"') :].split("</tr>")[0]
    assert "no exchange rate for EUR" in germany and "€" not in germany  # never relabelled
    assert "DE 36" in germany and "90 cm" in germany
    client.put("/v1/markets/rates/EUR", json={"rate": "1.17", "rounding": "99"}, headers=key)
    client.put("/v1/markets/rates/AED", json={"rate": "4.6", "rounding": "whole"}, headers=key)
    page = client.get("/products/DRESS-1").text
    germany = page[page.index('id="market-DE"') :].split("</tr>")[0]
    assert "11,99\xa0€" in germany and "up to .99" in germany
    usa = page[page.index('id="market-US"') :].split("</tr>")[0]
    assert "no exchange rate for USD" in usa and "35.4 in" in usa and "US 6" in usa
    emirates = page[page.index('id="market-AE"') :].split("</tr>")[0]
    assert 'lang="ar" dir="rtl"' in emirates and "د.إ" in emirates  # Arabic: right to left
    assert "own price" in page[page.index('id="market-GB"') :].split("</tr>")[0]
    # Korean prices in round hundreds (rule 100)
    client.put("/v1/markets/rates/KRW", json={"rate": "1750", "rounding": "100"}, headers=key)
    korea = client.get("/products/DRESS-1").text.split('id="market-KR"')[1].split("</tr>")[0]
    assert "₩17,500" in korea and "up to a whole 100 (10 or 1 on small prices)" in korea


def test_a_market_priced_for_joins_those_sold_to(
    db: Database, retail_parsed: Callable[[], RetailImport]
) -> None:
    """With a KRW rate set, Korea (where the demo shop has not sold) was missing from the
    product page's markets, and the Markets page said KRW paid in "none of the shop's
    markets"."""
    from borderless.service.routes.pages import shop_markets
    from borderless.storage.imports import save_retail

    save_retail(db, retail_parsed())
    before = shop_markets(db)
    # Korea is shown as the Korean-reading market, after those sold to, before any rate
    assert before[0] == "GB" and before[-5:] == ["CN", "KR", "AE", "RU", "TR"]
    save_rate(db, "KRW", "1750", "tester", rounding="100")
    after = shop_markets(db)
    # priced for, Korea comes before the markets shown only for their language
    assert after[-5:] == ["KR", "CN", "AE", "RU", "TR"] and sorted(after) == sorted(before)


class _Says:
    """A generator that answers with one text and keeps the prompts it was given."""

    name = "says"

    def __init__(self, text: str) -> None:
        self.text, self.prompts = text, []  # type: list[str]

    def generate(self, request):  # type: ignore[no-untyped-def]
        from borderless.backends.base import Generation

        self.prompts.append(request.messages[-1].content)
        return Generation(self.text, "stop", self.name, 10, 10)


def test_copy_for_a_market_states_its_units_and_passes_grounding(db: Database) -> None:
    """Copy for the US: the facts are given in inches, US sizes and dollars (the seller's rate),
    and the check backs them because the rules derive them from the product's own data."""
    from borderless.capabilities.catalog.attributes import load_vocabulary
    from borderless.capabilities.catalog.records import Product
    from borderless.capabilities.copywrite import CopyWriter
    from borderless.copydesk import copy_request, facts_for, generate
    from borderless.storage.catalog import create_product

    create_product(db, Product(sku="DRESS-1", title=DRESS["title"], price=Decimal("10"),
                               description=DRESS["description"]))  # fmt: skip
    save_rate(db, "USD", "1.27", "tester", rounding="99")
    said = "A linen dress in US 6, 35.4 in long, for $12.99."
    generator = _Says(said)
    writer = CopyWriter(generator, load_vocabulary())  # type: ignore[arg-type]

    def write(market: str) -> dict[str, object]:
        options = copy_request("en", market, policy="report")
        facts = facts_for(db, writer.vocabulary, "DRESS-1", options.market, options.language)
        return generate(db, writer, facts, options)[0]

    draft = write("us")
    facts = generator.prompts[0]
    assert "35.4 in" in facts and "US 6" in facts and "$12.99" in facts
    assert "90 cm" not in facts and "UK 10" not in facts and "10.00" not in facts
    assert draft["text"] == said and draft["grounding"]["ok"], draft["grounding"]
    assert draft["options"]["market"] == "US"
    # As strict as for anything else: another size, length or price is unbacked.
    for wrong in ("US 8", "40 in", "$13.99"):
        generator.text = f"A linen dress, {wrong}."
        again = write("US")
        assert [v["span"] for v in again["grounding"]["violations"]] == [wrong.strip("$")]
    # Without a rate for the market's currency the price is left out, not relabelled.
    remove_rate(db, "USD")
    write("US")
    assert "$" not in generator.prompts[-1] and "10.00" not in generator.prompts[-1]


def test_dashboard_search_converts_a_german_price(client: TestClient) -> None:
    candle = {"sku": "CANDLE-1", "title": "Scented candle", "price": "4.00"}
    assert client.post("/v1/products", json=candle, headers={"X-API-Key": "test-key"}).is_success
    q = {"q": "Kerze unter 5 Euro"}
    refused = client.get("/products", params=q).text
    assert "no exchange rate for EUR" in refused and "price at most 5" not in refused
    client.put("/v1/markets/rates/EUR", json={"rate": "1.17"}, headers={"X-API-Key": "test-key"})
    page = client.get("/products", params=q).text
    assert "price at most 4.27" in page and "price at most 5 " not in page


def test_markets_page_sets_checks_and_removes_rates(client: TestClient) -> None:
    """Rates were CLI and API only. The page lists the currencies the shop's markets pay in,
    those without a rate first, sets one (checked as the API checks it, the value kept beside
    the error when refused) and removes it; each market's date and number in CLDR form."""
    assert client.get("/markets", follow_redirects=False).status_code == 303  # staff only
    client.get("/login")
    token = client.cookies.get("borderless_csrf")
    signed = client.post("/login", data={"key": "test-key", "next": "/", "csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert signed.status_code == 303
    page = client.get("/markets")
    assert page.status_code == 200
    euro = page.text[page.text.index('id="rate-EUR"') :].split("</tr>")[0]
    assert "no rate: no price shown" in euro and "Germany" in euro
    yen = page.text[page.text.index('id="rate-JPY"') :].split("</tr>")[0]
    assert ">up to ...99</option>" in yen and ">up to .99<" not in yen  # the yen has no cents
    germany = page.text[page.text.index('id="market-DE"') :].split("</tr>")[0]
    assert "1.234,5" in germany and 'lang="de"' in germany
    # Spain and Poland group from five digits, as CLDR does (Babel wrote "1.234,5": a walk)
    spain = page.text[page.text.index('id="market-ES"') :].split("</tr>")[0]
    assert "1234,5" in spain and "1.234,5" not in spain
    said = post_form(client, "/markets/rates", data={"currency": "EUR", "rate": "1.17",
                                                      "rounding": "99"})  # fmt: skip
    assert said.status_code == 200 and "saved the rate of EUR" in said.text
    euro = said.text[said.text.index('id="rate-EUR"') :].split("</tr>")[0]
    assert "11,99\xa0€" in euro and "up to .99" in euro and 'value="1.17"' in euro
    # each way its markets write it: the first market's alone read "€ 11,99" for France too
    # (a walk)
    assert "€\xa011,99" in euro or "€11.99" in euro  # the Netherlands' or Ireland's
    assert client.get("/v1/markets/rates").json()["data"][0]["rate"] == "1.17"
    for rate, why in (("-2", "a rate is a number"), ("inf", "not inf"),
                      ("1_000", "is not a number"), ("1,17", "write it with a point: 1.17"),
                      ("", "give the rate"), ("abc", "is not a number"),
                      ("1" + "0" * 80, "a rate is a number")):  # fmt: skip
        bad = post_form(client, "/markets/rates", data={"currency": "EUR", "rate": rate})
        assert bad.status_code == 422 and why in bad.text, (rate, bad.text[-300:])
        row = bad.text[bad.text.index('id="rate-EUR"') :].split("</tr>")[0]
        assert 'aria-invalid="true"' in row and f'value="{rate}"' in row
    assert client.get("/v1/markets/rates").json()["data"][0]["rate"] == "1.17"  # unchanged
    other = post_form(client, "/markets/rates", data={"currency": "XYZ", "rate": "2"})
    assert other.status_code == 422 and 'id="add-rate-error"' in other.text
    added = post_form(client, "/markets/rates", data={"currency": "thb", "rate": "44"})
    assert added.status_code == 200 and 'id="rate-THB"' in added.text
    assert "none of the shop" in added.text[added.text.index('id="rate-THB"') :].split("</tr>")[0]
    # a whole-number rate reads as one: 190 was shown "1.9E+2" (Decimal.normalize)
    assert post_form(client, "/markets/rates", data={"currency": "JPY", "rate": "190"}).is_success
    again = post_form(client, "/markets/rates", data={"currency": "jpy", "rate": "185"})
    assert "replaced the rate of JPY (it was 190, exact)" in again.text  # said, not silent
    assert post_form(client, "/markets/rates", data={"currency": "JPY", "rate": "190"}).is_success
    yen = client.get("/markets").text
    assert 'value="190"' in yen[yen.index('id="rate-JPY"') :].split("</tr>")[0]
    gone = post_form(client, "/markets/rates/remove", data={"currency": "EUR"})
    assert gone.status_code == 200 and "removed the rate of EUR" in gone.text
    assert [r["currency"] for r in client.get("/v1/markets/rates").json()["data"]] == ["JPY", "THB"]
    # the notice is said from its parts, not read from the address: a link made the page say
    # "replaced the rate of EUR with 0.5 by admin; call ..." (a walk)
    for params in ({"done": "replaced the rate of EUR with 0.5 by admin"},
                   {"done": "saved", "currency": "<b>"},
                   {"done": "replaced", "currency": "EUR", "was": "0.5; call us",
                    "was_rounding": "99"}):  # fmt: skip
        assert 'id="markets-done"' not in client.get("/markets", params=params).text, params


@pytest.mark.parametrize(
    "text",
    ["Only 2 in stock", "5 in 1 tool", "1 in 5 customers", "Set of 2 in a box",
     "Pack of 12 in assorted colours"],
)  # fmt: skip
def test_in_as_a_word_is_not_inches(text: str) -> None:
    """A walk: "Only 2 in stock" went to Germany as "Only 5,1 cm stock"."""
    assert localize_measures(text, "DE", "de") == text
    assert find_measures(text) == []  # nor is it a measure copy must back


def test_every_number_of_a_measure_is_converted() -> None:
    """A walk: "Tray 30 x 40 cm" went to the US as "30 x 15.7 in", "0-40 °C" as "0-104 °F",
    "5 ft 6 in" to Germany as "152,4 cm 15,2 cm"."""
    assert localize_measures("Tray 30 x 40 cm", "US") == "Tray 11.8 x 15.7 in"
    assert localize_measures("10-20 cm", "US") == "3.9-7.9 in"
    assert localize_measures("10 to 20 cm", "US") == "3.9 to 7.9 in"
    assert localize_measures("works 0-40 °C", "US") == "works 32-104 °F"
    assert localize_measures("-10 to 30 °C", "US") == "14 to 86 °F"
    assert localize_measures("Frame 8 x 10 in", "DE", "de") == "Frame 20,3 x 25,4 cm"
    assert localize_measures("Size 10 x 20 in", "DE", "de") == "Size 25,4 x 50,8 cm"
    assert localize_measures("5 ft 6 in tall", "DE", "de") == "167,6 cm tall"
    assert localize_measures("Weighs 1 lb 4 oz", "DE", "de") == "Weighs 567 g"
    assert localize_measures("1/2 in thick", "DE", "de") == "1,3 cm thick"
    assert localize_measures("Frame 20 in.", "FR", "fr") == "Frame 50,8 cm."


def test_localize_reads_prices_and_texts_by_the_rules_of_every_other_route(
    client: TestClient,
) -> None:
    """A walk: "٥" and "1e2" were read as prices here (the rates refuse them), a control
    character came back in the text, "price=5&price=6" was read as 6, and a rate of 100,000
    digits came back whole in its 422."""
    for price in ("٥", "1e2", "NaN", "-1"):
        refused = client.get("/v1/markets/GB/localize", params={"price": price})
        assert refused.status_code == 422 and refused.json()["field"] == "price", price
    for text in ("abc\x01def", "A\ufffeB"):  # a control character, a noncharacter
        control = client.get("/v1/markets/GB/localize", params={"text": text})
        assert control.status_code == 422 and control.json()["field"] == "text", text
    # bytes that are not UTF-8 were read as U+FFFD and came back as the seller's text
    for query, field in (("text=%FF", "text"), ("price=1&text=a%C3", "text"), ("%FF=1", "query")):
        broken = client.get(f"/v1/markets/GB/localize?{query}")
        assert broken.status_code == 422 and broken.json()["field"] == field, query
    # control characters and noncharacters in any parameter of any route (an attack: only
    # localize's text refused them)
    for path in ("/v1/products?q=a%EF%BF%BF", "/v1/search?q=mug%EF%BF%BE",
                 "/v1/products?listing=a%01",
                 "/v1/search?q=mug&category=%F0%9F%BF%BE"):  # fmt: skip
        bad = client.get(path)
        assert bad.status_code == 422 and bad.json()["field"] in path, (path, bad.text)
        assert "character" in bad.json()["message"]
    assert client.get("/v1/markets/GB/localize?text=caf%C3%A9+%E2%82%AC").status_code == 200
    zero = client.get("/v1/markets/GB/localize", params={"price": "-0"}).json()
    assert zero["formatted"] == "£0.00", zero
    twice = client.get("/v1/markets/GB/localize?price=5&price=6")
    assert twice.status_code == 422 and "more than once" in twice.json()["message"]
    key = {"X-API-Key": "test-key"}
    long = client.put("/v1/markets/rates/SEK", json={"rate": "1." + "1" * 100_000}, headers=key)
    assert long.status_code == 422 and len(long.json()["message"]) < 300
    base = client.put("/v1/markets/rates/SEK", json={"rate": "1", "base": "B" * 100}, headers=key)
    assert base.status_code == 422 and len(base.json()["message"]) < 300


def test_a_price_is_never_rounded_to_nothing_and_free_stays_free() -> None:
    """A walk: £0.04 was "¥0" under the whole-unit rule; a price of 0 was "0,99 €"."""
    assert round_price(Decimal("0.04"), "CNY", "whole") == Decimal("0.04")  # exact, not ¥0
    assert round_price(Decimal("0.001"), "JPY", "exact") == Decimal(1)
    assert round_price(Decimal("0.004"), "EUR", "exact") == Decimal("0.01")
    assert round_price(Decimal(0), "EUR", "99") == Decimal("0.00")
    assert round_price(Decimal("12.3"), "EUR", "99") == Decimal("12.99")
    # a charm ending adds at most 10%: small prices end in the rule's last digit instead
    assert round_price(Decimal("1.1115"), "EUR", "99") == Decimal("1.19")  # not 1.99
    assert round_price(Decimal("1.1115"), "EUR", "95") == Decimal("1.15")
    assert round_price(Decimal("0.0127"), "USD", "99") == Decimal("0.01")  # not 0.99, nor 0.09
    assert round_price(Decimal("8.20"), "EUR", "99") == Decimal("8.99")  # 9.6%: charm
    assert round_price(Decimal("120"), "JPY", "99") == Decimal("129")  # not ¥199
    shown = [round_price(Decimal(c) / 100, "EUR", "99") for c in range(1, 3000)]
    assert shown == sorted(shown)  # never lower for a higher price (price filters need it)


def test_fractions_feet_and_inches_and_size_ranges() -> None:
    """The second walk's variants: "3 1/2 in wide" was "3 1,3 cm wide", 5'6" was "5'15,2 cm",
    "UK size 8-10" was "EU size 36-10", and the US had "5 ft 6 in" rewritten as "66 in"."""
    assert localize_measures("3 1/2 in wide", "DE", "de") == "8,9 cm wide"
    assert localize_measures("3 1/2 in wide", "US") == "3 1/2 in wide"
    assert localize_measures("¾ in thick", "DE", "de") == "1,9 cm thick"
    assert localize_measures("5'6\" tall", "DE", "de") == "167,6 cm tall"
    assert localize_measures("5'6\" tall", "US") == "5'6\" tall"
    assert localize_measures("5 ft 6 in tall", "US") == "5 ft 6 in tall"
    assert localize_measures("2 in. wide", "DE", "de") == "5,1 cm wide"
    assert localize_measures("UK size 8-10", "DE", "de") == "DE size 34-36"
    assert localize_measures("UK women's size 14", "US") == "US women's size 10"


def test_a_fraction_over_nothing_is_left_as_written() -> None:
    """An attack: "1/0 inch" was read as 1 inch ("2.5 cm")."""
    assert localize_measures("1/0 inch", "DE", "de") == "1/0 inch"
    assert localize_measures("3 1/00 in wide", "FR", "fr") == "3 1/00 in wide"
    assert localize_measures("5'1/0\" tall", "DE", "de") == "5'1/0\" tall"
    assert localize_measures("1/2 inch", "DE", "de") == "1,3 cm"


@pytest.mark.parametrize(
    ("text", "market", "language", "read"),
    [
        # one rule's result is not read again: "6 lb 4 oz" was "2.8 g" (2,835 g read as 2.835)
        ("6 lb 4 oz", "GB", "en", "2,835 g"),
        ("6 lb 4 oz", "DE", "de", "2.835 g"),
        ("1 m 20 cm", "US", "en", "47.2 in"),  # was "39.4 in 7.9 in"
        ("1 kg 500 g", "US", "en", "3.3 lb"),  # was "2.2 lb 17.6 oz"
        ("5′6″ tall", "GB", "en", "167.6 cm tall"),  # prime marks: was "5′15.2 cm"
        # one or a thousand? As written ("1,000 cm" was "1 cm" in Britain)
        ("1,000 cm", "GB", "en", "1,000 cm"),
        ("1.000 cm", "US", "en", "1.000 cm"),
        # kept in its unit: its digits ("1.1111 cm" was "1.1 cm"), only the decimal mark
        ("1.1111 cm", "DE", "de", "1,1111 cm"),
        ("0.001 kg", "US", "en", "0.0022 lb"),  # never rounded to nothing (was "0 lb")
        ("0.1 mm", "US", "en", "0.0039 in"),
        ("10 kg/m²", "US", "en", "10 kg/m²"),  # a rate, not a weight (was "22 lb/m²")
        ("30 cm,40 cm", "US", "en", "11.8 in,15.7 in"),  # the second was left in cm
        ("10cm/20cm", "US", "en", "3.9 in/7.9 in"),
        ("1 234,5 cm", "US", "en", "1 234,5 cm"),  # grouped: was "1 92.3 in"
        ("1" * 26 + " cm", "US", "en", "1" * 26 + " cm"),  # no measure, and no 500
        # every size of a list (the later ones kept their UK numbers under a US label)
        ("UK size 10 and 12 and 14", "US", "en", "US size 6 and 8 and 10"),
        ("UK size 10, 12 or 14", "US", "en", "US size 6, 8 or 10"),
        ("Available in UK 8, 10, 12", "US", "en", "Available in US 4, 6, 8"),
        ("Dress UK 10, 90 cm long", "US", "en", "Dress US 6, 35.4 in long"),
        ("UK size 10.5", "US", "en", "UK size 10.5"),  # no size of the table: was "US size 6.5"
        # "6 ft 2" is 6 ft 2 in (was "182.9 cm 2"); a word or number after the 2 is not inches
        ("He is 6 ft 2.", "DE", "de", "He is 188 cm."),
        ("6 ft 10, tall", "GB", "en", "208.3 cm, tall"),
        ("6 ft 2 pack", "GB", "en", "182.9 cm 2 pack"),
        ("6 ft 2", "US", "en", "6 ft 2"),
        ("5 kgs", "US", "en", "11 lb"),  # was left as written
        ("5 KGS bag", "US", "en", "11 lb bag"),
        # ℃ and ℉ after a word, as Chinese and Japanese write them (were left as written)
        ("耐熱200℃", "US", "ja", "耐熱392 °F"),
        ("耐熱200℃", "JP", "ja", "耐熱200℃"),
        ("-10-40℃", "US", "en", "14-104 °F"),
        ("100℉", "DE", "de", "37,8 °C"),
        ("ab200°C", "US", "en", "ab200°C"),  # glued to Latin letters: a code, not a measure
        # Japan and Korea read their own women's sizes (were EU 38): JIS 号 and Korea's 44-99
        ("UK size 10", "JP", "ja", "JP size 9"),
        ("UK size 10, 12 or 14", "KR", "ko", "KR size 66, 77 or 88"),
        ("US 6", "KR", "ko", "KR 66"),
        ("EU 38-40", "JP", "ja", "JP 9-11"),
        # a walk in the non-English markets
        ("12 oz mug", "IT", "it", "354,9 ml mug"),  # was "340,2 g mug": drinkware holds fl oz
        ("12 OZ MUG", "JP", "ja", "354.9 ml MUG"),
        ("Flour, 12 oz bag", "DE", "de", "Flour, 340,2 g bag"),  # a weight where no cup is
        ("CANDLE+INCENSE 16X16CM", "US", "en", "CANDLE+INCENSE 6.3x6.3 in"),  # was "16X16CM"
        # each number with its unit (a walk): "8 in x 10 in frame" was "20,3 cm x 10 in frame"
        ("8 in x 10 in frame", "DE", "de", "20,3 x 25,4 cm frame"),
        ("10 m x 5 m", "US", "en", "32.8 x 16.4 ft"),
        ("2 IN X 3 IN", "DE", "de", "2 IN X 3 IN"),  # "IN" in capitals is a word
        # the inch in the market languages' words (a walk: all left as written)
        ("Kerze, 8 Zoll hoch", "DE", "de", "Kerze, 20,3 cm hoch"),
        ("Bougie de 8 pouces", "FR", "fr", "Bougie de 20,3 cm"),
        ("キャンドル 8インチ", "JP", "ja", "キャンドル 20.3 cm"),
        ("Zoll 8", "DE", "de", "Zoll 8"),  # customs, no measure
        ('PEARL & SHELL 42"NECKL. GREEN', "JP", "ja", "PEARL & SHELL 106.7 cm NECKL. GREEN"),
        ('NECKL.36"GREEN', "PL", "pl", "NECKL. 91,4 cm GREEN"),
        ('5"x7" frame', "DE", "de", "12,7x17,8 cm frame"),
        ("6ft2in", "DE", "de", "188 cm"),
        ("400 degrees F", "IT", "it", "204,4 °C"),
        ("bake at 180 degrees Celsius", "US", "en", "bake at 356 °F"),
        ("1 gallon", "PL", "pl", "3,8 l"),
        # an attack on the rules above
        ('1/2" ribbon', "FR", "fr", "1,3 cm ribbon"),  # was "1/5,1 cm ribbon"
        ('3 1/2" ribbon', "FR", "fr", "8,9 cm ribbon"),
        ('42"NECKL.', "US", "en", "42 in NECKL."),  # was "42 inNECKL."
        (
            "Gift set: mug and 4 oz chocolate bar",
            "FR",
            "fr",
            "Gift set: mug and 113,4 g chocolate bar",
        ),  # a weight beside a mug (was 118,3 ml)
        ("Candle in glass jar, 8 oz wax", "FR", "fr", "Candle in glass jar, 226,8 g wax"),
        ("Coffee beans 12 oz bag", "FR", "fr", "Coffee beans 340,2 g bag"),
        ("12 oz ceramic mug", "FR", "fr", "354,9 ml ceramic mug"),
        ("holds 16 oz", "FR", "fr", "holds 473,2 ml"),
        ("6 ft 20", "DE", "de", "182,9 cm 20"),  # 20 inches is no part of a foot
        ("12 oz. mug", "FR", "fr", "354,9 ml mug"),  # the abbreviation's dot: was "ml. mug"
        ("It weighs 12 oz.", "FR", "fr", "It weighs 340,2 g."),  # a sentence's full stop stays
        # left as written before: a measure as an adjective, a count before the measure
        ("12-oz mug", "DE", "de", "354,9 ml mug"),
        ("a 10-inch plate", "FR", "fr", "a 25,4 cm plate"),
        ("SET OF 2 12 OZ MUGS", "DE", "de", "SET OF 2 354,9 ml MUGS"),
        ("3-in-1 tool", "DE", "de", "3-in-1 tool"),
        ("5-minute timer", "US", "en", "5-minute timer"),
        ("1 234,5 cm", "US", "en", "1 234,5 cm"),  # a grouped number is never cut in two
        # "1,250 g" beside "2.5 cm" is 1250 g (left as written, a German reader took 1.25 g)
        ("Box 2.5 cm, 1,250 g, 0.75 l", "DE", "de", "Box 2,5 cm, 1.250 g, 0,75 l"),
        ("Box 2,5 cm, 1.250 g", "US", "en", "Box 0.98 in, 44.1 oz"),
        ("1,250 g", "DE", "de", "1,250 g"),  # no decimal mark to go by: one or a thousand?
    ],
)
def test_measures_an_attack_found_wrong(text: str, market: str, language: str, read: str) -> None:
    assert localize_measures(text, market, language) == read


@pytest.mark.parametrize(
    ("text", "market", "language", "read"),
    [
        ("UK sizes 10 and 12", "DE", "de", "DE sizes 36 and 38"),
        ("Kleid in UK-Größe 10 und 12", "DE", "de", "Kleid in DE-Größe 36 und 38"),
        ("size 10 (UK)", "DE", "de", "size 36 (DE)"),
        ("taille 12 (UK)", "FR", "fr", "taille 40 (EU)"),
        ("sizes 8 or 10 (UK)", "US", "en", "sizes 4 or 6 (US)"),
        ("UK 10 and 12 in stock", "DE", "de", "DE 36 and 12 in stock"),  # 12 of what?
        ("size 10 (EU)", "DE", "de", "size 10 (EU)"),
    ],
)
def test_sizes_written_every_way_a_walk_tried(
    text: str, market: str, language: str, read: str
) -> None:
    """ "UK sizes 10 and 12", "size 10 (UK)" and "UK-Größe 10" were left as written."""
    assert localize_measures(text, market, language) == read


def test_markets_without_a_cldr_country_write_dates_as_britain_or_europe_does() -> None:
    """The Channel Islands were shown the American "December 4, 2026" (a walk)."""
    from borderless.capabilities.catalog.markets import MARKETS, market_locale

    assert {c: market_locale(MARKETS[c]) for c in ("XC", "XX", "EU", "GB", "US", "DE")} == {
        "XC": "en_GB", "XX": "en_GB", "EU": "en_150", "GB": "en_GB", "US": "en_US",
        "DE": "de_DE",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "market", "language", "source", "read"),
    [
        # a range or a list before a garment: "DE 34-12 dresses" (a walk)
        ("Available in UK 8-12 dresses.", "DE", "de", None, "Available in DE 34-38 dresses."),
        ("Also UK 10 or 12 tops.", "DE", "de", None, "Also DE 36 or 38 tops."),
        ("Dress UK 8-12 cm", "DE", "de", None, "Dress UK 8-12 cm"),  # a measure, no size
        # a dress nearer than the shoes: the whole text was refused as a shoe size
        ("Party dress in UK 10, lovely with our silver shoes.", "FR", "fr", None,
         "Party dress in EU 38, lovely with our silver shoes."),
        # "fl oz." took the sentence's full stop: two sentences ran together
        ("holds 16 fl oz. Was great", "DE", "de", None, "holds 473,2 ml. Was great"),
        # the text's language reads "1,200 g" when no other number shows the decimal mark
        ("Set weighs 1,200 g.", "DE", "de", "en", "Set weighs 1.200 g."),
        ("1,000 lbs", "DE", "de", "en", "453,6 kg"),
        ("1,250 g", "DE", "de", "de", "1,25 g"),
        ("1,250 g", "DE", "de", None, "1,250 g"),  # no language, no mark: as written
    ],
)  # fmt: skip
def test_sizes_and_measures_a_market_walk_found_half_read(
    text: str, market: str, language: str, source: str | None, read: str
) -> None:
    assert localize_measures(text, market, language, source) == read


def test_shoes_nearer_than_a_garment_are_still_refused() -> None:
    with pytest.raises(InvalidInput, match="UK 6 is a shoe size"):
        localize_measures("Dress for the party. Ladies shoes UK 6", "DE", "de")


def test_yards_miles_and_kilometres_are_read_and_pints_refused_by_a_guess() -> None:
    """An attack: "3 pints", "5 yards" and "10 km" in a listing went to every market as written.
    Yards, miles and kilometres convert; a pint or quart, British or American by a fifth, is
    refused where it is not read, and kept where it is (the UK, Ireland, the US)."""
    assert localize_measures("A 5 yard ribbon", "DE", "de") == "A 4,6 m ribbon"
    assert localize_measures("3 miles of lights", "FR", "fr") == "4,8 km of lights"
    assert localize_measures("Walk 10 km", "US") == "Walk 6.2 mi"
    assert localize_measures("Set of 2 pint glasses", "GB") == "Set of 2 pint glasses"
    assert localize_measures("2 pints", "XC") == "2 pints"  # the shop's Channel Islands
    # British measures stay for British readers: "5 miles" was "8 km", "2 gallons" 7.6 l (US
    # gallons) for the UK (an attack)
    for text in ("5 miles from London", "10 yards of ribbon", "2 gallons", "8 fl oz"):
        assert localize_measures(text, "GB") == text
    assert localize_measures("1-quart jug", "US") == "1-quart jug"
    for text in ("3 pints of milk", "1 QUART jug"):
        with pytest.raises(InvalidInput, match=r"British .* American") as caught:
            localize_measures(text, "DE", "de", "en")
        assert caught.value.field == "unit"
    # French "3 quarts" are three quarters; "12 stone" is as often the material
    assert localize_measures("3 quarts de la taille", "DE", "de", "fr") == "3 quarts de la taille"
    assert localize_measures("12 stone coasters", "DE", "de") == "12 stone coasters"
    assert found_measures("Set of 2 pint glasses, 5 yd") == ["2 pint", "5 yd"]
    with pytest.raises(InvalidInput, match="British pint") as refused:
        localize_for_market("FR", RATES, text="A jug of 3 pints", source="en")
    assert refused.value.field == "text"


def test_the_units_an_attack_found_unread_or_unfit() -> None:
    """An attack: "250 m" went to the US as "9,842.5 in"; "10 kilometres" and "5 mi." were not
    read; "2 pints (1.1 l)" and "set of 2 pint glasses" (two glasses) were refused."""
    for text, market, language, said in (
        ("250 m cable", "US", "en", "820.2 ft cable"),
        ("0.2 m ribbon", "US", "en", "7.9 in ribbon"),  # under a foot: inches
        ("5 l bucket", "US", "en", "1.3 gal bucket"),
        ("500 ml bottle", "US", "en", "16.9 fl oz bottle"),
        ("30 ft hose", "DE", "de", "9,1 m hose"),  # was "914,4 cm"
        ("64 fl oz jug", "FR", "fr", "1,9 l jug"),
        ("Walk 10 kilometres", "US", "en", "Walk 6.2 mi"),
        ("5 mi. from the sea", "DE", "de", "8 km from the sea"),
        ("500 grams of wax", "US", "en", "17.6 oz of wax"),
        ("6 feet tall", "FR", "fr", "182,9 cm tall"),
        ("2 pints (1.1 l)", "DE", "de", "2 pints (1,1 l)"),
        ("Set of 2 pint glasses", "DE", "de", "Set of 2 pint glasses"),
        # two units in full, and feet a thing stands on (a second attack)
        ("6 feet 2 inches", "DE", "de", "188 cm"),
        ("5 foot 6", "DE", "de", "167,6 cm"),
        ("1 pound 4 ounces", "DE", "de", "567 g"),
        ("1 metre 20 centimetres", "US", "en", "47.2 in"),
        ("1 kilogram 500 grams", "US", "en", "3.3 lb"),
        ("Stool stands on 3 feet", "DE", "de", "Stool stands on 3 feet"),
        ("Table with 4 feet and a drawer", "FR", "fr", "Table with 4 feet and a drawer"),
    ):
        assert localize_measures(text, market, language, "en") == said, text
    for capacity in ("2 pint glass jug", "Milk bottle 2 pints glass"):  # what it holds
        with pytest.raises(InvalidInput, match=r"British .* American"):
            localize_measures(capacity, "DE", "de", "en")
    # "mi" is a word in Italian and Spanish ("mi piace"), not a mile
    assert localize_measures("ne ho 2 mi piace", "DE", "de", "it") == "ne ho 2 mi piace"
