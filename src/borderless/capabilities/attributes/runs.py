"""A catalog's attribute run as a model version: what it read, what it learnt, what it found.

The extractor learns from the catalog it reads (brands and product types from all its titles),
so each run is a version of task `attributes` in the registry: the same titles read by the same
code are the same version (`run_version`). Its metrics are what can be measured without labels
(the share of products with each fact stated, how many values are only suggested) and, once the
seller has decided on values, how often the seller agreed with the extractor. Precision on hand
labels is measured in benchmarks/RESULTS.md ("Product attributes: hand-labelled titles"), not per
shop: a shop has no labels until its seller checks values.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from borderless.capabilities.attributes.files import CatalogRow
from borderless.capabilities.attributes.records import NAMES, ProductAttributes

__all__ = ["run_data", "run_metrics", "run_version"]

_CODE = Path(__file__).resolve().parent


def run_data(rows: Sequence[CatalogRow]) -> dict[str, Any]:
    """The catalog read: products, languages and a hash of every id, title and description."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r.id):
        digest.update(f"{row.id}\t{row.title}\t{row.description}\t{row.language}\n".encode())
    languages = Counter(row.language or "guessed" for row in rows)
    return {"file": "products (shop database)", "sha256": digest.hexdigest(),
            "products": len(rows), "languages": dict(languages.most_common())}  # fmt: skip


def run_version(data: Mapping[str, Any]) -> str:
    """`catalog-<hash of the catalog and of the extractor's code>`: the code is part of it,
    so a changed extractor reading the same titles is a new version."""
    code = hashlib.sha256()
    for source in sorted(_CODE.glob("*.py")):
        code.update(source.read_bytes())
    key = hashlib.sha256(f"{data['sha256']}\n{code.hexdigest()}".encode()).hexdigest()[:12]
    return f"catalog-{key}"


def run_metrics(
    results: Sequence[ProductAttributes], decisions: Mapping[str, int]
) -> dict[str, Any]:
    """Share of products with each fact stated; values suggested; learnt brands and types; and
    the seller's decisions so far (`seller_agreement`: confirmed / (confirmed + rejected) of
    the extractor's values, None before any decision)."""
    n = len(results) or 1
    metrics: dict[str, Any] = {
        f"with_{name}": round(sum(bool(r.values(name)) for r in results) / n, 4) for name in NAMES
    }
    learnt: dict[str, set[str]] = {"brand": set(), "type": set()}
    for a in (a for r in results for a in r.attributes if a.source == "catalog"):
        if a.name in learnt:
            learnt[a.name].add(str(a.value).lower())
    metrics |= {
        "products": len(results),
        "suggested": sum(a.status == "suggested" for r in results for a in r.attributes),
        "brands_learnt": len(learnt["brand"]),
        "types_learnt": len(learnt["type"]),
    }
    confirmed, rejected = decisions.get("confirmed", 0), decisions.get("rejected", 0)
    metrics |= {
        "seller_confirmed": confirmed,
        "seller_rejected": rejected,
        "seller_set": decisions.get("set", 0),
        "seller_agreement": round(confirmed / (confirmed + rejected), 4)
        if confirmed + rejected
        else None,
    }
    return metrics
