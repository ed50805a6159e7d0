"""The support assistant: one customer message in, one reply out, with its reasons.

Per message: detect the language, classify the intent, then act: look up the customer's own
orders, quote the knowledge base, reply from a template, or hand over to a person. Handoff
happens on an explicit request or a complaint, on anger, and after two messages in a row that
the assistant could not place. Order data is only ever read through `OrderBook` with the
conversation's own customer id; the message text never chooses whose orders are read.

A reply text machine-translated for the customer (a template without a text written in their
language, a knowledge-base answer without the seller's own words in it) is checked like any
translation when the assistant is given a `check` (the service passes the verdict: spelling,
leftover placeholders, untranslated words, language, numbers): one that needs review is not
sent; that part goes out in the language it was written in, says so (`Reply.language`), and
`Reply.review` names what the check found, for the staff who read the conversation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Protocol, runtime_checkable

from borderless.backends.base import Translator
from borderless.capabilities.chinese_script import (
    is_simplified,
    is_traditional,
    shared_han,
    to_simplified,
    to_traditional,
)
from borderless.capabilities.language import DetectedLanguage, catalog_prior, detect_language
from borderless.capabilities.support.answers import Answers, IntentAction
from borderless.capabilities.support.dates import order_days, order_months
from borderless.capabilities.support.examples import MAX_TEXT, OUT_OF_SCOPE
from borderless.capabilities.support.facts import (
    fill,
    format_day,
    format_money,
    format_month,
    format_named_day,
    format_number,
    regional,
)
from borderless.capabilities.support.facts import status_name as default_status_name
from borderless.capabilities.support.intents import Prediction
from borderless.capabilities.support.knowledge import Citation, KnowledgeBase
from borderless.capabilities.support.questions import Piece, pieces
from borderless.errors import BackendError, InvalidInput, ModelUnavailable
from borderless.languages import LANGUAGE_NAMES, MARKET_LANGUAGES

__all__ = [
    "Assistant",
    "ConversationState",
    "CustomerLanguages",
    "CustomerMarkets",
    "FindProducts",
    "IntentClassifier",
    "OrderBook",
    "OrderSummary",
    "ProductMatch",
    "Reply",
    "checked_message",
]

# Under this the detector's reading of a first message is no language (it read "ok" as Polish
# at 0.33, "order status" as Dutch at 0.30, "no" as Italian at 0.23; "hola" is Spanish at 0.48)
UNSURE = 0.4
# An order number stands apart from Latin letters and digits; Chinese, Japanese and Korean write
# it against their words ("订单581180发货了吗", "주문 581180을"): with \w as the border no such
# number was read, and the customer's latest order was answered instead of the one named.
ORDER_NUMBER = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]?\d{5,12})(?![A-Za-z0-9-])")
# An order number written in groups ("56-8518", "12 34 56"): read whole when no number stands
# alone; the reply told customer 12680 about their latest order instead (a walk). Dates are not
# order numbers ("2011-12-07", "07-12-2011").
WRITTEN_APART = re.compile(r"(?<![A-Za-z0-9-])(\d{1,6}(?:[ -]\d{1,6}){1,3})(?![A-Za-z0-9-])")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{2,4}")
# Words that say a number is part of an address: "Where is my parcel? I live at 10115 Berlin"
# was told "I can't find order 10115" (an attack). A number none of the customer's orders has,
# in a message that names an address, is not read as an order number.
_ADDRESS = re.compile(
    r"\b(?:post\s?code|zip(?:\s?code)?|postal code|address|I live|live at|live in|PLZ|"
    r"Postleitzahl|Adresse|wohne|code postal|j'habite|código postal|dirección|vivo en|"
    r"vivo a|indirizzo|codice postale|morada|moro em|endereço|adres|woon|kod pocztowy|"
    r"mieszkam|индекс|адрес|живу|posta kodu|oturuyorum|"
    # a customer number is no order number either ("Su número de cliente es 12349" was told
    # "No encuentro el pedido 12349", a walk)
    r"customer (?:id|number|no)|client (?:id|number)|account (?:id|number|no)|Kundennummer|"
    r"numéro (?:de )?client|número de cliente|n[úu]mero do cliente|numero cliente|"
    r"klantnummer|numer klienta|номер клиента|müşteri numarası)\b"
    r"|郵便番号|住所|邮编|邮政编码|地址|우편번호|주소|الرمز البريدي|عنوان|أسكن"
    r"|客户号|客户编号|顧客番号|お客様番号|고객 ?번호|رقم العميل",
    re.IGNORECASE,
)
FAILURES_BEFORE_HANDOFF = 2
# Intents about money coming back: with no order named, the latest cancellation record is the
# one meant, not the latest order
_ABOUT_REFUND = frozenset(("track_refund",))
# Refunds and cancellations name an amount without asking what an order cost: "I want a refund
# of the amount for order 581180" (a test message, get_refund) keeps its intent and FAQ entry.
# A complaint or a payment problem read into a question of cost is the intents' confusion (the
# walk's "ça m a couté combien" went to a person as a complaint): the question is answered.
REFUND_OR_CANCEL = frozenset(("get_refund", "track_refund", "check_refund_policy", "cancel_order",
                              "check_cancellation_fee", "change_order"))  # fmt: skip
# Replies that may be said twice in a row: an order's status asked again ("and now?"), thanks
# and greetings; not understood twice goes to a person by FAILURES_BEFORE_HANDOFF already
_MAY_REPEAT = frozenset(
    {"track_order", "list_orders", "greeting", "thanks", "waiting", "yes", OUT_OF_SCOPE}
)
LISTED_ORDERS = 5  # the most recent orders a list of one's orders tells
RECENT = 3  # replies after the list of one's orders in which "the second one" is a place in it
# The default FAQ promises dispatch "within 2 working days"; an order not shipped by then is
# not answered with that promise ("Status: placed" for a 2011 order was followed by it: a walk)
DISPATCH_WORKING_DAYS = 2
# A message cut into more pieces than this is read whole (a long story, not a list of
# questions); one read as more requests than MAX_REQUESTS too
MAX_PIECES = 6
MAX_REQUESTS = 3
_REQUESTS = frozenset(("order", "orders", "knowledge", "products"))  # actions that answer
CHECKS_KEPT = 4096  # verdicts remembered per assistant (a reply's text repeats per order)
SHIPMENT_TEXTS = {
    "shipment_delivered": "It was delivered on {date}.",
    "shipment_underway": "It shipped with {carrier} on {shipped} and should arrive by {date}.",
    "shipment_late": "It shipped with {carrier} on {shipped} and is running late; we are "
    "sorry for the wait.",
    "shipment_no_estimate": "It shipped with {carrier} on {shipped}.",
    "not_shipped_late": "It has not shipped yet, which is longer than it should take.",
}


def unshipped_late(
    placed_at: datetime, now: datetime, working_days: int = DISPATCH_WORKING_DAYS
) -> bool:
    """Whether an order placed at `placed_at` and not shipped is past the dispatch promise:
    `working_days` whole working days (Monday to Friday) after the day it was placed are over."""
    import numpy as np

    start, end = placed_at.date() + timedelta(days=1), now.date()
    return bool(end > start and np.busday_count(start, end) >= working_days)


def for_intent(text: str) -> str:
    """The message as the intent model reads it: without order numbers. The examples that
    carry one are mostly "where is order 581180?", so a number pulled a message the model reads
    less well toward tracking: "Bitte stornieren Sie meine Bestellung 581180" came out
    track_order (0.66), as did the French and German cancellations with a number. The number
    still finds the order (ORDER_NUMBER); a message that is only a number is kept as it is."""
    left = " ".join(ORDER_NUMBER.sub(" ", text).split())
    return left if any(ch.isalpha() for ch in left) else text


# (translated text, its language, the text it translates, that text's language, terms put in by
# rule: the order's facts) -> what needs review in the translation (none: it may be sent).
Check = Callable[[str, str, str, str, Sequence[str]], Sequence[str]]


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
    unshipped_late: bool = False  # not cancelled, not shipped, and past the dispatch promise
    reversal: bool = False  # a cancellation record itself ("C579090"), not an order


class OrderBook(Protocol):
    """Orders of one customer only: `order_id` outside their orders gives nothing."""

    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]: ...


@runtime_checkable
class CustomerLanguages(Protocol):
    """An order book that also knows the language of a customer's market (optional)."""

    def language_of(self, customer_id: str) -> str | None: ...


