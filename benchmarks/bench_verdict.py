"""The verdict against hand judgements: precision and recall of "needs review" per language.

Data: benchmarks/data/verdict_judged.tsv (texts in de, zh, es, fr, each judged ok or review by
hand; see its header for who judged and how). Peer in the same run: the checks the translation
quality estimate had before the verdict (untranslated whole text, language, length; the
similarity part needs an embedder and is left at 1.0 here, so only those checks count).

    python benchmarks/bench_verdict.py [--out benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from borderless.backends.base import Embedder, Purpose, Vectors
from borderless.capabilities.localize.quality import estimate_quality
from borderless.capabilities.verdict import judge_many

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "verdict_judged.tsv"


class Same(Embedder):
    """Every text the same vector: similarity 1, so only the rule checks decide."""

    name = "same"
    dimension = 2

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))


def read() -> list[dict[str, str]]:
    lines = [
        line for line in DATA.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


def scores(predicted: list[bool], truth: list[bool]) -> tuple[float, float, int, int, int]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, tp, fp, fn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = read()
    table, misses, false_alarms = [], [], []
    totals: dict[str, list[bool]] = {"truth": [], "verdict": [], "before": []}
    fired: Counter[str] = Counter()
    for language in ("de", "zh", "es", "fr"):
        mine = [r for r in rows if r["language"] == language]
        texts, sources = [r["text"] for r in mine], [r["source"] for r in mine]
        truth = [r["label"] == "review" for r in mine]
        verdicts = judge_many(texts, language, sources, "en")
        predicted = [not v.ok for v in verdicts]
        before = [q.flagged for q in estimate_quality(sources, texts, "en", language, Same())]
        for row, verdict, p, t in zip(mine, verdicts, predicted, truth, strict=True):
            fired.update({r.check for r in verdict.reasons if r.blocking})
            why = "; ".join(r.message for r in verdict.reasons if r.blocking)
            if p and not t:
                false_alarms.append(f"{language}: {row['text']!r} ({why})")
            if t and not p:
                misses.append(f"{language}: {row['text']!r} ({row['defect']})")
        for name, values in (("truth", truth), ("verdict", predicted), ("before", before)):
            totals[name] += values
        p1, r1, *_ = scores(predicted, truth)
        p0, r0, *_ = scores(before, truth)
        table.append(
            f"| {language} | {len(mine)} | {sum(truth)} | {p1:.2f} | {r1:.2f} "
            f"| {p0:.2f} | {r0:.2f} |"
        )
    p1, r1, *_ = scores(totals["verdict"], totals["truth"])
    p0, r0, *_ = scores(totals["before"], totals["truth"])
    n = len(totals["truth"])
    table.append(
        f"| **all** | {n} | {sum(totals['truth'])} | **{p1:.2f}** | **{r1:.2f}** "
        f"| {p0:.2f} | {r0:.2f} |"
    )
    print("false alarms:", *false_alarms, sep="\n  ")
    print("missed:", *misses, sep="\n  ")
    intro = (
        f"`python benchmarks/bench_verdict.py` ({time.perf_counter() - started:.0f} s, Hunspell "
        "1.7.1 with Debian's dictionaries, Lingua for language id, no embedder or back-translation "
        "engine). Data: benchmarks/data/verdict_judged.tsv, "
        f"{n} demo-shop titles and sentences translated into de, zh, es, fr and judged by hand "
        "(by the engineer, an AI model, not native speakers: far fewer than the 100 per language "
        "the issue asks). Not held out: two rules (German/Dutch compounds read as two known words, "
        "quoted names exempt from the untranslated check) were added after reading this set's "
        "false alarms (before them: precision 0.77, recall 0.80), so the figures are optimistic. "
        "Positive class = needs review. *before*: the rule checks the quality "
        "estimate had (untranslated whole text, language, length). Blocking checks that fired: "
        + ", ".join(f"{k} {v}" for k, v in fired.most_common())
        + ". Missed: "
        + "; ".join(misses)
        + ". False alarms: "
        + "; ".join(false_alarms)
        + "."
    )
    header = ["language", "texts", "needs review (judged)", "precision", "recall",
              "precision before", "recall before"]  # fmt: skip
    from report import emit

    emit("Verdict on translated text: hand-judged calibration", intro, header, table, args.out)


if __name__ == "__main__":
    main()
