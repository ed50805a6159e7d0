"""Support replies keep their facts in every language (issue 21, point 6): order numbers,
dates, amounts and statuses are rendered by rule, never through free translation."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from borderless.backends.base import Translator
from borderless.backends.fake import FakeEmbedder, FakeTranslator
from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, ConversationState, OrderSummary
from borderless.capabilities.support.examples import read_labelled
from borderless.capabilities.support.facts import (
    LANGUAGES,
    STATUS_NAMES,
    fill,
    format_day,
    missing_facts,
    status_name,
)
from borderless.capabilities.support.intents import Prediction
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.errors import InvalidInput

ORDER = OrderSummary("581180", datetime(2011, 12, 7, 15, 52), 4, Decimal("139.12"), "GBP", False)
MESSAGES = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "support_messages_14.csv"


class Track:
    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction("track_order", 0.99, "track_order") for _ in texts]


class Listing:
    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction("list_orders", 0.99, "list_orders") for _ in texts]


class Book:
    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]:
        return [ORDER] if order_id in (None, ORDER.id) else []


class Literal(Translator):
    """What the LLM did: rewrites the date it sees and calls every status 'sent'."""

    name = "literal"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [
            f"<{target}> "
            + t.replace("7 December 2011", "7 stycznia 2011").replace("placed", "sent")
            for t in texts
        ]


class Dropping(Translator):
    """Loses the second placeholder token on the way, as engines sometimes do."""

    name = "dropping"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [f"<{target}> " + t.replace("ZXQ2Z", "") for t in texts]


def faq(*, english_only: bool = False) -> KnowledgeBase:
    """The demo FAQ; `english_only`: without its answers written in the other 13 languages, as
    a seller's own FAQ may be, so the cited answer is machine-translated for the customer."""
    entries = read_knowledge(DEFAULTS / "faq.md")
    if english_only:
        entries = [replace(e, translations={}) for e in entries]
    return KnowledgeBase(entries, FakeEmbedder())


def bot(translator: Translator, *, english_only: bool = False) -> Assistant:
    """The assistant; `english_only`: its reply texts and FAQ in English alone, as a seller's
    own files may have them (the defaults are written in all 14 languages), so each is
    machine-translated for the customer."""
    knowledge = faq(english_only=english_only)
    answers = Answers.load()
    if english_only:
        answers = Answers(answers.intents, {k: {"en": v["en"]} for k, v in answers.replies.items()},
                          answers.anger)  # fmt: skip
    return Assistant(Track(), knowledge, Book(), answers, translator=translator)


def test_polish_and_arabic_replies_state_the_orders_own_date_and_status() -> None:
    polish = bot(Literal()).reply(ConversationState("C", "pl"), "Gdzie jest moje zamówienie?")
    assert polish.language == "pl" and "7 grudnia 2011" in polish.text  # December, by CLDR
    assert "stycznia" not in polish.text and "złożone" in polish.text
    arabic = bot(Literal()).reply(ConversationState("C", "ar"), "أين طلبي؟")
    # The reply's words are written in Arabic (answers.json); the status is the table's.
    assert arabic.language == "ar" and f"الحالة: {STATUS_NAMES['placed']['ar']}." in arabic.text
    assert "sent" not in arabic.text and "Status" not in arabic.text
    assert "581180" in arabic.text and "139.12" in arabic.text
    # Machine-translated (a seller's English-only answers file), the words may go freely, the
    # status is still the table's.
    translated = bot(Literal(), english_only=True).reply(ConversationState("C", "ar"), "أين طلبي؟")
    assert f"Status: {STATUS_NAMES['placed']['ar']}." in translated.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_fact_is_in_the_reply_exactly_in_all_fourteen_languages(language: str) -> None:
    reply = bot(FakeTranslator()).reply(ConversationState("C", language), "581180 ?")
    assert reply.language == language and reply.orders == ("581180",)
    assert len(reply.facts) == 5 and not missing_facts(reply.text, dict(enumerate(reply.facts)))
    assert format_day(ORDER.placed_at, language) in reply.facts
    assert status_name("placed", language) in reply.text
    assert "2011-12-07" not in reply.text


def test_a_translation_that_loses_a_placeholder_is_not_used() -> None:
    reply = bot(Dropping(), english_only=True).reply(ConversationState("C", "ko"),
                                                     "주문 581180 어디 있어요?")  # fmt: skip
    assert reply.language == "en" and reply.text.startswith("Order 581180 was placed on")
    assert "7 December 2011" in reply.text and "£139.12" in reply.text
    facts = {"order_id": "1", "date": "?"}
    text, lang = fill("Order {order_id} on {date}", lambda lang: facts | {"date": lang}, "en",
                      "tr", lambda t, s, d: f"[{d}] {t}")  # fmt: skip
    assert (text, lang) == ("[tr] Order 1 on tr", "tr")