@runtime_checkable
class CustomerMarkets(Protocol):
    """An order book that also knows a customer's market, the country code (optional)."""

    def market_of(self, customer_id: str) -> str | None: ...


@dataclass(frozen=True)
class ConversationState:
    customer_id: str | None = None
    language: str | None = None
    failures: int = 0
    status: str = "open"  # open | handoff | closed
    order_id: str | None = None  # the order last talked about: "the invoice for that one?"
    # the assistant's last reply and its intent: the same answer is not given twice in a row
    last_reply: str | None = None
    last_intent: str | None = None
    # the intents of the assistant's last RECENT replies, newest first: "what about the third?"
    # two replies after the list of one's orders is still a place in that list
    recent_intents: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductMatch:
    """A product of the shop's catalog that a message asks for (FindProducts)."""

    sku: str
    title: str
    price: Decimal | None
    currency: str
    rule: str = "exact"  # the seller's rounding rule the price was rounded by (money.py)


# (message, how many, the customer's market or None) -> the shop's products most like what the
# message asks for, best first, none known to be out of stock, priced for that market where
# the seller's rates price it (the shop passes its product search)
FindProducts = Callable[[str, int, str | None], Sequence[ProductMatch]]
SHOWN_PRODUCTS = 3  # products a reply to "do you sell ...?" lists


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
    facts: tuple[str, ...] = ()  # order facts as rendered in the reply, each present exactly
    review: tuple[str, ...] = ()  # translations not sent, and why (see the module's docstring)
    products: tuple[str, ...] = ()  # SKUs of the products the reply lists


# "order", "#", "no." in the 14 market languages: what may stand beside an order number in a
# message that is only that number
_ORDER_WORDS = frozenset((
    "order", "orders", "my", "the", "is", "no", "no.", "nr", "nr.", "number", "#", "commande",
    "ma", "numéro", "bestellung", "meine", "bestellnummer", "pedido", "mi", "mio", "ordine",
    "numero", "encomenda", "bestelling", "mijn", "zamówienie", "moje", "numer", "заказ", "мой",
    "номер", "sipariş", "siparişim", "numarası", "طلب", "طلبي", "رقم", "주문", "주문번호", "번호",
    "注文", "注文番号", "订单", "订单号", "我的",
    # "it's", "this is", "es el", "c'est la": "Es el pedido 581587" from a guest, after "please
    # sign in", got the payment methods (a walk)
    "it's", "it", "this", "es", "el", "este", "c'est", "la", "le", "das", "ist", "die", "è",
    "é", "o", "het", "de", "to", "jest", "это", "bu", "هو", "这是订单",
))  # fmt: skip


def _only_an_order_number(text: str) -> bool:
    """A message that is an order number and at most words for "order" ("order 568518",
    "Bestellung 56-8518", "注文 568518")."""
    numbers = _order_numbers(text)
    if not numbers:
        return False
    left = WRITTEN_APART.sub(" ", ORDER_NUMBER.sub(" ", text.lower()))
    return all(word in _ORDER_WORDS for word in re.findall(r"[^\s:?!.,;。？！、]+|#", left))


# Short follow-ups about the order a conversation talked about, in the 14 languages: where it
# is now or when it comes ("where"), or the customer's other order ("other").
_WHERE_NOW = re.compile(
    r"^[¿¡\s]*(?:and|so|ok|und|et|y|e|en|i|а|и|ve|و|那|그럼)?[\s,]*(?:"
    r"where(?: is|'s) it(?: now)?|when (?:will|does) it (?:arrive|come|get here)|has it shipped"
    r"|wo (?:ist|sind) (?:sie|es|er)(?: jetzt)?|wann kommt (?:sie|es|er)"
    r"|où (?:est-elle|est-il|en est-elle|en est-il)(?: maintenant)?|quand arrive-t-(?:elle|il)"
    r"|dónde está(?: ahora)?|cuándo llega|dov'è(?: ora| adesso)?|quando arriva"
    r"|onde está(?: agora)?|cadê|quando chega|waar is (?:het|hij|ze)(?: nu)?"
    r"|wanneer komt (?:het|hij|ze)|gdzie (?:jest|ona jest|on jest)(?: teraz)?|kiedy dotrze"
    r"|где (?:он|она|оно)(?: сейчас)?|когда (?:придёт|придет)|şimdi nerede|nerede"
    r"|ne zaman gelir|أين هو(?: الآن)?|أين هي(?: الآن)?|متى (?:سـ?|راح )?يصل"
    r"|现在在哪(?:里|儿)?|在哪(?:里|儿)|什么时候到|今どこ(?:にありますか)?|どこにありますか"
    r"|いつ届きますか|지금 어디(?:에 있어요|예요|에요)?|어디에 있어요|언제 도착해요"
    r")(?:呢|吗)?[\s?？؟!.。]*$",
    re.IGNORECASE,
)
_OTHER_ONE = re.compile(
    r"^[¿¡\s]*(?:and|what about|und|et|y|e|en|a|а|и|ve|و|那|그럼)?[\s,]*(?:"
    r"the other(?: one| order)?|die andere(?: bestellung)?|l'autre(?: commande)?"
    r"|el otro(?: pedido)?|l'altro(?: ordine)?|o outro(?: pedido)?|de andere(?: bestelling)?"
    r"|(?:to )?drugie(?: zamówienie)?|другой(?: заказ)?|diğeri|öbürü|diğer sipariş(?:im)?"
    r"|و?(?:ال)?طلب الآخر|و?الآخر|另一个(?:订单)?|もう(?:一つ|1つ|一方)(?:の注文)?(?:は)?"
    r"|다른 (?:하나|주문)(?:은요|는요)?"
    r")(?:呢|吗)?[\s?？؟!.。]*$",
    re.IGNORECASE,
)


# The place of an order in the list just told ("cancel the second one", "und die dritte?"),
# in the 14 languages: index 0 is the newest. "Last" is left out: the newest or the end of the
# list? A walk had "cancel the second one" told (and cancelled) the first.
_TURKISH = ("birinci", "ikinci", "üçüncü", "dördüncü", "beşinci")
_ORDINALS = [
    r"first|1st|erste[nrs]?|premi(?:er|ère)|primer[oa]?|primeir[oa]|primo|eerste"
    r"|pierwsz(?:y|a|e|ego|ą)|перв(?:ый|ая|ое|ого|ую|ом)|birinci|ilk"
    r"|الأول|الاول|第一|1番目|一番目|첫 ?번째",
    r"second(?:e|o|a)?|2nd|zweite[nrs]?|deuxième|segund[oa]|tweede"
    r"|drug(?:i|a|ie|iego|ą)|втор(?:ой|ая|ое|ого|ую|ом)|ikinci|الثاني|第二|2番目|二番目|두 ?번째",
    r"third|3rd|dritte[nrs]?|troisième|tercer[oa]?|terceir[oa]|terz[oa]|derde"
    r"|trzeci(?:a|e|ego|ą)?|трет(?:ий|ья|ье|ьего|ью|ьем)|üçüncü|الثالث|第三|3番目|三番目|세 ?번째",
    r"fourth|4th|vierte[nrs]?|quatrième|cuart[oa]|quart[oa]|vierde|czwart(?:y|a|e|ego|ą)"
    r"|четв[её]рт(?:ый|ая|ое|ого|ую|ом)|dördüncü|الرابع|第四|4番目|四番目|네 ?번째",
    r"fifth|5th|fünfte[nrs]?|cinquième|quint[oa]|vijfde|piąt(?:y|a|e|ego|ą)|пят(?:ый|ая|ое|ого|ую|ом)|beşinci"
    r"|الخامس|第五|5番目|五番目|다섯 ?번째",
]
# Chinese, Japanese and Korean write a particle against the ordinal ("2番目をキャンセルして",
# "두 번째를 취소해 주세요"): "2番目を" was no place, and the newest order was told (a run check)
# Turkish writes its case endings onto the ordinal ("ikincisini iptal et"), and German,
# Turkish and Polish a number with a full stop ("2. siparişi", "2. Bestellung"); Taiwan counts
# orders with 筆 ("第二筆"): each had been no place, and the newest order was offered for
# cancellation (a walk)
_TURKISH_ENDING = r"(?:y?[ıiuü]|s[ıiuü](?:n[ıiuü]|n[ae])?|y[ae]|n[ıiuü])?"
_ORDINAL = [
    re.compile(
        rf"(?<!\w)(?:{o}|{n + 1}\.(?=\s*[^\W\d]))(?!\w)"
        rf"|(?<!\w)(?:{_TURKISH[n]}){_TURKISH_ENDING}(?!\w)"
        rf"|(?:{o})(?=[个張张件筆笔の번をはがもに을를은는이가도])",
        re.IGNORECASE,
    )
    for n, o in enumerate(_ORDINALS)
]


