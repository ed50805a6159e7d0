"""Two questions in one message: where a message is cut, and how the assistant answers each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import pytest

from borderless.backends.fake import FakeEmbedder, FakeTranslator
from borderless.capabilities.support.answers import DEFAULTS
from borderless.capabilities.support.assistant import (
    Assistant,
    ConversationState,
    OrderSummary,
    Reply,
)
from borderless.capabilities.support.intents import Prediction
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.capabilities.support.questions import pieces


def texts(message: str, language: str) -> list[str]:
    return [p.text for p in pieces(message, language)]


@pytest.mark.parametrize(
    ("message", "language", "expected"),
    [
        ("How long does delivery take? And can I pay with PayPal?", "en",
         ["How long does delivery take?", "And can I pay with PayPal?"]),
        ("how much is shipping and do you take Apple Pay", "en",
         ["how much is shipping", "and do you take Apple Pay"]),
        # too few words on a side: no second request starts there
        ("Do you sell cups and saucers?", "en", ["Do you sell cups and saucers?"]),
        # a price and an abbreviation end no sentence
        ("Shipping was £4.95 approx. 5 days ago?", "en",
         ["Shipping was £4.95 approx. 5 days ago?"]),
        ("Wie lange dauert der Versand nach Österreich und kann ich mit PayPal zahlen?", "de",
         ["Wie lange dauert der Versand nach Österreich", "und kann ich mit PayPal zahlen?"]),
        ("运费多少，可以用支付宝吗", "zh", ["运费多少", "可以用支付宝吗"]),
        ("配送にはどのくらいかかりますか？あと、支払い方法は？", "ja",
         ["配送にはどのくらいかかりますか？", "あと、支払い方法は？"]),
        ("كم تكلفة الشحن وهل تقبلون باي بال؟", "ar", ["كم تكلفة الشحن", "وهل تقبلون باي بال؟"]),
        ("배송비는 얼마인가요, 그리고 반품은 어떻게 하나요?", "ko",
         ["배송비는 얼마인가요", "그리고 반품은 어떻게 하나요?"]),
        # a Korean verb joined by its ending -고; a noun ending in 고 alone is no verb
        ("환불은 언제 되고 인보이스는 어디서 볼 수 있나요", "ko",
         ["환불은 언제 되고", "인보이스는 어디서 볼 수 있나요"]),
        ("창고 위치가 어디인가요?", "ko", ["창고 위치가 어디인가요?"]),
    ],
)  # fmt: skip
def test_a_message_is_cut_where_a_second_question_may_start(
    message: str, language: str, expected: list[str]
) -> None:
    assert texts(message, language) == expected


def test_a_sentence_that_asks_nothing_is_context_unless_it_opens_with_and() -> None:
    said = pieces("I bought a mug last week. How do I send it back?", "en")
    assert [p.asks for p in said] == [False, True]
    said = pieces("was kostet der versand? und wie lösche ich mein konto", "de")
    assert [p.asks for p in said] == [True, True]
    said = pieces("متى سأسترد أموالي؟ وكيف يمكنني حذف حسابي", "ar")
    assert [p.asks for p in said] == [True, True]
    # no question mark anywhere: every sentence may ask
    assert all(p.asks for p in pieces("where is my order. also how do i get an invoice", "en"))


class Book:
    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]:
        order = OrderSummary("536365", datetime(2011, 12, 1), 7, Decimal("139.12"), "GBP", False)
        return [order] if customer_id == "A" and order_id in (None, order.id) else []


class Scored:
    """The intent and confidence its table gives a message, else out of scope."""

    def __init__(self, table: dict[str, tuple[str, float]]) -> None:
        self.table = table

    def predict(self, texts: Sequence[str], vectors: object = None) -> list[Prediction]:
        found = [self.table.get(" ".join(t.split()), ("oos", 0.3)) for t in texts]
        return [Prediction(label, score, label) for label, score in found]


def bot(table: dict[str, tuple[str, float]]) -> Assistant:
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    return Assistant(Scored(table), knowledge, Book(), translator=FakeTranslator())


def asked(message: str, *reads: tuple[str, str, float], language: str = "en") -> Reply:
    """The reply to `message` from customer A, the intents reading the texts of `reads` as
    (text, intent, confidence) say and anything else as out of scope."""
    table = {text: (label, score) for text, label, score in reads}
    return bot(table).reply(ConversationState("A", language), message)


TWO = "How long does delivery take? And can I pay with PayPal?"


def test_two_questions_are_answered_in_one_reply() -> None:
    said = asked(
        TWO,
        (TWO, "delivery_period", 0.4),
        ("How long does delivery take?", "delivery_period", 0.9),
        ("And can I pay with PayPal?", "check_payment_methods", 0.9),
    )
    cited = [c.id for c in said.citations]
    assert "which-payment-methods-do-you-accept" in cited
    assert cited[0] in ("how-long-does-delivery-take", "which-delivery-options-do-you-offer")
    assert said.intent == "delivery_period" and said.confidence == 0.9
    assert len(said.text.split("\n\n")) == 2


def test_a_cut_read_less_surely_than_the_whole_message_is_not_kept() -> None:
    """A message that asks one thing reads best whole: "Ich möchte, dass mein Konto und alle
    meine Daten gelöscht werden" was cut at "und" and told how to open an account first."""
    message = "Ich möchte, dass mein Konto und alle meine Daten gelöscht werden."
    said = asked(
        message,
        (message, "delete_account", 0.9),
        ("Ich möchte, dass mein Konto", "create_account", 0.6),
        ("und alle meine Daten gelöscht werden.", "delete_account", 0.8),
        language="de",
    )
    assert [c.id for c in said.citations] == ["how-do-i-delete-my-account"]


