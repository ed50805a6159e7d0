"""The assistant's decisions, with a fixed classifier: languages, orders, knowledge, handoff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from borderless.backends.fake import FakeEmbedder, FakeTranslator
from borderless.capabilities.chinese_script import is_traditional, to_traditional
from borderless.capabilities.language import detect_language
from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import (
    Assistant,
    ConversationState,
    OrderSummary,
    ProductMatch,
)
from borderless.capabilities.support.intents import OUT_OF_SCOPE, Prediction
from borderless.capabilities.support.knowledge import KnowledgeBase, KnowledgeEntry, read_knowledge
from borderless.errors import BadRows, InvalidInput
from borderless.languages import MARKET_LANGUAGES


class Fixed:
    """Says the same intent for every message: the decisions after it are under test."""

    def __init__(self, label: str, confidence: float = 0.99) -> None:
        self.label, self.confidence = label, confidence

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction(self.label, self.confidence, self.label) for _ in texts]


ORDERS = {
    "A": [OrderSummary("536365", datetime(2011, 12, 1), 7, Decimal("139.12"), "GBP", False)],
    "B": [OrderSummary("536999", datetime(2011, 11, 2), 3, Decimal("42.00"), "GBP", True)],
}


class Book:
    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]:
        return [o for o in ORDERS.get(customer_id, []) if order_id in (None, o.id)]


def assistant(label: str) -> Assistant:
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    return Assistant(Fixed(label), knowledge, Book(), translator=FakeTranslator())


def test_order_replies_in_the_customers_language() -> None:
    bot = assistant("track_order")
    german = bot.reply(ConversationState("A"), "Wo ist meine Bestellung 536365?")
    assert german.language == "de" and german.orders == ("536365",)
    assert german.text.startswith("Bestellung 536365 wurde am 1. Dezember 2011 aufgegeben")
    # the cited FAQ entry in the demo FAQ's own German (a `### de` block), not translated
    assert "Bestellungen verlassen unser Lager" in german.text and "[de]" not in german.text
    italian = bot.reply(ConversationState("A"), "Dov'è il mio ordine? Non è ancora arrivato")
    # written in Italian (answers.json), the facts by rule; the FAQ entry in its own Italian
    assert italian.language == "it" and italian.text.startswith("L'ordine 536365 è stato")
    assert "Gli ordini partono dal nostro magazzino" in italian.text
    theirs = bot.reply(ConversationState("A"), "Where is order 536999?")
    assert theirs.orders == () and "can't find order 536999" in theirs.text
    assert "42.00" not in theirs.text and "2011-11-02" not in theirs.text
    # nothing else follows: delivery times would answer a question the customer did not ask
    assert theirs.citations == () and "warehouse" not in theirs.text
    korean = bot.reply(ConversationState("A"), "주문 540280 어디 있어요?")
    assert korean.citations == () and "540280" in korean.text and "영업일" not in korean.text
    assert "sign in" in bot.reply(ConversationState(None), "Where is my order?").text


def test_an_order_number_written_against_cjk_words_is_read() -> None:
    """ "订单536999发货了吗" named no order (\\w bordered the number), so customer C, with two
    orders, was told about the latest instead of the one asked about."""
    ORDERS["C"] = [
        OrderSummary("581180", datetime(2011, 12, 7), 4, Decimal("139.12"), "GBP", False),
        OrderSummary("536999", datetime(2011, 11, 2), 3, Decimal("42.00"), "GBP", False),
    ]
    try:
        bot = assistant("track_order")
        for text in (
            "订单536999发货了吗？",
            "注文536999はもう発送されましたか？",
            "주문 536999을 확인해 주세요",
            "注文番号５３６９９９の状況は？",  # full-width and Arabic-Indic digits (a walk)
            "أين الطلب رقم ٥٣٦٩٩٩؟",
            "أين الطلب رقم ۵۳۶۹۹۹؟",
        ):
            said = bot.reply(ConversationState("C"), text)
            assert said.orders == ("536999",), (text, said)
    finally:
        del ORDERS["C"]


def test_an_order_number_written_in_groups_is_read_whole() -> None:
    """A walk: "I ordered on 5 March, order 56-8518" was answered with the customer's latest
    order, not the one named, and without saying the number was not read."""
    ORDERS["C"] = [
        OrderSummary("581180", datetime(2011, 12, 7), 4, Decimal("139.12"), "GBP", False),
        OrderSummary("568518", datetime(2011, 3, 5), 3, Decimal("42.00"), "GBP", False),
    ]
    try:
        bot = assistant("track_order")
        said = bot.reply(ConversationState("C"), "I ordered on 5 March, order 56-8518")
        assert said.orders == ("568518",)
        unknown = bot.reply(ConversationState("C"), "order 12 34 56 where is it")
        assert unknown.orders == () and "can't find order 123456" in unknown.text
        # a date is not an order number: the latest order is answered
        dated = bot.reply(ConversationState("C"), "Where is what I ordered on 2011-12-07?")
        assert dated.orders == ("581180",)
        # two order numbers joined by a dash are two (was order 581180568518: a walk)
        both = bot.reply(ConversationState("C"), "orders 581180-568518?")
        assert both.orders == ("581180", "568518"), both.text
        # a customer number is no order number (was "No encuentro el pedido 12349")
        mine = bot.reply(
            ConversationState("C"), "¿Dónde está mi pedido? Mi número de cliente es 12349"
        )
        assert mine.orders == ("581180",) and "12349" not in mine.text, mine.text
        # a message that is only an order number asks for that order, whatever the intent
        # model reads into the word "order" (a walk: payment methods, or "not understood")
        misread = assistant("check_payment_methods")
        for text in ("order 568518", "order #568 518", "Bestellung 56-8518", "注文 568518"):
            assert misread.reply(ConversationState("C"), text).orders == ("568518",), text
        # with another word the intent stays its own, and the customer's order is told too
        paid = misread.reply(ConversationState("C"), "pay 568518")
        assert paid.intent == "check_payment_methods" and paid.orders == ("568518",)
        assert paid.citations[0].id == "which-payment-methods-do-you-accept"
        # opening a conversation, "order 568518" says no language: the shop's own, not German
        opened = misread.reply(ConversationState("C"), "order 568518")
        assert opened.language == "en" and opened.text.startswith("Order 568518")
        german = misread.reply(ConversationState("C"), "Wo ist meine Bestellung 568518?")
        assert german.language == "de"
    finally:
        del ORDERS["C"]


def test_the_latest_order_is_no_cancellation_and_a_follow_up_keeps_its_order() -> None:
    """A walk: "where is my order?" was answered about "C579090 ... Status: cancelled" (a
    cancellation record, the customer's newest), and "also the invoice for that one", after
    order 577104, about another order."""
    ORDERS["D"] = [
        OrderSummary(
            "C579090", datetime(2011, 11, 28), 2, Decimal("60.48"), "GBP", True, reversal=True
        ),  # a cancellation record
        OrderSummary("577135", datetime(2011, 11, 18), 9, Decimal("71.10"), "GBP", False),
        OrderSummary("577104", datetime(2011, 11, 17), 3, Decimal("12.50"), "GBP", False),
    ]
    try:
        latest = assistant("track_order").reply(ConversationState("D"), "where is my order?")
        assert latest.orders == ("577135",) and latest.state.order_id == "577135"
        named = assistant("track_order").reply(ConversationState("D"), "where is 577104?")
        assert named.state.order_id == "577104"
        invoice = assistant("get_invoice").reply(named.state, "also the invoice for that one")
        assert invoice.orders == ("577104",)
        asked = assistant("track_order").reply(ConversationState("D"), "what is C579090?")
        assert asked.orders == ("C579090",)  # named, a cancellation is told as one
        assert asked.text.startswith("C579090 is a cancellation made on 28 November 2011")
        assert asked.citations == ()  # no delivery times
        # a refund question about it gets the refund answer (it was told as an order placed)
        refund = assistant("get_refund").reply(
            ConversationState("D"), "where is my refund for C579090?"
        )
        # the fact, not a promise: "is credited to you" of a 2011 cancellation (a walk)
        assert refund.orders == ("C579090",) and "is a cancellation made on" in refund.text
        assert "credited" not in refund.text
        assert refund.citations, refund
        # asked with no order named, the refund is the cancellation's, not the latest order's
        when = assistant("track_refund").reply(ConversationState("D"), "when is my refund due?")
        assert when.orders == ("C579090",) and when.citations, when
    finally:
        del ORDERS["D"]


def test_a_refund_asked_about_with_no_cancellation_is_answered_by_the_faq_alone() -> None:
    """A walk: "when does the refund arrive?" was told the latest order ("Status: placed")
    before the refund policy, as if that order were being refunded."""
    ORDERS["D"] = [
        OrderSummary("577135", datetime(2011, 11, 18), 9, Decimal("71.10"), "GBP", False)
    ]
    try:
        said = assistant("track_refund").reply(
            ConversationState("D"), "when does the refund arrive?"
        )
        assert said.orders == () and "577135" not in said.text
        assert said.citations and said.text.startswith("Refunds are paid"), said
        # an order talked about before is the one meant ("and my refund for it?")
        told = assistant("track_order").reply(ConversationState("D"), "where is my order?")
        followed = assistant("track_refund").reply(told.state, "and my refund for it?")
        assert followed.orders == ("577135",)
    finally:
        del ORDERS["D"]


def test_an_own_order_named_in_a_knowledge_question_is_answered_and_remembered() -> None:
    """A walk: "and what about order 570452, has that one shipped?" was read as shipping costs
    and got that FAQ entry alone; the order was neither told nor remembered."""
    ORDERS["D"] = [
        OrderSummary("577104", datetime(2011, 11, 17), 3, Decimal("12.50"), "GBP", False),
    ]
    try:
        text = "and what about order 577104, has that one shipped?"
        said = assistant("delivery_options").reply(ConversationState("D"), text)
        assert said.orders == ("577104",) and said.state.order_id == "577104", said
        assert "577104" in said.text and said.citations, said.text  # the order, then the FAQ
        # a number that is none of the customer's orders (a postcode) leaves the FAQ alone
        moved = assistant("change_shipping_address").reply(
            ConversationState("D"), "please send it to Hauptstr. 5, 10115 Berlin"
        )
        assert moved.orders == () and "10115" not in moved.text and moved.citations
        # in an order question too, a number beside an address is no order (an attack: "I
        # can't find order 10115"); the latest order is told
        where = assistant("track_order").reply(
            ConversationState("D"), "Where is my parcel? I live at 10115 Berlin"
        )
        assert where.orders == ("577104",) and "10115" not in where.text, where.text
        # a number that is no order of theirs, without an address word, is still said unfound
        missing = assistant("track_order").reply(ConversationState("D"), "where is order 10115?")
        assert "can't find order 10115" in missing.text
        # two orders are told in the order asked (they came back reversed, an attack)
        ORDERS["D"].append(
            OrderSummary("562032", datetime(2011, 8, 2), 1, Decimal("5.00"), "GBP", False)
        )
        both = assistant("track_order").reply(
            ConversationState("D"), "where are 577104 and 562032?"
        )
        assert both.orders == ("577104", "562032")
        assert both.text.index("577104") < both.text.index("562032"), both.text
        # signed out, the FAQ answers as before
        anyone = assistant("delivery_options").reply(ConversationState(), text)
        assert anyone.orders == () and anyone.citations
    finally:
        del ORDERS["D"]


def test_a_message_of_invisible_marks_alone_is_empty() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        assistant("track_order").reply(ConversationState("A"), "\u200f\u200e")


def test_the_intent_model_reads_a_message_without_its_order_number() -> None:
    """Cancellations in German and French with an order number came out track_order: the
    examples with a number are mostly tracking questions. The number still finds the order."""
    from borderless.capabilities.support.assistant import for_intent

    seen: list[str] = []

    class Reads(Fixed):
        def predict(self, texts: Sequence[str]) -> list[Prediction]:
            seen.extend(texts)
            return super().predict(texts)

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Reads("cancel_order"), knowledge, Book(), translator=FakeTranslator())
    said = bot.reply(ConversationState("A"), "Bitte stornieren Sie meine Bestellung 536365")
    assert seen == ["Bitte stornieren Sie meine Bestellung"] and said.orders == ("536365",)
    assert for_intent("订单581180发货了吗") == "订单 发货了吗" and for_intent("581180") == "581180"


def test_a_chat_opened_with_one_word_is_answered_in_its_language() -> None:
    # Lingua alone read "hello" as Italian (0.35), and a new chat took that as its language.
    bot = assistant("greeting")
    for text, code in (("hello", "en"), ("refund", "en"), ("danke", "de"), ("hola", "es")):
        assert bot.reply(ConversationState("A"), text).language == code, text


def test_deleting_an_account_is_answered_without_how_to_open_one() -> None:
    """A walk: "how do I delete my account?" was answered "Create an account with your e-mail
    address..." first (one FAQ entry held both)."""
    gone = assistant("delete_account").reply(ConversationState(), "delete my account please")
    assert gone.citations[0].id == "how-do-i-delete-my-account", gone
    assert gone.text.startswith("To delete your account") and "Create" not in gone.text
    made = assistant("create_account").reply(ConversationState(), "how do I sign up?")
    assert made.citations[0].id == "how-do-i-create-an-account" and "delete" not in made.text
    # "How do I change my e-mail?" was told how to create an account (a walk)
    changed = assistant("edit_account").reply(ConversationState(), "How do I change my e-mail?")
    assert changed.citations[0].id == "how-do-i-change-my-account-details", changed
    assert "My account" in changed.text and "Create" not in changed.text


def test_knowledge_and_handoff_rules() -> None:
    faq = assistant("delivery_period").reply(ConversationState(), "How long does delivery take?")
    assert faq.citations[0].id == "how-long-does-delivery-take" and faq.handoff is None
    person = assistant("contact_human_agent").reply(ConversationState(), "a human please")
    assert person.handoff == "asked for a person" and person.state.status == "handoff"
    angry = assistant("delivery_period").reply(ConversationState(), "Das ist eine Frechheit!")
    assert angry.handoff == "angry customer" and angry.language == "de"
    # "!!" after thanks or joy is no anger (these went to a person: a walk)
    bot = assistant("delivery_period")
    for glad in ("Great, thank you so much!!", "¡¡Muchas gracias!!", "Würde mich freuen!!",
                 "Bestelling al onderweg? Alvast bedankt!!"):  # fmt: skip
        assert bot.reply(ConversationState(), glad).handoff is None, glad
    assert bot.reply(ConversationState(), "Where is it!!").handoff == "angry customer"
    # ...but thanks denied are none ("very helpful" is thanks)
    for cross in ("This was not very helpful!!", "Das war nicht sehr hilfreich!!",
                  "Oh great!! Thanks a lot for nothing!!",
                  "Great, thanks for nothing."):  # fmt: skip
        assert bot.reply(ConversationState(), cross).handoff == "angry customer", cross
    waiting = assistant("delivery_period").reply(person.state, "hello?")
    assert waiting.intent == "waiting" and waiting.state.status == "handoff"
    reopened = assistant("delivery_period").reply(
        ConversationState(status="closed"), "How long does delivery take?"
    )
    assert reopened.state.status == "open" and reopened.citations


def test_bad_messages_and_knowledge_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = assistant("delivery_period")
    with pytest.raises(InvalidInput, match="empty"):
        bot.reply(ConversationState(), "   ")
    with pytest.raises(InvalidInput, match="longer than"):
        bot.reply(ConversationState(), "x" * 2001)
    broken = tmp_path / "faq.md"
    broken.write_text("## Returns\n30 days.\n## Shipping\n\n## Payment\nCards.\n")
    with pytest.raises(BadRows) as bad:
        read_knowledge(broken)
    assert [r.line for r in bad.value.rows] == [3]
    (tmp_path / "faq.csv").write_text("question,answer\nReturns?,30 days\nShipping?,\n")
    with pytest.raises(BadRows):
        read_knowledge(tmp_path / "faq.csv")
    # a control character in a question is refused, naming the line (a NUL was stored: an
    # attack); a line break inside an answer is text
    (tmp_path / "faq.csv").write_text('question,answer\nRet\x00urns?,30 days\nShip?,"2\n3 days"\n')
    with pytest.raises(BadRows) as nul:
        read_knowledge(tmp_path / "faq.csv")
    assert [(r.line, r.field) for r in nul.value.rows] == [(2, "question")]
    # an id given twice names both lines (it named the file only: an attack)
    (tmp_path / "faq.csv").write_text(
        "id,question,answer\nret,Returns?,30\nship,Ship?,2\nret,R?,9\n"
    )
    with pytest.raises(BadRows) as twice:
        read_knowledge(tmp_path / "faq.csv")
    assert [(r.line, r.field) for r in twice.value.rows] == [(4, "id")]
    assert "line 2's too" in twice.value.rows[0].reason
    twice_md = tmp_path / "twice.md"
    twice_md.write_text("## Returns\n30 days.\n\n## Returns\nNone.\n")
    with pytest.raises(BadRows) as headings:
        read_knowledge(twice_md)
    assert [r.line for r in headings.value.rows] == [4]
    (tmp_path / "faq.txt").write_text("x")
    with pytest.raises(InvalidInput, match=r"\.md or \.csv"):
        read_knowledge(tmp_path / "faq.txt")


def test_a_message_in_a_language_outside_the_markets_goes_to_a_person_when_not_placed() -> None:
    """A Swedish "where is my parcel?" the model could not place was asked to rephrase, in a
    Swedish the engine garbled; nothing was learnt in Swedish, so asking again cannot help."""

    class Nothing(KnowledgeBase):
        def search(self, text: str, k: int = 3) -> list:  # type: ignore[override,type-arg]
            return []

    knowledge = Nothing(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Fixed("oos"), knowledge, Book(), translator=FakeTranslator())
    swedish = "Hej, jag har inte fått min beställning. Var är paketet?"
    said = bot.reply(ConversationState("A"), swedish)
    assert said.state.language == "sv" and said.state.status == "handoff"
    german = bot.reply(ConversationState("A"), "Was ist die Hauptstadt von Australien?")
    assert german.state.status != "handoff"  # a market language is asked again first


def test_faq_answers_in_the_sellers_own_words_are_quoted_and_the_rest_translated(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """The local engine's translations of the demo FAQ were judged bad in 8 of 13 languages;
    an answer the seller wrote in a language is quoted as written, the others translated."""
    faq = tmp_path / "faq.md"
    faq.write_text(
        "## How long does delivery take?\nTwo to four days.\n### Express\nNext day.\n\n"
        "### de\nZwei bis vier Tage.\n"
    )
    (entry,) = read_knowledge(faq)
    assert entry.translations == {"de": "Zwei bis vier Tage."}
    # a third-level heading that names no language stays in the answer
    assert entry.answer == "Two to four days. ### Express Next day."
    bot = Assistant(
        Fixed("delivery_period"), KnowledgeBase([entry], FakeEmbedder()), Book(),
        translator=FakeTranslator(),
    )  # fmt: skip
    german = bot.reply(ConversationState(), "Wie lange dauert die Lieferung?")
    assert (german.text, german.language) == ("Zwei bis vier Tage.", "de")
    assert german.citations[0].id == "how-long-does-delivery-take"
    french = bot.reply(ConversationState(), "Combien de temps dure la livraison ?")
    assert french.text.startswith("[fr] Two to four days. ### Express") and french.language == "fr"
    # and in every market language of the demo FAQ, for every entry
    for entry in read_knowledge(DEFAULTS / "faq.md"):
        assert sorted(entry.translations) == sorted(set(MARKET_LANGUAGES) - {"en"}), entry.id


def test_faq_questions_written_in_a_language_are_matched_with_its_answer(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """ "come funziona il reso?" met the Italian refund answer (its "resi") before the Italian
    return answer (a walk): a question the seller writes in Italian is matched too."""
    faq = tmp_path / "faq.md"
    body = (
        "## How do I return an item?\nWithin 30 days.\n"
        "### it{returns}\nPuoi restituire entro 30 giorni.\n\n"
        "## When do I get my refund?\nIn 5 days.\n"
        "### it{refunds}\nI rimborsi degli articoli resi arrivano in 5 giorni.\n"
    )
    asked = "come effettuare un reso?"
    faq.write_text(body.format(returns="", refunds=""))
    unasked = KnowledgeBase(read_knowledge(faq), FakeEmbedder())
    assert unasked.search(asked, k=1)[0].id == "when-do-i-get-my-refund"
    faq.write_text(
        body.format(returns=": Come effettuare un reso?", refunds=":  Quando ricevo il rimborso? ")
    )
    entries = read_knowledge(faq)
    assert [e.questions for e in entries] == [
        {"it": "Come effettuare un reso?"},
        {"it": "Quando ricevo il rimborso?"},
    ]
    assert entries[0].translations == {"it": "Puoi restituire entro 30 giorni."}
    assert KnowledgeBase(entries, FakeEmbedder()).search(asked, k=1)[0].id == (
        "how-do-i-return-an-item"
    )
    # a CSV names them question_it; one without that language's answer is not read
    table = tmp_path / "faq.csv"
    table.write_text(
        "question,answer,answer_it,question_it,question_de\n"
        "How do I return an item?,Within 30 days,Entro 30 giorni,Come effettuare un reso?,Wie?\n"
    )
    (entry,) = read_knowledge(table)
    assert entry.questions == {"it": "Come effettuare un reso?"}
    # every entry of the demo FAQ asks its question in each language it answers in
    for entry in read_knowledge(DEFAULTS / "faq.md"):
        assert sorted(entry.questions) == sorted(entry.translations), entry.id


def test_faq_translations_that_cannot_be_read_are_listed_with_their_lines(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    faq = tmp_path / "faq.md"
    faq.write_text(
        "## Returns\n30 days.\n### xx\nUnknown.\n### de\n\n## Shipping\nFree.\n"
        "### fr\nGratuit.\n### FR\nEncore.\n"
    )
    with pytest.raises(BadRows) as bad:
        read_knowledge(faq)
    said = {(r.line, r.reason.split(":")[0]) for r in bad.value.rows}
    assert said == {
        (3, "unknown language 'xx'"),
        (5, "### de without an answer below it"),
        (11, "a second ### fr in this entry"),
    }
    table = tmp_path / "faq.csv"
    table.write_text("question,answer,answer_ja,answer_de\nReturns?,30 days,30日,\n")
    (entry,) = read_knowledge(table)
    assert entry.translations == {"ja": "30日"}  # an empty cell: none written
    table.write_text("question,answer,answer_klingon\nReturns?,30 days,x\n")
    with pytest.raises(BadRows) as bad:
        read_knowledge(table)
    assert bad.value.rows[0].field == "answer_klingon"


def test_chinese_and_japanese_replies_have_no_spaces_a_native_writer_would_not_write() -> None:
    """ "订单 571751 于 2011年10月19日 下单 ... 状态：已下单。 退回的商品" (the walk)."""
    bot = assistant("track_order")
    for text, start in (
        ("我的订单536365在哪里？", "订单536365于2011年12月1日下单：共7件商品"),
        ("注文536365はどこですか？", "ご注文536365は2011年12月1日に受け付けました"),
    ):
        said = bot.reply(ConversationState("A"), text).text
        assert said.startswith(start), said
        assert "。 " not in said and "订单英国" not in said  # the FAQ line follows the full stop


def test_an_intent_that_names_several_entries_cites_the_one_most_like_the_message(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """ "How much does shipping cost?" is Bitext's delivery_options, whose one entry was the
    delivery options: the shipping-cost answer was reached in no language (the walk)."""
    import json

    from borderless.capabilities.support.answers import Answers

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder(256))
    bot = Assistant(Fixed("delivery_options"), knowledge, Book(), translator=FakeTranslator())
    cost = bot.reply(ConversationState(), "What does shipping cost to the EU?")
    assert cost.citations[0].id == "what-does-shipping-cost"
    options = bot.reply(ConversationState(), "Which delivery options do you offer? Express?")
    assert options.citations[0].id == "which-delivery-options-do-you-offer"
    # an entry is as close to a message as its closest text, its written translations too
    japanese = {"ja": "送料は4ポンドです。"}
    entries = [KnowledgeEntry("cost", "Shipping cost?", "Four pounds.", japanese),
               KnowledgeEntry("options", "Options?", "Express or standard.")]  # fmt: skip
    assert KnowledgeBase(entries, FakeEmbedder(256)).search("送料は4ポンドです。")[0].id == "cost"
    english_only = [replace(e, translations={}) for e in entries]
    assert not KnowledgeBase(english_only, FakeEmbedder(256)).search("送料は4ポンドです。")
    assert Answers.load().intents["delivery_options"].kb[:2] == (
        "which-delivery-options-do-you-offer", "what-does-shipping-cost",
    )  # fmt: skip
    bad = tmp_path / "answers.json"
    spec = json.loads((DEFAULTS / "answers.json").read_text(encoding="utf-8"))
    spec["intents"]["delivery_options"]["kb"] = [1, 2]
    bad.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        Answers.load(bad)
    assert caught.value.field == "kb"


def test_the_same_answer_asked_for_again_goes_to_a_person() -> None:
    """A walk: "ok, cancel it please" after the cancellation answer got the same answer, three
    times. Asked again, a person takes it; an order's status may be asked again."""
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    cancel = Assistant(Fixed("cancel_order"), knowledge, Book(), translator=FakeTranslator())
    first = cancel.reply(ConversationState("C", "en"), "I want to cancel my order")
    assert first.handoff is None and first.state.last_intent == "cancel_order"
    again = cancel.reply(first.state, "ok, cancel it please")  # C has no order to cancel
    assert again.handoff == "asked again" and again.state.status == "handoff"
    assert again.text != first.text
    told = cancel.reply(ConversationState("A", "en"), "I want to cancel my order")
    confirmed = cancel.reply(told.state, "ok, cancel it please")  # a yes: see the test below
    assert confirmed.handoff == "cancellation confirmed"
    repeated = cancel.reply(first.state, "I want to cancel my order, how?")
    assert repeated.handoff == "asked again" and repeated.state.status == "handoff"
    track = Assistant(Fixed("track_order"), knowledge, Book(), translator=FakeTranslator())
    status = track.reply(ConversationState("C", "en"), "Where is my order?")
    assert track.reply(status.state, "and now?").handoff is None
    # thanks said twice is no request asked again (an attack: "Thanks", "Thanks" went to a
    # person)
    thanked = cancel.reply(first.state, "Thanks")
    assert thanked.intent == "thanks" and cancel.reply(thanked.state, "Thanks").handoff is None
    # another answer in between: no repeat
    other = Assistant(Fixed("get_invoice"), knowledge, Book(), translator=FakeTranslator())
    between = other.reply(first.state, "and my invoice?")
    assert cancel.reply(between.state, "cancel it").handoff is None


def test_traditional_chinese_is_answered_in_traditional() -> None:
    """A walk: "我的訂單在哪裡？" (Taiwan, Hong Kong) was answered in Simplified characters.
    The message is read as Simplified (the intents see "我的订单在哪里？") and the reply,
    its facts and status name, written in Traditional."""
    seen: list[str] = []

    class Reading(Fixed):
        def predict(self, texts: Sequence[str]) -> list[Prediction]:
            seen.extend(texts)
            return super().predict(texts)

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Reading("track_order"), knowledge, Book(), translator=FakeTranslator())
    said = bot.reply(ConversationState("A"), "我的訂單536365在哪裡？")
    assert seen == ["我的订单 在哪里？"]  # the order number read out
    assert said.language == "zh" and said.text.startswith("訂單536365於2011年12月1日下單")
    assert "订单" not in said.text and all(f in said.text for f in said.facts)
    simplified = bot.reply(ConversationState("A"), "我的订单536365在哪里？")
    assert simplified.text.startswith("订单536365于2011年12月1日下单")
    # Japanese is not Traditional Chinese, nor a text both scripts write alike
    assert not is_traditional("11月17日の注文はどこですか") and not is_traditional("你好")
    assert not is_traditional("はい、お願いします")  # 願 is Japanese too: it was read as 愿
    # kanji alone in a Japanese conversation stay Japanese ("返品方法" was answered in Chinese)
    bot = assistant("track_order")
    assert bot.reply(ConversationState("A", "ja"), "出荷日").language == "ja"
    assert bot.reply(ConversationState("A", "ja"), "请问订单状态").language == "zh"
    assert bot.reply(ConversationState("A"), "注文一覧").language == "ja"
    assert bot.reply(ConversationState("A"), "我的订单在哪里").language == "zh"
    # Taiwan's words where the package's table had mainland ones (賬戶, 質量: mass)
    assert to_traditional("请在您的账户页面发起退货") == "請在您的帳戶頁面發起退貨"
    assert to_traditional("质量很好") == "品質很好"


def test_a_double_charge_and_a_damaged_item_cite_their_own_entries() -> None:
    """A walk: "I was charged twice" was told how to retry a failed payment (payment_issue's
    one entry), "My mug arrived broken" had no answer; a lost parcel was told how to reset a
    password. Each now has its entry, or a person (seed.py: examples_problems.csv)."""
    from collections import Counter

    from borderless.capabilities.support.answers import Answers
    from borderless.capabilities.support.examples import read_labelled
    from borderless.capabilities.support.seed import PROBLEM_EXAMPLES

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder(256))
    answers = Answers.load()
    payment = Assistant(Fixed("payment_issue"), knowledge, Book(), answers)
    twice = payment.reply(ConversationState(), "I was charged twice for one order")
    assert twice.citations[0].id == "i-was-charged-twice"
    failed = payment.reply(ConversationState(), "My payment failed, what can I do?")
    assert failed.citations[0].id == "my-payment-failed-what-can-i-do"
    refund = Assistant(Fixed("get_refund"), knowledge, Book(), answers)
    damaged = refund.reply(ConversationState(), "My item arrived damaged")
    assert damaged.citations[0].id == "my-item-arrived-damaged"
    assert answers.intents["complaint"].action == "handoff"
    # the examples teach all three problems in every market language (3 each, a few dropped
    # as too near the benchmark's messages)
    examples = read_labelled(DEFAULTS / PROBLEM_EXAMPLES)
    labels = Counter(e.label for e in examples)
    assert set(labels) == {"get_refund", "payment_issue", "complaint"}
    assert all(n >= 28 for n in labels.values()), labels


@pytest.mark.parametrize(
    ("text", "language", "said"),
    [
        ("Obrigado, era só isso", "pt", "De nada!"),
        ("thanks, that's all!", "en", "You're welcome!"),
        ("Danke, das war's", "de", "Gern geschehen!"),
        ("谢谢！", "zh", "不客气"),
        ("ありがとうございました。", "ja", "どういたしまして"),
        ("감사합니다", "ko", "천만에요"),
        ("شكرا جزيلا", "ar", "على الرحب والسعة"),
        # praise beside the thanks was out of scope (a walk)
        ("Thank you so much!! You're great!!", "en", "You're welcome!"),
        ("Muchísimas gracias, muy amable", "es", "¡De nada!"),
        ("Merci beaucoup !! Vous êtes géniaux !!", "fr", "Avec plaisir"),
        ("Thanks so much!! You guys are great!!", "en", "You're welcome!"),
        ("Thanks, no further questions", "en", "You're welcome!"),
    ],
)
def test_thanks_and_goodbye_are_answered_not_asked_again(
    text: str, language: str, said: str
) -> None:
    """A walk: "Obrigado, era só isso" was asked to rephrase; a second such message would go
    to a person as "not understood twice"."""
    reply = assistant("oos").reply(ConversationState("A", language, failures=1), text)
    assert reply.text.startswith(said) and reply.language == language and reply.handoff is None
    assert reply.state.failures == 0 and reply.intent == "thanks"


@pytest.mark.parametrize(
    "text",
    [
        "do widzenia",
        "ok merci, bonne soirée",
        "vale gracias, un saludo",
        "失礼します",
        "谢谢啦，辛苦了",
        "네 감사합니다, 좋은 저녁 보내세요!",
        "Пока",
    ],
)
def test_goodbye_alone_is_answered_whatever_the_intents_read(text: str) -> None:
    """A walk: "do widzenia" got the invoice answer, "ok merci, bonne soirée" went to a person
    as not understood twice."""
    reply = assistant("get_invoice").reply(ConversationState("A", failures=1), text)
    assert reply.intent == "thanks" and reply.handoff is None and reply.orders == ()


def test_thanks_with_a_question_is_the_question() -> None:
    reply = assistant("oos").reply(ConversationState("A", "en"), "Thanks, but can I pay by cheque?")
    assert reply.intent != "thanks"


def test_a_first_message_in_no_clear_language_is_answered_in_the_shops() -> None:
    """ "ok" was answered in Polish, "order status" in Dutch, "no" in Italian (a walk)."""
    bot = assistant("track_order")
    for text in ("ok", "order status", "no"):
        assert bot.reply(ConversationState(), text).language == "en", text
    assert bot.reply(ConversationState(), "¿Dónde está mi pedido?").language == "es"
    # later in a conversation the conversation's language stands
    german = bot.reply(ConversationState(language="de"), "ok")
    assert german.language == "de"


def test_a_greeting_alone_is_greeted_not_asked_to_rephrase() -> None:
    """ "hi", "hello", "hola" were "not sure I understood"; "hi" then "hello?" went to a person
    as "not understood twice" (a walk)."""
    bot = assistant("track_order")
    hi = bot.reply(ConversationState(), "hi")
    assert hi.intent == "greeting" and hi.text.startswith("Hello!") and hi.handoff is None
    again = bot.reply(hi.state, "hello")
    assert again.intent == "greeting" and again.state.failures == 0 and again.handoff is None
    hola = bot.reply(ConversationState(), "hola")
    assert hola.language == "es" and hola.text.startswith("¡Hola!")
    assert bot.reply(ConversationState(), "안녕하세요").text.startswith("안녕하세요!")
    asked = bot.reply(ConversationState("A"), "hi, where is my order?")
    assert asked.intent == "track_order"  # a greeting with a question is the question


def test_a_question_announced_is_greeted_in_the_greetings_language() -> None:
    """ "Hallo, ich habe eine Frage" was asked to rephrase and "Hallo" was greeted in English
    (a walk): an opener is answered as a greeting is, in the language its words are in."""
    bot = assistant("track_order")
    for text, language in [("Hallo", "de"), ("Hallo, ich habe eine Frage", "de"),
                           ("Hi, I have a quick question", "en"), ("在吗？", "zh"),
                           ("Bonjour, pouvez-vous m'aider svp ?", "fr"),
                           ("Merhaba, bir sorum var", "tr")]:  # fmt: skip
        said = bot.reply(ConversationState(), text)
        assert said.intent == "greeting" and said.language == language, (text, said)
        assert said.handoff is None and said.state.failures == 0
    # Dutch goes on in Dutch; a question beside the opener is the question
    assert bot.reply(ConversationState(language="nl"), "Hallo").language == "nl"
    # thanks typed without accents said their language too (a walk: Dutch)
    thanked = bot.reply(ConversationState(), "merci, bonne journee")
    assert thanked.intent == "thanks" and thanked.language == "fr"
    for text in ("Hi, can you help me track my order?", "I have a question about my order"):
        assert bot.reply(ConversationState("A"), text).intent == "track_order", text


def test_a_list_of_ones_orders_tells_the_latest_five() -> None:
    """ "Show me all my orders" was told the latest order alone, and again after "no, ALL my
    orders" (a walk): the customer's five most recent orders are told, newest first, each by
    rule; a cancellation record is no order."""
    ORDERS["L"] = [
        OrderSummary(f"5800{i:02d}", datetime(2011, 11, 20 - i), i + 1, Decimal("10.00"), "GBP",
                     False)
        for i in range(7)
    ]  # fmt: skip
    ORDERS["L"].insert(1, OrderSummary("C580099", datetime(2011, 11, 19), 1, Decimal("-5.00"),
                                       "GBP", True, reversal=True))  # fmt: skip
    try:
        bot = assistant("list_orders")
        said = bot.reply(ConversationState("L", "de"), "Zeig mir alle meine Bestellungen")
        assert said.orders == ("580000", "580001", "580002", "580003", "580004")
        lines = said.text.split("\n")
        assert lines[0] == "Ihre letzten Bestellungen (5), die neueste zuerst:"
        assert lines[1].startswith("Bestellung 580000 wurde am 20. November 2011 aufgegeben")
        assert len(lines) == 7 and "C580099" not in said.text and said.handoff is None
        assert lines[-1].startswith("Ältere Bestellungen sind hier nicht aufgeführt")
        assert all(f in said.text for f in said.facts) and said.state.order_id == "580000"
        again = bot.reply(said.state, "nein, ALLE meine Bestellungen")
        assert again.handoff is None and again.orders == said.orders  # may be asked again
        assert "please sign in" in bot.reply(ConversationState(None, "en"), "my orders").text
        assert bot.reply(ConversationState("Z", "en"), "my orders").orders == ()
        one = bot.reply(ConversationState("A", "en"), "my orders")
        assert one.orders == ("536365",) and "Older orders" not in one.text
        # "cancel the second one" after the list was told (and cancelled) the first (a walk)
        cancel = assistant("cancel_order")
        second = cancel.reply(said.state, "cancel the second one")
        assert second.orders == ("580001",) and second.state.order_id == "580001"
        assert cancel.reply(second.state, "yes please").handoff == "cancellation confirmed"
        for text, order in [("und die dritte?", "580002"), ("第二个呢", "580001"),
                            ("두 번째 주문은요?", "580001"), ("la quinta", "580004")]:  # fmt: skip
            assert assistant("oos").reply(said.state, text).orders == (order,), text
        assert assistant("complaint").reply(said.state, "the second one is broken!").handoff
        assert assistant("oos").reply(said.state, "the second and third").orders == ()
    finally:
        del ORDERS["L"]


def test_a_yes_after_the_cancellation_answer_goes_to_a_person() -> None:
    """ "はい、お願いします", "да, отменяйте", "ايوه الغيه" after the cancellation answer were
    asked to rephrase (a walk): the customer confirms, a person cancels. Not after another
    answer, and "ok" alone confirms nothing."""
    bot = assistant("cancel_order")
    for language, first, yes in [("ja", "注文をキャンセルしたい", "はい、お願いします"),
                                 ("ru", "Хочу отменить заказ", "да, отменяйте"),
                                 ("ar", "أريد إلغاء طلبي", "ايوه الغيه"),
                                 ("pl", "Chce anulowac zamowienie", "tak prosze")]:  # fmt: skip
        asked = bot.reply(ConversationState("A", language), first)
        assert asked.intent == "cancel_order" and asked.handoff is None
        confirmed = bot.reply(asked.state, yes)
        assert confirmed.handoff == "cancellation confirmed", (language, confirmed)
        assert confirmed.language == language
    track = assistant("track_order")
    told = track.reply(ConversationState("A", "en"), "where is my order?")
    assert track.reply(told.state, "yes").handoff is None
    asked = bot.reply(ConversationState("A", "en"), "I want to cancel my order")
    assert assistant("oos").reply(asked.state, "ok").handoff is None
    # signed out, the answer asked to sign in: a "sí" confirms nothing (a walk)
    signed_out = bot.reply(ConversationState(None, "es"), "quiero cancelar mi pedido")
    assert bot.reply(signed_out.state, "si").handoff != "cancellation confirmed"
    assert bot.reply(asked.state, "네 부탁드려요").handoff == "cancellation confirmed"


class Keyed:
    """Says the intent its table gives a message, else `otherwise`."""

    def __init__(self, table: dict[str, str], otherwise: str = "oos") -> None:
        self.table, self.otherwise = table, otherwise

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        labels = [self.table.get(" ".join(t.split()), self.otherwise) for t in texts]
        return [Prediction(label, 0.9, label) for label in labels]


def keyed(table: dict[str, str], otherwise: str = "oos") -> Assistant:
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    return Assistant(Keyed(table, otherwise), knowledge, Book(), translator=FakeTranslator())


def test_a_place_in_the_list_is_read_with_the_words_beside_it() -> None:
    """A run check: after the list, "storniere die zweite" (the ordinal outweighing the verb,
    out of scope) was told as the second order's status, and the "ja bitte" after it asked to
    rephrase; "2番目をキャンセルして" (a particle against the ordinal) was told the newest
    order; "what about the third?" one reply after "the second one" was not understood."""
    ORDERS["P"] = [
        OrderSummary(f"5900{i:02d}", datetime(2011, 11, 20 - i), 1, Decimal("5.00"), "GBP", False)
        for i in range(4)
    ]
    try:
        bot = keyed({"Zeig mir alle meine Bestellungen": "list_orders", "show me my orders":
                     "list_orders", "storniere die": "cancel_order"})  # fmt: skip
        listed = bot.reply(ConversationState("P", "de"), "Zeig mir alle meine Bestellungen")
        cancel = bot.reply(listed.state, "storniere die zweite")
        assert cancel.intent == "cancel_order" and cancel.orders == ("590001",)
        assert bot.reply(cancel.state, "ja bitte").handoff == "cancellation confirmed"
        japanese = assistant("cancel_order").reply(listed.state, "2番目をキャンセルして")
        assert japanese.orders == ("590001",)
        assert assistant("cancel_order").reply(listed.state, "두 번째를 취소해 주세요").orders == (
            "590001",
        )
        english = bot.reply(ConversationState("P", "en"), "show me my orders")
        second = bot.reply(english.state, "the second one")
        third = bot.reply(second.state, "what about the third?")
        assert (second.orders, third.orders) == (("590001",), ("590002",))
        assert third.state.recent_intents == ("track_order", "track_order", "list_orders")
        later = bot.reply(bot.reply(third.state, "the first").state, "and the fourth?")
        assert later.orders == (), "three replies after the list, a place is in no list"
    finally:
        del ORDERS["P"]


def test_the_cancellation_answer_asks_whether_to_cancel() -> None:
    """A walk: the cancellation answer said orders may be cancelled and left the customer to
    guess what to write. It asks, with the order's number; a yes goes to a person who
    cancels. Not for an order already cancelled."""
    bot = assistant("cancel_order")
    english = bot.reply(ConversationState("A", "en"), "I want to cancel my order")
    assert english.text.endswith(
        "Shall I ask our team to cancel order 536365? Reply yes to confirm."
    ), english.text
    assert bot.reply(english.state, "yes").handoff == "cancellation confirmed"
    german = bot.reply(ConversationState("A", "de"), "Ich möchte meine Bestellung stornieren")
    assert german.text.endswith("Antworten Sie mit Ja, um das zu bestätigen.")
    assert "536365" in german.facts
    for language in MARKET_LANGUAGES:
        said = bot.reply(ConversationState("A", language), "cancel")
        assert said.language == language and said.text.count("536365") == 2, (language, said)
    cancelled = bot.reply(ConversationState("B", "en"), "cancel my order")
    assert "Shall I" not in cancelled.text and "536999" in cancelled.text
    assert "Shall I" not in assistant("track_order").reply(ConversationState("A"), "order?").text


def test_a_yes_after_another_answer_asks_what_else() -> None:
    """ "yes please" after an order's status got the wholesale answer (a walk: the intents
    read it as placing an order). A yes after any answer but the cancellation offer answers
    no question: the customer is asked what else they need."""
    bot = keyed({"where is my order?": "track_order", "yes please": "place_order",
                 "sí": "check_payment_methods"})  # fmt: skip
    told = bot.reply(ConversationState("A", "en"), "where is my order?")
    said = bot.reply(told.state, "yes please")
    assert said.text == "Is there anything else I can help you with?" and said.intent == "yes"
    assert said.handoff is None and said.citations == ()
    assert bot.reply(said.state, "yes please").handoff is None  # may be said again
    spanish = bot.reply(replace(told.state, language="es"), "sí")
    assert spanish.text == "¿Puedo ayudarle en algo más?"
    # "cancel it" after an order's status is that order's cancellation, whatever the intents
    # read into it
    cancelled = bot.reply(replace(told.state, language="es"), "anúlalo")
    assert cancelled.intent == "cancel_order" and cancelled.orders == ("536365",)
    assert cancelled.text.endswith("Responda «sí» para confirmarlo.")
    # at the start of a conversation a yes is no answer to anything: the intents decide
    assert bot.reply(ConversationState("A", "en"), "yes please").intent == "place_order"


def test_a_second_walks_cancellations_and_follow_ups() -> None:
    """A walk (172 messages): "ikincisini iptal et", "2. siparişi iptal etmek istiyorum" and
    "第二筆可以取消嗎" after the list were offered the newest order for cancellation; "ألغِ
    الطلب الثاني" (cancel the second order) got the double-charge answer; "no, leave it" after
    the offer went to a person as "asked again"; "il secondo" after a list of one, and "the
    sixth" after a list of five, were the newest order; "e l'altro ordine?" with one order was
    told that order again; "and the one before that?" was not understood."""
    ORDERS["W"] = [
        OrderSummary(f"5910{i:02d}", datetime(2011, 11, 20 - i), 1, Decimal("5.00"), "GBP", False)
        for i in range(3)
    ]
    try:
        lists = keyed({"tüm siparişlerimi göster": "list_orders", "show my orders": "list_orders",
                       "查看我所有的订单": "list_orders", "اعرض كل طلباتي": "list_orders",
                       "ألغِ الطلب": "cancel_order", "iptal et": "cancel_order"},
                      otherwise="payment_issue")  # fmt: skip
        turkish = lists.reply(ConversationState("W", "tr"), "tüm siparişlerimi göster")
        for text in ("ikincisini iptal et", "2. siparişi iptal etmek istiyorum"):
            said = assistant("cancel_order").reply(turkish.state, text)
            assert said.orders == ("591001",), text
        taiwan = lists.reply(ConversationState("W", "zh"), "查看我所有的訂單")
        assert assistant("cancel_order").reply(taiwan.state, "第二筆可以取消嗎").orders == (
            "591001",
        )
        arabic = lists.reply(ConversationState("W", "ar"), "اعرض كل طلباتي")
        second = lists.reply(arabic.state, "ألغِ الطلب الثاني")
        assert second.intent == "cancel_order" and second.orders == ("591001",), second
        # no after the offer: the order stays, nobody is called
        bot = assistant("cancel_order")
        offered = bot.reply(ConversationState("W", "en"), "cancel my last order")
        kept = bot.reply(offered.state, "no, leave it")
        assert kept.handoff is None and kept.state.status == "open"
        assert kept.text.startswith("All right, order 591000 stays as it is.")
        turkish_no = bot.reply(replace(offered.state, language="tr"), "hayır vazgeçtim")
        assert turkish_no.handoff is None and "591000" in turkish_no.text
        # a place named with no list told: the list first, then the place in it
        unlisted = bot.reply(ConversationState("W", "es"), "cancela el segundo")
        assert unlisted.intent == "list_orders" and unlisted.orders == ("591000", "591001",
                                                                       "591002")  # fmt: skip
        assert bot.reply(unlisted.state, "el segundo").orders == ("591001",)
        # a place alone is that order, whatever the intents read into it (a second charge)
        charge = assistant("payment_issue").reply(unlisted.state, "el segundo")
        assert charge.intent == "track_order" and charge.orders == ("591001",)
        assert charge.citations[0].id == "how-long-does-delivery-take"
        assert bot.reply(ConversationState("W", "en"), "cancel my order").orders == ("591000",)
        # a place beyond the list
        english = lists.reply(ConversationState("W", "en"), "show my orders")
        sixth = assistant("cancel_order").reply(english.state, "cancel the fifth one")
        assert sixth.orders == () and sixth.text.startswith("I listed 3 orders.")
        one = lists.reply(ConversationState("A", "it"), "show my orders")
        assert assistant("cancel_order").reply(one.state, "il secondo").orders == ()
        # the other one, with one order; the one before
        track = assistant("track_order")
        told = track.reply(ConversationState("A", "it"), "dov'è il mio ordine")
        other = track.reply(told.state, "e l'altro ordine?")
        assert other.text == "L'ordine 536365 è l'unico ordine del tuo account.", other.text
        first = track.reply(ConversationState("W", "en"), "where is my order?")
        before = track.reply(first.state, "and the one before that?")
        assert before.orders == ("591001",)
        assert track.reply(before.state, "und die davor?").orders == ("591002",)
    finally:
        del ORDERS["W"]


def test_a_word_of_the_conversations_language_keeps_it() -> None:
    """A walk: "ja" in a German conversation was read as Polish and answered in Polish; "好"
    and "是的" in a conversation held in Traditional Chinese were answered in Simplified."""
    bot = assistant("cancel_order")
    german = bot.reply(ConversationState("A", "de"), "Hallo, storniere bitte meine Bestellung")
    assert german.language == "de"
    confirmed = bot.reply(german.state, "ja")
    assert confirmed.language == "de" and confirmed.handoff == "cancellation confirmed"
    assert confirmed.text.startswith("Ich leite Sie")
    taiwan = bot.reply(ConversationState("A"), "我想取消我的訂單")
    assert is_traditional(taiwan.text)
    yes = bot.reply(taiwan.state, "好")
    assert yes.handoff == "cancellation confirmed" and is_traditional(yes.text), yes.text
    simplified = bot.reply(taiwan.state, "是的，请取消")  # written in Simplified: answered so
    assert not is_traditional(simplified.text)


def test_a_next_question_on_the_same_intent_gets_the_next_entry() -> None:
    """A walk: "wie kann ich was zurückschicken" then "und wann bekomme ich mein Geld
    zurück?" (both get_refund) got the same entry twice and went to a person as "asked
    again"; the intent's next entry answers the next question."""
    bot = assistant("get_refund")
    first = bot.reply(ConversationState("A", "de"), "wie kann ich was zurückschicken")
    again = bot.reply(first.state, "und wann bekomme ich mein geld zurück?")
    assert again.handoff is None and again.text != first.text
    assert again.citations[0].id != first.citations[0].id


def test_a_customers_market_tips_a_short_first_message() -> None:
    """A walk: "cancela el segundo" and "No me ha servido de nada" opened conversations
    answered in Portuguese (Lingua's reading of a few words). A signed-in customer's market
    language tips a short first message; a clear text in another language keeps its own."""

    class Spanish(Book):
        def language_of(self, customer_id: str) -> str | None:
            return {"A": "es", "B": "xx"}.get(customer_id)

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Fixed("cancel_order"), knowledge, Spanish(), translator=FakeTranslator())
    assert bot.reply(ConversationState("A"), "cancela el segundo").language == "es"
    assert bot.reply(ConversationState("A"), "Wo ist meine Bestellung?").language == "de"
    assert bot.reply(ConversationState("A"), "onde está o meu pedido?").language == "pt"
    # a language outside the market languages, or no customer: the text alone decides
    alone = detect_language("cancela el segundo").code
    assert bot.reply(ConversationState("B"), "cancela el segundo").language == alone
    assert bot.reply(ConversationState(None), "cancela el segundo").language == alone


def test_a_greeting_is_answered_in_kind() -> None:
    """ "buongiorno" was answered "Ciao!", "السلام عليكم" with "مرحبًا", and "boa tarde"
    opening a conversation with "De nada!" (it closes one too): walks."""
    bot = assistant("oos")
    for text, language, opening in [
        ("buongiorno", "it", "Buongiorno! Posso aiutarti"),
        ("السلام عليكم", "ar", "وعليكم السلام! يمكنني"),
        ("buenos días", "es", "¡Buenos días! Puedo"),
        ("boa tarde", "pt", "Boa tarde! Posso"),
        ("Guten Morgen", "de", "Guten Morgen! Ich helfe"),
        ("おはようございます", "ja", "おはようございます。ご注文"),
        ("good evening", "en", "Good evening! I can help"),
        ("hello", "en", "Hello! I can help"),
    ]:
        said = bot.reply(ConversationState(language=language), text)
        assert said.intent == "greeting" and said.text.startswith(opening), (text, said.text)
    track = assistant("track_order")
    told = track.reply(ConversationState("A", "pt"), "onde está meu pedido?")
    assert track.reply(told.state, "boa tarde").intent == "thanks"  # a goodbye, then


def test_a_product_question_goes_to_a_person() -> None:
    """ "Is this mug dishwasher safe?" was asked to rephrase (a walk); whoever knows the
    product answers it (seed.py: examples_everyday.csv)."""
    from collections import Counter

    from borderless.capabilities.support.examples import read_labelled
    from borderless.capabilities.support.seed import EVERYDAY_EXAMPLES

    said = assistant("product_question").reply(ConversationState(), "Is the mug dishwasher safe?")
    assert said.handoff == "product question" and said.state.status == "handoff"
    labels = Counter(e.label for e in read_labelled(DEFAULTS / EVERYDAY_EXAMPLES))
    assert set(labels) == {"list_orders", "get_refund", "cancel_order", "delivery_period",
                           "product_question", "oos"}  # fmt: skip
    # questions about a thing that is no product ("What is the Eiffel Tower made of?") are
    # out of scope: "Who painted the Mona Lisa?" went to a person without them
    assert labels["oos"] >= 2 * 14
    assert labels["product_question"] >= 4 * 14


def test_an_order_named_by_its_day_is_that_order() -> None:
    """ "Where is my order from 14/11/2011?", "my order of 11 November" were all told the latest
    order (a walk). A day no order was placed on (a deadline) leaves the latest."""
    ORDERS["E"] = [
        OrderSummary("577135", datetime(2011, 11, 18), 9, Decimal("71.10"), "GBP", False),
        OrderSummary("577104", datetime(2011, 11, 17), 3, Decimal("12.50"), "GBP", False),
    ]
    try:
        bot = assistant("track_order")
        for text in ("Where is my order from 17/11/2011?", "my order of 17 November?",
                     "Wo ist meine Bestellung vom 17. November?", "11月17日の注文はどこですか",
                     "Где мой заказ от 17 ноября?",
                     "17 Kasım tarihli siparişim nerede?"):  # fmt: skip
            assert bot.reply(ConversationState("E"), text).orders == ("577104",), text
        later = bot.reply(ConversationState("E", order_id="577104"), "and the one of 18 November?")
        assert later.orders == ("577135",)
        deadline = bot.reply(ConversationState("E"), "I need it by 24 December, where is it?")
        assert deadline.orders == ("577135",)
        # a day one of their orders was placed on, but said as a deadline (an attack)
        by = bot.reply(ConversationState("E"), "I need my order by 17/11, where is it?")
        assert by.orders == ("577135",)
        assert "17 November" not in by.text and "can't find" not in by.text
        # a day named as the order's on which none was placed is said so, before the order
        # told ("my order from 23 December" was told the latest as if it were that one)
        none = bot.reply(ConversationState("E", "en"), "Where is my order from 23 December?")
        assert none.text.startswith("I can't find an order placed on 23 December on your")
        assert none.orders == ("577135",) and "577135" in none.text
        german = bot.reply(ConversationState("E", "de"), "Wo ist meine Bestellung vom 3.12.2011?")
        assert german.text.startswith("Ich finde in Ihrem Konto keine Bestellung vom 3. Dezember")
    finally:
        del ORDERS["E"]


def test_short_follow_ups_about_the_order_talked_about() -> None:
    """ "and the other one?" got the create-account answer, "and where is it now?" was not
    understood, in every language a walk tried; they now mean the conversation's order."""
    ORDERS["F"] = [
        OrderSummary("577135", datetime(2011, 11, 18), 9, Decimal("71.10"), "GBP", False),
        OrderSummary("577104", datetime(2011, 11, 17), 3, Decimal("12.50"), "GBP", False),
    ]
    try:
        bot = assistant("create_account")  # what the intent model read into them
        talked = ConversationState("F", order_id="577104")
        for text in ("and where is it now?", "Und wo ist sie jetzt?", "¿Y dónde está ahora?",
                     "今どこにありますか？", "现在在哪里？", "지금 어디에 있어요?"):  # fmt: skip
            said = bot.reply(talked, text)
            assert said.orders == ("577104",) and said.intent == "track_order", text
        for text in (
            "and the other one?",
            "Et l'autre ?",
            "والطلب الآخر؟",
            "另一个呢",
            "А другой?",
        ):
            said = bot.reply(talked, text)
            assert said.orders == ("577135",), text
            assert said.state.order_id == "577135"
        # without an order talked about, it is the intents' as before
        assert bot.reply(ConversationState("F"), "and the other one?").intent == "create_account"
    finally:
        del ORDERS["F"]


class Unsure:
    """Out of scope, with `best` the intent it came nearest to."""

    def __init__(self, best: str) -> None:
        self.best = best

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction(OUT_OF_SCOPE, 0.39, self.best) for _ in texts]