# "and the one before that?" after an order was told, in the 14 languages: the next older order
_PREVIOUS = re.compile(
    r"^[¿¡\s]*(?:and|what about|und|et|y|e|en|a|а|и|peki|ve|و|那|그럼)?[\s,]*(?:"
    r"the one before(?: that| it)?|the previous(?: one| order)?|the order before(?: that)?"
    r"|die (?:davor|vorherige(?: bestellung)?)|(?:celle|la commande) d'avant|la précédente"
    r"|el anterior|el pedido anterior|o anterior|o pedido anterior|quello prima|l'ordine prima"
    r"|il precedente|de vorige(?: bestelling)?|die daarvoor|poprzednie(?: zamówienie)?"
    r"|предыдущ(?:ий|ее)(?: заказ)?|тот,? что (?:был )?раньше|bir önceki(?: sipariş)?"
    r"|önceki(?: sipariş)?|(?:ال)?طلب السابق|السابق|上一个(?:订单)?|上一笔(?:订单)?|前の注文(?:は)?"
    r"|その前の(?:注文)?(?:は)?|이전 주문(?:은요|은)?|그 전 주문(?:은요)?"
    r")(?:呢|吗)?[\s?？؟!.。]*$",
    re.IGNORECASE,
)


def _listed_place(text: str) -> int | None:
    """The one place in the list a short message names (0 = the newest), else None."""
    if _order_numbers(text) or len(text) > 80:
        return None
    places = [i for i, o in enumerate(_ORDINAL) if o.search(text)]
    return places[0] if len(places) == 1 else None


def _follow_up(text: str) -> str | None:
    """ "where", "previous" or "other" for a short follow-up about an order, else None."""
    if _order_numbers(text) or len(text) > 60:
        return None
    if _WHERE_NOW.match(text.strip()):
        return "where"
    if _PREVIOUS.match(text.strip()):
        return "previous"
    return "other" if _OTHER_ONE.match(text.strip()) else None


# A short question whose best intent is about delivery, in a conversation about an order, asks
# about that order ("متى سيصل؟" was out of scope at 0.39, "ne zaman elime geçer?" got the
# delivery times of every order: a walk); the words the patterns above know are a few
WHEN_INTENTS = ("track_order", "delivery_period")
SHORT_FOLLOW_UP = 40  # characters


def _short_when(text: str, prediction: Prediction) -> bool:
    return (
        len(text.strip()) <= SHORT_FOLLOW_UP
        and not _order_numbers(text)
        and prediction.best in WHEN_INTENTS
    )


def _order_numbers(text: str) -> list[str]:
    """The order numbers a message names, as the shop writes them ("c579090" -> "C579090",
    full-width "５７６２５７" and Arabic-Indic "٥٧٦٢٥٧" -> "576257": Japanese and Arabic
    customers type those, and were told their own order was not on their account, a walk)."""
    found = [_ascii_digits(m.group(1)).upper() for m in ORDER_NUMBER.finditer(text)]
    return found or _written_apart(text)


def _ascii_digits(text: str) -> str:
    return re.sub(r"\d", lambda m: str(unicodedata.decimal(m.group(0))), text)


def _written_apart(text: str) -> list[str]:
    """Order numbers written in groups of digits, joined ("56-8518" -> "568518"); groups that
    are each an order number are several ("576257-575743" was order 576257575743, a walk)."""
    found = []
    for m in WRITTEN_APART.finditer(text):
        groups = [_ascii_digits(g) for g in re.findall(r"\d+", m.group(1))]
        if _DATE.fullmatch(m.group(1)):
            continue
        if all(len(g) >= 5 for g in groups):
            found += groups
        elif 5 <= len(digits := "".join(groups)) <= 12:
            found.append(digits)
    return found


def _reopened(greeting: str, opening: str) -> str:
    """The greeting reply with `opening` in place of its first sentence ("Ciao! Posso..." ->
    "Buongiorno! Posso...")."""
    first = re.match(r"^.*?[!！。](\s*)", greeting)
    return opening + first.group(1) + greeting[first.end() :] if first else greeting


def _product_facts(product: ProductMatch, price: Decimal, language: str) -> dict[str, str]:
    """A product's line facts: its title as the catalog writes it, its price by rule, as the
    market's listings write it (its rounding rule's "12 €", not "12,00 €")."""
    written = format_money(price, product.currency, language, product.rule)
    return {"title": _title(product.title), "price": written}


def _title(title: str) -> str:
    """A catalog title as a reply shows it: the demo shop's "RED POLKADOT COFFEE  MUG" with
    one space (a walk)."""
    return " ".join(title.split())