def test_dates_and_money_follow_cldr_and_unknown_statuses_are_refused() -> None:
    assert format_day(ORDER.placed_at, "de") == "7. Dezember 2011"
    assert format_day(ORDER.placed_at, "ja") == "2011年12月7日"
    assert all(set(names) == set(LANGUAGES) for names in STATUS_NAMES.values())
    with pytest.raises(InvalidInput, match="unknown order status") as caught:
        status_name("teleported", "de")
    assert caught.value.field == "status"


def test_the_default_examples_cover_where_is_my_order_in_all_fourteen_languages() -> None:
    """The training file the default model learns from names "where is my order" in every
    language, so the Japanese request no longer lands out of scope for want of examples; the
    benchmark messages are not among them (held out)."""
    from borderless.capabilities.language import detect_language

    tracked = [e.text for e in read_labelled(DEFAULTS / "examples.csv") if e.label == "track_order"]
    found = {detect_language(t, fallback="und").code for t in tracked}
    assert set(LANGUAGES) <= found
    held_out: set[str] = set()
    for messages in (MESSAGES, MESSAGES.with_name("support_messages_numbers.csv")):
        with messages.open(encoding="utf-8") as f:
            held_out |= {" ".join(row["text"].lower().split()) for row in csv.DictReader(f)}
    trained = read_labelled(DEFAULTS / "examples.csv") + read_labelled(DEFAULTS / "oos.csv")
    assert not held_out & {" ".join(e.text.lower().split()) for e in trained}


class HalfDutch(Translator):
    """Translates the order template into Dutch and leaves everything else in English, as a
    small model often echoes its input."""

    name = "half-dutch"
    DUTCH = "Bestelling ZXQ1Z is geplaatst op ZXQ2Z: ZXQ3Z artikelen, totaal ZXQ4Z. Status: ZXQ5Z."

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [self.DUTCH if t.startswith("Order ZXQ1Z") else t for t in texts]


def test_a_machine_translated_reply_text_that_needs_review_is_not_sent() -> None:
    """Point 6: the rest of the reply is checked like any translation (the verdict)."""
    from functools import partial

    from borderless.capabilities.verdict import needs_review

    knowledge = faq(english_only=True)  # the cited answer goes through the engine
    checked = Assistant(Track(), knowledge, Book(), translator=HalfDutch(),
                        check=partial(needs_review, letter_endings=False))  # fmt: skip
    reply = checked.reply(ConversationState("C", "nl"), "Waar is mijn bestelling 581180?")
    # The Dutch order line passes and is sent, with its facts by rule.
    assert reply.text.startswith("Bestelling 581180 is geplaatst op 7 december 2011")
    assert status_name("placed", "nl") in reply.text
    # The cited answer came back in English: not sent as Dutch, said, and noted for staff.
    assert reply.citations and reply.language == "en"
    assert len(reply.review) == 1 and reply.review[0].startswith("not sent in nl (")
    # Without a check (as before) the echoed English went out labelled Dutch.
    unchecked = bot(HalfDutch(), english_only=True).reply(
        ConversationState("C", "nl"), "Waar is 581180?"
    )
    assert unchecked.language == "nl" and not unchecked.review


def test_an_order_line_that_needs_review_goes_out_in_english_with_english_facts() -> None:
    from borderless.capabilities.verdict import needs_review

    knowledge = faq(english_only=True)
    english = bot(Dropping(), english_only=True).answers  # a seller's file: English texts only
    echo = Assistant(Track(), knowledge, Book(), english, translator=Dropping(),
                     check=lambda *a: needs_review(*a, letter_endings=False))  # fmt: skip
    reply = echo.reply(ConversationState("C", "pl"), "Gdzie jest zamówienie 581180?")
    assert reply.language == "en" and reply.text.startswith("Order 581180 was placed on")
    assert "7 December 2011" in reply.text and "grudnia" not in reply.text


def test_the_login_line_is_in_the_customers_language_too() -> None:
    """It went out in English for every language without a written order template; the
    defaults are now written in all 14 languages, and a seller's English-only line is
    machine-translated."""
    written = bot(FakeTranslator()).reply(ConversationState(None, "pl"), "Gdzie jest zamówienie?")
    assert written.language == "pl" and written.text.startswith("Aby sprawdzić Twoje zamówienia")
    reply = bot(FakeTranslator(), english_only=True).reply(ConversationState(None, "pl"),
                                                           "Gdzie jest zamówienie?")  # fmt: skip
    assert reply.language == "pl" and reply.text.startswith("[pl] ") and "sign in" in reply.text


