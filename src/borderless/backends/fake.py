"""Deterministic fakes for tests: same input, same output, no model files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from borderless.backends.base import (
    Embedder,
    Generation,
    GenerationRequest,
    Generator,
    Purpose,
    Translator,
    Vectors,
)
from borderless.languages import language_name

__all__ = ["FakeEmbedder", "FakeGenerator", "FakeTranslator"]


class FakeEmbedder(Embedder):
    """Hashes character trigrams into a vector, so texts sharing words come out close."""

    name = "fake"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else 1.0 / np.sqrt(self.dimension)
        return out


class FakeGenerator(Generator):
    """Echoes the last user message, cut to max_tokens words."""

    name = "fake"

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        results = []
        for request in requests:
            prompt = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
            words = f"echo: {prompt}".split()
            text = " ".join(words[: request.max_tokens])
            reason = "length" if len(words) > request.max_tokens else "stop"
            results.append(Generation(text, reason, "fake", len(prompt.split()), len(text.split())))
        return results


class FakeTranslator(Translator):
    """Tags each text with its target language: ``[de] text``; unknown languages are refused."""

    name = "fake"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        # Like every translator: an unknown code is InvalidInput naming its field.
        language_name(source, "source")
        language_name(target, "target")
        return [f"[{target}] {t}" if t else "" for t in texts]
