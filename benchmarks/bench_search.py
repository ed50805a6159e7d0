"""Product matching as retrieval on Abt-Buy: lexical, dense and hybrid, beside a plain BM25.

    python benchmarks/bench_search.py [--out benchmarks/RESULTS.md]

Each Abt offer of a matching pair queries the catalog of all Buy offers (see abt_buy.py).
Peer: bm25s with its own default tokenizer (English words, stop words removed), the usual
way the library is used, in the same run on the same catalog.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from abt_buy import parse_offer, write_task
from report import emit

from borderless.backends import create_embedder
from borderless.capabilities.search import HybridIndex
from borderless.capabilities.search.evaluate import (
    LabelledQuery,
    evaluate_search,
    read_catalog,
    read_queries,
)
from borderless.capabilities.search.metrics import recall_at, reciprocal_rank
from borderless.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
ABT_BUY = DATA / "product_matching" / "Abt-Buy"


def plain_bm25(docs, queries: list[LabelledQuery]) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    import bm25s

    model = bm25s.BM25()
    model.index(bm25s.tokenize([d.text for d in docs], stopwords="en", show_progress=False),
                show_progress=False)  # fmt: skip
    ids = [d.id for d in docs]
    start = time.perf_counter()
    rr, r1 = [], []
    for q in queries:
        found, _ = model.retrieve(
            bm25s.tokenize([q.text], stopwords="en", show_progress=False), k=10, show_progress=False
        )
        ranked = [ids[i] for i in found[0]]
        rr.append(reciprocal_rank(ranked, q.relevant))
        r1.append(recall_at(ranked, q.relevant, 1))
    per_query = (time.perf_counter() - start) / len(queries) * 1000
    return float(np.mean(rr)), float(np.mean(r1)), per_query


def train_split_queries(queries: list[LabelledQuery]) -> list[LabelledQuery]:
    names = set()
    for line in (ABT_BUY / "train.txt").read_text(encoding="utf-8").splitlines():
        left, _, label = line.split("\t")
        if label.strip() == "1":
            names.add(parse_offer(left)["name"])
    return [q for q in queries if q.text in names]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        catalog, queries_path = write_task(ABT_BUY, Path(tmp))
        docs = read_catalog(catalog)
        queries = read_queries(queries_path, {d.id for d in docs})
    rows = []
    mrr, r1, ms = plain_bm25(docs, queries)
    rows.append(f"| peer: bm25s, default tokenizer | - | {mrr:.4f} | {r1:.4f} | - | {ms:.2f} |")
    settings = load_settings()
    for spec in ("use:multilingual-v3", "e5:multilingual-small"):
        index = HybridIndex(create_embedder(spec, settings))
        start = time.perf_counter()
        index.upsert(docs)
        build = time.perf_counter() - start
        for mode, fusion in (
            ("lexical", "rrf"),
            ("dense", "rrf"),
            ("hybrid", "rrf"),
            ("hybrid", "scores"),
        ):
            if mode == "lexical" and spec != "use:multilingual-v3":
                continue  # the same BM25 index whatever the embedder
            index.fusion = fusion
            start = time.perf_counter()
            result = evaluate_search(index, queries, mode)
            ms = (time.perf_counter() - start) / len(queries) * 1000
            train = evaluate_search(index, train_split_queries(queries), mode)["mrr"]
            label = (
                "Borderless lexical (BM25 words + char 3-grams)"
                if mode == "lexical"
                else (
                    f"Borderless {mode} ({spec}{', fusion ' + fusion if mode == 'hybrid' else ''})"
                )
            )
            rows.append(
                f"| {label} | {train:.4f} | {result['mrr']:.4f} | {result['recall@1']:.4f} | "
                f"{result['recall@10']:.4f} | {ms:.2f} |"
            )
        rows.append(
            f"| (index build with {spec}: {build:.1f} s for {len(docs)} offers) | | | | | |"
        )
    emit(
        "Product search on Abt-Buy",
        f"Command: `python benchmarks/bench_search.py`. Catalog: {len(docs)} Buy offers; "
        f"{len(queries)} Abt queries (distinct Abt names of matching pairs in train, valid "
        "and test). The catalog-language BM25 weight (0.5) and the catalog-words rule were "
        'chosen on Abt-Buy train-split queries and WANDS even ids together ("Search fusion '
        'weight for catalog-language queries" below); the other columns are over all '
        "queries. The index is the plain one (no cross-lingual embedder, no query translator).",
        ["system", "MRR (train queries)", "MRR", "Recall@1", "Recall@10", "ms/query"],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
