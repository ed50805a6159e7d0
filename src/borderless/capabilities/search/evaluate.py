"""Search evaluation on a catalog and labelled queries: MRR, Recall@1/10, nDCG@10."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from borderless.capabilities.catalog.csvfiles import parse_money, read_csv
from borderless.capabilities.search.documents import SearchDocument
from borderless.capabilities.search.hybrid import HybridIndex
from borderless.capabilities.search.metrics import ndcg_at, recall_at, reciprocal_rank
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = ["LabelledQuery", "evaluate_search", "read_catalog", "read_queries"]


@dataclass(frozen=True)
class LabelledQuery:
    text: str
    relevant: frozenset[str]


def read_catalog(path: Path) -> list[SearchDocument]:
    """Catalog CSV: `id,title` and optional `description,price`; ids must be unique."""
    _, rows = read_csv(path, ["id", "title"])
    if not rows:
        raise InvalidInput(f"{path}: the catalog has no rows", field="catalog")
    seen: dict[str, int] = {}
    bad: list[BadRow] = []
    docs: list[SearchDocument] = []
    for line, row in rows:
        doc_id = row["id"].strip()
        if not doc_id:
            bad.append(BadRow(line, "empty id", "id"))
        elif doc_id in seen:
            bad.append(
                BadRow(line, f"duplicate id {doc_id!r} (first on line {seen[doc_id]})", "id")
            )
        elif not row["title"].strip():
            bad.append(BadRow(line, "empty title", "title"))
        else:
            seen[doc_id] = line
            price: Decimal | None = parse_money(row.get("price", ""), line, "price", bad)
            docs.append(SearchDocument(doc_id, row["title"], row.get("description", ""), price))
    if bad:
        raise BadRows(str(path), bad)
    return docs


def read_queries(path: Path, known_ids: set[str]) -> list[LabelledQuery]:
    """Queries CSV: `query,relevant_id`; a query may have several rows, one per relevant id."""
    _, rows = read_csv(path, ["query", "relevant_id"])
    relevant: dict[str, set[str]] = {}
    bad: list[BadRow] = []
    for line, row in rows:
        text, doc_id = row["query"].strip(), row["relevant_id"].strip()
        if not text:
            bad.append(BadRow(line, "empty query", "query"))
        elif doc_id not in known_ids:
            bad.append(BadRow(line, f"relevant_id {doc_id!r} is not in the catalog", "relevant_id"))
        else:
            relevant.setdefault(text, set()).add(doc_id)
    if bad:
        raise BadRows(str(path), bad)
    if not relevant:
        raise InvalidInput(f"{path}: no queries", field="queries")
    return [LabelledQuery(text, frozenset(ids)) for text, ids in relevant.items()]


def evaluate_search(
    index: HybridIndex, queries: Sequence[LabelledQuery], mode: str = "hybrid"
) -> dict[str, float | int | str]:
    """Mean measures over the queries for one search mode."""
    totals = {"mrr": 0.0, "recall@1": 0.0, "recall@10": 0.0, "ndcg@10": 0.0}
    for query in queries:
        ranked = [hit.id for hit in index.search(query.text, k=10, mode=mode)]
        totals["mrr"] += reciprocal_rank(ranked, query.relevant)
        totals["recall@1"] += recall_at(ranked, query.relevant, 1)
        totals["recall@10"] += recall_at(ranked, query.relevant, 10)
        totals["ndcg@10"] += ndcg_at(ranked, query.relevant, 10)
    n = len(queries)
    return {
        "mode": mode,
        **{name: round(value / n, 4) for name, value in totals.items()},
        "n_queries": n,
    }
