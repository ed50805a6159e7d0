"""Translation as a seller uses it: memory first, then the engine, then a quality estimate.

`source="auto"` detects each segment's language. Segments a person corrected before come from
the translation memory (score 1.0, engine "memory"); the rest go through the Localizer (glossary
and protected spans) on the engine the router picks for the pair, and each gets a verdict
(capabilities/verdict): a segment that needs review is flagged whatever its score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from borderless.backends.base import Embedder, Translator
from borderless.capabilities.language import detect_languages
from borderless.capabilities.localize.localizer import Localized, Localizer
from borderless.capabilities.localize.protect import Glossary
from borderless.capabilities.localize.quality import estimate_quality
from borderless.capabilities.verdict import Verdict, judge_many
from borderless.languages import language_name

__all__ = ["Memory", "Translated", "TranslationDesk"]

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
    ) -> None:
        self.translator = translator
        self.quality = quality
        self.memory = memory
        self.glossary = glossary

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
            sources = [d.code for d in detect_languages(list(texts), fallback="en")]
        else:
            source = source.strip().lower()
            language_name(source, "source")
            sources = [source] * len(texts)
        out: list[Translated | None] = [None] * len(texts)
        for language in sorted(set(sources)):
            indexes = [i for i, s in enumerate(sources) if s == language]
            language_name(language, "source")
            done = self._one_pair([texts[i] for i in indexes], language, target, html)
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
        localizer = Localizer(self.translator, glossary)
        if html:
            machine = [localizer.translate_html(t, source, target) for t in todo]
        else:
            machine = localizer.translate(todo, source, target)
        by_text: dict[str, Localized] = dict(zip(todo, machine, strict=True))
        estimates = (
            estimate_quality(todo, [m.text for m in machine], source, target, self.quality,
                             [m.fallback for m in machine])
            if self.quality is not None and todo
            else []
        )  # fmt: skip
        quality = dict(zip(todo, estimates, strict=True)) if estimates else {}
        keep = [w for t in glossary.terms for w in (t.source, t.output)] if glossary else []
        verdicts = dict(zip(todo, judge_many([m.text for m in machine], target, todo, source,
                                             keep=keep), strict=True))  # fmt: skip
        engine = self.engine_for(source, target)
        results = []
        for text in texts:
            if text in remembered:
                results.append(Translated(text, remembered[text], source, target, "memory", 1.0))
            elif not text.strip():
                results.append(Translated(text, "", source, target, "none", None))
            else:
                q, v = quality.get(text), verdicts[text]
                failing = tuple(r.message for r in v.reasons if r.blocking)
                results.append(
                    Translated(
                        text, by_text[text].text, source, target, engine,
                        q.score if q else None, (q.checks if q else ()) + failing,
                        (q.flagged if q else False) or not v.ok, v,
                    )
                )  # fmt: skip
        return results
