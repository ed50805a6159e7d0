"""Sampled variants of a translator: the extra candidates of quality-aware reranking.

Only a translator that prompts an LLM can give a different answer to the same text (sampling
at a temperature, one seed per candidate); Bergamot and Apertium are deterministic, so a
route through them has no variant and reranking leaves it alone. A router's variant samples
the LLM hops of a route and keeps its other hops as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from borderless.backends.base import Translator
from borderless.backends.llm_translator import LLMTranslator
from borderless.backends.router import TranslationRouter

__all__ = ["SAMPLE_TEMPERATURE", "SampledRouter", "sampled"]

SAMPLE_TEMPERATURE = 0.7


def sampled(
    translator: Translator, seed: int, temperature: float = SAMPLE_TEMPERATURE
) -> Translator | None:
    """A variant that samples with this seed, or None for a deterministic engine."""
    if isinstance(translator, LLMTranslator):
        return LLMTranslator(translator.generator, temperature, seed)
    if isinstance(translator, TranslationRouter):
        return SampledRouter(translator, seed, temperature)
    return None


class SampledRouter(Translator):
    """The router's routes, with each LLM hop sampled."""

    def __init__(self, router: TranslationRouter, seed: int, temperature: float) -> None:
        self.router = router
        self.seed = seed
        self.temperature = temperature
        self.name = f"{router.name}~s{seed}"
        self._variants: dict[str, Translator | None] = {}

    def _variant(self, spec: str) -> Translator | None:
        if spec not in self._variants:
            self._variants[spec] = sampled(self.router.engine(spec), self.seed, self.temperature)
        return self._variants[spec]

    def samples(self, source: str, target: str) -> bool:
        """Whether any hop of the pair's route can give a different answer."""
        return any(
            self._variant(spec) is not None for _, _, spec in self.router.route(source, target)
        )

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        out = list(texts)
        for hop_source, hop_target, spec in self.router.route(source, target):
            engine = self._variant(spec) or self.router.engine(spec)
            out = engine.translate_batch(out, hop_source, hop_target)
        return out
