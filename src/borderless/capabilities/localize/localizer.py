"""Translate segments and HTML bodies through any Translator, keeping protected spans exact.

Per segment: protect (glossary terms, numbers, units, SKUs, URLs, e-mails, inline tags),
translate, restore, verify. Numbers, units, SKUs and tags go to the engine as text first, only
glossary terms as placeholders: engines translate the words around "2013" or "85123A" better
than around a bare token (on FLORES, placeholders cost 0.2 to 0.9 chrF against the raw
engine). That answer counts only if every span comes back as often as it went in, exactly or,
for a plain number or a measure, written the target language's way with the same value
("1,000" as "1.000", "6 inches" as "6 polegadas": `spans.py`);
otherwise the segment goes again with placeholders, and if the engine loses or duplicates one
of those, piece by piece between the protected spans, which keeps every span by
construction. Either way the result records that it needed the fallback. Titles in capitals
skip the first step (they go as sentence case with placeholders and come back upper-cased).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from borderless.backends.base import Translator
from borderless.capabilities.localize.markup import join_segments, split_html
from borderless.capabilities.localize.protect import TOKEN_PATTERN, Glossary, protect, restore
from borderless.capabilities.localize.spans import spans_kept

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
        out: dict[int, Localized] = {}
        # Numbers, units and SKUs go as text first (an engine writes "2013年" around a year
        # it can read, not around ZXQ1Z); the answer counts only if each comes back exactly.
        # Capitals are excluded: they go as sentence case and come back upper-cased.
        plain = [i for i in todo if i not in shouting and guarded[i].literal]
        if plain:
            firsts = [guarded[i].only_terms() for i in plain]
            first_answers = self.translator.translate_batch(
                [f.text for f in firsts], source, target
            )
            for i, first, answer in zip(plain, firsts, first_answers, strict=True):
                text, problems = restore(answer, first)
                if not problems and spans_kept(text, guarded[i].literal, source, target):
                    out[i] = Localized(text)
        todo = [i for i in todo if i not in out]
        sent = [_sentence_case(guarded[i].text) if i in shouting else guarded[i].text for i in todo]
        done = self.translator.translate_batch(sent, source, target) if sent else []
        # Catalogue titles in capitals translate badly; they go as sentence case, come back up.
        done = [d.upper() if i in shouting else d for i, d in zip(todo, done, strict=True)]
        # Each segment with its spans written out: the answer where there is nothing to
        # translate, and what a retry sends.
        written = [restore(g.text, g)[0] for g in guarded]
        results = [out.get(i, Localized(w)) for i, w in enumerate(written)]
        failed: dict[int, list[str]] = {}
        for i, translated in zip(todo, done, strict=True):
            text, problems = restore(translated, guarded[i])
            if problems:
                failed[i] = problems
            else:
                results[i] = Localized(text)
        # Capitals go piece by piece straight away: upper-casing a literal answer would change
        # the case of the spans in it.
        literal = [i for i in failed if i not in shouting and i not in plain]
        again = [written[i] for i in literal]
        retried = self.translator.translate_batch(again, source, target) if again else []
        second = dict(zip(literal, retried, strict=True))
        for i, problems in failed.items():
            text = second.get(i, "")
            if not text or not spans_kept(text, guarded[i].spans.values(), source, target):
                text = self._piecewise(guarded[i].text, guarded[i].spans, source, target)
            results[i] = Localized(text, True, tuple(problems))
        return results

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
