"""The language matrix: every text capability in the 14 market languages, one table and one
heat-map picture, assembled from the measured sections of RESULTS.md.

    python benchmarks/bench_matrix.py [--out benchmarks/RESULTS.md] [--svg docs/language-matrix.svg]

Nothing is measured here: each row reads the table another benchmark wrote (its section title
and command are named in the row), so the matrix is only as fresh as those runs. A cell with no
figure is a gap and says so. Colours: green at or above the row's goal, amber within the
row's margin below it, red further below, grey for a gap; rows without a goal are shaded by
the figure itself.
"""

from __future__ import annotations

import argparse
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from report import emit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
LANGUAGES = ("en", "zh", "es", "de", "fr", "ja", "pt", "it", "ko", "ar", "ru", "nl", "pl", "tr")
Table = list[dict[str, str]]


def table(text: str, title: str, exact: bool = False) -> Table:
    """The first Markdown table of the section whose title starts with `title` (is `title`,
    its date aside, when `exact`)."""
    rest = r" \(.*?$" if exact else r".*?$"
    found = re.search(rf"^## {re.escape(title)}{rest}(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not found:
        return []
    lines = [ln for ln in found.group(1).splitlines() if ln.startswith("|")]
    if len(lines) < 2:
        return []
    cells = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
    header = cells[0]
    return [dict(zip(header, row, strict=False)) for row in cells[2:]]


def number(cell: str) -> float | None:
    found = re.search(r"-?\d+(?:\.\d+)?", cell.replace("*", ""))
    return float(found.group(0)) if found else None


def fraction(cell: str) -> float | None:
    found = re.search(r"(\d+)/(\d+)", cell)
    return int(found.group(1)) / int(found.group(2)) if found and int(found.group(2)) else None


@dataclass
class Row:
    name: str
    source: str  # the RESULTS.md section it reads
    goal: float | None  # the figure a cell must reach to be green
    margin: float  # amber within this much below the goal
    values: dict[str, float]
    text: dict[str, str]
    high: float = 1.0  # the scale's top when there is no goal
    pivot: bool = False  # measured from or into English: no English cell (not a gap)
    engine: str = ""  # what made every cell of the row (the translation rows name it per cell)


def by_language(
    rows: Table, key: str, column: str, read: Callable[[str], float | None] = number
) -> tuple[dict[str, float], dict[str, str]]:
    values, texts = {}, {}
    for row in rows:
        language, cell = row.get(key, "").strip("* "), row.get(column, "")
        value = read(cell)
        if language in LANGUAGES and value is not None:
            values[language], texts[language] = value, cell.replace("*", "")
    return values, texts


def rows_from(text: str) -> list[Row]:
    out: list[Row] = []

    def add(name: str, source: str, goal: float | None, margin: float,
            found: tuple[dict[str, float], dict[str, str]], high: float = 1.0,
            pivot: bool = False, engine: str = "") -> None:  # fmt: skip
        out.append(Row(name, source, goal, margin, found[0], found[1], high, pivot, engine))

    lid = "Language identification in the 14 market languages"
    ident = table(text, lid)
    add("language id, FLORES sentences (%)", lid, 99.0, 1.0,
        by_language(ident, "language", "FLORES lingua"), 100,
        engine="Lingua + script rules")  # fmt: skip
    add("language id, short titles alone (%)", lid, 95.0, 5.0,
        by_language(ident, "language", "titles alone lingua"), 100,
        engine="Lingua + script rules + dictionary words")  # fmt: skip
    add("language id, short titles with their market (%)", lid, 95.0, 5.0,
        by_language(ident, "language", "titles + market lingua"), 100,
        engine="Lingua, the market as prior")  # fmt: skip
    words = "Language identification: dictionary words for short texts"
    held = next((r for r in table(text, words)
                 if r.get("texts", "").startswith("demo-shop queries")), {})  # fmt: skip
    after = {code: number(cell.split("->")[-1]) for code, cell in held.items()
             if code in LANGUAGES and "->" in cell}  # fmt: skip
    found = {code: value for code, value in after.items() if value is not None}
    add("language id, shopping queries alone, held out (%)", words, None, 0.0,
        (found, {code: f"{value:.1f}" for code, value in found.items()}), 100,
        engine="Lingua + script rules + dictionary words")  # fmt: skip
    tm = "Translation matrix: FLORES-200 devtest"
    matrix = [r for r in table(text, tm) if r.get("system", "").startswith("Borderless")]
    # a direction the matrix did not run is a gap, not a zero
    raw = [r for r in table(text, tm) if r.get("system", "").startswith("raw")]
    for label, pick in (("en->X", lambda d: d.split("->")[1]), ("X->en", lambda d: d[:2])):
        side = [dict(r, language=pick(r["direction"])) for r in matrix
                if (r["direction"].startswith("en->")) == (label == "en->X")
                and "first" not in r["system"]]  # fmt: skip
        found = by_language(side, "language", "chrF")
        for r in side:  # say the engine in the cell
            engine = "Bergamot" if "Bergamot" in r["system"] else "Qwen 1.5B"
            if r["language"] in found[1]:
                found[1][r["language"]] = f"{found[1][r['language']]} {engine}"
        add(
            f"translation {label}, chrF (ours)",
            tm,
            None,
            0.0,
            found,
            70,
            pivot=True,
            engine="per cell (the default route)",
        )
    kept_ours: dict[str, list[float]] = {}
    for r in matrix:
        if "first" in r["system"]:
            continue
        language = r["direction"].replace("en->", "").replace("->en", "")
        value = fraction(r.get("numbers kept", ""))
        if value is not None:
            kept_ours.setdefault(language, []).append(value)
    both = {k: sum(v) / len(v) for k, v in kept_ours.items()}
    add("translation, numbers kept (share of sentences)", tm, 1.0, 0.1,
        (both, {k: f"{v:.0%}" for k, v in both.items()}), pivot=True,
        engine="the default route (rows above)")  # fmt: skip
    below: dict[str, float] = {}
    ours_chrf = {r["direction"]: number(r["chrF"]) for r in matrix if "first" not in r["system"]}
    for r in matrix:  # ours on the raw engine's subset, where it ran on fewer sentences
        if "first" in r["system"]:
            ours_chrf[r["direction"]] = number(r["chrF"])
    for r in raw:
        a, b = ours_chrf.get(r["direction"]), number(r["chrF"])
        language = r["direction"].replace("en->", "").replace("->en", "")
        if a is not None and b is not None:
            below[language] = min(below.get(language, 99.0), a - b)
    add("translation, ours minus raw engine (chrF)", tm, 0.0, 1.0,
        (below, {k: f"{v:+.1f}" for k, v in below.items()}), 5, pivot=True,
        engine="the default route vs the same engine raw")  # fmt: skip
    cl = "Cross-lingual retrieval on FLORES-200 devtest"
    add("cross-lingual retrieval X->en, MRR (hybrid)", cl, 0.90, 0.05,
        by_language(table(text, cl), "language", "hybrid MRR"), pivot=True,
        engine="e5 (4-bit) + USE + quick readings")  # fmt: skip
    shop = "Search across languages: demo-shop queries"
    shop_rows = table(text, shop)
    # the shipped weights' column (earlier tables: "+ catalog phrase (default)")
    header = list(shop_rows[0]) if shop_rows else []
    older = next((c for c in header if "default" in c and "held" not in c), "hybrid")
    column = "shipped" if "shipped" in header else older
    english = by_language(shop_rows, "language", column)[0].get("en")
    add("demo-shop queries, MRR (goal: within 0.05 of en)", shop,
        None if english is None else english - 0.05, 0.10,
        by_language(shop_rows, "language", column),
        engine="e5 + USE + dictionary or Bergamot reading + catalog phrase")  # fmt: skip
    titles = "Search across languages: every market language as the catalog's (short titles)"
    title_rows = [r for r in table(text, titles) if r.get("catalog", "") in LANGUAGES]
    add("titles, X as catalog language, MRR (hybrid)", titles, None, 0.0,
        by_language(title_rows, "catalog", "hybrid"), 1.0,
        engine="e5 + USE + catalog phrase; 13 other languages' titles as queries")  # fmt: skip
    support = "Support in 14 languages: intents and facts"
    sup = table(text, support)
    add("support intents, accuracy (%)", support, 90.0, 10.0,
        by_language(sup, "language", "intents, default"), 100,
        engine="intent head on E5 + USE (Bitext + seller examples)")  # fmt: skip
    add("support order facts kept", support, 1.0, 0.05,
        by_language(sup, "language", "facts (fake engine)", fraction),
        engine="Babel CLDR + status table")  # fmt: skip
    anger = "Support: angry customers handed over, 14 languages"
    add("support anger caught, held out (share)", anger, None, 0.0,
        by_language(table(text, anger), "language", "angry flagged, now", fraction),
        engine="words of anger per language (6 angry messages each)")  # fmt: skip
    two = "Support: two questions in one message, 14 languages"
    now = by_language(table(text, two), "language", "two questions: both",
                      lambda cell: fraction(cell.split("->")[-1]))  # fmt: skip
    add("support: both of two questions answered (share)", two, None, 0.0,
        (now[0], {k: v.split("->")[-1].strip() for k, v in now[1].items()}),
        engine="message cut where a second request starts (8 messages each)")  # fmt: skip
    # the full run's section, then the translated-only run's for the languages it adds
    translated = "Review sentiment: held-out English sentences translated"
    senti = table(text, "Review sentiment", exact=True) + table(text, translated)
    values, texts = {}, {}
    for r in senti:
        data, accuracy = r.get("data", ""), number(r.get("accuracy", ""))
        language = data[:2]
        if accuracy is None or language not in LANGUAGES or "peer" in r.get("model", ""):
            continue
        if language == "en" and "amazon" not in data:
            continue
        if language not in values or "trained" in r.get("model", ""):
            how = "trained" if "trained" in r.get("model", "") else "zero-shot, translated"
            values[language], texts[language] = accuracy, f"{accuracy:.1f} {how}"
    add("review sentiment, accuracy (%)", f"Review sentiment; {translated}", 90.0, 10.0,
        (values, texts), 100,
        engine="head on E5 + USE (per cell: trained or zero-shot)")  # fmt: skip
    copy_main, copy_more = ("Marketing copy: speed and grounding",
                            "Marketing copy: grounding and language in more languages")  # fmt: skip
    copy = by_language(table(text, copy_more), "language", "right language")
    main_copy = by_language(table(text, copy_main), "language", "right language")
    copy[0].update(main_copy[0])  # the 50-product run where both have a language
    copy[1].update(main_copy[1])
    for language, cell in copy[1].items():
        if language not in main_copy[1]:
            n = next((r["products"] for r in table(text, copy_more) if r["language"] == language),
                     "")  # fmt: skip
            copy[1][language] = f"{cell} of {n}" if n else cell
    add(
        "copy in the right language (%)",
        f"{copy_main}; {copy_more}",
        95.0,
        10.0,
        copy,
        100,
        engine="Qwen2.5-Coder-1.5B (llama.cpp)",
    )
    verdict = "Verdict on translated text: hand-judged calibration"
    vt = table(text, verdict)
    recall = by_language(vt, "language", "recall")
    add(
        "verdict 'needs review', recall",
        verdict,
        0.8,
        0.1,
        recall,
        engine="Hunspell, dictionaries, rule checks",
    )
    fresh = "Verdict on translated text: fresh titles judged after the last rule"
    add(
        "verdict recall, fresh titles (24 a language)",
        fresh,
        0.8,
        0.1,
        by_language(table(text, fresh), "language", "recall"),
        engine="Hunspell, dictionaries, rule checks",
    )
    return out


def colour(row: Row, value: float) -> str:
    if row.goal is not None:
        if value >= row.goal:
            return "#2e7d32"
        return "#f9a825" if value >= row.goal - row.margin else "#c62828"
    share = max(0.0, min(1.0, value / row.high))
    light = int(235 - 150 * share)
    return f"rgb({light},{light},255)"


def svg(rows: list[Row]) -> str:
    label_w, cell_w, cell_h, top = 330, 58, 26, 40
    width, height = label_w + cell_w * len(LANGUAGES) + 10, top + cell_h * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for j, language in enumerate(LANGUAGES):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(f'<text x="{x}" y="{top - 10}" text-anchor="middle" '
                     f'font-weight="bold">{language}</text>')  # fmt: skip
    for i, row in enumerate(rows):
        y = top + i * cell_h
        parts.append(f'<text x="6" y="{y + 17}">{html.escape(row.name)}</text>')
        for j, language in enumerate(LANGUAGES):
            x = label_w + j * cell_w
            value = row.values.get(language)
            fill = "#e0e0e0" if value is None else colour(row, value)
            short = "gap" if value is None else _short(row, value)
            if value is None and row.pivot and language == "en":
                fill, short = "#ffffff", "–"
            ink = "black" if value is None or row.goal is None else "white"
            parts += [
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}"/>',
                f'<text x="{x + cell_w / 2}" y="{y + 17}" text-anchor="middle" '
                f'fill="{ink}">{short}</text>',
            ]
    note = ("green: goal met; amber: close; red: below; blue: no goal, darker is higher; "
            "grey: not measured (a gap)")  # fmt: skip
    parts.append(f'<text x="6" y="{height - 14}" fill="#555">{note}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _short(row: Row, value: float) -> str:
    if "(%)" in row.name:
        return f"{value:.0f}"
    if "chrF" in row.name:
        return f"{value:+.1f}" if "minus" in row.name else f"{value:.0f}"
    if "share" in row.name or "facts" in row.name:
        return f"{value:.0%}"
    return f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--svg", type=Path, default=ROOT / "docs" / "language-matrix.svg")
    args = parser.parse_args()
    rows = rows_from(RESULTS.read_text(encoding="utf-8"))
    lines = []
    for row in rows:
        cells = [row.text.get(lang, "–" if row.pivot and lang == "en" else "gap")
                 for lang in LANGUAGES]  # fmt: skip
        goal = "–" if row.goal is None else f"{row.goal:g}"
        lines.append(f"| {row.name} | {row.engine or '–'} | {goal} | " + " | ".join(cells)
                     + f" | {row.source} |")  # fmt: skip
    gaps = sum(1 for row in rows for lang in LANGUAGES
               if lang not in row.values and not (row.pivot and lang == "en"))  # fmt: skip
    args.svg.write_text(svg(rows), encoding="utf-8")
    emit(
        "Language matrix: every text capability in the 14 market languages",
        "`python benchmarks/bench_matrix.py --out benchmarks/RESULTS.md` (assembled from the "
        "sections named in the last column; nothing is re-measured). The picture: "
        f"docs/language-matrix.svg. *gap*: not measured ({gaps} of "
        f"{len(rows) * len(LANGUAGES)} cells).",
        ["capability", "engine", "goal", *LANGUAGES, "from the section"],
        lines,
        args.out,
    )


if __name__ == "__main__":
    main()
