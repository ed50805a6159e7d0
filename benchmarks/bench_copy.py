"""Marketing copy: generation speed against raw llama-cpp-python, and grounding on demo products.

    python benchmarks/bench_copy.py [--products 50] [--languages en,de,zh] [--out FILE]
    python benchmarks/bench_copy.py --language-only --products 4 \
        --languages es,fr,ja,pt,it,ko,ar,ru,nl,pl,tr [--out FILE]

1. Speed: the same model file, the same chat messages (a product description prompt that
   Borderless built), temperature 0, seed 0: raw `llama_cpp.Llama.create_chat_completion`
   against Borderless' generator and against the whole copywriter (prompt, generation,
   cleaning, grounding check; policy "report" so it generates once). Rounds alternate; tokens/s
   is completion tokens over wall time; the ratio is Borderless over raw.
2. Grounding: `--products` merchandise products of the demo shop (the retail file's, with the
   attributes its import reads from titles), a seeded sample of those that have attributes;
   a short description in each language with the default policy (regenerate once, then
   drop unbacked sentences). Reported per language: violation rate before and after the
   policy, output in the right language, length within the asked range, seconds per product.

--language-only skips part 1 and writes part 2 for its languages to a section of its own
("Marketing copy: grounding and language in more languages"), so the main section keeps its
50-product run; the drafts are added to the same log (a rerun resumes), and the first products of
the seeded sample are the same as the main run's. A language whose shop market is not in the
retail file's countries (ru, tr) is asked with no market, as `borderless copy` without --market.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from report import emit

from borderless.backends import create_generator
from borderless.capabilities.catalog.attributes import load_vocabulary
from borderless.capabilities.catalog.markets import MARKETS
from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.copywrite import CopyRequest, CopyWriter, facts_of
from borderless.config import load_settings

ROOT = Path(__file__).resolve().parent
MARKET_OF = {"en": "GB", "de": "DE", "zh": "CN", "fr": "FR", "es": "ES", "pt": "PT",
             "ja": "JP", "it": "IT", "ko": "KR", "ar": "AE", "nl": "NL", "pl": "PL"}  # fmt: skip


def speed(writer: CopyWriter, facts: Any, threads: int, rounds: int) -> dict[str, float]:
    from llama_cpp import Llama

    generator = writer.generator
    request = CopyRequest(kind="description", language="en", market=MARKETS["GB"],
                          length="short", temperature=0.0, seed=0, policy="report")  # fmt: skip
    chat, _ = writer.prompt(facts, request)
    messages = [{"role": m.role, "content": m.content} for m in chat.messages]
    raw = Llama(model_path=str(generator.model_path), n_ctx=4096, n_threads=threads,  # type: ignore[attr-defined]
                verbose=False)  # fmt: skip
    generator.generate(chat)  # load and warm
    raw.create_chat_completion(messages=messages, max_tokens=8)
    rates: dict[str, list[float]] = {"raw": [], "generator": [], "copywriter": []}
    for _ in range(rounds):
        started = time.perf_counter()
        reply = raw.create_chat_completion(messages=messages, max_tokens=chat.max_tokens,
                                           temperature=0.0, top_p=chat.top_p, seed=0)  # fmt: skip
        rates["raw"].append(reply["usage"]["completion_tokens"] / (time.perf_counter() - started))
        started = time.perf_counter()
        answer = generator.generate(chat)
        rates["generator"].append(answer.completion_tokens / (time.perf_counter() - started))
        started = time.perf_counter()
        draft = writer.write(facts, request)[0]
        rates["copywriter"].append(draft.completion_tokens / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in rates.items()}


def summarise(drafts: list[dict[str, Any]], language: str) -> dict[str, Any]:
    """Counts over one language's drafts, as logged (so a resumed run counts the same way)."""
    dropped = [any(a.startswith("dropped") for a in d["grounding"]["actions"]) for d in drafts]
    regenerated = [d["attempts"] > 1 for d in drafts]
    return {
        "before": sum(r or x for r, x in zip(regenerated, dropped, strict=True)),
        "after": sum(not d["grounding"]["ok"] for d in drafts),
        "facts": sum(
            any(v["kind"] not in ("language", "empty") for v in d["grounding"]["violations"])
            for d in drafts
        ),
        "language": sum(d["grounding"]["detected_language"] == language for d in drafts),
        "length": sum(bool(d["length"]["ok"]) for d in drafts),
        "empty": sum(not d["text"].strip() for d in drafts),
        "seconds": [d["seconds"] for d in drafts],
        "dropped": sum(dropped),
        "regenerated": sum(regenerated),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50)
    parser.add_argument("--languages", default="en,de,zh")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--resume", action="store_true",
                        help="keep logged drafts; write only the missing ones")  # fmt: skip
    parser.add_argument("--language-only", action="store_true",
                        help="no speed part; a section of its own; resumes")  # fmt: skip
    args = parser.parse_args()
    args.resume = args.resume or args.language_only
    settings = load_settings(llm_threads=args.threads)
    vocabulary = load_vocabulary()
    writer = CopyWriter(create_generator(settings.generator, settings), vocabulary)
    shop = parse_retail(settings.retail_file)
    merchandise = [p for p in shop.products if p.kind == "merchandise"]
    grounded = [p for p in merchandise if p.attributes]
    sample = random.Random(0).sample(grounded, args.products)
    print(f"{len(grounded)} of {len(merchandise)} products have attributes", flush=True)

    rates: dict[str, float] = {}
    if not args.language_only:
        rates = speed(writer, facts_of(sample[0], vocabulary, MARKETS["GB"]), args.threads,
                      args.rounds)  # fmt: skip
        print(rates, flush=True)

    log = ROOT / "out" / "copy_drafts.jsonl"
    log.parent.mkdir(exist_ok=True)
    done: dict[tuple[str, str, int], dict[str, Any]] = {}
    if args.resume and log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            done[entry["language"], entry["sku"], entry["options"]["seed"]] = entry
    rows: dict[str, dict[str, Any]] = {}
    with log.open("a" if args.resume else "w", encoding="utf-8") as out:
        for language in args.languages.split(","):
            market = MARKETS[MARKET_OF[language]] if language in MARKET_OF else None
            drafts: list[dict[str, Any]] = []
            for i, product in enumerate(sample):
                entry = done.get((language, product.sku, i))
                if entry is None:
                    facts = facts_of(product, vocabulary, market)
                    request = CopyRequest(kind="description", language=language, market=market,
                                          length="short", seed=i)  # fmt: skip
                    entry = {"title": product.title} | writer.write(facts, request)[0].as_dict()
                    out.write(json.dumps(entry, ensure_ascii=False) + "\n")
                    out.flush()
                print(language, i, product.title, entry["grounding"]["ok"], entry["seconds"],
                      flush=True)  # fmt: skip
                drafts.append(entry)
            rows[language] = summarise(drafts, language)
    n = len(sample)
    table = [
        f"| {lang} | {n} | {s['before'] / n:.0%} | {s['facts'] / n:.0%} | {s['after'] / n:.0%} "
        f"| {s['language'] / n:.0%} "
        f"| {s['length'] / n:.0%} | {s['regenerated']} / {s['dropped']} / {s['empty']} "
        f"| {statistics.mean(s['seconds']):.1f} |"
        for lang, s in rows.items()
    ]
    header = ["language", "products", "unbacked before", "unbacked facts after policy",
              "any violation after policy", "right language",
              "length ok", "regenerated / dropped / empty", "s per product"]  # fmt: skip
    if args.language_only:
        emit_languages(args, writer.generator.name, len(grounded), len(merchandise), header,
                       table, rows)  # fmt: skip
        return
    ratio = rates["generator"] / rates["raw"]
    whole = rates["copywriter"] / rates["raw"]
    intro = (
        f"Command: `python benchmarks/bench_copy.py --products {args.products} --languages "
        f"{args.languages} --threads {args.threads} --rounds {args.rounds}"
        f"{' --resume' if args.resume else ''}`. "
        f"Model: {writer.generator.name}, {args.threads} threads.\n\n"
        f"**Speed** (same model, same messages, temperature 0, median of {args.rounds} "
        f"alternating rounds): raw llama-cpp-python {rates['raw']:.1f} tokens/s, Borderless' "
        f"generator {rates['generator']:.1f} tokens/s (ratio **{ratio:.3f}**), the whole "
        f"copywriter with its grounding check {rates['copywriter']:.1f} tokens/s (ratio "
        f"{whole:.3f}).\n\n"
        f"**Grounding**: short product descriptions for {n} demo-shop products (seeded sample of "
        f"the {len(grounded)} of {len(merchandise)} products whose titles give attributes). "
        '"Unbacked before" counts drafts whose first generation stated something the facts do '
        'not back; "unbacked facts after policy" counts drafts that still state one after the '
        'policy (regenerate once, then drop the unbacked sentences); "any violation" adds '
        "drafts in the wrong language or emptied by dropping (flagged: approval is refused "
        "while a draft lists violations). Language: detected language is the one asked for. "
        "Length: within "
        "the asked range (30-70 words; Chinese 60-140 characters). Drafts in "
        "benchmarks/out/copy_drafts.jsonl (not committed)."
    )
    emit("Marketing copy: speed and grounding", intro, header, table, args.out)


