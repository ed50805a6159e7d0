"""Translate segments and HTML bodies through any Translator, keeping protected spans exact.

Per segment: protect (glossary terms, numbers, units, SKUs, URLs, e-mails, inline tags),
translate, restore, verify. Numbers, units, SKUs and tags go to the engine as text first, only
glossary terms as placeholders: engines translate the words around "2013" or "85123A" better
than around a bare token (on FLORES, placeholders cost 0.2 to 0.9 chrF against the raw
engine). That answer counts only if every span comes back as often as it went in, exactly or
written the target language's way with the same value ("1,000" as "1.000", "6 inches" as
"6 polegadas", "£4.95" as "4,95 £": `spans.py`, `prices.py`); a price the engine wrote beside
the wrong currency ("4,95 euros") gets its own currency back. If some spans came back and
others not, the segment goes again with only the lost ones as placeholders; an LLM that still
dropped one is asked again by sampling (`redraws`, two by default: "his 2013 appearance" often
keeps its year on another draw), and the segment still goes on to an answer worded around
placeholders, which the redraw carries (`Localized.placeheld`) for the translation desk to
choose between by script and language, verdict and quality estimate. That goes with every
span as a placeholder; and if the engine loses or duplicates one of those, piece by piece
between the protected spans, which keeps every span by construction. Spans put back for
placeholders are written the target language's way (CLDR through Babel: "4,95 £" in German,
"1,5 kg"). Titles in capitals skip the text passes (they go as sentence case with
placeholders and come back upper-cased).

Measured on number-heavy shop texts (benchmarks/RESULTS.md, "Translation: number-heavy shop
texts"): with prices refused whenever Bergamot wrote "euros" for "£", ours was 52.3 chrF
against the raw engine's 61.2 en->pt; with the currency put back, partial placeholders and
spans written the Portuguese way, see that section for the figures now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from borderless.backends.base import Translator
from borderless.capabilities.localize.markup import Segment, join_segments, split_html
from borderless.capabilities.localize.prices import read_price, repair
from borderless.capabilities.localize.protect import (
    TOKEN_PATTERN,
    Glossary,
    Protected,
    protect,
    restore,
)
from borderless.capabilities.localize.spans import spans_kept, write_span, written_as_target
from borderless.languages import lower, upper

__all__ = ["Localized", "Localizer", "samples"]


@dataclass(frozen=True)
class Localized:
    text: str
    fallback: bool = False  # placeholders were lost and the segment went piece by piece
    problems: tuple[str, ...] = ()  # what the first attempt got wrong
    # For a sampled redraw's answer (the engine's own lost a span): the answer worded around
    # placeholders, for a caller with an estimate to choose between the two.
    placeheld: Localized | None = None

    @property
    def redrawn(self) -> bool:
        return self.placeheld is not None


def samples(candidate: Translator, source: str, target: str) -> bool:
    """Whether a sampled variant can answer differently from the engine for this pair (a
    router's variant samples only its LLM hops; Bergamot and Apertium are deterministic)."""
    answers = getattr(candidate, "samples", None)
    return bool(answers(source, target)) if callable(answers) else True


class Localizer:
    """`redraws`: sampled variants of the translator (`backends/sampling.py`), asked in turn for
    the segments whose text answer lost a span, before any placeholder."""

    def __init__(
        self,
        translator: Translator,
        glossary: Glossary | None = None,
        redraws: Sequence[Translator] = (),
    ) -> None:
        self.translator = translator
        self.glossary = glossary
        self.redraws = tuple(redraws)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Localized]:
        if source == target:
            return [Localized(t) for t in texts]
        guarded = [protect(t, self.glossary) for t in texts]
        todo = [i for i, g in enumerate(guarded) if _has_words(g.text)]
        shouting = {i for i in todo if _capitals(guarded[i].text)}
        out: dict[int, Localized] = {}
        # Numbers, units and SKUs go as text first (an engine writes "2013年" around a year
        # it can read, not around ZXQ1Z); the answer counts only if each comes back, exactly
        # or with the same value written the target's way (spans.py).
        # Capitals are excluded: they go as sentence case and come back upper-cased.
        plain = [i for i in todo if i not in shouting and guarded[i].literal]
        write = partial(write_span, source=source, target=target)
        pair = (source, target)
        failing = self._as_text(guarded, {i: guarded[i].terms for i in plain}, out, pair)
        # Some spans kept, some not: again with only those as placeholders, so the words
        # around the kept ones ("500 unidades", not "unidades 500") stay as the engine reads them.
        self._as_text(guarded, {i: guarded[i].terms | f for i, f in failing.items()}, out, pair)
        # An LLM that dropped a number ("after his 2013 appearance") often keeps it on another
        # draw; the whole sentence then reads better than one worded around placeholders or
        # translated piece by piece between its numbers.
        # The segment still goes on with placeholders: the redraw carries that answer along.
        drawn: dict[int, Localized] = {}
        for redraw in (r for r in self.redraws if samples(r, source, target)):
            left = {i: guarded[i].terms for i in plain if i not in out and i not in drawn}
            if not left:
                break
            self._as_text(guarded, left, drawn, pair, redraw)
        todo = [i for i in todo if i not in out]
        sent = [_sentence_case(guarded[i].text, source) if i in shouting else guarded[i].text
                for i in todo]  # fmt: skip
        done = self.translator.translate_batch(sent, source, target) if sent else []
        # Catalogue titles in capitals translate badly; they go as sentence case, come back up.
        done = [upper(d, target) if i in shouting else d for i, d in zip(todo, done, strict=True)]
        # Each segment with its spans written out: the answer where there is nothing to
        # translate, and what a retry sends.
        written = [restore(g.text, g)[0] for g in guarded]
        results = [out.get(i, Localized(w)) for i, w in enumerate(written)]
        failed: dict[int, list[str]] = {}
        for i, translated in zip(todo, done, strict=True):
            text, problems = restore(translated, guarded[i], write)
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
                text = self._piecewise(guarded[i], write, source, target)
            results[i] = Localized(text, True, tuple(problems))
        for i, answer in drawn.items():
            results[i] = replace(answer, placeheld=results[i])
        return results

    def _as_text(
        self,
        guarded: list[Protected],
        placeholders: dict[int, set[str]],
        out: dict[int, Localized],
        pair: tuple[str, str],
        translator: Translator | None = None,
    ) -> dict[int, set[str]]:
        """Send each segment with only the given tokens as placeholders and its other spans as
        text; keep (in `out`) the answers that kept every span, a price beside the wrong
        currency put right. For the others whose answer came back whole, the tokens of the
        spans the answer lost, when it kept some."""
        if not placeholders:
            return {}
        write = partial(write_span, source=pair[0], target=pair[1])
        sent = [guarded[i].keeping(tokens) for i, tokens in placeholders.items()]
        engine = translator or self.translator
        answers = engine.translate_batch([s.text for s in sent], *pair)
        failing: dict[int, set[str]] = {}
        for i, mixed, answer in zip(placeholders, sent, answers, strict=True):
            text, problems = restore(answer, mixed, write)
            if problems:
                continue
            as_text = [v for t, v in guarded[i].spans.items() if t not in mixed.spans]
            if spans_kept(text, as_text, *pair):
                out[i] = Localized(written_as_target(text, as_text, *pair))
                continue
            # A price beside the wrong currency ("£4.95" as "4,95 euros") gets its own
            # currency back; the answer then counts if every span is kept.
            text, repaired = _repair_prices(text, as_text, *pair)
            if repaired and spans_kept(text, as_text, *pair):
                text = written_as_target(text, as_text, *pair)
                out[i] = Localized(text, problems=tuple(repaired))
                continue
            counts = Counter(as_text)
            lost = {t for t, v in guarded[i].spans.items() if t not in mixed.spans
                    and not spans_kept(text, [v] * counts[v], *pair)}  # fmt: skip
            if len(lost) < len(as_text):
                failing[i] = lost
        return failing

    def _piecewise(
        self, guarded: Protected, write: Callable[[str], str], source: str, target: str
    ) -> str:
        parts = TOKEN_PATTERN.split(guarded.text)  # words, number, words, number, ...
        # the spaces protect() put around a span come off ("<b>12</b>" came back "<b>  12  </b>")
        for i in range(0, len(parts), 2):
            before = guarded.padded.get(f"ZXQ{parts[i - 1]}Z", (False, False)) if i else None
            after = (guarded.padded.get(f"ZXQ{parts[i + 1]}Z", (False, False))
                     if i + 1 < len(parts) else None)  # fmt: skip
            if before and before[1] and parts[i].startswith(" "):
                parts[i] = parts[i][1:]
            if after and after[0] and parts[i].endswith(" "):
                parts[i] = parts[i][:-1]
        words = [p for i, p in enumerate(parts) if i % 2 == 0]
        wanted = [w for w in words if _has_words(w)]
        translated = iter(
            self.translator.translate_batch([w.strip() for w in wanted], source, target)
        )
        pieces = []
        for i, part in enumerate(parts):
            if i % 2:
                pieces.append(guarded.written(f"ZXQ{part}Z", write))
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
        joined = _joined(segments, wanted, results)
        if not any(r.redrawn for r in results):
            return joined
        placeheld = [r.placeheld or r for r in results]
        return replace(joined, placeheld=_joined(segments, wanted, placeheld))


def _joined(
    segments: list[Segment], wanted: Sequence[Segment], results: Sequence[Localized]
) -> Localized:
    """The HTML body with these translations of its text segments."""
    problems: list[str] = []
    for segment, result in zip(wanted, results, strict=True):
        segment.text = result.text
        problems += result.problems
    return Localized(join_segments(segments), any(r.fallback for r in results), tuple(problems))


def _repair_prices(
    text: str, spans: Sequence[str], source: str, target: str
) -> tuple[str, list[str]]:
    changes: list[str] = []
    for span, count in Counter(spans).items():
        price = read_price(span, source)
        if price is not None:
            text, changed = repair(text, price, count, source, target)
            changes += changed
    return text, changes


def _capitals(text: str) -> bool:
    letters = [ch for ch in TOKEN_PATTERN.sub("", text) if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def _sentence_case(text: str, language: str) -> str:
    """Lower case outside placeholders, first letter up."""
    parts = TOKEN_PATTERN.split(text)
    lowered = "".join(lower(p, language) if i % 2 == 0 else f"ZXQ{p}Z"
                      for i, p in enumerate(parts))  # fmt: skip
    return upper(lowered[:1], language) + lowered[1:]


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in TOKEN_PATTERN.sub("", text))