def test_a_sentence_of_context_goes_with_the_question_after_it() -> None:
    message = "I bought a mug last week. How do I send it back?"
    said = asked(
        message,
        (message, "get_refund", 0.5),
        ("I bought a mug last week.", "place_order", 0.95),
        ("How do I send it back?", "get_refund", 0.9),
    )
    assert said.intent == "get_refund"
    assert "\n\n" not in said.text  # one answer: the context asked nothing


def test_an_order_and_a_question_are_both_answered() -> None:
    message = "Where is my order? Also, how do I get an invoice?"
    said = asked(
        message,
        (message, "track_order", 0.5),
        ("Where is my order?", "track_order", 0.9),
        ("Also, how do I get an invoice?", "get_invoice", 0.9),
    )
    assert said.orders == ("536365",)
    assert "where-can-i-find-my-invoice" in [c.id for c in said.citations]
    assert said.state.order_id == "536365" and said.state.last_intent == "track_order"


def test_the_same_answer_is_not_given_twice_and_a_complaint_is_no_request() -> None:
    message = "How do I return a mug? And how do I send back a candle?"
    same = asked(
        message,
        (message, "get_refund", 0.5),
        ("How do I return a mug?", "get_refund", 0.9),
        ("And how do I send back a candle?", "check_refund_policy", 0.9),
    )
    assert len(same.text.split("\n\n")) == len({c.id for c in same.citations})
    # "I want a person" in one piece: no request of its own, the whole message is read
    message = "Where is my order? I want to talk to a person."
    whole = asked(
        message,
        (message, "contact_human_agent", 0.8),
        ("Where is my order?", "track_order", 0.9),
        ("I want to talk to a person.", "contact_human_agent", 0.9),
    )
    assert whole.handoff == "asked for a person"


def test_the_pieces_tried_are_not_counted_by_monitoring() -> None:
    """A monitored classifier counts the requests answered, not the pieces a message was cut
    into to find them (their out-of-scope readings would swell the rate)."""
    from borderless.capabilities.lifecycle.monitor import Monitor
    from borderless.capabilities.lifecycle.signals import WatchedClassifier

    table = {TWO: ("delivery_period", 0.4),
             "How long does delivery take?": ("delivery_period", 0.9),
             "And can I pay with PayPal?": ("check_payment_methods", 0.9)}  # fmt: skip
    monitor = Monitor()
    watched = WatchedClassifier(Scored(table), monitor, "v1")
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    helper = Assistant(watched, knowledge, Book(), translator=FakeTranslator())
    said = helper.reply(ConversationState("A", "en"), TWO)
    assert len(said.text.split("\n\n")) == 2
    # the two requests answered, not the whole message and its two pieces besides
    assert monitor.totals.signals[("support", "v1", "confidence")][1] == 2
