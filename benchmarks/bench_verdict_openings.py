"""The verdict's meaning check on a sentence's opening clause: the rule chosen on one half of
FLORES-200 devtest, measured on the other.

A seller's sentence mostly opens with the product ("Hand-painted ceramic mug, 350 ml, ..."); a
walk found "Czekolada z rysunkami, 350 ml, ..." (chocolate with drawings) judged fine, every
number kept. Sentences were not read by the meaning check (meaning.py: a sentence is free to
reword). Now, where a translation and its English source split into the same number of
clauses, the opening clauses are read as a short text, with a stricter rule than titles get.

Data: FLORES-200 devtest (../shared/data/flores200_devtest), English with its human
translation into each of the 10 market languages whose dictionaries are read (Italian, Korean
and Arabic have none). *references*: the human translations, correct (every flag is a false
alarm). *wrong*: each English sentence paired with the translation of the sentence 7 lines on
(a translation of something else: each flag is a catch). Candidate rules, on the opening
clauses only: *titles' rule* (LOST_SHARE of the content words lost, more than the words the
dictionary does not know), *all lost, N+* (every content word lost, at least N of them, more
than the unknown words). Chosen on the even ids: the rule with the most catches over all
languages whose false alarms stay at or under 1% of the sentences in every language; reported
on the odd ids.

    python benchmarks/bench_verdict_openings.py [--out benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

from borderless.capabilities.verdict import meaning
from borderless.capabilities.verdict.meaning import Lost
from borderless.capabilities.verdict.verdict import default_speller

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", HERE.parent.parent / "shared" / "data"))
FLORES = SHARED / "flores200_devtest"
CODES = {"de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn", "pt": "por_Latn",
         "ru": "rus_Cyrl", "nl": "nld_Latn", "pl": "pol_Latn", "tr": "tur_Latn",
         "zh": "zho_Hans", "ja": "jpn_Jpan"}  # fmt: skip
SHIFT = 7
MOST_FALSE_ALARMS = 0.01  # of a language's sentences


def _all_lost(least: int) -> Callable[[Lost], bool]:
    def rule(x: Lost) -> bool:
        n = len(x.content)
        return n >= least and len(x.lost) == n and len(x.lost) > len(x.unknown)

    return rule


RULES: dict[str, Callable[[Lost], bool]] = {
    "titles' rule": lambda x: x.needs_review,
    "all lost, 2+": _all_lost(2),
    "all lost, 3+": _all_lost(3),
    "all lost, 4+": _all_lost(4),  # meaning.OPENING_AT_LEAST: the rule the product uses
}


def flags(
    texts: list[str], sources: list[str], language: str, english: set[str]
) -> list[Lost | None]:
    """Per pair, what the opening clause lost (None where the clauses do not line up)."""
    from bench_verdict import lexicon

    pairs = [
        (i, meaning.openings(t, s)) for i, (t, s) in enumerate(zip(texts, sources, strict=True))
    ]
    lined = [(i, p) for i, p in pairs if p is not None]
    found = meaning.lost_words([p[0] for _, p in lined], [p[1] for _, p in lined], language,
                               _LEXICON.setdefault("x", lexicon()), english)  # fmt: skip
    out: list[Lost | None] = [None] * len(texts)
    for (i, _), lost in zip(lined, found, strict=True):
        out[i] = lost
    return out


_LEXICON: dict[str, object] = {}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    english_lines = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    speller = default_speller()
    asked = meaning.words_to_ask(english_lines)
    english = asked - speller.unknown(asked, "en")
    # per language, per half (0 even, 1 odd): (flags on references, flags on wrong pairs, n)
    counts: dict[str, dict[int, dict[str, tuple[int, int]]]] = {}
    lined: dict[str, tuple[int, int]] = {}
    for language, code in CODES.items():
        refs = (FLORES / f"{code}.devtest").read_text(encoding="utf-8").splitlines()
        wrong = refs[SHIFT:] + refs[:SHIFT]
        good = flags(refs, english_lines, language, english)
        bad = flags(wrong, english_lines, language, english)
        lined[language] = (sum(g is not None for g in good), len(refs))
        counts[language] = {}
        for half in (0, 1):
            ids = range(half, len(refs), 2)
            counts[language][half] = {
                name: (sum(1 for i in ids if good[i] is not None and rule(good[i])),
                       sum(1 for i in ids if bad[i] is not None and rule(bad[i])))
                for name, rule in RULES.items()
            }  # fmt: skip
    halves = {h: len(range(h, len(english_lines), 2)) for h in (0, 1)}
    allowed = [
        name for name in RULES
        if all(counts[lang][0][name][0] <= MOST_FALSE_ALARMS * halves[0] for lang in CODES)
    ]  # fmt: skip
    chosen = max(allowed, key=lambda name: sum(counts[lang][0][name][1] for lang in CODES))
    rows = []
    for language in CODES:
        cells = [language, f"{lined[language][0]} / {lined[language][1]}"]
        for name in RULES:
            fa, caught = counts[language][1][name]
            mark = "**" if name == chosen else ""
            cells.append(f"{mark}{fa} / {caught}{mark}")
        fa0, caught0 = counts[language][0][chosen]
        cells.append(f"{fa0} / {caught0}")
        rows.append("| " + " | ".join(cells) + " |")
    seconds = time.perf_counter() - started
    intro = (
        f"`python benchmarks/bench_verdict_openings.py --out benchmarks/RESULTS.md` "
        f"({seconds:.0f} s). "
        + (__doc__ or "").split("\n\n")[2].replace("\n", " ")
        + f" Each cell: false alarms on the {halves[1]} references / catches among the "
        f"{halves[1]} wrong pairs, odd ids (held out). Chosen: **{chosen}** (even ids: "
        f"rules allowed {', '.join(allowed)}). *lined up*: sentences whose translation has as "
        "many clauses as the English, two or more (only those are read). The wrong pairs are "
        "easy (a different sentence); a partly wrong translation is caught less often, and "
        'FLORES openings are news ("On Monday, scientists..."), not products.'
    )
    header = ["language", "lined up / sentences", *[f"{n}: false alarms / caught" for n in RULES],
              "chosen, even ids (chose it)"]  # fmt: skip
    from report import emit

    emit("Verdict: the opening clause of a sentence (FLORES-200 devtest)", intro, header, rows,
         args.out)  # fmt: skip


if __name__ == "__main__":
    main()
