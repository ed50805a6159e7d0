"""Spans a translation must not touch: glossary terms, numbers with units, SKUs, URLs, e-mails.

Each protected span is swapped for a placeholder token (`ZXQ1Z`, `ZXQ2Z`, ...) that translation
engines copy through unchanged (checked with Bergamot and the LLMs), and put back afterwards.
A token glued to a word (an inline tag inside a word, say) gets a space on that side, which
is taken away again on the way back: engines mangle glued tokens.
`restore` verifies that every placeholder came back exactly once; a segment where one went
missing or was duplicated is reported, never silently repaired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from borderless.capabilities.catalog.checks import CONTROL, visible
from borderless.capabilities.catalog.csvfiles import read_csv
from borderless.capabilities.localize.prices import PRICE_IN_TEXT
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = [
    "Glossary",
    "GlossaryTerm",
    "Protected",
    "check_term",
    "glossary_terms",
    "protect",
    "read_glossary",
    "restore",
]

TOKEN = "ZXQ{}Z"
MAX_TERM = 200  # characters of a glossary term
TOKEN_PATTERN = re.compile(r"ZXQ(\d+)Z")
UNITS = r"mm|cm|m|km|in|inch|inches|ft|g|kg|mg|lb|lbs|oz|ml|cl|l|L|W|kW|V|mAh|Wh|GB|TB|MB|°C|°F|%"
PATTERNS = [
    re.compile(r"ZXT\d+Z"),  # inline HTML tags (see markup.py)
    re.compile(r"https?://[^\s<>\"']+|www\.[^\s<>\"']+"),  # URLs
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    PRICE_IN_TEXT,  # money with a currency sign or code, before or after the amount
    # Dimensions and measures: 20 cm, 10x20cm, 1.5 kg, 25%.
    re.compile(rf"\b\d+(?:[.,]\d+)?(?:\s?[x×]\s?\d+(?:[.,]\d+)?)*\s?(?:{UNITS})(?![\w])"),
    # SKUs and model numbers: letters and digits mixed (85123A, XR-200, A4); not compounds of
    # a number and words ("4-month-old", "2-pack", German "Typ-1-Diabetes"), whose number
    # alone is kept,
    # nor ordinals, decades and times ("5th", "1960s", "10am"), which languages write their
    # own way ("5ª", "década de 1960").
    re.compile(
        r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])(?![A-Za-z0-9-]*-[A-Za-z]?[a-z]{2,}\b)"
        r"(?!\d+(?:st|nd|rd|th|s|am|pm)\b)"
        r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"
    ),
    re.compile(r"\b\d+(?:[.,]\d+)*\b"),  # other numbers
]


@dataclass(frozen=True)
class GlossaryTerm:
    source: str
    target: str  # "" = keep the source term as it is
    language: str = ""  # the target language it is for; "" = every target language

    @property
    def output(self) -> str:
        return self.target or self.source


@dataclass(frozen=True)
class Glossary:
    terms: tuple[GlossaryTerm, ...] = ()

    def __post_init__(self) -> None:
        # Longest first, so "Heart Lantern" wins over "Heart".
        ordered = tuple(sorted(self.terms, key=lambda t: -len(t.source)))
        object.__setattr__(self, "terms", ordered)

    def for_target(self, target: str) -> Glossary:
        """The terms that apply when translating into `target`: its own, and those for every
        language whose source it does not name itself."""
        own = [t for t in self.terms if t.language == target]
        named = {t.source.lower() for t in own}
        every = [t for t in self.terms if not t.language and t.source.lower() not in named]
        return Glossary(tuple(own + every))

    def merged(self, over: Glossary | None) -> Glossary:
        """These terms with `over`'s laid on top: a source term `over` names, in any language,
        is `over`'s alone (a glossary file given to one run wins over the stored one)."""
        if over is None:
            return self
        named = {t.source.lower() for t in over.terms}
        kept = [t for t in self.terms if t.source.lower() not in named]
        return Glossary(tuple(kept) + over.terms)


_LINE_BREAKS = re.compile(r"[\t\n\r]")  # a term is one line; CONTROL has the rest
# zero-width space, word joiner, byte-order mark: invisible, and no text writes them in a word
_HIDDEN = frozenset("\u200b\u2060\ufeff")