def test_a_short_question_about_delivery_asks_about_the_order_talked_about() -> None:
    """A walk: the Arabic follow-up "متى سيصل؟" (when will it arrive?) was out of scope at 0.39
    after the order had been told; "ne zaman elime geçer?" got the delivery times of every
    order. A short question whose best intent is delivery now tells the order."""
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    talked = ConversationState("A", order_id="536365")
    for best, text in (("delivery_period", "ne zaman elime geçer?"),
                       ("track_order", "متى سيصل؟"), ("delivery_period", "wann?")):  # fmt: skip
        bot = Assistant(Unsure(best), knowledge, Book(), translator=FakeTranslator())
        said = bot.reply(talked, text)
        assert said.orders == ("536365",) and said.intent == "track_order", (text, said)
        # without an order talked about, or said at length, it is the intents' as before
        assert bot.reply(ConversationState("A"), text).intent == OUT_OF_SCOPE
        longer = text + " " + "I would like to know more about how you ship things to me" * 2
        assert bot.reply(talked, longer).intent == OUT_OF_SCOPE
    # best elsewhere: not about the order
    elsewhere = Assistant(Unsure("create_account"), knowledge, Book(), translator=FakeTranslator())
    assert elsewhere.reply(talked, "und jetzt?").intent == OUT_OF_SCOPE
    # the Arabic future ("سيصل") is one of the follow-up words too, whatever the intents read
    said = assistant("create_account").reply(talked, "متى سيصل؟")
    assert said.orders == ("536365",), said


