"""A customer message cut into the pieces that may each ask a question of their own.

"How long does delivery take? And can I pay with PayPal?" was answered on delivery alone: the
intent model reads one label per message. `pieces` cuts a message where a second question may
start, and the assistant (assistant.py) keeps a cut only where the intent model reads a
different request on each side of it, each more surely than the whole message. A piece it
cannot place (context, "Hi!", "thanks") stays with its neighbour, as does a sentence that asks
nothing in a message that asks with a question mark ("I bought a mug last week. How do I send
it back?": its first sentence was read as a second request on the first run of
benchmarks/bench_support_questions.py), unless the sentence opens with a joining word ("was
kostet der versand? und wie lösche ich mein konto" asks twice: the second run). So the cuts
here may be generous: a wrong one costs a second reading.

Cuts, in order:
- after a sentence's end: ". ", "? ", "! " (a space after them: "4.95" and "approx. 5" are not
  cut, nor "?!"), and after "。？！؟" with or without a space;
- in a sentence, before a word that joins a second request in that language ("and", "also":
  "how much is shipping and do you take Apple Pay"), where both sides keep at least
  `MIN_WORDS` words (`MIN_LETTERS` letters in Chinese and Japanese), so "cups and saucers"
  is never cut; Chinese, Japanese and Korean also at a comma ("运费多少，可以用支付宝吗"), the way
  a second question is most often written there.

Arabic writes "and" as a prefix: a word starting with و followed by a question word ("وهل",
"وكيف", "ومتى") is where a second request starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FEWER_WORDS", "JOINING", "MIN_LETTERS", "MIN_WORDS", "Piece", "pieces"]

MIN_WORDS = 3  # words on each side of a cut inside a sentence (spaced scripts)
# ...two where a word carries what English says in several ("배송비는 얼마인가요": how much is
# shipping; "kargo ücreti": the shipping fee)
FEWER_WORDS = {"ko": 2, "tr": 2, "ar": 2}
MIN_LETTERS = 4  # letters on each side of a cut inside a sentence (Chinese, Japanese)
# the end of a sentence: "? ", ". ", "! " (not "?!", "4.95", "approx. 5" before a digit)
_SENTENCE_END = re.compile(r"(?<=[.?!;])\s+(?=[^\d\s.?!])|(?<=[。？！؟])\s*(?=\S)")
# words that start a second request in a sentence, per language (word-bounded; lower case)
JOINING = {
    "en": ("and", "also", "plus", "and also", "btw"),
    "de": ("und", "außerdem", "ausserdem", "und auch", "noch was", "übrigens"),
    "fr": ("et", "aussi", "et aussi", "et puis", "autre question"),
    "es": ("y", "también", "tambien", "y también", "y además", "además", "ademas"),
    "pt": ("e", "também", "tambem", "e também", "além disso", "alem disso"),
    "it": ("e", "anche", "inoltre", "e poi", "ed"),
    "nl": ("en", "ook", "verder", "en ook", "daarnaast"),
    "pl": ("i", "oraz", "a", "także", "takze", "również", "rowniez", "a także"),
    "ru": ("и", "а", "также", "а также", "ещё", "еще", "и ещё", "и еще"),
    "tr": ("ve", "bir de", "ayrıca", "ayrica", "hem de"),
    "ko": ("그리고", "또", "또한", "아울러"),
    "zh": ("还有", "另外", "以及", "并且", "而且", "顺便问一下", "顺便问下", "再问一下"),
    "ja": ("あと", "それと", "また", "それから", "ついでに"),
    "ar": (),
}
_UNSPACED = ("zh", "ja")
_QUESTION_MARKS = "?？؟"
_CLOSING = " \t)）」』\"'”’!！.。"  # after a question mark: "(is it?)", "？」", "?!"
_COMMA = {"zh": "，,、", "ja": "、，,", "ko": ",，"}
_ARABIC_AND = re.compile(r"(?<=\s)(?=و(?:هل|كيف|متى|أين|اين|ما|ماذا|كم|لماذا|بخصوص)\b)")


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def _long_enough(text: str, language: str) -> bool:
    if language in _UNSPACED:
        return _letters(text) >= MIN_LETTERS
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    return len(words) >= FEWER_WORDS.get(language, MIN_WORDS)


def _joins(language: str) -> re.Pattern[str] | None:
    """Where a sentence in `language` may be cut: before a joining word (bordered by spaces,
    or anywhere in an unspaced script) and after a comma where a second request is written so."""
    words = "|".join(re.escape(w) for w in sorted(JOINING.get(language, ()), key=len, reverse=True))
    patterns = []
    if words and language in _UNSPACED:
        patterns.append(rf"(?=(?:{words}))")
    elif words:
        patterns.append(rf"(?:,\s*|\s+)(?=(?:{words})\b)")
    if language in _COMMA:
        patterns.append(rf"[{_COMMA[language]}]\s*")
    if language == "ko":
        # a verb joined by its ending -고 ("환불은 언제 되고 인보이스는 어디서 볼 수 있나요":
        # when is the refund, and where is the invoice), read after the fifth run's misses
        patterns.append(r"(?<=[\uac00-\ud7a3]고)\s+")
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def _cut_sentence(sentence: str, language: str) -> list[str]:
    """A sentence cut before its joining words (and at commas where a second request is
    written so), keeping each side long enough; pieces too short rejoin their neighbour."""
    pattern = _joins(language)
    spans: list[str] = []
    if language == "ar":
        spans = [s for s in _ARABIC_AND.split(sentence) if s.strip()]
    elif pattern is not None:
        starts = [0]
        for m in pattern.finditer(sentence):
            if m.start() > 0 and m.end() < len(sentence):
                starts.append(m.start())
        spans = [sentence[a:b] for a, b in zip(starts, [*starts[1:], len(sentence)], strict=True)]
    if len(spans) < 2:
        return [sentence.strip()]
    kept: list[str] = []
    for span in spans:
        if kept and not _long_enough(kept[-1], language):
            kept[-1] += span
        else:
            kept.append(span)
    if len(kept) > 1 and not _long_enough(kept[-1], language):
        tail = kept.pop()
        kept[-1] += tail
    return [k.strip(" ,，、") for k in kept if k.strip(" ,，、")]


def _opens_with_joining(sentence: str, language: str) -> bool:
    """Whether the sentence starts with a joining word ("und wie lösche ich mein Konto",
    "also why was I charged twice"): a question written without its mark."""
    first = sentence.lstrip(" ,¿¡-").casefold()
    for word in JOINING.get(language, ()):
        if first.startswith(word) and (
            language in _UNSPACED or not first[len(word) : len(word) + 1].isalnum()
        ):
            return True
    return language == "ar" and _ARABIC_AND.match(" " + first, 1) is not None


@dataclass(frozen=True)
class Piece:
    text: str
    # its sentence ends in a question mark or opens with a joining word, or the message has
    # no question mark at all
    asks: bool


def pieces(text: str, language: str) -> list[Piece]:
    """The message cut where a second question may start (see the module's docstring), in
    order; a message with no such place is one piece. In a message with a question mark, a
    sentence without one asks nothing ("I bought a mug last week. How do I send it back?")
    unless it opens with a joining word ("und wie lösche ich mein konto")."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    marked = any(ch in _QUESTION_MARKS for ch in text)
    found: list[Piece] = []
    for sentence in sentences:
        asks = (
            not marked
            or sentence.rstrip(_CLOSING)[-1:] in _QUESTION_MARKS
            or _opens_with_joining(sentence, language)
        )
        found.extend(Piece(cut, asks) for cut in _cut_sentence(sentence, language))
    return found or [Piece(text, True)]