def check_term(term: GlossaryTerm) -> GlossaryTerm:
    """The term tidied (spaces trimmed, language in lower case), or InvalidInput naming the
    field that is wrong: one check for a term typed on the dashboard, sent in a request or
    read from a file."""
    from borderless.languages import language_name

    # direction marks at a term's ends are no part of it ("été\u200f" was kept: an attack)
    source, target = (t.strip().strip("\u200e\u200f").strip() for t in (term.source, term.target))
    language = term.language.strip()
    if not visible(source):  # a zero-width space was saved as a term (a walk)
        raise InvalidInput("the term is empty (or only invisible characters)", field="source")
    if target and not visible(target):  # its translation would print nothing
        raise InvalidInput("the target is only invisible characters", field="target")
    for name, text in (("source", source), ("target", target)):
        if hidden := [ch for ch in text if ch in _HIDDEN]:
            # "Cake\u200b" was saved, a term no text writes (a walk)
            raise InvalidInput(f"{name} holds an invisible character (U+{ord(hidden[0]):04X})",
                               field=name)  # fmt: skip
        if len(text) > MAX_TERM:
            raise InvalidInput(f"{name} is longer than {MAX_TERM} characters", field=name)
        if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):
            raise InvalidInput(f"{name} holds a character that cannot be stored", field=name)
        if bad := _LINE_BREAKS.search(text) or CONTROL.search(text):
            # "\x01\x02" as a target read as an empty term, and the term went out deleted; a
            # bidi override (U+202E) was stored from the dashboard, which the API refused
            raise InvalidInput(f"{name} holds a control character (U+{ord(bad.group()):04X})",
                               field=name)  # fmt: skip
    language = language.lower()
    if language:
        language_name(language, "language")
    return GlossaryTerm(source, target, language)


def read_glossary(path: Path) -> Glossary:
    """A CSV with columns `source,target` and optionally `language` (the target language a
    term is for; empty = every one); an empty target keeps the term untranslated."""
    # every field of a row: a row short of its language applied to every language (an attack)
    _, rows = read_csv(path, ("source", "target"), whole_rows=True, optional=("language",))
    terms, bad = glossary_terms(
        (line, row["source"], row["target"], row.get("language", "")) for line, row in rows
    )
    if bad:
        raise BadRows(str(path), bad)
    if not terms.terms:
        raise InvalidInput(f"{path}: the glossary has no terms", field="glossary")
    return terms