def test_korean_particles_after_an_order_number_follow_how_it_is_read() -> None:
    """ "주문 540280은(는)" read as a form to fill in (the walk)."""
    from borderless.capabilities.support.facts import korean_particles

    assert korean_particles("주문 540280은(는) 접수") == "주문 540280은 접수"  # 십
    assert korean_particles("주문 581182은(는)") == "주문 581182는"  # 이
    assert korean_particles("주문 581189을(를)") == "주문 581189를"  # 구
    assert korean_particles("주문 581181이(가)") == "주문 581181이"  # 일
    assert korean_particles("581187(으)로 581183(으)로") == "581187로 581183으로"  # 칠, 삼
    assert korean_particles("Royal Mail(으)로") == "Royal Mail(으)로"  # a word: left to read
    reply = bot(FakeTranslator()).reply(ConversationState("C", "ko"), "주문 581180 어디 있어요?")
    assert reply.text.startswith("주문 581180은 ") and "(는)" not in reply.text


def test_a_count_takes_the_word_its_number_needs() -> None:
    """ "1 item(s)", "3 article(s)", "articolo/i" read as forms to fill in (the second walk)."""
    from borderless.capabilities.support.facts import counted_words

    assert (
        counted_words("Order 5: 1 item(s), total £3.00.", "en") == "Order 5: 1 item, total £3.00."
    )
    assert counted_words("4 item(s)", "en") == "4 items"
    assert counted_words("0 article(s) et 1 article(s)", "fr") == "0 article et 1 article"
    assert counted_words("3 item(ns)", "pt") == "3 itens"
    assert counted_words("2 articolo/i", "it") == "2 articoli"
    assert counted_words("5 artikel(en)", "nl") == "5 artikelen"
    assert counted_words("2 days/weeks, 24/7", "en") == "2 days/weeks, 24/7"  # two words
    reply = bot(FakeTranslator()).reply(ConversationState("C", "en"), "Where is order 581180?")
    assert "4 items, total" in reply.text and "(s)" not in reply.text


class Wholesale:
    """What the intents read into "how much was order N" in most languages (a walk): a
    knowledge question (payment methods, wholesale), never the order."""

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction("place_order", 0.6, "place_order") for _ in texts]


# A walk's questions of what an order cost, as customers wrote them; each was answered with
# an FAQ entry (wholesale, payment methods, a second charge, delivery times), handed to a
# person, or asked to be said another way.
COST_QUESTIONS = [
    ("en", "how much was order 581180"), ("en", "what was the total of order 581180?"),
    ("fr", "combien a coûté la commande 581180"), ("fr", "ça m a couté combien"),
    ("it", "quanto ho pagato l'ordine 581180"), ("nl", "hoeveel kostte bestelling 581180"),
    ("ru", "сколько стоил заказ 581180"), ("tr", "581180 siparişi ne kadar tuttu"),
    ("es", "cuanto me costo el pedido 581180"), ("zh", "订单581180多少钱"),
    ("ja", "注文581180の合計金額はいくらですか"), ("pt", "quanto custou o pedido 581180"),
    ("pl", "ile kosztowało zamówienie 581180"), ("ar", "كم كان سعر الطلب 581180"),
    ("de", "was hat die bestellung 581180 gekostet"), ("de", "was hat die gekostet?"),
    ("ko", "주문 581180 얼마였어요?"), ("tr", "sipariş 581180 ne kadardı"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text"), COST_QUESTIONS)
def test_what_an_order_cost_is_answered_with_its_total(language: str, text: str) -> None:
    assistant = Assistant(Wholesale(), faq(), Book(), Answers.load(), translator=FakeTranslator())
    told = ConversationState("C", language, order_id="581180")
    reply = assistant.reply(told, text)
    assert reply.orders == ("581180",) and not reply.citations, reply.text
    assert reply.intent == "track_order" and "139" in reply.text


def test_a_question_of_shipping_or_of_a_product_is_not_an_orders_cost() -> None:
    assistant = Assistant(Wholesale(), faq(), Book(), Answers.load(), translator=FakeTranslator())
    for text in ("how much is shipping for order 581180?", "wie viel kostet der Versand",
                 "how much is this mug?"):  # fmt: skip
        reply = assistant.reply(ConversationState("C", "en", order_id="581180"), text)
        assert reply.intent == "place_order" and reply.citations, text


class Unplaced:
    """The intents place nothing (out of scope)."""

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction("oos", 0.3, "track_order") for _ in texts]


def test_a_message_the_intents_cannot_place_that_names_an_own_order_tells_it() -> None:
    """A walk: "C579090 was ist das?" and "وين طلبي رقم 567824" (where is my order number...)
    were asked to say it another way, naming the customer's own order."""
    assistant = Assistant(Unplaced(), faq(), Book(), Answers.load(), translator=FakeTranslator())
    for language, text in (("de", "581180 was ist das?"), ("ar", "وين طلبي رقم ٥٨١١٨٠")):
        reply = assistant.reply(ConversationState("C", language), text)
        assert reply.orders == ("581180",) and not reply.citations, reply.text
    # a number that is none of the customer's orders is not told as one
    other = assistant.reply(ConversationState("C", "de"), "999999 was ist das?")
    assert other.orders == ()


class Refund:
    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction("get_refund", 0.8, "get_refund") for _ in texts]


