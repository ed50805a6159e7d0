"""What the assistant does per intent, and its replies in each language (a JSON file).

The default file (`defaults/answers.json`) covers the demo shop's intents, its replies and words
of anger in all 14 market languages; a seller can point BORDERLESS_SUPPORT_ANSWERS at their own
copy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from borderless.errors import InvalidInput
from borderless.languages import UNSPACED, without_accents

__all__ = ["ACTIONS", "DEFAULTS", "Answers", "IntentAction"]

DEFAULTS = Path(__file__).resolve().parent / "defaults"
ACTIONS = ("order", "orders", "knowledge", "reply", "handoff", "products")
SLOT = re.compile(r"\{(\w+)\}")


# Arabic writes "and", "for", "with", "the" on the word: "لحماية المستهلك" (to consumer protection)
_ARABIC_BEFORE = "(?:[وفبل]?ال|[وفبل])?"


# A word of anger said not to be meant: "I'm not angry, just curious" went to a person (a walk).
# Per language, the words that deny what follows within three words of the same clause
# (English "n't" on its verb); Turkish, Japanese and Korean also deny after
# ("kızgın değilim", "怒っていません", "화나지 않았어요"), Chinese within two characters before
# ("我不生气"). Per language, because "no" is Portuguese for "in the" and "ne" Turkish for "what".
_DENY_BEFORE = {
    "en": r"not|no|never|\w+n't", "de": r"nicht|kein\w*|nie", "fr": r"pas|ne|n'|jamais",
    "es": r"no|nunca", "it": r"non|mai", "pt": r"não|nao|nunca", "nl": r"niet|geen|nooit",
    "pl": r"nie|nigdy", "ru": r"не|ни|никогда", "ar": r"لست|لسنا|ليس|لا|لم|لن|مش",
}  # fmt: skip
_DENY_AFTER = {
    "tr": r"değil",
    "ja": r"いない|いません|ないです|ません|いるわけでは|るわけでは|わけではな",
    "ko": r"않",
}
_DENY_UNSPACED = {"zh": re.compile("[不没][^，。！？,.!?]?$")}


Denial = re.Pattern[str] | None


def _denied(message: str, m: re.Match[str], before: Denial, after: Denial) -> bool:
    """Whether the words `m` found in `message` are denied: "not" before them, or after."""
    return bool(
        (before is not None and before.search(message[: m.start()]))
        or (after is not None and after.match(message[m.end() :]))
    )


@cache
def _denial(language: str) -> tuple[Denial, Denial]:
    """The patterns that deny words of anger in `language`: before them, after them."""
    before = _DENY_BEFORE.get(language)
    after = _DENY_AFTER.get(language)
    return (
        re.compile(rf"(?:^|\s)(?:{before})(?:\s+[^\s,.;:!?،؛]+){{0,2}}\s+$", re.IGNORECASE)
        if before
        else _DENY_UNSPACED.get(language),
        re.compile(rf"^\s*(?:{after})", re.IGNORECASE) if after else None,
    )


def _word(part: str, first: bool, language: str) -> str:
    """A word of an anger list as a pattern: "возмут*" is any word that starts so (Russian,
    Polish, Turkish, Korean... put endings and particles on the word: "возмутительно",
    "oszukali", "dolandırıcılar", "최악이에요")."""
    before = _ARABIC_BEFORE if first and language == "ar" else ""
    if part.endswith("*") and len(part) > 1:
        return before + re.escape(part[:-1]) + r"\w*"
    return before + re.escape(part)


# what a request for a product is stripped of before the search reads it
_PUNCTUATION = re.compile(r"[?¿!¡,.;:？！。、，؟،]")
# thanks that mean the opposite (an attack: "thanks for nothing!!" was welcomed)
_THANKLESS = re.compile(
    r"(?i)\b(?:thanks?(?: you)?(?: (?:a lot|so much|very much))? for nothing|"
    r"danke für nichts|merci pour rien|gracias por nada|"
    r"grazie (?:di|per) niente|obrigad[oa] por nada|bedankt voor niks|dzięki za nic|"
    r"спасибо (?:за ничего|ни за что)|hiçbir şey için teşekkürler)\b|شكرا[ًً]? على لا شيء"
)
_GLAD = re.compile(
    r"(?i)\b(?:great|awesome|amazing|wonderful|perfect|love|lovely|freue|freuen|super|toll|"
    r"prima|génial|genial|parfait|perfecto|fantástico|ótimo|perfeito|perfetto|fantastico|"
    r"geweldig|fijn|świetnie|harika|süper|отлично|супер|прекрасно)\b"
    r"|太好了|太棒了|最高|嬉しい|좋아요|최고|رائع|ممتاز"
)


# words that may stand beside a greeting or an opener and ask nothing more
_FILLERS = frozenset({
    "there", "all", "team", "everyone", "please", "pls", "ok", "so", "just", "bitte", "mal",
    "svp", "porfa", "por", "favor", "per", "favore", "proszę", "lütfen", "пожалуйста",
    "alsjeblieft", "alstublieft",
})  # fmt: skip


def _left(message: str, *found: re.Pattern[str]) -> tuple[list[str], int]:
    """The words of `message` the patterns did not find, and how many letters of them are of
    an unspaced script (Chinese, Japanese: a particle such as 啦 is a word of its own)."""
    for pattern in found:
        message = pattern.sub(" ", message)
    words = re.findall(r"\w+", message)
    return words, sum(len(w) for w in words if any(ord(ch) > 0x2E80 for ch in w))


def _said_briefly(message: str, found: re.Pattern[str]) -> bool:
    """`found` in `message`, and at most two other words (two letters of an unspaced script)
    besides fillers: a yes or a no said briefly."""
    if not found.search(message):
        return False
    left, wide = _left(message, found)
    return wide <= 2 and len([w for w in left if w.lower() not in _FILLERS]) <= 2


def _phrases(anger: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """Whole words and phrases ("fed up") of anger (or thanks); inside text only for unspaced
    scripts.

    Matching substrings sent "annul" (French "nul"), "worsted wool" ("worst") and "scampi"
    ("scam") to a person; a word may end in `*` for the forms that start with it.
    """
    spaced: list[str] = []
    unspaced: list[str] = []
    for language, listed in anger.items():
        # as typed without accents too ("dzieki", "tesekkurler": a walk, asked to rephrase)
        words = set(listed) | {without_accents(w) for w in listed if language not in UNSPACED}
        for word in sorted(words, key=len, reverse=True):  # the longest form first
            parts = word.split()
            phrase = r"\s+".join(_word(part, i == 0, language) for i, part in enumerate(parts))
            (unspaced if language in UNSPACED else spaced).append(phrase)
    parts = []
    if spaced:
        parts.append(rf"(?<!\w)(?:{'|'.join(spaced)})(?!\w)")
    if unspaced:
        parts.append("|".join(unspaced))
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def _by_language(*kinds: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    """Per language, one pattern of its words of all `kinds` (greetings, thanks, yes...)."""
    return {
        lang: _phrases({lang: tuple(w for kind in kinds for w in kind.get(lang, ()))})
        for lang in dict.fromkeys(lang for kind in kinds for lang in kind)
    }


@dataclass(frozen=True)
class IntentAction:
    action: str  # order | orders | knowledge | reply | handoff | products
    # the knowledge entries this intent may cite (the one most like the message is cited; none:
    # any entry): Bitext's delivery_options also asks what shipping costs, get_refund both how
    # to return and when the money comes
    kb: tuple[str, ...] = ()
    reply: str | None = None  # reply name for action "reply"
    reason: str | None = None  # handoff reason (for "products": when no product is found)


@dataclass(frozen=True)
class Answers:
    intents: dict[str, IntentAction]
    replies: dict[str, dict[str, str]]
    anger: dict[str, tuple[str, ...]]
    # words that close a conversation ("thanks, that's all"): answered with the reply
    # "welcome", not "please rephrase" (twice of which went to a person)
    thanks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # greetings alone ("hi", "hola", "こんにちは"): answered with the reply "greeting"
    greetings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a question announced and not yet asked ("Hallo, ich habe eine Frage", "在吗？"): answered
    # as a greeting is ("What can I do for you?"); it was asked to rephrase (a walk)
    openers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a yes, or "cancel it", right after the cancellation answer: the customer confirms it and
    # a person cancels ("はい、お願いします", "да, отменяйте" were asked to rephrase: a walk)
    yes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a greeting answered in kind, per language: "buongiorno" with "Buongiorno!", "السلام
    # عليكم" with "وعليكم السلام!" (both had been answered with a plain hello: a walk)
    openings: dict[str, dict[str, str]] = field(default_factory=dict)
    # words that ask to cancel ("cancel it", "anúlalo"): after an order was told, a cancellation
    # of it, whatever the intents read into two words
    cancel: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a no right after the cancellation offer ("no, leave it", "hayır vazgeçtim"): the order
    # stays; it had been answered as a cancellation again, and handed over as "asked again"
    no: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the words that ask for a product ("do you sell", "habt ihr", "有没有"), left out of what
    # the product search reads ("Habt ihr Untersetzer?" found a card kit, "Untersetzer" coasters)
    asking: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # what an order cost: "how much", "combien", "多少钱" ask it of an order named by number;
    # "how much did I pay", "ça m'a coûté combien" ask it of the order talked about (or the
    # latest) without one; never with words of a part of an order (`parts`: its shipping, "how
    # much was delivery", which the FAQ answers; its tax; one item's price, "the unit price of
    # 22726 in order 581587": an attack). Asked, the order's line (its total) answers; the
    # intents had read them as payment methods, wholesale, a complaint or out of scope in
    # nearly every language (a walk)
    cost: dict[str, tuple[str, ...]] = field(default_factory=dict)
    paid: dict[str, tuple[str, ...]] = field(default_factory=dict)
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # what a product costs: "wie viel kostet die Duftkerze?", "combien coûte la bougie
    # parfumée ?", "このマグカップはいくらですか" were out of scope (a benchmark's misses); with
    # no order named and nothing else understood, the shop's products answer, priced (and
    # these words are no part of what is searched for)
    price: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # ...nor the shop's services, which have prices too: "what is the price of returning an
    # item" listed products (a probe); a return, a refund, gift wrapping, a fee; nor other
    # questions with words of "how much" (an attack: "how much does the red teapot weigh?",
    # "how much is left in stock", "ne kadar dayanıklı", "관세는 얼마예요?" listed products)
    services: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # words that name no product ("how much is it?", "Was kostet sie?", "combien coûte-t-elle
    # ?": after an order was told, the order's cost, not products: an attack)
    pronouns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # one item's price ("the unit price of 22726 in order 581587", "how much each"): a part of
    # an order's cost, but the very thing a question of a product's price asks ("how much is
    # one of the red teapots?" was no product's price: an attack)
    per_item: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # per language: its words of anger, and what denies them before and after (_DENY_BEFORE)
    _anger_by_language: dict[str, tuple[re.Pattern[str], Denial, Denial]] = field(
        init=False, repr=False, compare=False
    )
    _thanks: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _greetings: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _openers: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _yes: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _cancel: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _no: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _words_by_language: dict[str, re.Pattern[str]] = field(init=False, repr=False, compare=False)
    _hello_by_language: dict[str, re.Pattern[str]] = field(init=False, repr=False, compare=False)
    _asking: dict[str, re.Pattern[str]] = field(init=False, repr=False, compare=False)
    _cost: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _paid: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _parts: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _per_item: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _price: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _services: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _thanks_said: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _openings: dict[str, list[tuple[re.Pattern[str], str]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        angry = {
            lang: (_phrases({lang: words}), *_denial(lang)) for lang, words in self.anger.items()
        }
        object.__setattr__(self, "_anger_by_language", angry)
        object.__setattr__(self, "_thanks", _phrases(self.thanks))
        object.__setattr__(self, "_greetings", _phrases(self.greetings))
        object.__setattr__(self, "_openers", _phrases(self.openers))
        object.__setattr__(self, "_yes", _phrases(self.yes))
        object.__setattr__(self, "_cancel", _phrases(self.cancel))
        object.__setattr__(self, "_no", _phrases(self.no))
        object.__setattr__(self, "_cost", _phrases(self.cost))
        object.__setattr__(self, "_paid", _phrases(self.paid))
        object.__setattr__(self, "_parts", _phrases(self.parts))
        object.__setattr__(self, "_per_item", _phrases(self.per_item))
        object.__setattr__(self, "_price", _phrases(self.price))
        object.__setattr__(self, "_services", _phrases(self.services))
        hello = (self.greetings, self.openers, self.thanks)
        object.__setattr__(self, "_hello_by_language", _by_language(*hello))
        words = _by_language(*hello, self.yes, self.no, self.cancel)
        object.__setattr__(self, "_words_by_language", words)
        asking = _by_language(self.asking, self.greetings, self.price, self.per_item)
        object.__setattr__(self, "_asking", asking)
        said = self._thanks.pattern
        object.__setattr__(
            self, "_thanks_said", re.compile(rf"(?:{said})(?=\s*[!.,;:？！。，、])", re.IGNORECASE)
        )
        openings = {  # the longest greeting first: "buenas tardes" before "buenas"
            lang: [(_phrases({lang: (said,)}), reply)
                   for said, reply in sorted(table.items(), key=lambda kv: -len(kv[0]))]
            for lang, table in self.openings.items()
        }  # fmt: skip
        object.__setattr__(self, "_openings", openings)

    @classmethod
    def load(cls, path: Path | None = None) -> Answers:
        path = path or DEFAULTS / "answers.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InvalidInput(f"{path}: no such file", field="answers") from exc
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise InvalidInput(f"{path}: not a JSON answers file ({exc})", field="answers") from exc
        intents: dict[str, IntentAction] = {}
        for name, spec in data.get("intents", {}).items():
            if spec.get("action") not in ACTIONS:
                raise InvalidInput(
                    f"{path}: intent {name!r} has action {spec.get('action')!r}, "
                    f"not one of {', '.join(ACTIONS)}",
                    field="action",
                )
            kb = spec.get("kb") or ()
            kb = (kb,) if isinstance(kb, str) else kb
            if not isinstance(kb, list | tuple) or not all(isinstance(k, str) and k for k in kb):
                raise InvalidInput(
                    f"{path}: intent {name!r}: kb is an entry id or a list of them", field="kb"
                )
            intents[name] = IntentAction(
                spec["action"], tuple(kb), spec.get("reply"), spec.get("reason")
            )
        replies = {k: dict(v) for k, v in data.get("replies", {}).items()}
        for needed in ("order_status", "order_not_found", "no_orders", "need_login", "rephrase",
                       "handoff", "waiting", "status_placed", "status_cancelled"):  # fmt: skip
            if "en" not in replies.get(needed, {}):
                raise InvalidInput(f"{path}: reply {needed!r} needs an 'en' text", field="replies")
        for name, action in intents.items():
            if action.action == "reply" and (action.reply or "") not in replies:
                raise InvalidInput(f"{path}: intent {name!r} names no known reply", field="reply")
        (anger, thanks, greetings, openers, yes, cancel, no, asking, cost, paid, parts, price,
         services, pronouns, per_item) = (
            {lang: tuple(w.lower() for w in words) for lang, words in data.get(key, {}).items()}
            for key in ("anger", "thanks", "greetings", "openers", "yes", "cancel", "no", "asking",
                        "cost", "paid", "parts", "price", "services", "pronouns", "per_item")
        )  # fmt: skip
        openings = {
            lang: {str(k).lower(): str(v) for k, v in dict(said).items()}
            for lang, said in data.get("openings", {}).items()
        }
        return cls(
            intents, replies, anger, thanks, greetings, openers, yes, openings, cancel, no, asking,
            cost, paid, parts, price, services, pronouns, per_item,
        )  # fmt: skip

    def text(self, name: str, language: str, **slots: object) -> tuple[str, str]:
        """The reply in `language` when written, else in English; returns (text, its language)."""
        variants = self.replies[name]
        language = language if language in variants else "en"
        return variants[language].format(**slots), language

    def is_thanks(self, message: str, alone: bool = False) -> bool:
        """Thanks or goodbye and little else ("Obrigado, era só isso", "谢谢！"): at most two
        words (four characters in Chinese or Japanese) besides the words of thanks; `alone`:
        nothing besides them ("do widzenia" got an invoice answer before the intents were
        asked: a walk)."""
        if "welcome" not in self.replies or not self._thanks.search(message):
            return False
        if _THANKLESS.search(message):  # "thanks for nothing" was answered "You're welcome!"
            return False
        words, wide = _left(message, self._thanks)
        if alone:  # a particle may stay ("谢谢啦", "では失礼します"): one word of 2 letters
            return not words or (len(words) == 1 and len(words[0]) <= 2)
        return len(words) <= 2 and wide <= 4

    def is_greeting(self, message: str) -> bool:
        """A greeting or a question announced, and nothing else ("hi", "Hello there!",
        "Buenos días", "Hallo, ich habe eine Frage"): answered with the reply "greeting" (when
        the answers have one), not asked to rephrase. Two letters of an unspaced script may
        stay ("你好，我有个问题呀")."""
        if "greeting" not in self.replies:
            return False
        if not (self._greetings.search(message) or self._openers.search(message)):
            return False
        left, wide = _left(message, self._greetings, self._openers)
        spaced = [w for w in left if not any(ord(ch) > 0x2E80 for ch in w)]
        return wide <= 2 and all(w.lower() in _FILLERS for w in spaced)

    def is_yes(self, message: str) -> bool:
        """A yes, or "cancel it", and at most two other words (two letters of an unspaced
        script): "yes please cancel it", "ok, annulez-la", "はい、お願いします"."""
        return _said_briefly(message, self._yes)

    def is_no(self, message: str) -> bool:
        """A no, and at most two other words ("no, leave it", "hayır vazgeçtim", "不用了")."""
        return _said_briefly(message, self._no)

    def speaks(self, message: str, language: str) -> bool:
        """Whether a short message (four words at most) is words of greeting, thanks, yes or
        no of `language`: "ja" in a German conversation is German (it was read as Polish,
        and answered so: a walk)."""
        found = self._words_by_language.get(language)
        return bool(found and len(message.split()) <= 4 and found.search(message))

    def product_asked(self, message: str, language: str) -> str:
        """What a request for a product asks for, without its words of asking and greeting in
        `language` ("Habt ihr Untersetzer?" -> "Untersetzer"); the message itself when nothing
        else is left."""
        # thanks closing a sentence ("thanks! also, do you sell tablecloths?" listed a thank-you
        # card, "Vale, gracias. Otra cosa:" three: a walk); "thank you cards" are asked for
        rest = self._thanks_said.sub(" ", message)
        asking = self._asking.get(language)
        rest = asking.sub(" ", rest) if asking else rest
        rest = " ".join(_PUNCTUATION.sub(" ", rest).split())
        return rest if any(ch.isalnum() for ch in rest) else message

    def asks_cost(self, message: str, numbered: bool) -> bool:
        """Whether the message asks what an order cost: of an order it names by number
        (`numbered`: every number it names is one of the customer's orders) in any words of
        cost, else only in words of what was paid; never with words of a part of an order."""
        message = message.replace("\u2019", "'")  # "je l’ai payée": a phone's apostrophe
        if self._parts.search(message) or self._per_item.search(message):
            return False
        return bool((numbered and self._cost.search(message)) or self._paid.search(message))

    def names_a_product(self, message: str, language: str) -> bool:
        """Whether a question of price names something besides its words of asking, price
        and pronouns ("how much is it?" names nothing; "how much is the teapot?" does)."""
        rest = self.product_asked(message, language)
        if rest == message:  # nothing was taken away: product_asked's "the message itself"
            rest = self._asking.get(language, re.compile("(?!)")).sub(" ", message)
        words = set(self.pronouns.get(language, ())) | set(self.pronouns.get("en", ()))
        left = [w for w in re.findall(r"[-\w]+", rest.lower().replace("\u2019", "'"))
                if w not in words and w.strip("-") not in words]  # fmt: skip
        if language in UNSPACED:
            joined = "".join(left)
            for word in sorted(words, key=len, reverse=True):
                joined = joined.replace(word, "")
            return len(joined) >= 2
        return any(len(w) >= 2 for w in left)

    def asks_price(self, message: str) -> bool:
        """Whether the message asks what something costs ("how much is the teapot?", "was
        kostet die Duftkerze?") in words of price, with no word of a part of an order (its
        shipping, its tax) or of the shop's services (a return, gift wrapping, a fee)."""
        message = message.replace("\u2019", "'")
        return bool(self._price.search(message)) and not (
            self._parts.search(message) or self._services.search(message)
        )

    def says_cancel(self, message: str) -> bool:
        """Whether the message asks to cancel in so many words ("cancel it", "anúlalo")."""
        return bool(self._cancel.search(message))

    def opening(self, message: str, language: str) -> str | None:
        """The greeting that answers the one `message` opens with in `language` ("Buongiorno!"
        for "buongiorno", "Aleyküm selam!" for "selamün aleyküm"), else None."""
        greetings = self._openings.get(language, ())
        return next((reply for said, reply in greetings if said.search(message)), None)

    def greeting_languages(self, message: str) -> tuple[str, ...]:
        """The languages whose greetings, openers or thanks the message uses, in the file's
        order: "Hallo" is German and Dutch (Lingua read it as English), "merci, bonne
        journee" French (read as Dutch without its accent: a walk)."""
        return tuple(
            lang for lang, hello in self._hello_by_language.items() if hello.search(message)
        )

    def is_angry(self, message: str, language: str | None = None) -> bool:
        """Words of anger, unless denied ("I'm not angry"), or shouting (mostly capitals, or
        '!!'). The words of the message's `language` and English when it is known (Portuguese
        "golpe", a scam, is a dent in Spanish: a calm Spanish message went to a person), of
        every language when not."""
        lists = self._anger_by_language
        if language in lists:
            lists = {k: v for k, v in lists.items() if k in (language, "en")}
        for words, before, after in lists.values():
            if any(not _denied(message, m, before, after) for m in words.finditer(message)):
                return True
        if _THANKLESS.search(message):  # "Thanks for nothing" was not understood (an attack)
            return True
        letters = [ch for ch in message if ch.isalpha() and ch.isascii()]
        shouting = len(letters) >= 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8
        # "!!" after thanks or joy is no anger ("Great, thank you so much!!", "¡¡Muchas
        # gracias!!", "Würde mich freuen!!" went to a person as angry customers: a walk)
        # ...unless the thanks are denied ("This was not very helpful!!"); thanks that mean
        # the opposite were anger above
        denials = [_denial(code) for code in dict.fromkeys((language or "en", "en"))]
        thanked = any(
            not any(_denied(message, m, before, after) for before, after in denials)
            for m in self._thanks.finditer(message)
        )
        glad = thanked or _GLAD.search(message)
        return shouting or (("!!" in message or "！！" in message) and not glad)
