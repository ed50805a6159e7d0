"""Days named in a customer's message (capabilities/support/dates.py)."""

from __future__ import annotations

import pytest

from borderless.capabilities.support.dates import NamedDay, days_named, order_days, order_months


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Where is my order from 14/11/2011?", [NamedDay(11, 14, 2011)]),
        ("the one of 11 November", [NamedDay(11, 11)]),
        ("November 14th, 2011", [NamedDay(11, 14, 2011)]),
        ("14. November 2011", [NamedDay(11, 14, 2011)]),
        ("14 de novembro de 2011", [NamedDay(11, 14, 2011)]),
        ("14 ноября", [NamedDay(11, 14)]),
        ("14 listopada", [NamedDay(11, 14)]),
        ("١٤ نوفمبر", [NamedDay(11, 14)]),
        ("注文は11月14日です", [NamedDay(11, 14)]),
        ("2011년 11월 14일 주문", [NamedDay(11, 14, 2011)]),
        ("2011-11-14", [NamedDay(11, 14, 2011)]),
        ("11/14/2011", [NamedDay(11, 14, 2011)]),  # no 11th of the 14th month: month first
        ("5/11", [NamedDay(11, 5)]),  # day first, as the shop's customers write
        # no days: numbers, counts and words that are abbreviations elsewhere
        ("2.5 kg", []),
        ("order 576257", []),
        ("I ordered 2 set of mugs", []),
        ("I want 3 out of 5", []),
        ("May I ask something?", []),
    ],
)
def test_days_named(text: str, days: list[NamedDay]) -> None:
    assert days_named(text) == days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Where is my order from 17/11/2011?", [NamedDay(11, 17, 2011)]),
        ("Wo ist meine Bestellung vom 3.12.?", [NamedDay(12, 3)]),
        ("17 Kasım tarihli siparişim nerede?", [NamedDay(11, 17)]),
        ("17 Kasım siparişim ne durumda", [NamedDay(11, 17)]),  # was the latest order (a walk)
        ("17 Kasım'daki siparişim nerede?", [NamedDay(11, 17)]),
        ("11月17日の注文はどこですか", [NamedDay(11, 17)]),
        ("I ordered 12 candles on 14 November, where are they?", [NamedDay(11, 14)]),
        # an attack: a deadline and a birthday were told the order placed that day
        ("I need my order by 10/10, where is it?", []),
        ("My birthday is 10 October, where is my order?", []),
        ("The parcel should arrive on 3 December, where is it?", []),  # "on", no "ordered"
        ("my order from 31 November", []),  # no such day
        ("Gdzie jest moje zamówienie z 3 grudnia?", [NamedDay(12, 3)]),  # was not read
        ("J'ai commandé le 3 décembre, où est-ce ?", [NamedDay(12, 3)]),
        # a second attack: deadlines and occasions after an article; "pedido" and "commande"
        # (an order) are no "ordered"
        ("¿Dónde está mi pedido? Lo necesito antes del 24 de diciembre", []),
        ("Necesito mi pedido para el 24 de diciembre, ¿dónde está?", []),
        ("J'en ai besoin avant le 24 décembre, où est ma commande ?", []),
        ("Où est ma commande ? C'est pour mon anniversaire le 23 décembre", []),
    ],
)
def test_the_days_an_order_was_placed_on(text: str, days: list[NamedDay]) -> None:
    assert order_days(text) == days


def test_an_amount_with_latin_letters_keeps_its_place_in_arabic() -> None:
    """ "190.18 UK£" showed as "£UK 190.18" in an Arabic reply (a walk): isolated left to
    right; "ر.س." stays as CLDR writes it."""
    from decimal import Decimal

    from borderless.capabilities.support.facts import format_money

    assert format_money(Decimal("190.18"), "GBP", "ar") == "\u2066190.18\xa0UK£\u2069"
    assert format_money(Decimal("190.18"), "SAR", "ar") == "\u200f190.18\xa0ر.س.\u200f"
    assert format_money(Decimal("190.18"), "GBP", "de") == "190,18\xa0£"


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("what was the total for my order from December 2010?", [(2010, 12)]),
        ("how much was my order in August 2011?", [(2011, 8)]),
        ("ma commande d'août 2011", [(2011, 8)]),
        ("zamówienie z grudnia 2010", [(2010, 12)]),
        ("2011年8月の注文", [(2011, 8)]),
        ("my order 12/2010", [(2010, 12)]),
        ("my order of 7 December 2010", []),  # a day: order_days reads it
        ("I need it before December 2011", []),  # a deadline
        ("my order from December", []),  # no year: two Decembers
    ],
)
def test_the_months_an_order_was_placed_in(text: str, months: list[tuple[int, int]]) -> None:
    assert order_months(text) == months
