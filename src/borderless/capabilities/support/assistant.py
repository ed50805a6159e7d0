"""The support assistant: one customer message in, one reply out, with its reasons.

Per message: detect the language, classify the intent, then act: look up the customer's own
orders, quote the knowledge base, reply from a template, or hand over to a person. Handoff
happens on an explicit request or a complaint, on anger, and after two messages in a row that
the assistant could not place. Order data is only ever read through `OrderBook` with the
conversation's own customer id; the message text never chooses whose orders are read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from borderless.backends.base import Translator
from borderless.capabilities.language import detect_language
from borderless.capabilities.support.answers import Answers
from borderless.capabilities.support.examples import MAX_TEXT, OUT_OF_SCOPE
from borderless.capabilities.support.intents import Prediction
from borderless.capabilities.support.knowledge import Citation, KnowledgeBase
from borderless.errors import BackendError, InvalidInput, ModelUnavailable

__all__ = [
    "Assistant",
    "ConversationState",
    "IntentClassifier",
    "OrderBook",
    "OrderSummary",
    "Reply",
]

ORDER_NUMBER = re.compile(r"(?<![\w-])([A-Za-z]?\d{5,12})(?![\w-])")
FAILURES_BEFORE_HANDOFF = 2
SHIPMENT_TEXTS = {
    "shipment_delivered": "It was delivered on {date}.",
    "shipment_underway": "It shipped with {carrier} on {shipped} and should arrive by {date}.",
    "shipment_late": "It shipped with {carrier} on {shipped} and is running late; we are "
    "sorry for the wait.",
    "shipment_no_estimate": "It shipped with {carrier} on {shipped}.",
}


class IntentClassifier(Protocol):
    def predict(self, texts: Sequence[str]) -> list[Prediction]: ...


@dataclass(frozen=True)
class OrderSummary:
    id: str
    placed_at: datetime
    items: int
    total: Decimal
    currency: str
    cancelled: bool
    shipment_status: str | None = None  # the carrier's last scan, None before it ships
    shipped_at: datetime | None = None
    carrier: str | None = None
    estimated_delivery: datetime | None = None  # the delivery date once delivered
    running_late: bool = False  # past the delivery promise, or the estimate falls after it


class OrderBook(Protocol):
    """Orders of one customer only: `order_id` outside their orders gives nothing."""

    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]: ...


@dataclass(frozen=True)
class ConversationState:
    customer_id: str | None = None
    language: str | None = None
    failures: int = 0
    status: str = "open"  # open | handoff | closed


@dataclass(frozen=True)
class Reply:
    text: str
    language: str
    intent: str
    confidence: float
    citations: tuple[Citation, ...] = ()
    handoff: str | None = None  # the reason, when the conversation goes to a person
    orders: tuple[str, ...] = ()  # order ids the reply talks about
    state: ConversationState = field(default_factory=ConversationState)


def _money(amount: Decimal, currency: str) -> str:
    symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(currency, currency + " ")
    return f"{symbol}{amount:,.2f}"


class Assistant:
    def __init__(
        self,
        classifier: IntentClassifier,
        knowledge: KnowledgeBase,
        orders: OrderBook,
        answers: Answers | None = None,
        translator: Translator | None = None,
        knowledge_language: str = "en",
    ) -> None:
        self.classifier = classifier
        self.knowledge = knowledge
        self.orders = orders
        self.answers = answers or Answers.load()
        self.translator = translator
        self.knowledge_language = knowledge_language
        self._translations: dict[tuple[str, str], str] = {}

    def reply(self, state: ConversationState, message: str) -> Reply:
        text = " ".join(message.split())
        if not text:
            raise InvalidInput("the message is empty", field="text")
        if len(text) > MAX_TEXT:
            raise InvalidInput(f"the message is longer than {MAX_TEXT} characters", field="text")
        detected = detect_language(text, fallback=state.language or "en")
        language = detected.code if detected.score >= 0.5 or not state.language else state.language
        state = replace(state, language=language)
        if state.status == "closed":  # the customer writes again after staff closed it
            state = replace(state, status="open", failures=0)
        if state.status == "handoff":
            said, lang = self._say("waiting", language)
            return Reply(said, lang, "waiting", 0.0, state=state)
        prediction = self.classifier.predict([text])[0]
        if self.answers.is_angry(text):
            return self._handoff(state, prediction, "angry customer")
        action = self.answers.intents.get(prediction.label)
        if prediction.label == OUT_OF_SCOPE or action is None:
            return self._unplaced(state, prediction, text)
        state = replace(state, failures=0)
        if action.action == "handoff":
            return self._handoff(state, prediction, action.reason or prediction.label)
        if action.action == "order":
            return self._order(state, prediction, text, action.kb)
        if action.action == "reply":
            said, lang = self._say(action.reply or "", language)
            return Reply(said, lang, prediction.label, prediction.confidence, state=state)
        citations = self._cite(text, action.kb)
        if not citations:
            return self._unplaced(state, prediction, text)
        said, lang = self._in_language(citations[0].answer, language)
        return Reply(said, lang, prediction.label, prediction.confidence, citations, state=state)

    # -- actions -------------------------------------------------------------------------
    def _handoff(self, state: ConversationState, prediction: Prediction, reason: str) -> Reply:
        said, lang = self._say("handoff", state.language or "en")
        state = replace(state, status="handoff")
        return Reply(
            said, lang, prediction.label, prediction.confidence, handoff=reason, state=state
        )

    def _unplaced(self, state: ConversationState, prediction: Prediction, text: str) -> Reply:
        """Out of scope for the intents: the knowledge base may still answer; else ask again."""
        citations = self.knowledge.search(text, k=1)
        if citations:
            said, lang = self._in_language(citations[0].answer, state.language or "en")
            state = replace(state, failures=0)
            return Reply(
                said, lang, prediction.label, prediction.confidence, tuple(citations), state=state
            )
        state = replace(state, failures=state.failures + 1)
        if state.failures >= FAILURES_BEFORE_HANDOFF:
            return self._handoff(state, prediction, "not understood twice")
        said, lang = self._say("rephrase", state.language or "en")
        return Reply(said, lang, prediction.label, prediction.confidence, state=state)

    def _order(
        self, state: ConversationState, prediction: Prediction, text: str, kb: str | None
    ) -> Reply:
        wanted = state.language or "en"
        # Compose in the customer's language when the templates have it, else in English and
        # translate the whole reply at the end.
        language = wanted if wanted in self.answers.replies["order_status"] else "en"
        if state.customer_id is None:
            said, lang = self._say("need_login", language)
            return Reply(said, lang, prediction.label, prediction.confidence, state=state)
        asked = [m.group(1).upper() for m in ORDER_NUMBER.finditer(text)]
        found: list[OrderSummary] = []
        lines: list[str] = []
        for order_id in asked[:3]:
            mine = self.orders.orders_of(state.customer_id, order_id)
            if mine:
                found.append(mine[0])
            else:
                lines.append(self.answers.text("order_not_found", language, order_id=order_id)[0])
        if not asked:
            latest = self.orders.orders_of(state.customer_id)[:1]
            found += latest
            if not latest:
                lines.append(self.answers.text("no_orders", language)[0])
        for order in found:
            status = self.answers.text(
                "status_cancelled" if order.cancelled else "status_placed", language
            )[0]
            lines.insert(
                0,
                self.answers.text(
                    "order_status",
                    language,
                    order_id=order.id,
                    date=order.placed_at.strftime("%Y-%m-%d"),
                    items=order.items,
                    total=_money(order.total, order.currency),
                    status=status,
                )[0],
            )
            if order.shipment_status is not None:
                lines.insert(1, self._shipment_line(order, language))
        citations = self._cite(text, kb)
        if citations:
            lines.append(self._in_language(citations[0].answer, language)[0])
        said, lang = self._in_language(" ".join(lines), wanted, source=language)
        return Reply(
            said,
            lang,
            prediction.label,
            prediction.confidence,
            citations,
            orders=tuple(o.id for o in found),
            state=state,
        )

    def _shipment_line(self, order: OrderSummary, language: str) -> str:
        """Where the parcel is, from the shipment tracking; English when the answers file has
        no text for it."""
        if order.shipment_status == "delivered":
            name = "shipment_delivered"
        elif order.running_late:
            name = "shipment_late"
        elif order.estimated_delivery is not None:
            name = "shipment_underway"
        else:
            name = "shipment_no_estimate"
        texts = self.answers.replies.get(name) or {"en": SHIPMENT_TEXTS[name]}
        text = texts.get(language) or texts.get("en") or SHIPMENT_TEXTS[name]
        day = "%Y-%m-%d"
        return text.format(
            carrier=order.carrier or "",
            shipped=order.shipped_at.strftime(day) if order.shipped_at else "",
            date=order.estimated_delivery.strftime(day) if order.estimated_delivery else "",
        )

    # -- knowledge and language ----------------------------------------------------------
    def _cite(self, text: str, entry_id: str | None) -> tuple[Citation, ...]:
        """The intent's own entry when the seller named one, else the best match."""
        if entry_id:
            named = self.knowledge.cite(text, entry_id)
            if named is not None:
                return (named,)
        return tuple(self.knowledge.search(text, k=1))

    def _say(self, name: str, language: str, **slots: object) -> tuple[str, str]:
        """A reply text in `language`: written there, or translated from English."""
        said, lang = self.answers.text(name, language, **slots)
        return self._in_language(said, language, source=lang)

    def _in_language(self, text: str, language: str, source: str | None = None) -> tuple[str, str]:
        """Text (knowledge-base text by default) in the customer's language, via the translator."""
        source = source or self.knowledge_language
        if language == source or self.translator is None:
            return text, source
        key = (text, language)
        if key not in self._translations:
            try:
                self._translations[key] = self.translator.translate_batch([text], source, language)[
                    0
                ]
            except (ModelUnavailable, BackendError, InvalidInput):
                return text, source  # say it in the language we have, and say which it is
        return self._translations[key], language