def checked_message(message: str) -> str:
    """The message with its spaces made single; InvalidInput when empty or too long."""
    text = " ".join(message.split())
    if not text or all(unicodedata.category(ch) == "Cf" for ch in text):
        # right-to-left and other invisible marks alone opened a conversation (a walk)
        raise InvalidInput("the message is empty", field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the message is longer than {MAX_TEXT} characters", field="text")
    return text


def _joined(lines: Sequence[str]) -> str:
    """Reply lines as one text: after a Chinese or Japanese full stop without a space, which
    those languages do not write ("状态：已下单。 退回的商品..."), else with one."""
    out = ""
    for line in lines:
        out += line if not out or out.endswith(("。", "！", "？")) else f" {line}"
    return out


class Assistant:
    def __init__(
        self,
        classifier: IntentClassifier,
        knowledge: KnowledgeBase,
        orders: OrderBook,
        answers: Answers | None = None,
        translator: Translator | None = None,
        knowledge_language: str = "en",
        check: Check | None = None,
        products: FindProducts | None = None,
    ) -> None:
        self.classifier = classifier
        self.products = products
        self.knowledge = knowledge
        self.orders = orders
        self.answers = answers or Answers.load()
        self.translator = translator
        self.knowledge_language = knowledge_language
        self.check = check
        self._translations: dict[tuple[str, str], str] = {}
        self._checked: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._lines_language: str | None = None
        self._review: list[str] = []
        self._region: str | None = None

    def reply(self, state: ConversationState, message: str) -> Reply:
        self._lines_language = None  # set when a reply line fell back to English
        self._review = []
        self._region = self._market(state)  # figures as the customer's market writes them
        # Traditional Chinese is read as Simplified (the shop's examples and words are
        # written so) and answered in Traditional: it was answered in Simplified (a walk)
        # ...and a message both scripts write alike ("好", "是的") in a conversation answered
        # in Traditional stays so (it was answered in Simplified: a walk)
        traditional = is_traditional(message) or (
            state.language == "zh"
            and not is_simplified(message)
            and is_traditional(state.last_reply or "")
        )
        text = checked_message(to_simplified(message) if traditional else message)
        detected = self._detected(state, text)  # once per message: read whole or in pieces
        said = self._each_request(state, text, detected) or self._reply(
            state, text, detected=detected
        )
        if traditional and said.language == "zh":
            said = replace(said, text=to_traditional(said.text),
                           facts=tuple(to_traditional(f) for f in said.facts))  # fmt: skip
        if (
            said.text == state.last_reply
            and said.intent == state.last_intent
            and said.handoff is None
            and said.intent not in _MAY_REPEAT
            and said.state.status == "open"
        ):
            # "ok, cancel it please" after the cancellation answer got that answer again, and
            # again (a walk): asked again, the customer is not helped by it; a person is
            asked = Prediction(said.intent, said.confidence, said.intent)
            said = self._handoff(said.state, asked, "asked again")
        recent = (said.intent, *said.state.recent_intents)[:RECENT]
        state = replace(
            said.state, last_reply=said.text, last_intent=said.intent, recent_intents=recent
        )
        return replace(said, state=state, review=tuple(self._review) or said.review)

    def _each_request(
        self, state: ConversationState, text: str, detected: DetectedLanguage
    ) -> Reply | None:
        """A message that asks two or three things ("How long does delivery take? And can I
        pay with PayPal?"), each answered in turn in one reply; None when it asks one thing
        (questions.py says where a message is cut). A cut holds where the intent model reads
        a different request on each side of it, each read more surely than the whole message:
        a message that asks two things reads as neither, one that asks one thing reads best
        whole. Without that rule, 37 of the 2,257 one-request messages of the other support
        test sets were answered otherwise ("Ich möchte, dass mein Konto und alle meine Daten
        gelöscht werden" got the account creation entry first); with it 5, each given a second
        entry beside the first, and two-question messages answered whole fell from 84 to 66
        of 112 (69 since Korean is also cut after -고: benchmarks/bench_support_questions.py).
        A request that goes to a person takes the whole message with it. `text`: the
        message checked, `detected`: its language as the detector reads it."""
        if state.status != "open":
            return None
        language = self._language_of(state, text, detected)
        if self.answers.is_angry(text, detected.code if detected.score >= 0.5 else None):
            return None
        cut = pieces(text, language)
        if not 2 <= len(cut) <= MAX_PIECES:
            return None
        # read off the record: a monitored classifier (lifecycle/signals.py) counts the
        # requests answered below, not the pieces tried here
        reader = getattr(self.classifier, "inner", self.classifier)
        whole, *predictions = reader.predict(
            [for_intent(text) or text, *(for_intent(p.text) or p.text for p in cut)]
        )
        requests = self._requests(cut, predictions, whole.confidence)
        if not 2 <= len(requests) <= MAX_REQUESTS:
            return None
        replies: list[Reply] = []
        said_state = state
        for request in requests:
            self._lines_language = None
            said = self._reply(said_state, request, language)
            if said.handoff is not None:
                return said
            said_state = said.state
            if said.intent != OUT_OF_SCOPE and all(r.text != said.text for r in replies):
                replies.append(said)
        if len(replies) < 2:  # one request after all: the whole message is read as one
            self._review, self._lines_language = [], None
            return None
        first = replies[0]
        return Reply(
            "\n\n".join(r.text for r in replies),
            next((r.language for r in replies if r.language != language), language),
            first.intent,
            min(r.confidence for r in replies),
            tuple(c for r in replies for c in r.citations),
            orders=tuple(dict.fromkeys(o for r in replies for o in r.orders)),
            state=said_state,
            facts=tuple(f for r in replies for f in r.facts),
            products=tuple(dict.fromkeys(p for r in replies for p in r.products)),
        )

    def _requests(
        self, cut: Sequence[Piece], predictions: Sequence[Prediction], whole: float
    ) -> list[str]:
        """The pieces of a message joined into the requests it makes: a piece that asks and
        that the intents place (an intent answered from the orders, the FAQ or the catalog;
        not a greeting or thanks) starts a request unless the one before is the same; any
        other piece ("I bought a mug last week.", "Hi!") goes with the next request, or the
        last one. A piece read as a complaint or a wish for a person is no request of its
        own: on a first run of benchmarks/bench_support_questions.py, "I'm buying a few
        Christmas decorations as gifts" (a product question) sent "Which delivery options do
        you have?" to a person; the whole message is still read as one when nothing else is
        asked."""
        requests: list[tuple[str, list[str]]] = []  # (label, its pieces)
        waiting: list[str] = []
        for piece, prediction in zip(cut, predictions, strict=True):
            meant = self.answers.intents.get(prediction.label)
            placed = (
                piece.asks
                and prediction.confidence > whole
                and meant is not None
                and meant.action in _REQUESTS
                and not self.answers.is_greeting(piece.text)
                and not self.answers.is_thanks(piece.text)
            )
            if not placed:
                waiting.append(piece.text)
                continue
            if requests and requests[-1][0] == prediction.label:
                requests[-1][1].extend([*waiting, piece.text])
            else:
                requests.append((prediction.label, [*waiting, piece.text]))
            waiting = []
        if waiting and requests:
            requests[-1][1].extend(waiting)
        return [" ".join(said) for _, said in requests]

    def _detected(self, state: ConversationState, text: str) -> DetectedLanguage:
        """The message's language as the detector reads it, the conversation's as its prior."""
        # read without its order numbers: "C579090 iadem nerede?" was Spanish (an attack)
        return detect_language(
            for_intent(text) or text, fallback=state.language or "en", prior=self._prior(state)
        )

    def _language_of(self, state: ConversationState, text: str, detected: DetectedLanguage) -> str:
        """The language to answer `text` in: the detector's reading, unless the conversation's
        own language says more."""
        language = detected.code if detected.score >= 0.5 or not state.language else state.language
        if state.language == "ja" and language == "zh" and shared_han(text):
            # Han characters that Chinese and Japanese write alike are Japanese in a Japanese
            # conversation: "出荷日" was answered in Chinese ("返品方法", a walk, is Japanese
            # by its words: language.py)
            language = "ja"
        if (
            state.language
            and language != state.language
            and self.answers.speaks(text, state.language)
        ):
            # "ja" in a German conversation is German, not Polish (answered so: a walk)
            language = state.language
        bare = _only_an_order_number(text)
        if not state.language and ((bare and detected.score < 0.5) or detected.score < UNSURE):
            # "order 568518" opening a conversation was answered in German ("Order" is German
            # too): a word beside a number says no language; nor does "ok" (answered in
            # Polish), "order status" (Dutch) or "no" (Italian): the shop's own is used
            language = self.knowledge_language
        return language

    def _reply(
        self,
        state: ConversationState,
        message: str,
        language: str | None = None,
        detected: DetectedLanguage | None = None,
    ) -> Reply:
        """The reply to one request; `language`: the message's, read from a whole message
        this one is a piece of (a piece alone says less of its language); `detected`: the
        detector's reading of `message`, where the caller has it."""
        text = checked_message(message)
        detected = detected or self._detected(state, text)
        language = language or self._language_of(state, text, detected)
        bare = _only_an_order_number(text)
        state = replace(state, language=language)
        if state.status == "closed":  # the customer writes again after staff closed it
            state = replace(state, status="open", failures=0)
        if state.status == "handoff":
            # thanks while a person is awaited are answered as thanks ("Merci beaucoup !" got
            # "a member of our team has your conversation" again: a walk), and still waiting
            thanked = "waiting_thanks" in self.answers.replies and self.answers.is_thanks(text)
            said, lang = self._say("waiting_thanks" if thanked else "waiting", language)
            return Reply(said, lang, "waiting", 0.0, state=state)
        prediction = self.classifier.predict([for_intent(text)])[0]
        if bare and "track_order" in self.answers.intents:
            # "order 568518" alone: the model read "order" as payment methods or not at all
            prediction = replace(prediction, label="track_order", best="track_order")
        if self.answers.is_angry(text, detected.code if detected.score >= 0.5 else None):
            return self._handoff(state, prediction, "angry customer")
        # a yes right after the cancellation answer told an order: a person cancels it
        # ("はい、お願いします" was asked to rephrase, "ok, cancel it please" got the same answer
        # again: walks); a "sí" after "please sign in" confirms nothing (a walk)
        # the cancellation answer told an order: a yes or a no to cancelling it
        offered = (
            state.last_intent == "cancel_order"
            and state.customer_id is not None
            and state.order_id is not None
        )
        if offered and self.answers.is_no(text) and "cancel_kept" in self.answers.replies:
            # "no, leave it" after the cancellation offer: the order stays (it was answered as
            # a cancellation again, then handed over as "asked again": a walk)
            kept = state.order_id or ""
            said = self._with_facts("cancel_kept", language, lambda _: {"order_id": kept})
            return Reply(said, self._lines_language or language, "no", prediction.confidence,
                         orders=(kept,), state=replace(state, failures=0))  # fmt: skip
        if offered and self.answers.is_yes(text):
            confirmed = Prediction("cancel_order", prediction.confidence, "cancel_order")
            return self._handoff(state, confirmed, "cancellation confirmed")
        # "boa tarde", "buenas tardes" open a conversation or close one: at the start they
        # are a greeting (a walk was told "De nada!")
        greeting = self.answers.is_greeting(text)
        opened = greeting and state.last_intent is None
        if self.answers.is_thanks(text, alone=True) and not opened:
            return self._welcome(state, prediction, text)  # whatever the intents read into it
        if greeting:  # "hi", "hola" were "not understood" (a walk), and twice went to a
            # person; "Hallo" was answered in English: a greeting says its language (German
            # before Dutch, unless the conversation is already in Dutch)
            state = self._greeted_in(state, text)
            said, lang = self._say("greeting", state.language or language)
            if (opening := self.answers.opening(text, lang)) is not None:
                said = _reopened(said, opening)
            return Reply(said, lang, "greeting", prediction.confidence,
                         state=replace(state, failures=0))  # fmt: skip
        if (
            self.answers.is_yes(text)
            and state.last_intent is not None
            and "anything_else" in self.answers.replies
        ):
            meant = self.answers.intents.get(prediction.label)
            if (
                self.answers.says_cancel(text)
                and state.order_id is not None
                and "cancel_order" in self.answers.intents
            ):
                # "anúlalo" after an order's status: that order's cancellation
                prediction = replace(prediction, label="cancel_order", best="cancel_order")
            elif meant is None or meant.action in ("knowledge", "reply"):
                # a yes after anything but the cancellation offer answers no question: "yes
                # please" after an order's status got the wholesale answer (a walk)
                said, lang = self._say("anything_else", language)
                return Reply(said, lang, "yes", prediction.confidence,
                             state=replace(state, failures=0))  # fmt: skip
        track = self.answers.intents.get("track_order")
        if (
            track is not None
            and track.action == "order"
            and prediction.label not in REFUND_OR_CANCEL
            and (
                self.answers.asks_cost(text, numbered=self._only_own_orders(state, text))
                or self._asks_its_price(state, text)
            )
        ):
            # "how much was order 581163?", "ça m'a coûté combien": the order's line, whose
            # total answers it, and no FAQ entry (answers.py, Answers.cost); a refund of "the
            # amount" of an order keeps its intent
            cost = replace(prediction, label="track_order", best="track_order")
            return self._order(replace(state, failures=0), cost, text, None)
        follow = None
        if state.customer_id and state.order_id:
            follow = _follow_up(text) or ("where" if _short_when(text, prediction) else None)
        if follow is not None and track is not None and track.action == "order":
            # "and where is it now?", "and the other one?" after an order was talked about:
            # the intents read them as out of scope or as creating an account (a walk, in
            # every language); the order talked about, or the customer's other one, is told
            prediction = replace(prediction, label="track_order", best="track_order")
            asked = None
            if follow in ("other", "previous"):
                assert state.customer_id is not None
                placed = self._placed(state.customer_id)
                others = [o for o in placed if o.id != state.order_id]
                if not others and "only_order" in self.answers.replies:
                    # "e l'altro ordine?" with one order was told that order again (a walk)
                    alone = state.order_id or ""
                    said = self._with_facts("only_order", language, lambda _: {"order_id": alone})
                    return Reply(said, self._lines_language or language, "track_order",
                                 prediction.confidence, orders=(alone,),
                                 state=replace(state, failures=0))  # fmt: skip
                ids = [o.id for o in placed]
                older = ids[ids.index(state.order_id) + 1 :] if state.order_id in ids else []
                # "and the one before that?": the next older order (else the other one)
                asked = older[:1] if follow == "previous" and older else [o.id for o in others[:1]]
            return self._order(replace(state, failures=0), prediction, text, track.kb, asked)
        place = (
            _listed_place(text)
            if state.customer_id and "list_orders" in (state.last_intent, *state.recent_intents)
            else None
        )
        asked_for = self.answers.intents.get(prediction.label)
        if (
            place is not None
            and track is not None
            and (asked_for is None or asked_for.action in ("order", "orders", "knowledge"))
        ):
            listed = self._placed(state.customer_id or "")[:LISTED_ORDERS]
            if place >= len(listed) and "not_listed" in self.answers.replies:
                # "the sixth" after a list of five, "il secondo" after a list of one: the
                # newest order had been told, and offered for cancellation (a walk)
                count = len(listed)
                said = self._with_facts(
                    "not_listed", language, lambda lang: {"shown": format_number(count, lang)}
                )
                return Reply(said, self._lines_language or language, prediction.label,
                             prediction.confidence, state=replace(state, failures=0))  # fmt: skip
            if place < len(listed):
                # "cancel the second one" after the list: that order, for what was asked (its
                # status when the intents place nothing, or another list); a complaint or a
                # request for a person still goes to a person
                if asked_for is None or asked_for.action in ("orders", "knowledge"):
                    # the words beside the ordinal say what is asked: "storniere die zweite"
                    # was read as out of scope and told as a status (a run check), "ألغِ
                    # الطلب الثاني" (cancel the second order) as a second charge (a walk); read
                    # without the ordinal they are a cancellation
                    rest = _ORDINAL[place].sub(" ", text)
                    again = self._without_place(rest)
                    # a place alone ("el segundo", "the second one") asks about that order,
                    # whatever the intents read into it ("el segundo" was a second charge: a
                    # run check)
                    bare_place = len(rest.split()) <= 2
                    if again is not None:
                        prediction, asked_for = again
                    elif asked_for is None or asked_for.action == "orders" or bare_place:
                        prediction = replace(prediction, label="track_order", best="track_order")
                        asked_for = track
                picked = [listed[place].id]
                return self._order(
                    replace(state, failures=0), prediction, text, asked_for.kb, picked
                )
        if (
            place is None
            and prediction.label == "cancel_order"
            and state.customer_id is not None
            and _listed_place(text) is not None
            and "orders_list" in self.answers.replies
        ):
            # "cancela el segundo" with no list told: which order is the second? The list is
            # shown first; the newest order had been offered for cancellation (a run check)
            listing = replace(prediction, label="list_orders", best="list_orders")
            return self._orders(replace(state, failures=0), listing)
        action = self.answers.intents.get(prediction.label)
        if prediction.label == "product_question" and (
            priced := self._priced(state, prediction, text)
        ):
            return priced  # a price the shop knows, not a person's answer
        if prediction.label == OUT_OF_SCOPE or action is None:
            return self._unplaced(state, prediction, text)
        state = replace(state, failures=0)
        if action.action == "handoff":
            return self._handoff(state, prediction, action.reason or prediction.label)
        if action.action == "order":
            return self._order(state, prediction, text, action.kb)
        if (
            action.action == "orders"
            and (order_days(text) or order_months(text))
            and (track := self.answers.intents.get("track_order")) is not None
            and track.action == "order"
        ):
            # "my order from August 2011" read as a list of orders: the order of that month,
            # or that there is none (the five latest had been listed: an attack)
            dated = replace(prediction, label="track_order", best="track_order")
            return self._order(state, dated, text, None)
        if action.action == "orders" and "orders_list" in self.answers.replies:
            return self._orders(state, prediction)
        if action.action == "products":
            return self._products(state, prediction, text, action.reason)
        if action.action == "knowledge" and (named := self._own_orders(state, text)):
            # "and what about order 570452, has that one shipped?" read as shipping costs got
            # the FAQ alone, and the order was not remembered (a walk): the order the customer
            # names is answered, then the intent's FAQ entry. Only their own orders: a postcode
            # ("10115 Berlin") is no order to be told about.
            return self._order(state, prediction, text, action.kb, asked=named)
        if action.action == "reply":
            said, lang = self._say(action.reply or "", language)
            return Reply(said, lang, prediction.label, prediction.confidence, state=state)
        citations = self._cite(text, action.kb)
        if not citations:
            return self._unplaced(state, prediction, text)
        said, lang = self._answer(citations[0], language)
        if said == state.last_reply and prediction.label == state.last_intent:
            # "und wann bekomme ich mein Geld zurück?" right after "wie kann ich was
            # zurückschicken" (both get_refund) was cited the same entry, then handed over as
            # "asked again" (a walk): the intent's next entry answers a next question
            for other in self.knowledge.ranked_of(text, action.kb)[1:]:
                other_said, other_lang = self._answer(other, language)
                if other_said != said:
                    citations, said, lang = (other,), other_said, other_lang
                    break
        return Reply(said, lang, prediction.label, prediction.confidence, citations, state=state)

    def _without_place(self, rest: str) -> tuple[Prediction, IntentAction] | None:
        """The intent of a message about a listed order read without its ordinal (`rest`),
        when that is about one order (a cancellation, an invoice), else None."""
        if not any(ch.isalpha() for ch in rest):
            return None
        again = self.classifier.predict([for_intent(rest)])[0]
        action = self.answers.intents.get(again.label)
        return (again, action) if action is not None and action.action == "order" else None

    def _prior(self, state: ConversationState) -> dict[str, float] | None:
        """The language of a signed-in customer's market as the prior of their first message:
        "cancela el segundo" from a customer in Spain was answered in Portuguese (Lingua's
        reading of three words); a clear text in another language keeps its own."""
        if state.language or state.customer_id is None:
            return None
        if not isinstance(self.orders, CustomerLanguages):
            return None
        known = self.orders.language_of(state.customer_id)
        if known not in MARKET_LANGUAGES:
            return None
        return catalog_prior([], market=known)

    # -- actions -------------------------------------------------------------------------
    def _handoff(self, state: ConversationState, prediction: Prediction, reason: str) -> Reply:
        said, lang = self._say("handoff", state.language or "en")
        state = replace(state, status="handoff")
        return Reply(
            said, lang, prediction.label, prediction.confidence, handoff=reason, state=state
        )

    def _greeted_in(self, state: ConversationState, text: str) -> ConversationState:
        """The conversation in the language of the message's words of greeting or thanks when
        the detector read another ("Hallo" is German, or Dutch in a Dutch conversation)."""
        greeted = self.answers.greeting_languages(text)
        if not greeted or state.language in greeted:
            return state
        return replace(state, language=greeted[0])

    def _welcome(self, state: ConversationState, prediction: Prediction, text: str) -> Reply:
        state = self._greeted_in(state, text)
        said, lang = self._say("welcome", state.language or "en")
        state = replace(state, failures=0)
        return Reply(said, lang, "thanks", prediction.confidence, state=state)

    def _unplaced(self, state: ConversationState, prediction: Prediction, text: str) -> Reply:
        """Out of scope for the intents: the knowledge base may still answer; else ask again."""
        if self.answers.is_thanks(text):  # "Obrigado, era só isso" was asked to rephrase
            return self._welcome(state, prediction, text)
        track = self.answers.intents.get("track_order")
        if (
            (named := self._own_orders(state, text))
            and track is not None
            and track.action == "order"
        ):
            # a message naming one of the customer's own orders that the intents cannot place
            # is about that order ("C579090 was ist das?", "وين طلبي رقم 567824" were asked to
            # say it another way: a walk): it is told, with no FAQ entry guessed beside it
            told = replace(prediction, label="track_order", best="track_order")
            return self._order(replace(state, failures=0), told, text, None, asked=named)
        if (priced := self._priced(state, prediction, text)) is not None:
            return priced
        citations = self.knowledge.search(text, k=1)
        if citations:
            said, lang = self._answer(citations[0], state.language or "en")
            state = replace(state, failures=0)
            return Reply(
                said, lang, prediction.label, prediction.confidence, tuple(citations), state=state
            )
        state = replace(state, failures=state.failures + 1)
        if state.failures >= FAILURES_BEFORE_HANDOFF:
            return self._handoff(state, prediction, "not understood twice")
        if state.language and state.language not in MARKET_LANGUAGES:
            # Asking again would not help: nothing was learnt in this language (a Swedish "where
            # is my parcel?" was asked to rephrase, in Swedish the engine garbled).
            name = LANGUAGE_NAMES.get(state.language, state.language)
            return self._handoff(state, prediction, f"not understood, written in {name}")
        said, lang = self._say("rephrase", state.language or "en")
        return Reply(said, lang, prediction.label, prediction.confidence, state=state)

    def _price_question(self, state: ConversationState, text: str) -> str | None:
        """What a question of price with no order number asks about: "product" when it names
        something ("wie viel kostet die Duftkerze?"), "order" when it names nothing after an
        order was told ("how much is it?", "Was kostet sie?": its cost; they had listed
        products found for "it": an attack), else None."""
        if _order_numbers(text) or not self.answers.asks_price(text):
            return None
        if self.answers.names_a_product(text, state.language or "en"):
            return "product"
        return "order" if state.customer_id is not None and state.order_id is not None else None

    def _asks_its_price(self, state: ConversationState, text: str) -> bool:
        return self._price_question(state, text) == "order"

    def _priced(self, state: ConversationState, prediction: Prediction, text: str) -> Reply | None:
        """The products a question of price asks about, priced, or None: "wie viel kostet die
        Duftkerze?", "このマグカップはいくらですか" were out of scope, "how much is the round
        mirror?" a product question for a person (benchmarks' misses). Words of price, no order
        named, and products found."""
        shop = self.answers.intents.get("find_product")
        if shop is None or shop.action != "products":
            return None
        if self._price_question(state, text) != "product":
            return None
        found = self._found_products(state, text)
        if not found:
            return None
        asked = replace(prediction, label="find_product", best="find_product")
        return self._products_reply(replace(state, failures=0), asked, found)

    def _only_own_orders(self, state: ConversationState, text: str) -> bool:
        """Whether `text` names numbers and each is an order of the signed-in customer ("the
        price of 22423 in order 581587" names a product too: an attack was told the order's
        total)."""
        numbers = _order_numbers(text)[:3]
        return bool(numbers) and len(self._own_orders(state, text)) == len(numbers)

    def _own_orders(self, state: ConversationState, text: str) -> list[str]:
        """The order numbers `text` names that are orders of the signed-in customer."""
        if state.customer_id is None:
            return []
        customer = state.customer_id
        return [n for n in _order_numbers(text)[:3] if self.orders.orders_of(customer, n)]

    def _order(
        self,
        state: ConversationState,
        prediction: Prediction,
        text: str,
        kb: Sequence[str] | None,
        asked: list[str] | None = None,
    ) -> Reply:
        """The orders asked about (`asked`, else named in `text`, else the one talked about or
        the latest), each told by rule, then the FAQ entry of `kb` most like the message
        (None: no FAQ entry; () any entry)."""
        wanted = state.language or "en"
        if state.customer_id is None:  # said in their language, as every other line
            said, lang = self._say("need_login", wanted)
            return Reply(said, lang, prediction.label, prediction.confidence, state=state)
        asked = _order_numbers(text) if asked is None else asked
        refund = prediction.label in _ABOUT_REFUND
        if asked and _ADDRESS.search(text):
            asked = [n for n in asked if self.orders.orders_of(state.customer_id, n)]
        found: list[OrderSummary] = []
        lines: list[str] = []
        for order_id in asked[:3]:
            mine = self.orders.orders_of(state.customer_id, order_id)
            if mine:
                found.append(mine[0])
            else:
                said = self._with_facts("order_not_found", wanted, lambda _: {"order_id": order_id})  # noqa: B023 (called at once)
                lines.append(said)
        if not asked:
            # the order talked about before ("and the invoice for that one?"), else the latest
            # order; a cancellation is no order (a walk was told of "C579090, cancelled")
            # an order named by the day it was placed ("my order from 14/11/2011", "the one of
            # 11 November") is that order: the latest was told instead (a walk); a day no order
            # was placed on is said so, then the rule below ("my order from 23 December" was
            # told the latest order as if it were that one: a walk)
            named = order_days(text)
            months = [] if named else order_months(text)  # "my order from December 2010"
            everything = self.orders.orders_of(state.customer_id) if named or months else []
            on_day = [o for o in everything if not o.reversal and (any(
                d.matches(o.placed_at.year, o.placed_at.month, o.placed_at.day) for d in named
            ) or (o.placed_at.year, o.placed_at.month) in months)]  # fmt: skip
            if named and not on_day and "no_order_on_day" in self.answers.replies:
                day = named[0]
                lines.append(self._with_facts("no_order_on_day", wanted, lambda lang: {
                    "date": format_named_day(day.month, day.day, day.year, lang)
                }))  # fmt: skip
            elif months and not on_day and "no_order_in_month" in self.answers.replies:
                # "my order from March 2011" with none then had been told the latest (a walk)
                year, month = months[0]
                lines.append(self._with_facts("no_order_in_month", wanted, lambda lang: {
                    "month": format_month(year, month, lang)
                }))  # fmt: skip
            earlier = (
                self.orders.orders_of(state.customer_id, state.order_id)
                if state.order_id and not on_day
                else []
            )
            mine = on_day or earlier or everything or self.orders.orders_of(state.customer_id)
            if refund and not (on_day or earlier):
                # "when does the refund arrive?" is about a return or a cancellation: the
                # latest order, never returned, was told as if refunded (a walk); with no
                # such record the FAQ answers alone
                latest = [o for o in mine if o.reversal][:1]
            else:
                latest = on_day[:3] if on_day else ([o for o in mine if not o.reversal] or mine)[:1]
            found += latest
            if not latest and not refund:
                lines.append(self._with_facts("no_orders", wanted, lambda _: {}))
        if found:
            state = replace(state, order_id=found[0].id)
        facts: list[str] = []
        # the orders in the order asked (two came back reversed: an attack), after a line
        # saying no order was placed on the day named, before a number not found
        told = 0 if asked else len(lines)
        for order in found:
            said = self._with_facts(
                self._order_template(order),
                wanted,
                lambda lang: self._order_facts(order, lang),  # noqa: B023 (called at once)
                facts,
            )
            lines.insert(told, said)
            told += 1
            if order.shipment_status is not None:
                lines.insert(told, self._shipment_line(order, wanted, facts))
                told += 1
        late = [o for o in found if o.unshipped_late]
        if late:
            # the FAQ's "ships within 2 working days" would be untrue: a person looks at it
            lines.insert(told, self._written_line("not_shipped_late", wanted))
            reply = self._handoff(state, prediction, f"order {late[0].id} not shipped in time")
            lines.append(reply.text)
            return replace(reply, text=_joined(lines), orders=tuple(o.id for o in found),
                           facts=tuple(facts), language=self._lines_language or wanted)  # fmt: skip
        # The FAQ line follows an order the reply states: after "I can't find order 540280"
        # delivery times answered nothing the customer asked (a walk, in Korean).
        # ...and is not cancelled: delivery times under "Status: cancelled" answer nothing
        # ...but a question about a cancellation record ("where is my refund for C579090?")
        # gets its FAQ answer; a status question about one gets no delivery times
        about_status = self.answers.intents.get(prediction.label, IntentAction("order")).action
        wanted_faq = any(not o.cancelled or (o.reversal and (about_status != "order" or refund))
                         for o in found) or (refund and not found and not asked)  # fmt: skip
        citations = self._cite(text, kb) if wanted_faq and kb is not None else ()
        if citations:
            cited, cited_in = self._answer(citations[0], wanted)
            lines.append(cited)
            if cited_in != wanted:
                self._lines_language = cited_in
        open_orders = [o for o in found if not (o.cancelled or o.reversal or o.shipment_status)]
        if (
            prediction.label == "cancel_order"
            and len(found) == 1
            and open_orders
            and "cancel_offer" in self.answers.replies
        ):
            # the customer is asked whether to cancel, and a yes goes to a person who does
            # ("cancel_order" then "yes" above); the answer had only said orders may be
            # cancelled, and left the customer to guess what to write (a walk)
            order_id = open_orders[0].id
            lines.append(self._with_facts(
                "cancel_offer", wanted, lambda _: {"order_id": order_id}, facts
            ))  # fmt: skip
        lang = self._lines_language or wanted
        return Reply(
            _joined(lines),
            lang,
            prediction.label,
            prediction.confidence,
            citations,
            orders=tuple(o.id for o in found),
            state=state,
            facts=tuple(facts),
        )

    def _placed(self, customer_id: str) -> list[OrderSummary]:
        """The customer's orders, newest first, without cancellation records (no orders)."""
        return [o for o in self.orders.orders_of(customer_id) if not o.reversal]

    def _orders(self, state: ConversationState, prediction: Prediction) -> Reply:
        """The customer's most recent orders, newest first ("Show me all my orders" was told
        the latest one alone, and again when the customer said "no, ALL my orders": a walk);
        cancellation records are no orders."""
        wanted = state.language or "en"
        if state.customer_id is None:
            said, lang = self._say("need_login", wanted)
            return Reply(said, lang, prediction.label, prediction.confidence, state=state)
        mine = self._placed(state.customer_id)
        shown = mine[:LISTED_ORDERS]
        if not shown:
            said = self._with_facts("no_orders", wanted, lambda _: {})
            return Reply(said, self._lines_language or wanted, prediction.label,
                         prediction.confidence, state=state)  # fmt: skip
        facts: list[str] = []
        count = len(shown)
        heading = self._with_facts(
            "orders_list", wanted, lambda lang: {"shown": format_number(count, lang)}, facts
        )
        lines = [heading]
        for order in shown:
            lines.append(self._with_facts(
                self._order_template(order), wanted,
                lambda lang: self._order_facts(order, lang),  # noqa: B023 (called at once)
                facts,
            ))  # fmt: skip
        if len(mine) > len(shown) and "orders_older" in self.answers.replies:
            # the list had said nothing of the orders it left out (a walk: 35 orders, 5 told)
            lines.append(self._with_facts("orders_older", wanted, lambda _: {}))
        return Reply(
            "\n".join(lines),
            self._lines_language or wanted,
            prediction.label,
            prediction.confidence,
            orders=tuple(o.id for o in shown),
            state=replace(state, order_id=shown[0].id),
            facts=tuple(facts),
        )

    def _products(
        self, state: ConversationState, prediction: Prediction, text: str, reason: str | None
    ) -> Reply:
        """The shop's products most like what "do you sell red teapots?" asks for, with their
        prices by rule; it had got the wholesale answer's "Yes." (a walk). The search reads
        the message without its words of asking ("Habt ihr Untersetzer?" found a card kit,
        "Untersetzer" coasters). Without a product search, or with nothing found, a person
        answers."""
        found = self._found_products(state, text)
        if not found:
            return self._handoff(state, prediction, reason or prediction.label)
        return self._products_reply(state, prediction, found)

    def _found_products(self, state: ConversationState, text: str) -> list[ProductMatch]:
        """The shop's products most like what `text` asks for (none without a product search)."""
        if self.products is None or "products_found" not in self.answers.replies:
            return []
        asked = self.answers.product_asked(text, state.language or "en")
        # a signed-in customer's market prices them as the shop's listings there do
        # ("9,29 €" in France where the seller's rates price euros, not "7,95 £")
        return list(self.products(asked, SHOWN_PRODUCTS, self._market(state)))[:SHOWN_PRODUCTS]

    def _market(self, state: ConversationState) -> str | None:
        """The signed-in customer's market (country code), where the order book knows it."""
        if state.customer_id is None or not isinstance(self.orders, CustomerMarkets):
            return None
        return self.orders.market_of(state.customer_id)

    def _cldr(self, language: str) -> str:
        """The locale this reply's facts are written in: `language` as the customer's market
        writes it ("pt_PT" in Portugal: "58,35 £", not Brazil's "£ 58,35": a walk)."""
        return regional(language, self._region)

    def _products_reply(
        self, state: ConversationState, prediction: Prediction, found: Sequence[ProductMatch]
    ) -> Reply:
        """`found` listed with their prices by rule."""
        wanted = state.language or "en"
        facts: list[str] = []
        lines = [self._with_facts("products_found", wanted, lambda _: {})]
        for product in found:
            if product.price is None or "product_line" not in self.answers.replies:
                lines.append(_title(product.title))
                facts.append(_title(product.title))
            else:
                line = partial(self._product_facts, product, product.price)
                lines.append(self._with_facts("product_line", wanted, line, facts))
        if "products_more" in self.answers.replies:
            lines.append(self._with_facts("products_more", wanted, lambda _: {}))
        return Reply(
            "\n".join(lines),
            self._lines_language or wanted,
            prediction.label,
            prediction.confidence,
            state=state,
            facts=tuple(facts),
            products=tuple(p.sku for p in found),
        )

    def _product_facts(
        self, product: ProductMatch, price: Decimal, language: str
    ) -> dict[str, str]:
        """_product_facts, its price as the customer's market writes it."""
        return _product_facts(product, price, self._cldr(language))

    def _order_template(self, order: OrderSummary) -> str:
        """The reply that tells `order`: a cancellation record as one, not as an order placed
        (a walk: "Order C579090 was placed ...: 288 items, total £60.48. Status: cancelled");
        an order of postage or fees alone as such (a walk: "0 products, total £18.00")."""
        if order.reversal and "cancellation_record" in self.answers.replies:
            return "cancellation_record"
        if order.items == 0 and order.total and "order_charges" in self.answers.replies:
            return "order_charges"
        return "order_status"

    def _order_facts(self, order: OrderSummary, language: str) -> dict[str, str]:
        """An order's facts written by rule for `language` (see facts.py)."""
        # the carrier's scans say more than the order record: "Status: placed" stood before
        # "It shipped with DHL on 10 December" (a walk)
        status = (
            "cancelled"
            if order.cancelled
            else "delivered"
            if order.shipment_status == "delivered"
            else "shipped"
            if order.shipment_status is not None
            else "placed"
        )
        written = self.answers.replies.get(f"status_{status}", {})
        where = self._cldr(language)
        return {
            "order_id": order.id,
            "date": format_day(order.placed_at, where),
            "items": format_number(order.items, where),
            "total": format_money(order.total, order.currency, where),
            "status": written.get(language) or default_status_name(status, language),
        }

    def _with_facts(
        self,
        name: str,
        language: str,
        facts: Callable[[str], dict[str, str]],
        stated: list[str] | None = None,
    ) -> str:
        """Reply `name` in `language` with facts by rule: written there, else its English text
        translated around placeholders (facts.fill). Records the language it came out in."""
        variants = self.answers.replies[name]
        source = language if language in variants else "en"
        translate = self._translate if self.translator is not None else None
        said, lang = fill(variants[source], facts, source, language, translate)
        if lang != source and self._needs_review(said, lang, facts, variants[source], source):
            said, lang = variants[source].format(**facts(source)), source
        if lang != language:
            self._lines_language = lang
        if stated is not None:
            stated += [v for k, v in facts(lang).items() if "{" + k + "}" in variants[source]]
        return said

    def _needs_review(
        self,
        said: str,
        language: str,
        facts: Callable[[str], dict[str, str]],
        template: str,
        source: str,
    ) -> bool:
        """Whether the check finds that a filled translation needs review (then noted)."""
        rendered = tuple(v for v in facts(language).values() if v)  # by rule: not checked
        return self._rejected(said, language, template.format(**facts(source)), source, rendered)

    def _rejected(
        self, said: str, language: str, original: str, source: str, keep: Sequence[str] = ()
    ) -> bool:
        if self.check is None:
            return False
        key = (said, language, original)
        if key not in self._checked:
            if len(self._checked) >= CHECKS_KEPT:  # texts carry each order's facts: bounded
                self._checked.clear()
            self._checked[key] = tuple(self.check(said, language, original, source, keep))
        reasons = self._checked[key]
        if reasons:
            self._review.append(f"not sent in {language} ({'; '.join(reasons)}): {said}")
        return bool(reasons)

    def _translate(self, text: str, source: str, target: str) -> str:
        key = (text, f"{source}>{target}")
        if key not in self._translations:
            assert self.translator is not None
            self._translations[key] = self.translator.translate_batch([text], source, target)[0]
        return self._translations[key]

    def _shipment_line(
        self, order: OrderSummary, language: str, stated: list[str] | None = None
    ) -> str:
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
        self._ensure_text(name)
        shipped, due = order.shipped_at, order.estimated_delivery

        def facts(lang: str) -> dict[str, str]:  # dates by rule (facts.py), never translated
            return {
                "carrier": order.carrier or "",
                "shipped": format_day(shipped, self._cldr(lang)) if shipped else "",
                "date": format_day(due, self._cldr(lang)) if due else "",
            }

        return self._with_facts(name, language, facts, stated)

    def _ensure_text(self, name: str) -> None:
        """A shipment text an answers file written before it existed lacks: English."""
        if name not in self.answers.replies or "en" not in self.answers.replies[name]:
            self.answers.replies[name] = {"en": SHIPMENT_TEXTS[name]}

    def _written_line(self, name: str, language: str) -> str:
        """A line without facts in `language` (see _with_facts)."""
        self._ensure_text(name)
        return self._with_facts(name, language, lambda _: {})

    # -- knowledge and language ----------------------------------------------------------
    def _cite(self, text: str, entries: Sequence[str]) -> tuple[Citation, ...]:
        """Of the entries the intent names, the one most like the message; else the best
        match of the whole knowledge base (above its threshold)."""
        named = self.knowledge.best_of(text, entries) if entries else None
        if named is not None:
            return (named,)
        return tuple(self.knowledge.search(text, k=1))

    def _say(self, name: str, language: str, **slots: object) -> tuple[str, str]:
        """A reply text in `language`: written there, or translated from English."""
        said, lang = self.answers.text(name, language, **slots)
        return self._in_language(said, language, source=lang)

    def _answer(self, citation: Citation, language: str) -> tuple[str, str]:
        """A knowledge-base answer in `language`: the seller's own words where the entry has
        them (quoted as written, not judged), else its answer through the translator."""
        written = citation.translations.get(language)
        if written:
            return written, language
        return self._in_language(citation.answer, language)

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
        if self._rejected(self._translations[key], language, text, source):
            return text, source
        return self._translations[key], language
