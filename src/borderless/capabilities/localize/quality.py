"""A quality estimate per translated segment, without a reference translation.

score = cosine of the source and the translation in a multilingual embedding space (USE by
default: translations of each other land close), multiplied down by checks that catch the
usual machine-translation failures:
- untranslated copy: the output equals the input (other than protected spans) -> x0.2
- wrong output language: language id says it is not the target (confident detections) -> x0.3
- length ratio outside [0.4, 2.5] in characters (x0.5; CJK targets count 3 characters each)
- lost protected spans (the segment needed the piece-by-piece fallback) -> x0.8
Segments scoring under `FLAG_BELOW` are flagged for review in the dashboard (so are those whose
verdict needs review, whatever their score: capabilities/localize/desk.py).

`FLAG_BELOW` was chosen on a validation split, not guessed (benchmarks/bench_quality_flag.py,
benchmarks/RESULTS.md "Translation quality flag: line chosen on a validation split"). Target: the
flag (score under the line, or the verdict) catches at least 90% of the texts judged "needs
review" on validation; the lowest line on a 0.01 grid that does is 0.76. Data:
benchmarks/data/verdict_judged.tsv, 598 texts in de, zh, es, fr (sha256 42449549071f...), mostly
real output of the local LLM and Apertium; held out: 255 rows of its `held-out` set (half, by a
hash of language and source), validation: the other 343. Measured at 0.76: validation recall
0.90, precision 0.70, 89 of 117 correct texts flagged; held out recall 0.88, precision 0.82, 39
of 59 correct flagged. The old guessed line, 0.6: held out recall 0.68, precision 0.85, 23 of 59
correct flagged; the verdict alone: recall 0.52, precision 0.91. Catching 9 in 10 costs review
of most correct translations too: the estimate separates poorly (a correct title and its
translation are often only 0.2 to 0.5 similar; among texts the verdict passes, the AUC of
"needs review" is 0.47 on validation, 0.59 held out). The line depends on the verdict's checks (what
they miss, the estimate must catch): re-run the benchmark when they or the judged set change.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from borderless.backends.base import Embedder
from borderless.capabilities.language import language_scores
from borderless.capabilities.localize.protect import TOKEN_PATTERN, protect

__all__ = ["FLAG_BELOW", "QualityEstimate", "estimate_quality"]

FLAG_BELOW = 0.76  # chosen on validation: the flag catches >= 90% of texts needing review
CJK = {"zh", "ja", "ko"}


@dataclass(frozen=True)
class QualityEstimate:
    score: float
    similarity: float
    checks: tuple[str, ...]  # the checks that failed

    @property
    def flagged(self) -> bool:
        return self.score < FLAG_BELOW


def _length(text: str, language: str) -> float:
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return len(text) - wide + (3 * wide if language in CJK else wide)


def estimate_quality(
    sources: Sequence[str],
    translations: Sequence[str],
    source: str,
    target: str,
    embedder: Embedder,
    fallbacks: Sequence[bool] | None = None,
) -> list[QualityEstimate]:
    if not sources:
        return []
    a = embedder.embed_batch(list(sources), "document")
    b = embedder.embed_batch([t or " " for t in translations], "document")
    similarity = np.sum(a * b, axis=1)
    out = []
    for i, (src, dst) in enumerate(zip(sources, translations, strict=True)):
        failed: list[str] = []
        factor = 1.0
        bare_src = TOKEN_PATTERN.sub("", protect(src).text).strip().lower()
        bare_dst = TOKEN_PATTERN.sub("", protect(dst).text).strip().lower()
        if source != target and bare_src and bare_src == bare_dst:
            failed.append("untranslated")
            factor *= 0.2
        # Wrong language: another one is clearly likelier than the target. A ratio, not an
        # absolute score: the detector spreads its confidence over the 14 market languages
        # (clear German can be 0.34 with Dutch next at 0.16).
        scores = language_scores(dst) if len(bare_dst) >= 12 else {}
        best = max(scores, key=lambda c: scores[c]) if scores else target
        if best != target and scores.get(target, 0.0) * 3 < scores[best]:
            failed.append(f"language is {best}")
            factor *= 0.3
        ratio = _length(dst, target) / max(_length(src, source), 1.0)
        if not 0.4 <= ratio <= 2.5:
            failed.append(f"length ratio {ratio:.2f}")
            factor *= 0.5
        if fallbacks is not None and fallbacks[i]:
            failed.append("protected spans lost")
            factor *= 0.8
        sim = float(similarity[i])
        out.append(QualityEstimate(round(max(sim, 0.0) * factor, 4), round(sim, 4), tuple(failed)))
    return out