def test_thanks_for_nothing_is_no_thanks_and_an_order_number_is_no_language() -> None:
    """An attack: "thanks for nothing!!" was answered "You're welcome!"; "C579090 iadem
    nerede?" (where is my refund?) was read as Spanish."""
    bot = assistant("track_order")
    sour = bot.reply(ConversationState(), "thanks for nothing!!")
    assert sour.handoff == "angry customer", sour
    assert "welcome" not in assistant("oos").reply(ConversationState(), "thanks for nothing").text
    assert bot.reply(ConversationState("A"), "C579090 iadem nerede?").language == "tr"


def test_an_order_number_said_in_a_short_sentence_is_an_order_number() -> None:
    """A walk: a guest asked to sign in wrote "Es el pedido 581587" and got the payment
    methods; words such as "it's", "es el", "c'est la" beside the number say nothing else."""
    bot = assistant("check_payment_methods")  # what the intents read into it
    for text in ("Es el pedido 581587", "it's order 581587", "c'est la commande 581587",
                 "Das ist die Bestellung 581587"):  # fmt: skip
        guest = bot.reply(ConversationState(), text)
        login = Answers.load().replies["need_login"]
        assert guest.intent == "track_order", (text, guest.intent)
        assert guest.text == login.get(guest.language, login["en"]), (text, guest.text)
        assert not guest.citations, (text, guest.text)
    # a sentence that says more is read by the intents
    assert bot.reply(ConversationState(), "can I pay order 581587 by card?").intent == (
        "check_payment_methods"
    )


