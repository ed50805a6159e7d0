"""The language matrix, part one: language identification in the fourteen market languages.

    python benchmarks/bench_languages.py [--out benchmarks/RESULTS.md]

FLORES-200 devtest (all 1,012 sentences per language) and benchmarks/data/short_titles.tsv
(25 short product titles per language, written by hand for this benchmark: the gift-shop
products of the demo catalog, as a seller would list them). Both engines run in the same
process on the same texts, restricted to the 14 languages, with the script rules first.
Catalog context (`detect_languages`): the prior's weight was chosen on the even lines of the
titles; the title columns report the odd lines (held out) and all lines.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from report import emit

from borderless.capabilities import language
from borderless.capabilities.language import detect_language, detect_languages
from borderless.languages import MARKET_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
FLORES_DIR = DATA / "flores200_devtest"
TITLES = ROOT / "benchmarks" / "data" / "short_titles.tsv"
FLORES = {
    "en": "eng_Latn", "zh": "zho_Hans", "es": "spa_Latn", "de": "deu_Latn", "fr": "fra_Latn",
    "ja": "jpn_Jpan", "pt": "por_Latn", "it": "ita_Latn", "ko": "kor_Hang", "ar": "arb_Arab",
    "ru": "rus_Cyrl", "nl": "nld_Latn", "pl": "pol_Latn", "tr": "tur_Latn",
}  # fmt: skip


def flores(code: str) -> list[str]:
    return (FLORES_DIR / f"{FLORES[code]}.devtest").read_text(encoding="utf-8").splitlines()


def titles(half: int | None) -> dict[str, list[str]]:
    """Titles by language; half 0 = even lines (validation), 1 = odd lines (held out)."""
    by_language: dict[str, list[str]] = defaultdict(list)
    with TITLES.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle, delimiter="\t")):
            if half is None or i % 2 == half:
                by_language[row["language"]].append(row["title"])
    return by_language


def share(found: list[str], code: str) -> float:
    return sum(f == code for f in found) / len(found)


def measure(engine: str) -> dict[str, dict[str, float]]:
    """Per language: FLORES alone; titles alone, in their own catalog, with the market."""
    real: Callable[[], str] = language.detector_engine
    language.detector_engine = lambda: engine  # type: ignore[assignment]
    try:
        out: dict[str, dict[str, float]] = {}
        held, every = titles(1), titles(None)
        mixed = [(c, t) for c in MARKET_LANGUAGES for t in every[c]]
        found = detect_languages([t for _, t in mixed])
        for code in MARKET_LANGUAGES:
            row: dict[str, float] = {}
            row["flores"] = share([detect_language(s).code for s in flores(code)], code)
            for name, group in (("held", held[code]), ("all", every[code])):
                row[f"{name}_alone"] = share([detect_language(t).code for t in group], code)
                row[f"{name}_catalog"] = share([d.code for d in detect_languages(group)], code)
                row[f"{name}_market"] = share(
                    [detect_languages([t], market=code)[0].code for t in group], code
                )
            mine = [d.code for d, (c, _) in zip(found, mixed, strict=True) if c == code]
            row["all_mixed"] = share(mine, code)
            out[code] = row
        return out
    finally:
        language.detector_engine = real  # type: ignore[method-assign]


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    start = time.perf_counter()
    results = {engine: measure(engine) for engine in ("lingua", "fasttext-lite")}
    rows = []
    for code in MARKET_LANGUAGES:
        lingua, fast = results["lingua"][code], results["fasttext-lite"][code]
        rows.append(
            f"| {code} | {pct(lingua['flores'])} | {pct(fast['flores'])} "
            f"| {pct(lingua['all_alone'])} | {pct(fast['all_alone'])} "
            f"| {pct(lingua['held_catalog'])} | {pct(lingua['all_catalog'])} "
            f"| {pct(lingua['all_mixed'])} | {pct(lingua['all_market'])} |"
        )
    means = {
        engine: {k: sum(r[k] for r in res.values()) / len(res) for k in next(iter(res.values()))}
        for engine, res in results.items()
    }
    lm, fm = means["lingua"], means["fasttext-lite"]
    rows.append(
        f"| **all 14** | **{pct(lm['flores'])}** | {pct(fm['flores'])} | {pct(lm['all_alone'])} "
        f"| {pct(fm['all_alone'])} | **{pct(lm['held_catalog'])}** | {pct(lm['all_catalog'])} "
        f"| {pct(lm['all_mixed'])} | {pct(lm['all_market'])} |"
    )
    emit(
        "Language identification in the 14 market languages",
        f"`python benchmarks/bench_languages.py` ({time.perf_counter() - start:.0f} s). "
        "Accuracy in %. FLORES-200 devtest: all 1,012 sentences per language. Titles: "
        "benchmarks/data/short_titles.tsv, 25 hand-written 2-6 word product titles per language "
        "(the demo shop's kinds of products). Both engines restricted to the 14 languages, script "
        "rules first (kana ja, Hangul ko, other Han zh). *alone*: each text by itself; *catalog*: "
        "`detect_languages` over that language's titles read as one catalog (the prior's weight "
        "0.25 was chosen on the even lines; *held out* = odd lines); *mixed*: all 350 titles of "
        "all 14 languages as one catalog; *market*: each title alone with its market given.",
        [
            "language",
            "FLORES lingua",
            "FLORES fastText",
            "titles alone lingua",
            "titles alone fastText",
            "titles catalog lingua (held out)",
            "titles catalog lingua (all)",
            "titles mixed catalog lingua",
            "titles + market lingua",
        ],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
