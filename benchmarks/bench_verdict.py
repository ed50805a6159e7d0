"""The verdict against hand judgements: precision and recall of "needs review" per language.

Data: benchmarks/data/verdict_judged.tsv (texts in de, zh, es, fr, each judged ok or review by
hand; see its header for who judged and how). The verdict chooses no threshold from these data;
its rules were written while reading the rows marked `tuning`, so the headline figures are on
the rows marked `held-out`, judged afterwards, and the whole set is reported beside them.
Peer in the same run: the checks the translation quality estimate had before the verdict
(untranslated whole text, language, length; the similarity part needs an embedder and is left
at 1.0 here, so only those checks count).

    python benchmarks/bench_verdict.py [--out benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from borderless.backends.base import Embedder, Lexicon, Purpose, Vectors
from borderless.backends.local.dictionaries import DictionaryTranslator
from borderless.capabilities.localize.quality import estimate_quality
from borderless.capabilities.verdict import judge_many
from borderless.capabilities.verdict.catches import MEASURED

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "verdict_judged.tsv"
FRESH = HERE / "data" / "verdict_fresh.tsv"
WALK_OK = HERE / "data" / "verdict_walk_ok.tsv"  # correct titles: false alarms only
LOOKUPS = HERE / "out" / "dictionaries"  # the dictionaries' lookup files, built once


def lexicon() -> Lexicon:
    """The installed bilingual dictionaries, as the translation desk reads them."""
    return DictionaryTranslator(cache_dir=LOOKUPS)


class Same(Embedder):
    """Every text the same vector: similarity 1, so only the rule checks decide."""

    name = "same"
    dimension = 2

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))


def read(path: Path = DATA) -> list[dict[str, str]]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
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
    parser.add_argument(
        "--similarity", action="store_true", help="only: similarity of meaning as a check"
    )
    args = parser.parse_args()
    if args.similarity:
        similarity(args.out)
        return
    started = time.perf_counter()
    rows = read()
    table, false_alarms = [], []
    misses: list[tuple[str, str]] = []
    # The verdict picks no threshold from these data; its rules were written while reading the
    # "tuning" rows, so the "held-out" rows (judged after) are the headline.
    totals: dict[str, list[bool]] = {
        k: [] for k in ("truth", "verdict", "before", "held", "without")
    }
    words = lexicon()
    made: dict[str, list[tuple[bool, bool]]] = {}
    fired: Counter[str] = Counter()
    for language in ("de", "zh", "es", "fr"):
        mine = [r for r in rows if r["language"] == language]
        texts, sources = [r["text"] for r in mine], [r["source"] for r in mine]
        truth = [r["label"] == "review" for r in mine]
        held = [r["set"] == "held-out" for r in mine]
        verdicts = judge_many(texts, language, sources, "en", lexicon=words)
        predicted = [not v.ok for v in verdicts]
        without = [not v.ok for v in judge_many(texts, language, sources, "en")]
        before = [q.flagged for q in estimate_quality(sources, texts, "en", language, Same())]
        for row, verdict, p, t, h in zip(mine, verdicts, predicted, truth, held, strict=True):
            fired.update({r.check for r in verdict.reasons if r.blocking})
            made.setdefault(row["made"], []).append((p, t))
            why = "; ".join(r.message for r in verdict.reasons if r.blocking)
            if p and not t:
                false_alarms.append(f"{language}: {row['text']!r} ({why})")
            if t and not p and h:
                misses.append(
                    (kind(row["defect"]), f"{language}: {row['text']!r} ({row['defect']})")
                )
        for name, values in (("truth", truth), ("verdict", predicted), ("before", before),
                             ("held", held), ("without", without)):  # fmt: skip
            totals[name] += values
        table.append(line(language, predicted, truth, before, held, without))
    table.append(line("**all**", totals["verdict"], totals["truth"], totals["before"],
                      totals["held"], totals["without"]))  # fmt: skip
    print("false alarms:", *false_alarms, sep="\n  ")
    print("missed (held-out):", *(f"[{k}] {m}" for k, m in misses), sep="\n  ")
    missed = Counter(k for k, _ in misses)
    examples = {k: [m for c, m in misses if c == k][:2] for k in missed}
    by_made = "; ".join(
        f"{name}: {len(pairs)} texts, {sum(t for _, t in pairs)} need review, recall "
        f"{scores([p for p, _ in pairs], [t for _, t in pairs])[1]:.2f}, precision "
        f"{scores([p for p, _ in pairs], [t for _, t in pairs])[0]:.2f}"
        for name, pairs in sorted(made.items())
    )
    n, n_held = len(totals["truth"]), sum(totals["held"])
    intro = (
        f"`python benchmarks/bench_verdict.py` ({time.perf_counter() - started:.0f} s, Hunspell "
        "1.7.1 with Debian's dictionaries, Lingua for language id, no embedder or back-translation "
        f"engine). Data: benchmarks/data/verdict_judged.tsv, {n} texts in de, zh, es, fr, each "
        "judged ok or needs review by hand by the engineer (an AI model reading as a native "
        "reader would, not native speakers; its header says how each part was made). "
        f"{n - n_held} *tuning* texts were written and judged first, and two rules (German/Dutch "
        "compounds, quoted names) were added after reading their false alarms; the "
        f"{n_held} *held-out* texts were judged afterwards. One check was added after reading "
        "their misses: numbers (every number of two digits or more in the source must stand in "
        "a translation, whatever its separators), a defect the issue names and the written "
        "rows carry; before it the held-out figures were precision 0.93, recall 0.49 "
        "(commit e9a4544), so its gain is not held out. Then a currency check (a price of "
        'the source whose value stands beside another currency only, "£4.95" as "4,95 '
        'euros": capabilities/localize/prices.py, written for the translation desk), which '
        "left held-out recall at 0.51 overall (de 0.69 to 0.70, zh 0.21 to 0.22). Then a "
        "foreign-script check (letters of a script the target is not written in and the "
        "source did not have, written for sampled LLM redraws), which moved held-out recall "
        "from 0.51 to 0.52 (de 0.70 to 0.71). Then three rules of the untranslated check, "
        "written after reading held-out misses (so their gain is not held out either): in a "
        'title written all in capitals a three-letter word ("MUG", "HUT") is a word, not an '
        "acronym (known acronyms such as LED aside); a source word also stands as its "
        'singular ("SKULL" for SKULLS) or glued to another script ("DOILEY图案"); and a '
        "source word in capitals counts as shared with the target language only when the "
        'dictionary knows it in small letters (French Hunspell takes "SLATE" and "T-LIGHT" '
        "in capitals for names). Held-out recall moved from 0.52 to 0.53 (zh 0.22 to 0.29, "
        "fr 0.44 to 0.46, es 0.54 to 0.55), precision stayed 0.93, no new false alarm; "
        'reading hyphenated parts too ("DOILEY-PATTERNS") was tried and left out: 9 false '
        'alarms on German product names ("Retrospot-Muffinförmchen") for 3 catches. '
        "Then (2026-12-05) a meaning check for wrong senses, the misses' largest class "
        "(capabilities/verdict/meaning.py): for an English source of up to 8 words, the share "
        "of its content words that no word of the text translates, read both ways in the "
        "installed FreeDict and CC-CEDICT dictionaries (the lookup files of "
        "backends/local/dictionaries.py); needs review at 0.6 or more, when more are lost than "
        "the text has words the dictionary lacks. Its share was chosen on this set (all 435 "
        "texts with a source that short, held-out rows included: 1, 2 or 3 lost words and a "
        "share of 0, 0.34, 0.5, 0.6 or 0.75), and a rule reading an English compound as its "
        "two words in Chinese and Japanese (handbag: 手 hand, 袋 bag, side by side) was added "
        "after reading its false alarms here, so "
        "its gain on this set is not held out (the fresh set below is its check): *without "
        "meaning check* is the verdict as it was, in the same run. "
        "The verdict chooses no threshold from "
        "these data, so there is no "
        "calibration split to fit: *precision* and *recall* (the headline) are on the held-out "
        "texts, *all* on every text. Most held-out texts are real engine output of demo-shop "
        "titles, shop sentences, shopping queries and 12 FLORES sentences: the local LLM "
        "(Qwen2.5-Coder-1.5B, the default route for these pairs) for de, zh, fr, Apertium eng-spa "
        "and the LLM for es; 8 per language are written with defects the verdict must catch "
        "(wrong price or currency, truncation, a placeholder, another language, chatter, a "
        "dropped SKU, a letter ending), and 20 German shop-sentence references (written) are "
        "the German ok sentences. Positive class = needs review. *before*: the rule checks the "
        "quality estimate had (untranslated whole text, language, length). By origin (all "
        f"texts): {by_made}. Blocking checks that fired: "
        + ", ".join(f"{k} {v}" for k, v in fired.most_common())
        + f". Missed on held-out texts ({len(misses)}), by the first defect named: "
        + "; ".join(f"{k} {n} (e.g. {' / '.join(examples[k])})" for k, n in missed.most_common())
        + ". False alarms (all texts): "
        + "; ".join(false_alarms)
        + "."
    )
    header = ["language", "texts held out / all", "needs review (judged), held out / all",
              "precision", "recall", "precision, all", "recall, all",
              "without meaning check: precision / recall, all",
              "precision before, all", "recall before, all"]  # fmt: skip
    from report import emit

    emit("Verdict on translated text: hand-judged calibration", intro, header, table, args.out)
    fresh(args.out)


def fresh(out: Path | None) -> None:
    """The verdict on texts judged after its last rule was written (verdict_fresh.tsv)."""
    from report import emit

    started = time.perf_counter()
    rows = read(FRESH)
    table, notes = [], []
    everything: tuple[list[bool], list[bool], list[bool]] = ([], [], [])
    words = lexicon()
    for language in dict.fromkeys(r["language"] for r in rows):  # in the file's order
        mine = [r for r in rows if r["language"] == language]
        texts, sources = [r["text"] for r in mine], [r["source"] for r in mine]
        verdicts = judge_many(texts, language, sources, "en", lexicon=words)
        predicted = [not v.ok for v in verdicts]
        without = [not v.ok for v in judge_many(texts, language, sources, "en")]
        truth = [r["label"] == "review" for r in mine]
        everything[0].extend(predicted)
        everything[1].extend(truth)
        everything[2].extend(without)
        for row, verdict, p, t in zip(mine, verdicts, predicted, truth, strict=True):
            if p != t:
                why = "; ".join(r.message for r in verdict.reasons if r.blocking)
                notes.append(f"{language} {'false alarm' if p else 'missed'}: {row['text']!r} "
                             f"({why or row['defect']})")  # fmt: skip
        table.append(fresh_line(language, predicted, truth, without))
        caught = (sum(p and t for p, t in zip(predicted, truth, strict=True)), sum(truth))
        if MEASURED.get(language, caught) != caught:  # what the dashboard says of a pass
            print(f"{language}: caught {caught[0]} of {caught[1]}; update "
                  f"capabilities/verdict/catches.py (it says {MEASURED[language]})")  # fmt: skip
    table.append(fresh_line("**all**", *everything))
    print("fresh texts, verdict wrong:", *notes, sep="\n  ")
    missed = sum(t and not p for p, t in zip(everything[0], everything[1], strict=True))
    intro = (
        f"Command as above (same run, {time.perf_counter() - started:.0f} s). Data: "
        f"benchmarks/data/verdict_fresh.tsv, {len(rows)} texts: 24 demo-shop titles no earlier "
        "set holds, translated by the default route (the local LLM) into de, zh, es and fr as "
        "one batch each and judged by hand (by the engineer, an AI model, not native speakers) "
        "after the verdict's last rule was written and before the verdict was run on them: no "
        "rule was written while reading them, so this is the figure on data never seen. On "
        "2026-12-04, 24 other demo-shop titles into the nine other languages the same way "
        "(Bergamot for pt, the local LLM for the rest), judged by a helper (an AI model "
        "reading as a native reader, not a native speaker) that never saw the verdict or its "
        "rules, before the verdict was run on them. Two rules came later from walks of the "
        "running service, not from these texts (2026-12-04: a word of four letters or more "
        "doubled where the source doubles none, checks.doubled_word: it caught 1 more in ar, "
        "3 to 4, and 1 in pl, 21 to 22; a word that mixes two alphabets, 'Пurpовый' in Russian "
        "copy, checks.garbled: 2 more in ko, 7 to 9, and 3 in ar, 4 to 7, such as "
        "'الرETRO' and '테APOT'); neither changed anything in the calibration set. The "
        "meaning check (2026-12-05; the table's last column is the verdict without it) was "
        "chosen on the calibration set; a first run of it here, its share already fixed, "
        "had two false alarms among the 8 good texts: Chinese '花色水平仪' (ASS FLORAL PRINT "
        "SPIRIT LEVEL: ASS is an English word to the speller, floral print is 花色) and "
        "Japanese '銀星のテーブル装飾', whose 銀 (silver) and 星 (star) went unread because "
        "Japanese words under two characters were not searched for; single characters are "
        "searched for in Japanese since, as in Chinese, so the Japanese figure is not wholly "
        "held out. The "
        f"1.5B model's titles are mostly wrong ({sum(everything[1])} of {len(rows)} need "
        "review), so this set measures "
        f"recall above all; precision rests on the {len(rows) - sum(everything[1])} good texts. "
        f"The verdict missed {missed}; where it was wrong: " + "; ".join(notes) + "."
    )
    header = ["language", "texts", "need review (judged)", "flagged by the verdict",
              "precision", "recall", "false alarms",
              "without meaning check: recall / false alarms"]  # fmt: skip
    emit("Verdict on translated text: fresh titles judged after the last rule", intro, header,
         table, out)  # fmt: skip
    good_titles(out)


def good_titles(out: Path | None) -> None:
    """False alarms on correct titles a helper wrote (verdict_walk_ok.tsv)."""
    from report import emit

    started = time.perf_counter()
    rows = read(WALK_OK)
    words = lexicon()
    table, named = [], []
    totals = [0, 0, 0, 0]
    for language in dict.fromkeys(r["language"] for r in rows):
        mine = [r for r in rows if r["language"] == language]
        texts, sources = [r["text"] for r in mine], [r["source"] for r in mine]
        verdicts = judge_many(texts, language, sources, "en", lexicon=words)
        without = judge_many(texts, language, sources, "en")
        flagged = sum(not v.ok for v in verdicts)
        meant = [v for v in verdicts if any(r.check == "meaning" for r in v.reasons)]
        for row, v in zip(mine, verdicts, strict=True):
            found = [r.span for r in v.reasons if r.check == "meaning"]
            if found:
                named.append(f"{language} '{row['text']}' ({row['source']}: {found[0]})")
        counts = [len(mine), flagged, len(meant), sum(not v.ok for v in without)]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        table.append(f"| {language} | " + " | ".join(str(c) for c in counts) + " |")
    table.append("| **all** | " + " | ".join(f"**{c}**" for c in totals) + " |")
    intro = (
        f"Command as above (same run, {time.perf_counter() - started:.0f} s). Data: "
        f"benchmarks/data/verdict_walk_ok.tsv, {len(rows)} correct demo-shop titles in "
        f"{len({r['language'] for r in rows})} languages written by a helper during a walk "
        "of the running service (2026-12-05; an AI model "
        "reading and writing as a native reader, not a native speaker), to see whether the "
        "meaning check flags good translations. Every row is ok, so every flag is a false "
        "alarm. The walk's first reading, with the meaning check as first written, had 8 of "
        "the 46 flagged by it (CERAMIC for 陶瓷, whose dictionary sense is 'ceramics'; Russian "
        "'БЕЛО-СИНЯЯ КЕРАМИЧЕСКАЯ' for white and blue ceramic, the dictionaries listing "
        "белый, синий, керамический; Chinese and Japanese words read only inside the text, "
        "never glossed). Three rules were written after reading them, so these figures are "
        "not held out: English words are also asked in their plural, a word of the text with "
        "another ending counts (all but the listed form's last three letters, three at "
        "least), and Chinese and Japanese texts are glossed stretch by stretch as well. On "
        "the calibration set those rules moved held-out recall from 0.65 to 0.63 at precision"
        " 0.93; on the fresh titles, de from 0.71 to 0.67, the rest unchanged. *flagged*: "
        "needs review for any reason; *by the meaning check*: among its reasons; *without the"
        " meaning check*: the verdict as it was. Flagged by the meaning check: "
        + ("; ".join(named) or "none")
        + "."
    )
    header = ["language", "correct titles", "flagged", "by the meaning check",
              "flagged without the meaning check"]  # fmt: skip
    emit("Verdict on translated text: correct titles a seller writes (false alarms)", intro,
         header, table, out)  # fmt: skip


# Lines per embedder: e5's cosines of any two titles sit between 0.8 and 0.95.
SIMILARITY_LINES = {"use:multilingual-v3": (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
                    "e5:multilingual-small": (0.84, 0.86, 0.88, 0.9, 0.92)}  # fmt: skip


def similarity(out: Path | None) -> None:
    """The verdict's similarity check (cosine of source and text under a line) on the judged
    sets, added to what the verdict already flags: what it would catch and what it would
    flag wrongly, per line and embedder."""
    from report import emit

    from borderless.backends import create_embedder
    from borderless.config import load_settings

    started = time.perf_counter()
    sets = {"calibration": read(DATA), "fresh titles": read(FRESH), "correct titles": read(WALK_OK)}
    words = lexicon()
    settings = load_settings()
    embedders = {spec: create_embedder(spec, settings) for spec in SIMILARITY_LINES}
    cosine: dict[tuple[str, str], np.ndarray] = {}
    flagged: dict[str, list[bool]] = {}
    for name, rows in sets.items():
        sources, texts = [r["source"] for r in rows], [r["text"] for r in rows]
        for spec, embedder in embedders.items():
            a, b = embedder.embed_batch(sources), embedder.embed_batch(texts)
            cosine[(name, spec)] = (np.asarray(a) * np.asarray(b)).sum(axis=1)
        flags = [False] * len(rows)
        for language in dict.fromkeys(r["language"] for r in rows):
            at = [i for i, r in enumerate(rows) if r["language"] == language]
            judged = judge_many([texts[i] for i in at], language, [sources[i] for i in at], "en",
                                lexicon=words)  # fmt: skip
            for i, v in zip(at, judged, strict=True):
                flags[i] = not v.ok
        flagged[name] = flags
    table, means = [], []
    for spec in embedders:
        for name, rows in sets.items():
            bad = np.array([r.get("label") == "review" for r in rows])
            values = cosine[(name, spec)]
            means.append(
                f"{spec} on the {name}: ok {values[~bad].mean():.3f}"
                + (f", needs review {values[bad].mean():.3f}" if bad.any() else "")
            )
        for line_at in SIMILARITY_LINES[spec]:
            cells = []
            for name, rows in sets.items():
                bad = np.array([r.get("label") == "review" for r in rows])
                missed = bad & ~np.array(flagged[name])
                passed = ~bad & ~np.array(flagged[name])
                under = cosine[(name, spec)] < line_at
                caught = f"+{int((missed & under).sum())} of {int(missed.sum())}"
                cells.append(f"{caught if bad.any() else '–'} / "
                             f"+{int((passed & under).sum())} of {int(passed.sum())}")  # fmt: skip
            table.append(f"| {spec} | {line_at} | " + " | ".join(cells) + " |")
    intro = (
        f"`python benchmarks/bench_verdict.py --similarity` ({time.perf_counter() - started:.0f}"
        " s). The verdict can also flag a translation whose meaning is far from its source: "
        "the cosine of source and text by a multilingual embedder under a line "
        "(verdict.SIMILARITY_BELOW, 0.45, set by hand). No product path gives it an embedder, "
        "so it had never been measured. Here it is, on the three judged sets of the verdict's "
        "sections (calibration, fresh titles, correct titles), added to "
        "what the verdict already flags: each cell is *caught*: needs-review texts the verdict "
        "missed that the line would catch, of those missed / *false alarms*: ok texts the "
        "verdict passed that the line would flag, of those passed. Mean cosine: "
        + "; ".join(means)
        + ". Reading: wrong translations sit as near their source as right ones, or nearer "
        "(a word-for-word title keeps the English words' order and senses an embedder reads; "
        "a good one is reworded), so on the calibration set every line flags about as many "
        "good texts as it catches bad ones, or more. On the fresh titles, nearly all wrong, "
        "it catches more (use at 0.45: 30 of the 100 missed, none of the 7 good ones "
        "flagged), but at that line it flags 7 of the 37 correct titles a seller writes. It "
        "stays off: the verdict is given no embedder."
    )
    header = ["embedder", "line", *(f"{name}: caught / false alarms" for name in sets)]
    emit("Verdict: similarity of meaning as a check (measured, left off)", intro, header,
         table, out)  # fmt: skip


def fresh_line(language: str, predicted: list[bool], truth: list[bool], without: list[bool]) -> str:
    precision, recall, tp, fp, _ = scores(predicted, truth)
    _, recall_without, _, fp_without, _ = scores(without, truth)
    return (f"| {language} | {len(truth)} | {sum(truth)} | {tp + fp} | {precision:.2f} "
            f"| {recall:.2f} | {fp} | {recall_without:.2f} / {fp_without} |")  # fmt: skip


KINDS = (  # the first defect named in the judgement -> its class, first match wins
    ("numbers or content lost", ("number", "currency", "sku dropped", "dropped", "truncated")),
    ("wrong sense", ("sense", "wrong", "literal", "unidiomatic", "verb", "anglicism")),
    ("grammar or garbled", ("grammar", "order", "garbled", "broken", "repeated", "phrasing")),
    ("non-words or misspelt", ("non-word", "misspelt", "accent", "cyrillic")),
    ("English left", ("english", "translated")),
    ("placeholder, chatter or letter", ("placeholder", "chatter", "letter")),
)


def kind(defect: str) -> str:
    first = re.split(r",(?![^(]*\))", defect)[0].lower()
    return next((name for name, keys in KINDS if any(k in first for k in keys)), "other")


def line(
    language: str,
    predicted: list[bool],
    truth: list[bool],
    before: list[bool],
    held: list[bool],
    without: list[bool],
) -> str:
    hp = [p for p, h in zip(predicted, held, strict=True) if h]
    ht = [t for t, h in zip(truth, held, strict=True) if h]
    p1, r1, *_ = scores(hp, ht)
    pa, ra, *_ = scores(predicted, truth)
    p0, r0, *_ = scores(before, truth)
    pw, rw, *_ = scores(without, truth)
    bold = "**" if language.startswith("**") else ""
    return (
        f"| {language} | {len(hp)} / {len(truth)} | {sum(ht)} / {sum(truth)} "
        f"| {bold}{p1:.2f}{bold} | {bold}{r1:.2f}{bold} | {pa:.2f} | {ra:.2f} "
        f"| {pw:.2f} / {rw:.2f} | {p0:.2f} | {r0:.2f} |"
    )


if __name__ == "__main__":
    main()