def test_a_refund_of_an_orders_amount_is_no_question_of_its_cost() -> None:
    """A test message: "I want a refund of the amount for order 581180, the mug arrived
    broken" names an amount and an order; it is a refund, answered with its FAQ entry."""
    assistant = Assistant(Refund(), faq(), Book(), Answers.load(), translator=FakeTranslator())
    text = "أريد استرداد المبلغ للطلب 581180، وصل الكوب مكسورًا"
    reply = assistant.reply(ConversationState("C", "ar"), text)
    assert reply.intent == "get_refund" and reply.citations, reply.text


def test_a_question_of_an_orders_part_or_another_number_is_not_its_cost() -> None:
    """An attack: the unit price of a product in an order, the VAT on it and "how much did I
    pay for it" after a product's number were told the order's total."""
    assistant = Assistant(Wholesale(), faq(), Book(), Answers.load(), translator=FakeTranslator())
    for text in ("what is the unit price of 22726 in order 581180",
                 "how much VAT was on order 581180", "what is the price of 22423 in 581180?",
                 "wie viel MwSt. hatte Bestellung 581180"):  # fmt: skip
        reply = assistant.reply(ConversationState("C", "en"), text)
        assert reply.intent == "place_order", text


class Dated:
    """A customer with orders in two months."""

    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]:
        older = replace(ORDER, id="537626", placed_at=datetime(2010, 12, 7, 9, 0),
                        total=Decimal("711.79"))  # fmt: skip
        found = [ORDER, older]
        return [o for o in found if order_id in (None, o.id)]


def test_an_order_named_by_its_month_is_that_order() -> None:
    """An attack: "what was the total for my order from December 2010?" was told the latest
    order (December 2011)."""
    assistant = Assistant(Wholesale(), faq(), Dated(), Answers.load(), translator=FakeTranslator())
    for language, text in (("en", "what was the total for my order from December 2010?"),
                           ("fr", "ma commande de décembre 2010, elle a coûté combien ?"),
                           ("ja", "2010年12月の注文はいくらでしたか")):  # fmt: skip
        reply = assistant.reply(ConversationState("C", language), text)
        assert reply.orders == ("537626",), (text, reply.text)
    # a month with no order is said so before the latest order: it had been told as if it were
    # the month's order (a walk)
    tracking = Assistant(Track(), faq(), Dated(), Answers.load(), translator=FakeTranslator())
    for language, text, said in (
        ("en", "my order from March 2011, where is it?", "placed in March 2011 on your account"),
        ("de", "Wo ist meine Bestellung vom März 2011?", "keine Bestellung im März 2011"),
        ("fr", "ma commande de mars 2011 est où ?", "passée en mars 2011"),
        ("ja", "2011年3月の注文はどこですか", "2011年3月のご注文は見つかりません"),
    ):
        reply = tracking.reply(ConversationState("C", language), text)
        assert reply.text.startswith(said) or said in reply.text.split("\n")[0], reply.text
    # read as a list of orders, the month is still looked at (the five latest were listed: an
    # attack); Italian "nel mese di" (was "a agosto"), Austria's "Jänner"
    listing = Assistant(Listing(), faq(), Dated(), Answers.load(),
                        translator=FakeTranslator())  # fmt: skip
    for language, text, said in (
        ("en", "my order from August 2011", "placed in August 2011"),
        ("it", "il mio ordine di agosto 2011", "nel mese di agosto 2011"),
        ("de", "meine Bestellung vom Jänner 2011", "keine Bestellung im Januar 2011"),
    ):
        first = listing.reply(ConversationState("C", language), text).text.split("\n")[0]
        assert said in first, first


def test_a_customer_in_portugal_reads_figures_as_portugal_writes_them() -> None:
    """A walk: a customer in Portugal was told "£ 58,35", as Brazil writes it; the shop's
    listings there write "58,35 £" (markets.market_locale)."""

    class InPortugal:
        def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]:
            return [ORDER] if order_id in (None, ORDER.id) else []

        def market_of(self, customer_id: str) -> str | None:
            return {"P": "PT", "B": "BR"}.get(customer_id)

    bot = Assistant(Track(), faq(), InPortugal(), Answers.load(), translator=FakeTranslator())
    lisbon = bot.reply(ConversationState("P", "pt"), "onde está a minha encomenda 581180?")
    assert "139,12\xa0£" in lisbon.text, lisbon.text
    rio = bot.reply(ConversationState("B", "pt"), "cadê meu pedido 581180?")
    assert "£\xa0139,12" in rio.text, rio.text
