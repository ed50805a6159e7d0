"""Search latency on a 500k-listing catalog, beside bare ANN queries on the same vectors.

    python benchmarks/bench_search_scale.py [--size 500000] [--out benchmarks/RESULTS.md]

The demo shop's 3,813 merchandise titles are grown into colour and size variants
("WHITE METAL LANTERN - sage, XL"). Embedding 500k texts with E5 would take about 2.5 hours on
this machine, so a variant's vector is composed from real E5 embeddings of its parts
(title + 0.3 colour + 0.2 size, normalised); query vectors are real E5 embeddings. ANN latency
depends on the number, dimension and spread of the vectors, which this keeps.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from report import emit

from borderless.backends import create_embedder
from borderless.backends.base import unit_rows
from borderless.backends.cache import CachedEmbedder
from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.search import HybridIndex, SearchDocument
from borderless.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
COLOURS = ["red", "blue", "green", "white", "black", "pink", "ivory", "sage", "navy", "gold",
           "silver", "grey"]  # fmt: skip
SIZES = ["XS", "S", "M", "L", "XL", "XXL", "mini", "small", "medium", "large", "jumbo"]
QUERIES = ["white metal lantern", "red retrospot cake cases", "christmas paper chain",
           "rabbit night light", "Laterne aus Metall", "兔子夜灯", "bolsa grande roja",
           "hot water bottle", "cake stand three tiers", "garden sign", "tea light holder heart",
           "party bunting", "jam making set", "storage jar ceramic", "doormat", "alarm clock",
           "lunch bag", "photo frame", "vintage postcard", "wooden star"]  # fmt: skip


def percentiles(samples: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in samples)
    return ms[len(ms) // 2], ms[int(0.95 * (len(ms) - 1))]


def timed(fn, repeats: int = 3) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeats):
        for q in QUERIES:
            start = time.perf_counter()
            fn(q)
            out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=500_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    titles = sorted(
        {
            p.title
            for p in parse_retail(DATA / "uci_online_retail" / "online_retail.csv.gz").products
            if p.kind == "merchandise"
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=tmp)
        e5 = CachedEmbedder(create_embedder("e5", settings), Path(tmp) / "cache.sqlite")
        start = time.perf_counter()
        title_vecs = e5.embed_batch(titles)
        part_vecs = {w: e5.embed(w) for w in COLOURS + SIZES}
        embed_s = time.perf_counter() - start
        docs, vectors = [], []
        for n in range(args.size):
            t = n % len(titles)
            colour, size = (
                COLOURS[(n // len(titles)) % len(COLOURS)],
                SIZES[(n // (len(titles) * len(COLOURS))) % len(SIZES)],
            )
            docs.append(SearchDocument(f"v{n}", f"{titles[t]} - {colour}, {size}"))
            vectors.append(title_vecs[t] + 0.3 * part_vecs[colour] + 0.2 * part_vecs[size])
        matrix = unit_rows(np.asarray(vectors, dtype=np.float32))
        del vectors

        # Queries go through the raw model: the cache would hide E5's cost on repeated queries.
        index = HybridIndex(e5.inner, candidates=100)
        start = time.perf_counter()
        index.add_with_vectors(docs, matrix)
        dense_build = time.perf_counter() - start
        start = time.perf_counter()
        index.search("warm up", mode="lexical")
        lexical_build = time.perf_counter() - start
        query_vecs = {q: e5.embed(q, purpose="query") for q in QUERIES}

        rows = []
        for label, fn in [
            (
                "Borderless hybrid, end to end (E5 query embedding included)",
                lambda q: index.search(q, 10),
            ),
            (
                "Borderless lexical (BM25 words + char 3-grams)",
                lambda q: index.search(q, 10, mode="lexical"),
            ),
            (
                "Borderless dense, end to end (E5 query embedding included)",
                lambda q: index.search(q, 10, mode="dense"),
            ),
            ("E5 query embedding alone", lambda q: e5.inner.embed(q, purpose="query")),
            (
                "Borderless dense index query (vector given)",
                lambda q: index._dense._index.search(query_vecs[q], 100),
            ),
        ]:
            p50, p95 = percentiles(timed(fn))
            rows.append(f"| {label} | {p50:.2f} | {p95:.2f} |")

        from usearch.index import Index

        bare = Index(ndim=matrix.shape[1], metric="cos")
        start = time.perf_counter()
        bare.add(np.arange(len(matrix), dtype=np.uint64), matrix)
        bare_build = time.perf_counter() - start
        p50, p95 = percentiles(timed(lambda q: bare.search(query_vecs[q], 100)))
        label = f"peer: bare usearch HNSW query, same vectors (build {bare_build:.0f} s)"
        rows.append(f"| {label} | {p50:.2f} | {p95:.2f} |")
        import faiss

        faiss.omp_set_num_threads(1)
        flat = faiss.IndexFlatIP(matrix.shape[1])
        flat.add(matrix)
        p50, p95 = percentiles(timed(lambda q: flat.search(query_vecs[q][None, :], 100)))
        rows.append(
            f"| peer: bare FAISS exact inner-product query, same vectors | {p50:.2f} | {p95:.2f} |"
        )
        hnsw = faiss.IndexHNSWFlat(matrix.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        start = time.perf_counter()
        hnsw.add(matrix)
        hnsw_build = time.perf_counter() - start
        p50, p95 = percentiles(timed(lambda q: hnsw.search(query_vecs[q][None, :], 100)))
        label = f"peer: bare FAISS HNSW query, same vectors (build {hnsw_build:.0f} s)"
        rows.append(f"| {label} | {p50:.2f} | {p95:.2f} |")
    emit(
        f"Search latency on a {args.size:,}-listing catalog",
        f"Command: `python benchmarks/bench_search_scale.py`. {len(titles):,} demo-shop titles "
        f"grown into {args.size:,} variants; 384-d E5 vectors (variants composed from embedded "
        f"parts, see the script); {len(QUERIES)} queries x 3, in English, German, Chinese and "
        f"Spanish. Build: E5 of titles and parts {embed_s:.0f} s, dense index {dense_build:.0f} s, "
        f"BM25 {lexical_build:.0f} s. Top 100 candidates per index, top 10 returned.",
        ["query path", "p50 ms", "p95 ms"],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
