"""Translate segments and HTML bodies through any Translator, keeping protected spans exact.

Per segment: protect (glossary terms, numbers, units, SKUs, URLs, e-mails, inline tags),
translate, restore, verify. When an engine loses or duplicates a placeholder, the segment is
translated again with the protected spans written out (engines that drop a bare token often
keep "2013" or "85123A" and translate the words around them better); that answer is kept only
if every span comes back exactly as often as it went in. Otherwise the segment goes piece by
piece between the protected spans, which keeps every span by construction. Either way the
result records that it needed the fallback.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from borderless.backends.base import Translator
from borderless.capabilities.localize.markup import join_segments, split_html
from borderless.capabilities.localize.protect import TOKEN_PATTERN, Glossary, protect, restore

__all__ = ["Localized", "Localizer"]


@dataclass(frozen=True)
class Localized:
    text: str
    fallback: bool = False  # placeholders were lost and the segment went piece by piece
    problems: tuple[str, ...] = ()  # what the first attempt got wrong


class Localizer:
    def __init__(self, translator: Translator, glossary: Glossary | None = None) -> None:
        self.translator = translator
        self.glossary = glossary

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Localized]:
        if source == target:
            return [Localized(t) for t in texts]
        guarded = [protect(t, self.glossary) for t in texts]
        todo = [i for i, g in enumerate(guarded) if _has_words(g.text)]
        shouting = {i for i in todo if _capitals(guarded[i].text)}
        sent = [_sentence_case(guarded[i].text) if i in shouting else guarded[i].text for i in todo]
        done = self.translator.translate_batch(sent, source, target)
        # Catalogue titles in capitals translate badly; they go as sentence case, come back up.
        done = [d.upper() if i in shouting else d for i, d in zip(todo, done, strict=True)]
        # Each segment with its spans written out: the answer where there is nothing to
        # translate, and what a retry sends.
        written = [restore(g.text, g)[0] for g in guarded]
        out = [Localized(w) for w in written]
        failed: dict[int, list[str]] = {}
        for i, translated in zip(todo, done, strict=True):
            text, problems = restore(translated, guarded[i])
            if problems:
                failed[i] = problems
            else:
                out[i] = Localized(text)
        # Capitals go piece by piece straight away: upper-casing a literal answer would change
        # the case of the spans in it.
        literal = [i for i in failed if i not in shouting]
        again = [written[i] for i in literal]
        retried = self.translator.translate_batch(again, source, target) if again else []
        answers = dict(zip(literal, retried, strict=True))
        for i, problems in failed.items():
            text = answers.get(i, "")
            if not text or not _spans_kept(text, guarded[i].spans.values()):
                text = self._piecewise(guarded[i].text, guarded[i].spans, source, target)
            out[i] = Localized(text, True, tuple(problems))
        return out

    def _piecewise(self, text: str, spans: dict[str, str], source: str, target: str) -> str:
        parts = TOKEN_PATTERN.split(text)  # words, number, words, number, ...
        words = [p for i, p in enumerate(parts) if i % 2 == 0]
        wanted = [w for w in words if _has_words(w)]
        translated = iter(
            self.translator.translate_batch([w.strip() for w in wanted], source, target)
        )
        pieces = []
        for i, part in enumerate(parts):
            if i % 2:
                pieces.append(spans[f"ZXQ{part}Z"])
            elif _has_words(part):
                lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()) :]
                pieces.append(lead + next(translated) + trail)
            else:
                pieces.append(part)
        return "".join(pieces)

    def translate_html(self, body: str, source: str, target: str) -> Localized:
        segments = split_html(body)
        wanted = [s for s in segments if s.translate]
        results = self.translate([s.text for s in wanted], source, target)
        problems: list[str] = []
        for segment, result in zip(wanted, results, strict=True):
            segment.text = result.text
            problems += result.problems
        return Localized(join_segments(segments), any(r.fallback for r in results), tuple(problems))


def _spans_kept(text: str, spans: Iterable[str]) -> bool:
    """Every span occurs in `text` exactly as often as among the spans, not inside a longer
    number or word ("1" does not count inside "2013"; "1型" counts)."""
    wanted = Counter(spans)
    return all(
        len(re.findall(rf"(?<![0-9A-Za-z]){re.escape(span)}(?![0-9A-Za-z])", text)) == count
        for span, count in wanted.items()
    )


def _capitals(text: str) -> bool:
    letters = [ch for ch in TOKEN_PATTERN.sub("", text) if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def _sentence_case(text: str) -> str:
    """Lower case outside placeholders, first letter up."""
    parts = TOKEN_PATTERN.split(text)
    lowered = "".join(p.lower() if i % 2 == 0 else f"ZXQ{p}Z" for i, p in enumerate(parts))
    return lowered[:1].upper() + lowered[1:]


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in TOKEN_PATTERN.sub("", text))