def test_a_question_whether_the_shop_sells_a_product_is_answered_from_the_catalog() -> None:
    """A walk: "do you sell red teapots?" got the wholesale answer's "Yes."; the shop's own
    products answer it, titles as the catalog writes them and prices by rule."""
    asked: list[tuple[str, int, str | None]] = []

    def find(text: str, limit: int, market: str | None) -> list[ProductMatch]:
        asked.append((text, limit, market))
        return [
            ProductMatch("22072", "RED RETROSPOT TEAPOT", Decimal("7.95"), "GBP"),
            ProductMatch("21234", "ROSE TEAPOT", None, "GBP"),  # no price: the title alone
            ProductMatch("23000", "SPOTTY  TEA SET", Decimal("1250"), "GBP"),  # one space shown
            ProductMatch("23001", "A FOURTH", Decimal("1"), "GBP"),  # beyond the three shown
        ]

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Fixed("find_product"), knowledge, Book(), products=find)
    english = bot.reply(ConversationState(), "do you sell red teapots?")
    assert asked == [("red teapots", 3, None)] and english.handoff is None  # asking words out
    assert english.products == ("22072", "21234", "23000")
    assert english.text.splitlines() == [
        "Here is what I found in our shop:",
        "RED RETROSPOT TEAPOT: £7.95",
        "ROSE TEAPOT",
        "SPOTTY TEA SET: £1,250.00",
        "If you have a question about one of them, just ask.",
    ]
    assert "Yes" not in english.text and "A FOURTH" not in english.text
    assert english.facts == ("RED RETROSPOT TEAPOT", "£7.95", "ROSE TEAPOT", "SPOTTY TEA SET",
                             "£1,250.00")  # fmt: skip
    german = bot.reply(ConversationState(language="de"), "Verkaufen Sie rote Teekannen?")
    assert german.language == "de" and "RED RETROSPOT TEAPOT: 7,95\xa0£" in german.text
    assert german.text.startswith("Das habe ich in unserem Shop gefunden:")
    french = bot.reply(ConversationState(language="fr"), "Vous vendez des théières rouges ?")
    assert "SPOTTY TEA SET : 1\u202f250,00\xa0£" in french.text  # CLDR's spaces, French colon
    # the words of asking and greeting are not searched for, in each language
    answers = Answers.load()
    for text, language, asked in (
        ("Habt ihr Untersetzer?", "de", "Untersetzer"),
        ("有没有香薰蜡烛？", "zh", "香薰蜡烛"),
        ("花瓶は売っていますか？", "ja", "花瓶"),
        ("Merhaba, gümüş bileklik var mı?", "tr", "gümüş bileklik"),
        ("هل تبيعون مزهريات؟", "ar", "مزهريات"),
        ("do you sell?", "en", "do you sell?"),  # nothing else: the message as it is
        # thanks closing a sentence are no product ("thanks! also, ..." listed thank-you
        # cards: a walk); thank-you cards asked for are
        ("thanks! also, do you sell tablecloths?", "en", "tablecloths"),
        ("Vale, gracias. Otra cosa: ¿vendéis manteles?", "es", "manteles"),
        ("do you sell thank you cards?", "en", "thank you cards"),
    ):
        assert answers.product_asked(text, language) == asked
    # nothing found, or no product search: a person who knows the shop answers
    for products in (lambda text, limit, market: [], None):
        said = Assistant(Fixed("find_product"), knowledge, Book(), products=products).reply(
            ConversationState(), "do you sell laptops?"
        )
        assert said.handoff == "product question", said