def glossary_terms(
    rows: Iterable[tuple[int, str, str, str]], unit: str = "line"
) -> tuple[Glossary, list[BadRow]]:
    """Glossary terms from (line, source, target, language) rows, a file's or a request's
    (`unit`: what the number counts, "item" for a request's list), and the bad rows: an
    empty source (white space or invisible characters alone: a request gave "  "), a term
    too long, an unknown language, a source given twice for one language (a request gave
    "hi" as x and as y, and x was used without a word)."""
    terms: list[GlossaryTerm] = []
    bad: list[BadRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, source, target, language in rows:
        try:  # the dashboard's check, so a file's "xx" is named with its line, not later
            term = check_term(GlossaryTerm(source, target, language))
        except InvalidInput as exc:
            bad.append(BadRow(line, exc.message, exc.field, unit))
            continue
        key = (term.source.lower(), term.language)
        if key in seen:
            said = f"{term.source!r} is already on {unit} {seen[key]}"
            bad.append(BadRow(line, said, "source", unit))
        else:
            seen[key] = line
            terms.append(term)
    return Glossary(tuple(terms)), bad


@dataclass
class Protected:
    """A segment with placeholders, and what each placeholder stands for in the output."""

    text: str
    spans: dict[str, str] = field(default_factory=dict)  # token -> text to put back
    padded: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # spaces we added
    terms: set[str] = field(default_factory=set)  # tokens that stand for glossary terms

    def only_terms(self) -> Protected:
        """The segment with its numbers, units, SKUs and tags written out as text and only the
        glossary terms left as placeholders (what the localizer sends first)."""
        return self.keeping(self.terms)

    def keeping(self, tokens: set[str]) -> Protected:
        """The segment with only `tokens` left as placeholders, the other spans written out."""
        kept = {t: v for t, v in self.spans.items() if t in tokens}
        text = _put_back(self.text, self, lambda token: token not in tokens)
        return Protected(text, kept, {t: self.padded[t] for t in kept}, self.terms & set(kept))

    def written(self, token: str, write: Callable[[str], str] | None = None) -> str:
        """What `token` puts back: a glossary term as the glossary says, any other span as
        `write` gives it (the target language's way), or as the source wrote it."""
        span = self.spans.get(token, token)
        return (
            write(span)
            if write is not None and token in self.spans and token not in self.terms
            else span
        )

    @property
    def literal(self) -> list[str]:
        """The spans that are not glossary terms (numbers, units, SKUs, URLs, tags)."""
        return [v for t, v in self.spans.items() if t not in self.terms]


def protect(text: str, glossary: Glossary | None = None) -> Protected:
    out = Protected(text)
    taken: list[tuple[int, int, str]] = []  # (start, end, replacement) on the original text
    terms: set[int] = set()  # where glossary terms start

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in taken)

    # The other patterns read the text with its inline-tag tokens as non-word characters of
    # the same length: "<b>6</b>" is "ZXT0Z6ZXT1Z", where \b saw no number, so the 6 went to
    # the engine unprotected and came back "e" (a walk, en->it); a glossary term or a SKU in
    # bold was missed the same way.
    view = PATTERNS[0].sub(lambda m: "\x00" * len(m.group()), text)
    for term in glossary.terms if glossary else ():
        pattern = re.compile(rf"(?<!\w){re.escape(term.source)}(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(view):
            if free(m.start(), m.end()):  # a kept term stays exactly as the text writes it
                taken.append((m.start(), m.end(), term.target or text[m.start() : m.end()]))
                terms.add(m.start())
    for index, pattern in enumerate(PATTERNS):
        for m in pattern.finditer(text if index == 0 else view):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end(), text[m.start() : m.end()]))
    pieces, last = [], 0
    starts, ends = {s for s, _, _ in taken}, {e for _, e, _ in taken}
    for number, (start, end, replacement) in enumerate(sorted(taken), start=1):
        token = TOKEN.format(number)
        # two spans side by side are padded apart on both sides, so each pad comes off again
        left = start > 0 and (text[start - 1].isalnum() or start in ends)
        right = end < len(text) and (text[end].isalnum() or end in starts)
        pieces += [text[last:start], " " * left + token + " " * right]
        out.spans[token] = replacement
        out.padded[token] = (left, right)
        if start in terms:
            out.terms.add(token)
        last = end
    pieces.append(text[last:])
    out.text = "".join(pieces)
    return out


def restore(
    translated: str, protected: Protected, write: Callable[[str], str] | None = None
) -> tuple[str, list[str]]:
    """The translation with every placeholder put back, and the problems found (if any).
    `write` gives how a span other than a glossary term is written in the target language
    (prices, measures and numbers the target's way); by default as the source wrote it."""
    problems: list[str] = []
    found = [TOKEN.format(n) for n in TOKEN_PATTERN.findall(translated)]
    for token, original in protected.spans.items():
        count = found.count(token)
        if count != 1:
            problems.append(f"{original!r} came back {count} times")
    unknown = sorted(set(found) - set(protected.spans))
    problems += [f"unknown placeholder {t}" for t in unknown]

    return _put_back(translated, protected, lambda token: True, write), problems


def _put_back(
    text: str,
    protected: Protected,
    which: Callable[[str], bool],
    write: Callable[[str], str] | None = None,
) -> str:
    """`text` with the placeholders `which` accepts replaced by what they stand for (without
    the spaces protect added around them). A span the engine glued to a word it was apart
    from in the source gets a space back ("vermelhasZXQ3Zestá" is "vermelhas 21094 está"),
    except beside Chinese, Japanese or Korean script, which writes no spaces."""

    def back(m: re.Match[str]) -> str:
        token = TOKEN.format(m.group(2))
        if not which(token):
            return m.group(0)
        span = protected.written(token, write)
        left, right = protected.padded.get(token, (False, False))
        before = "" if left else m.group(1) or _gap(text[: m.start()][-1:], span[:1])
        after = "" if right else m.group(3) or _gap(span[-1:], text[m.end() :][:1])
        return before + span + after

    return re.sub(r"( ?)ZXQ(\d+)Z( ?)", back, text)


def _gap(left: str, right: str) -> str:
    """A space between two characters an engine glued together that were apart."""
    glued = left.isalnum() and right.isalnum()
    return " " if glued and ord(left) < 0x2E80 and ord(right) < 0x2E80 else ""


def protected_spans(texts: Sequence[str], glossary: Glossary | None = None) -> list[list[str]]:
    """What `protect` would keep, per text (for reports and tests)."""
    return [list(protect(t, glossary).spans.values()) for t in texts]
