"""Translation by prompting any Generator: a wrapper, so local and remote LLMs both translate."""

from __future__ import annotations

from collections.abc import Sequence

from borderless.backends.base import GenerationRequest, Generator, Translator
from borderless.languages import language_name

__all__ = ["LLMTranslator"]


SYSTEM = (
    "You are a professional translator for an online shop. Translate the user's text from "
    "{source} to {target}. Keep numbers, product codes, units and HTML tags exactly as they "
    "are. Reply with the translation only."
)


class LLMTranslator(Translator):
    """Translates one segment per chat request: deterministically (temperature 0) unless told
    to sample (the candidates of quality-aware reranking, `backends/sampling.py`)."""

    def __init__(self, generator: Generator, temperature: float = 0.0, seed: int = 0) -> None:
        self.generator = generator
        self.temperature = temperature
        self.seed = seed
        self.name = f"llm({generator.name})" + (
            f"~t{temperature:g}s{seed}" if temperature > 0 else ""
        )

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        system = SYSTEM.format(
            source=language_name(source, "source"), target=language_name(target, "target")
        )
        requests = [
            GenerationRequest.from_prompt(
                text,
                system,
                temperature=self.temperature,
                max_tokens=max(32, 3 * len(text.split()) + 48),
                seed=self.seed,
            )
            for text in texts
            if text.strip()
        ]
        answers = iter(self.generator.generate_batch(requests))
        return [next(answers).text.strip() if text.strip() else "" for text in texts]