def test_a_signed_in_customers_market_prices_the_products_listed() -> None:
    """A customer in France is shown the prices the shop's French listings show (the search
    is told the market); a guest, or an order book that knows no markets, the shop's own."""
    told: list[str | None] = []

    def find(text: str, limit: int, market: str | None) -> list[ProductMatch]:
        told.append(market)
        euros = market == "FR"
        return [ProductMatch("22072", "RED RETROSPOT TEAPOT", Decimal("9.29" if euros else "7.95"),
                             "EUR" if euros else "GBP")]  # fmt: skip

    class Markets(Book):
        def market_of(self, customer_id: str) -> str | None:
            return {"A": "FR"}.get(customer_id)

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Fixed("find_product"), knowledge, Markets(), products=find)
    french = bot.reply(ConversationState("A", "fr"), "Vous vendez des théières ?")
    assert "RED RETROSPOT TEAPOT : 9,29\xa0€" in french.text and told == ["FR"]
    guest = bot.reply(ConversationState(None, "fr"), "Vous vendez des théières ?")
    assert "7,95\xa0£" in guest.text and told[-1] is None
    plain = Assistant(Fixed("find_product"), knowledge, Book(), products=find)
    plain.reply(ConversationState("A", "fr"), "Vous vendez des théières ?")
    assert told[-1] is None


