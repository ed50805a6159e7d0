"""The translation quality flag's line (quality.FLAG_BELOW), chosen on a validation split.

A machine translation is flagged for review when its quality estimate (USE multilingual
similarity times the checks' factors) is under FLAG_BELOW or its verdict needs review
(capabilities/localize/desk.py). The line was a guess (0.6). Here it is chosen against a target a
seller can read: of the texts that need review, the flag must catch at least `--recall` (90%)
on the validation half; the lowest line that does is taken (the fewest correct texts flagged).

Data: benchmarks/data/verdict_judged.tsv (texts in de, zh, es, fr judged ok or review by hand;
its header says who judged and how each row was made). Held out: rows of the file's `held-out`
set (judged before the verdict ran on them) whose (language, source text) has an odd first
sha256 byte; validation: every other row (the `tuning` set, on which the verdict's rules were
fixed, and the even half of `held-out`). Splitting by source keeps the ok and review versions of
one source in one language on one side, and a row added later does not move the others. Peer
in the same run:
the old line, 0.6, and the verdict alone (line 0: the estimate never flags on its own).

    python benchmarks/bench_quality_flag.py [--recall 0.9] [--out benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "verdict_judged.tsv"
OLD_LINE = 0.6
LINES = [round(0.01 * n, 2) for n in range(0, 101)]


@dataclass(frozen=True)
class Judged:
    language: str
    source: str
    text: str
    review: bool  # judged by hand: needs review
    score: float  # the quality estimate
    verdict: bool  # the verdict says "needs review"
    held_out_set: bool  # the file's `set` column says held-out

    @property
    def validation(self) -> bool:
        odd = hashlib.sha256(f"{self.language}\t{self.source}".encode()).digest()[0] % 2 == 1
        return not (self.held_out_set and odd)

    def flagged(self, line: float) -> bool:
        return self.score < line or self.verdict


def read() -> tuple[list[dict[str, str]], str]:
    raw = DATA.read_bytes()
    lines = [line for line in raw.decode("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t")), hashlib.sha256(raw).hexdigest()[:12]


def judged() -> list[Judged]:
    from borderless.backends.local.use import UseEmbedder
    from borderless.capabilities.localize.quality import estimate_quality
    from borderless.capabilities.verdict import judge_many

    rows, _ = read()
    embedder = UseEmbedder()
    out = []
    for language in sorted({r["language"] for r in rows}):
        mine = [r for r in rows if r["language"] == language]
        sources, texts = [r["source"] for r in mine], [r["text"] for r in mine]
        # As the desk calls them: the estimate with the embedder, the verdict without.
        estimates = estimate_quality(sources, texts, "en", language, embedder)
        verdicts = judge_many(texts, language, sources, "en")
        out += [
            Judged(
                language,
                r["source"],
                r["text"],
                r["label"] == "review",
                q.score,
                not v.ok,
                r.get("set", "tuning") == "held-out",
            )
            for r, q, v in zip(mine, estimates, verdicts, strict=True)
        ]
    return out


def measure(rows: list[Judged], line: float) -> tuple[float, float, int, int]:
    """Precision and recall of the flag, correct texts flagged and correct texts."""
    tp = sum(r.flagged(line) and r.review for r in rows)
    fp = sum(r.flagged(line) and not r.review for r in rows)
    needs = sum(r.review for r in rows)
    return (tp / (tp + fp) if tp + fp else 0.0, tp / needs if needs else 0.0, fp,
            len(rows) - needs)  # fmt: skip


def choose(validation: list[Judged], recall: float) -> float | None:
    """The lowest line whose flag catches `recall` of the texts that need review."""
    return next((x for x in LINES if measure(validation, x)[1] >= recall), None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recall", type=float, default=0.9)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = judged()
    _, digest = read()
    validation = [r for r in rows if r.validation]
    held = [r for r in rows if not r.validation]
    chosen = choose(validation, args.recall)
    table = []

    def row(setting: str, line: float) -> None:
        for name, part in (("validation", validation), ("held out", held)):
            precision, recall, false, correct = measure(part, line)
            table.append(f"| {setting} | {line:.2f} | {name} | {len(part)} | "
                         f"{sum(r.review for r in part)} | {precision:.2f} | {recall:.2f} | "
                         f"{false}/{correct} |")  # fmt: skip

    if chosen is not None:
        row(f"**chosen: catch {args.recall:.0%} on validation**", chosen)
    row("old line (guessed)", OLD_LINE)
    row("verdict alone (no line)", 0.0)
    curve = ", ".join(
        f"{x:.2f}: recall {measure(validation, x)[1]:.2f}, "
        f"{measure(validation, x)[2]}/{measure(validation, x)[3]} correct flagged"
        for x in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
    )
    alone = "; ".join(
        f"{x:.2f}: precision {p:.2f}, recall {r:.2f}"
        for x in (chosen or OLD_LINE, OLD_LINE)
        for p, r in [_alone(validation, x)]
    )
    intro = (
        f"`python benchmarks/bench_quality_flag.py --recall {args.recall}` "
        f"({time.perf_counter() - started:.0f} s; USE multilingual v3 for the estimate, Hunspell "
        "and Lingua for the verdict, as the translation desk runs them). Data: "
        f"benchmarks/data/verdict_judged.tsv ({len(rows)} texts, sha256 {digest}...), judged by "
        "hand by the engineer (an AI model), not by native speakers. A text is flagged when its "
        "quality estimate is under the line or its verdict needs review; positive class = needs "
        "review. Split: held out = the file's held-out rows with an odd (language, source) "
        f"hash, validation = the rest: {len(validation)} validation texts, {len(held)} held "
        "out. Target: catch at least "
        f"{args.recall:.0%} of the texts that need review on validation, with the lowest line "
        f"that does; chosen: {chosen if chosen is not None else 'none reaches it'}. Trade-off on "
        f"validation (line: recall, correct texts flagged): {curve}. The estimate alone, without "
        f"the verdict, on validation: {alone}. How well the estimate orders the texts the "
        "verdict lets pass (AUC: the chance that one needing review scores below one that is "
        f"right; 0.5 is a coin): validation {_auc(validation):.2f}, held out {_auc(held):.2f}."
    )
    header = ["setting", "line", "split", "texts", "need review", "precision", "recall",
              "correct texts flagged"]  # fmt: skip
    from report import emit

    emit("Translation quality flag: line chosen on a validation split", intro, header, table,
         args.out)  # fmt: skip


def _auc(rows: list[Judged]) -> float:
    """Mann-Whitney AUC of a low estimate for "needs review", among texts the verdict passes."""
    passed = [r for r in rows if not r.verdict]
    bad = [r.score for r in passed if r.review]
    good = [r.score for r in passed if not r.review]
    if not bad or not good:
        return float("nan")
    wins = sum((b < g) + 0.5 * (b == g) for b in bad for g in good)
    return wins / (len(bad) * len(good))


def _alone(rows: list[Judged], line: float) -> tuple[float, float]:
    tp = sum(r.score < line and r.review for r in rows)
    fp = sum(r.score < line and not r.review for r in rows)
    needs = sum(r.review for r in rows)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / needs if needs else 0.0)


if __name__ == "__main__":
    main()
