"""Marketing copy: generation speed against raw llama-cpp-python, and grounding on demo products.

    python benchmarks/bench_copy.py [--products 50] [--languages en,de,zh] [--out FILE]

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
MARKET_OF = {"en": "GB", "de": "DE", "zh": "CN", "fr": "FR", "es": "ES", "pt": "PT"}


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50)
    parser.add_argument("--languages", default="en,de,zh")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    settings = load_settings(llm_threads=args.threads)
    vocabulary = load_vocabulary()
    writer = CopyWriter(create_generator(settings.generator, settings), vocabulary)
    shop = parse_retail(settings.retail_file)
    merchandise = [p for p in shop.products if p.kind == "merchandise"]
    grounded = [p for p in merchandise if p.attributes]
    sample = random.Random(0).sample(grounded, args.products)
    print(f"{len(grounded)} of {len(merchandise)} products have attributes", flush=True)

    rates = speed(writer, facts_of(sample[0], vocabulary, MARKETS["GB"]), args.threads, args.rounds)
    print(rates, flush=True)

    rows: dict[str, dict[str, Any]] = {}
    log = ROOT / "out" / "copy_drafts.jsonl"
    log.parent.mkdir(exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        for language in args.languages.split(","):
            market = MARKETS[MARKET_OF[language]]
            stats = {"before": 0, "after": 0, "language": 0, "length": 0, "empty": 0,
                     "seconds": [], "dropped": 0, "regenerated": 0}  # fmt: skip
            for i, product in enumerate(sample):
                facts = facts_of(product, vocabulary, market)
                request = CopyRequest(kind="description", language=language, market=market,
                                      length="short", seed=i)  # fmt: skip
                started = time.perf_counter()
                draft = writer.write(facts, request)[0]
                stats["seconds"].append(time.perf_counter() - started)
                after = draft.grounding
                stats["after"] += not after.ok
                stats["language"] += after.language == language
                stats["length"] += bool(draft.length["ok"])
                stats["empty"] += not draft.text.strip()
                stats["regenerated"] += draft.attempts > 1
                stats["dropped"] += any(a.startswith("dropped") for a in draft.actions)
                stats["before"] += draft.attempts > 1 or any(
                    a.startswith("dropped") for a in draft.actions
                )
                out.write(
                    json.dumps({"title": product.title} | draft.as_dict(), ensure_ascii=False)
                    + "\n"
                )
                out.flush()
                seconds = round(stats["seconds"][-1], 1)
                print(language, i, product.title, draft.grounding.ok, seconds, flush=True)
            rows[language] = stats
    n = len(sample)
    table = [
        f"| {lang} | {n} | {s['before'] / n:.0%} | {s['after'] / n:.0%} | {s['language'] / n:.0%} "
        f"| {s['length'] / n:.0%} | {s['regenerated']} / {s['dropped']} / {s['empty']} "
        f"| {statistics.mean(s['seconds']):.1f} |"
        for lang, s in rows.items()
    ]
    ratio = rates["generator"] / rates["raw"]
    whole = rates["copywriter"] / rates["raw"]
    intro = (
        f"Command: `python benchmarks/bench_copy.py --products {args.products} --languages "
        f"{args.languages} --threads {args.threads} --rounds {args.rounds}`. "
        f"Model: {writer.generator.name}, {args.threads} threads.\n\n"
        f"**Speed** (same model, same messages, temperature 0, median of {args.rounds} "
        f"alternating rounds): raw llama-cpp-python {rates['raw']:.1f} tokens/s, Borderless' "
        f"generator {rates['generator']:.1f} tokens/s (ratio **{ratio:.3f}**), the whole "
        f"copywriter with its grounding check {rates['copywriter']:.1f} tokens/s (ratio "
        f"{whole:.3f}).\n\n"
        f"**Grounding**: short product descriptions for {n} demo-shop products (seeded sample of "
        f"the {len(grounded)} of {len(merchandise)} products whose titles give attributes). "
        '"Unbacked before" counts drafts whose first generation stated something the facts do '
        'not back; "after" counts what the policy (regenerate once, then drop the unbacked '
        "sentences) left. Language: detected language is the one asked for. Length: within "
        "the asked range (30-70 words; Chinese 60-140 characters). Drafts in "
        "benchmarks/out/copy_drafts.jsonl (not committed)."
    )
    emit(
        "Marketing copy: speed and grounding",
        intro,
        ["language", "products", "unbacked before", "unbacked after policy", "right language",
         "length ok", "regenerated / dropped / empty", "s per product"],
        table,
        args.out,
    )  # fmt: skip


if __name__ == "__main__":
    main()