def test_thanks_while_a_person_is_awaited_are_answered_as_thanks() -> None:
    """A walk: after the handoff, "Merci beaucoup !" and "merci, bonne journée" got the same
    "a member of our team has your conversation" line as a new question."""
    bot = assistant("contact_human_agent")
    handed = bot.reply(ConversationState(language="fr"), "Je voudrais parler à quelqu'un")
    assert handed.state.status == "handoff"
    thanked = bot.reply(handed.state, "Merci beaucoup !")
    assert thanked.text == Answers.load().replies["waiting_thanks"]["fr"]
    assert thanked.state.status == "handoff"  # still awaited
    asked = bot.reply(thanked.state, "Et la livraison, c'est combien ?")
    assert asked.text == Answers.load().replies["waiting"]["fr"]


def test_an_order_of_charges_alone_is_told_as_such() -> None:
    """A walk: an order of postage alone was told as "0 products, total £18.00"."""
    ORDERS["P"] = [OrderSummary("570001", datetime(2011, 10, 7), 0, Decimal("18.00"), "GBP", False)]
    try:
        for text, said in (
            ("where is order 570001?", "postage or other charges only, no goods, total £18.00"),
            ("Wo ist Bestellung 570001?", "nur Versand- oder andere Gebühren, keine Waren"),
            ("Gdzie jest zamówienie 570001?", "wyłącznie opłaty (wysyłka lub inne)"),
        ):
            reply = assistant("track_order").reply(ConversationState("P"), text)
            assert said in reply.text and "0 " not in reply.text.split("\n")[0], reply.text
        listed = assistant("list_orders").reply(ConversationState("P"), "my orders")
        assert "no goods" in listed.text, listed.text
    finally:
        del ORDERS["P"]


