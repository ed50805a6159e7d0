"""Translation as a seller uses it: memory first, then the engine, then a quality estimate.

`source="auto"` detects each segment's language. Segments a person corrected before come from
the translation memory (score 1.0, engine "memory"); the rest go through the Localizer (glossary
and protected spans) on the engine the router picks for the pair, and each gets a verdict
(capabilities/verdict): a segment that needs review is flagged whatever its score, and one
flagged by a low quality estimate has it among its verdict's reasons (one signal, not two).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from borderless.backends.base import Embedder, Lexicon, Translator
from borderless.capabilities.language import detect_languages
from borderless.capabilities.localize.localizer import Localized, Localizer, samples
from borderless.capabilities.localize.markup import looks_like_html, visible_text
from borderless.capabilities.localize.protect import Glossary
from borderless.capabilities.localize.quality import FLAG_BELOW, QualityEstimate, estimate_quality
from borderless.capabilities.verdict import Verdict, judge_many
from borderless.capabilities.verdict.checks import Reason
from borderless.errors import InvalidInput
from borderless.languages import LANGUAGE_NAMES, known_codes, language_name

__all__ = ["Memory", "Translated", "TranslationDesk"]


def _rank(verdict: Verdict) -> tuple[bool, bool]:
    """(in the right script and language, passes the verdict): higher is better. The verdict
    alone rarely separates two LLM answers (a name left in English fails both)."""
    wrong = any(r.check in ("script", "language") and r.blocking for r in verdict.reasons)
    return not wrong, verdict.ok


# (source, target, texts) -> {text: stored translation}
Memory = Callable[[str, str, Sequence[str]], dict[str, str]]


@dataclass(frozen=True)
class Translated:
    source_text: str
    text: str
    source: str
    target: str
    engine: str
    score: float | None
    checks: tuple[str, ...] = ()
    flagged: bool = False  # the quality estimate is low or the verdict needs review
    verdict: Verdict | None = None


class TranslationDesk:
    def __init__(
        self,
        translator: Translator,
        quality: Embedder | None = None,
        memory: Memory | None = None,
        glossary: Glossary | None = None,
        candidates: Sequence[Translator] = (),
        redraws: Sequence[Translator] = (),
        background: Callable[[], Mapping[str, float] | None] | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.translator = translator
        # Bilingual dictionaries: the verdict's meaning check of short translations from English
        self.lexicon = lexicon
        # The shop's catalog languages (language.catalog_votes), asked for only when a text's
        # source is "auto": such texts are read against them, so a lone title is not read as
        # Dutch in an English shop.
        self.background = background
        self.quality = quality
        self.memory = memory
        self.glossary = glossary
        # Quality-aware reranking: other translators' answers (sampled LLM variants) compete
        # with the engine's; per segment the best quality estimate wins (needs `quality`).
        self.candidates = tuple(candidates)
        # Sampled variants asked again for a segment whose answer lost a number (Localizer).
        self.redraws = tuple(redraws)

    def engine_for(self, source: str, target: str) -> str:
        route = getattr(self.translator, "engine_for", None)
        return str(route(source, target)) if route else self.translator.name

    def translate(
        self, texts: Sequence[str], source: str, target: str, html: bool = False
    ) -> list[Translated]:
        target = target.strip().lower()
        language_name(target, "target")
        if source.strip().lower() == "auto":
            # Read together, like a catalog: short segments lean on their neighbours' language.
            votes = self.background() if self.background else None
            found = detect_languages(list(texts), fallback="en", background=votes)
            sources = [d.code for d in found]
            _translatable(sources)
        else:
            source = source.strip().lower()
            language_name(source, "source")
            sources = [source] * len(texts)
        # A text with HTML tags is translated as HTML even when not marked so: sent as plain
        # text, "<p>Only <b>£4.95</b> today</p>" came back "-p>Only -b>£ 4,95/b> em: /p>"
        markup = [html or looks_like_html(t) for t in texts]
        out: list[Translated | None] = [None] * len(texts)
        for language, tagged in sorted(set(zip(sources, markup, strict=True))):
            indexes = [i for i, s in enumerate(sources) if s == language and markup[i] == tagged]
            language_name(language, "source")
            done = self._one_pair([texts[i] for i in indexes], language, target, tagged)
            for i, result in zip(indexes, done, strict=True):
                out[i] = result
        return [r for r in out if r is not None]

    def _one_pair(
        self, texts: Sequence[str], source: str, target: str, html: bool
    ) -> list[Translated]:
        if source == target:
            return [Translated(t, t, source, target, "none", 1.0) for t in texts]
        remembered = self.memory(source, target, texts) if self.memory else {}
        todo = [t for t in texts if t not in remembered and t.strip()]
        glossary = self.glossary.for_target(target) if self.glossary else None
        machine = self._localize(self.translator, glossary, todo, source, target, html)
        # the checks and the estimate read what a reader sees, not the markup
        seen = visible_text if html else str
        estimates = self._estimate(todo, machine, source, target, seen)
        keep = _kept(glossary)
        # A sampled redraw keeps the sentence whole but may word it worse than the engine's
        # answer around placeholders, or let in words of another language: one in the wrong
        # script or language loses, then one the verdict fails, then the lower quality
        # estimate; on a tie the redraw stands.
        redrawn = [i for i, m in enumerate(machine) if m.placeheld is not None]
        if redrawn:
            again = [todo[i] for i in redrawn]
            plain = [p for i in redrawn if (p := machine[i].placeheld) is not None]
            scores = self._estimate(again, plain, source, target, seen)
            sources = [seen(t) for t in again]
            judged = judge_many([seen(machine[i].text) for i in redrawn], target, sources,
                                source, keep=keep, lexicon=self.lexicon)  # fmt: skip
            judged_plain = judge_many([seen(p.text) for p in plain], target, sources, source,
                                      keep=keep, lexicon=self.lexicon)  # fmt: skip
            for k, i in enumerate(redrawn):
                redraw = (*_rank(judged[k]), estimates[i].score if estimates else 0.0)
                placeheld = (*_rank(judged_plain[k]), scores[k].score if scores else 0.0)
                if placeheld > redraw:
                    machine[i] = plain[k]
                    if estimates:
                        estimates[i] = scores[k]
        engine = self.engine_for(source, target)
        rivals = [c for c in self.candidates if samples(c, source, target)]
        if rivals and estimates:
            for rival in rivals:
                theirs = self._localize(rival, glossary, todo, source, target, html)
                scores = self._estimate(todo, theirs, source, target, seen)
                for i, (mine, their) in enumerate(zip(estimates, scores, strict=True)):
                    if their.score > mine.score:
                        machine[i], estimates[i] = theirs[i], their
            engine = f"{engine} (best of {len(rivals) + 1} by quality)"
        by_text: dict[str, Localized] = dict(zip(todo, machine, strict=True))
        quality = dict(zip(todo, estimates, strict=True)) if estimates else {}
        verdicts = dict(zip(todo, judge_many([seen(m.text) for m in machine], target,
                                             [seen(t) for t in todo], source, keep=keep,
                                             lexicon=self.lexicon),
                            strict=True))  # fmt: skip
        results = []
        for text in texts:
            if text in remembered:
                results.append(Translated(text, remembered[text], source, target, "memory", 1.0))
            elif not text.strip():
                results.append(Translated(text, "", source, target, "none", None))
            else:
                q, v = quality.get(text), verdicts[text]
                if q is not None and q.flagged:
                    v = _with_estimate(v, q.score)
                failing = tuple(r.message for r in v.reasons if r.blocking)
                results.append(
                    Translated(
                        text, by_text[text].text, source, target, engine,
                        q.score if q else None, (q.checks if q else ()) + failing,
                        (q.flagged if q else False) or not v.ok, v,
                    )
                )  # fmt: skip
        return results

    def _localize(
        self,
        translator: Translator,
        glossary: Glossary | None,
        texts: Sequence[str],
        source: str,
        target: str,
        html: bool,
    ) -> list[Localized]:
        localizer = Localizer(translator, glossary, self.redraws)
        if html:
            return [localizer.translate_html(t, source, target) for t in texts]
        return localizer.translate(texts, source, target)

    def check_correction(self, source_text: str, text: str, source: str, target: str) -> Verdict:
        """The verdict on a person's correction, as on the engine's answer (glossary terms
        kept, the meaning check): a correction saved unchanged or in English went into the
        memory as reviewed and came back as perfect (score 1.0: a walk)."""
        html = looks_like_html(source_text) or looks_like_html(text)
        seen = visible_text if html else str
        glossary = self.glossary.for_target(target) if self.glossary else None
        return judge_many([seen(text)], target, [seen(source_text)], source,
                          keep=_kept(glossary), lexicon=self.lexicon)[0]  # fmt: skip

    def _estimate(
        self,
        texts: Sequence[str],
        machine: Sequence[Localized],
        source: str,
        target: str,
        seen: Callable[[str], str] = str,
    ) -> list[QualityEstimate]:
        if self.quality is None or not texts:
            return []
        return estimate_quality([seen(t) for t in texts], [seen(m.text) for m in machine],
                                source, target, self.quality,
                                [m.fallback for m in machine])  # fmt: skip


def _kept(glossary: Glossary | None) -> list[str]:
    """The words the verdict lets stand untranslated: the glossary's terms and their outputs."""
    return [w for t in glossary.terms for w in (t.source, t.output)] if glossary else []


def _with_estimate(verdict: Verdict, score: float) -> Verdict:
    """The verdict with a low quality estimate among its reasons. A title the walk read as
    gibberish (en->ar, score 0.10) came back `flagged` beside a verdict "ok" with no reason;
    the verdict's own checks run without the embedder, the estimate has it."""
    # rounded down: "0.76, under 0.76" for 0.7564 read as a contradiction (a walk)
    shown = math.floor(score * 1000) / 1000
    why = Reason("similarity", f"quality estimate {shown:.3f}, under {FLAG_BELOW}: the meaning "
                 "may be far from the source", f"{shown:.3f}")  # fmt: skip
    return replace(verdict, reasons=(*verdict.reasons, why),
                   scores={**verdict.scores, "quality": round(score, 4)})  # fmt: skip


def _translatable(sources: Sequence[str]) -> None:
    """InvalidInput naming the first text detected in a language Borderless has no name for
    (Hungarian, Indonesian): it cannot go to an engine as any other language."""
    for i, code in enumerate(sources, 1):
        if code not in LANGUAGE_NAMES:
            raise InvalidInput(
                f"text {i} reads as {code!r}, a language Borderless does not translate; it "
                f"translates {known_codes()}",
                field="source",
            )