def emit_languages(
    args: argparse.Namespace, model: str, grounded: int, merchandise: int, header: list[str],
    table: list[str], rows: dict[str, dict[str, Any]],
) -> None:  # fmt: skip
    """The --language-only section: part 2 in more languages, the same method and counts."""
    n = args.products
    wrong = {lang: f"{n - s['language']} of {n}" for lang, s in rows.items() if s["language"] < n}
    no_market = [lang for lang in rows if lang not in MARKET_OF]
    intro = (
        f"Command: `python benchmarks/bench_copy.py --language-only --products {n} --languages "
        f"{args.languages} --threads {args.threads} --out benchmarks/RESULTS.md`. Model: "
        f"{model}, {args.threads} threads. The grounding part of "
        '"Marketing copy: speed and grounding", the same method and columns, for languages it '
        f"did not run: short descriptions for the first {n} products of the same seeded sample "
        f"(of the {grounded} of {merchandise} products "
        "whose titles give attributes), default policy (regenerate once, then drop unbacked "
        f"sentences). {n} products per language, machine time being the limit (the 1.5B model "
        f"writes one in 10-60 s on 2 shared cores): each product is {100 / n:.0f} points, so a "
        "cell is a rough reading. Language: the detected language is the one asked for "
        f"(wrong or undecided: {', '.join(f'{k} {v}' for k, v in wrong.items()) or 'none'}). "
        "Market: the language's market in the shop's countries (its units, sizes, currency)"
        + (
            f"; {', '.join(no_market)} asked with no market (none in the retail file)"
            if no_market
            else ""
        )
        + ". Drafts in benchmarks/out/copy_drafts.jsonl (not committed)."
    )
    emit("Marketing copy: grounding and language in more languages", intro, header, table,
         args.out)  # fmt: skip


if __name__ == "__main__":
    main()