def test_a_question_of_a_products_price_is_answered_with_the_products() -> None:
    """A benchmark: "Wie viel kostet die Duftkerze?", "このマグカップはいくらですか？" were out of
    scope with no answer. Words of price, no order named, nothing else understood: the shop's
    products, priced, found by the message without those words."""
    asked: list[str] = []

    def find(text: str, limit: int, market: str | None) -> list[ProductMatch]:
        asked.append(text)
        return [ProductMatch("84879", "ASSORTED COLOUR BIRD ORNAMENT", Decimal("1.69"), "GBP")]

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Fixed(OUT_OF_SCOPE, 0.3), knowledge, Book(), products=find)
    for language, text, searched in (
        ("de", "Wie viel kostet die Duftkerze?", "die Duftkerze"),
        ("ja", "このマグカップはいくらですか？", "このマグカップ"),
        ("fr", "Combien coûte la bougie parfumée ?", "la bougie parfumée"),
        ("en", "how much is the bird ornament", "the bird ornament"),
        # one item's price is a product's price (it was read as a part of an order: an attack)
        ("en", "How much is one of the bird ornaments?", "the bird ornaments"),
    ):
        reply = bot.reply(ConversationState(language=language), text)
        assert reply.products == ("84879",) and reply.intent == "find_product", reply
        assert asked[-1] == searched
    # "how much is it?" after an order was told is that order's cost, not products found for
    # "it" (an attack)
    told = ConversationState("A", "en", order_id="536365")
    for text in ("how much is it?", "what does it cost?"):
        its = bot.reply(told, text)
        assert its.products == () and its.orders == ("536365",) and "139.12" in its.text, its
    german = bot.reply(ConversationState("A", "de", order_id="536365"), "Was kostet sie?")
    assert german.products == () and german.orders == ("536365",), german
    # a product question the intents give a person, when it asks a price the shop knows
    person = Assistant(Fixed("product_question"), knowledge, Book(), products=find)
    said = person.reply(ConversationState(), "how much is the round mirror with the gold frame?")
    assert said.products == ("84879",) and said.handoff is None
    assert person.reply(ConversationState(), "is the mirror glass real?").handoff is not None
    # a part of an order (its shipping) or an order named is not a product's price
    # ...nor is a service's ("what is the price of returning an item" listed products)
    # (nor a weight, the stock, customs or why a price changed: an attack)
    for text in ("how much is shipping to Germany?", "how much is order 536365?",
                 "what is the price of returning an item", "退货要多少钱",
                 "How much does the red teapot weigh?", "관세는 얼마예요?",
                 "Dlaczego cena się zmieniła?"):  # fmt: skip
        assert bot.reply(ConversationState("A"), text).products == (), text
