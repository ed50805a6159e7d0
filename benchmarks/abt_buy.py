"""Abt-Buy from the Ditto repository as a retrieval task: Abt offers query the Buy catalog.

Each line of train/valid/test.txt is `left<TAB>right<TAB>label` with offers serialised as
`COL name VAL ... COL description VAL ... COL price VAL ...`. The catalog is every distinct Buy
offer (right side) in the three files; each Abt offer (left side) of a matching pair (label 1)
is a query whose relevant items are the Buy offers it matches.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

_FIELD = re.compile(r"COL (\w+) VAL (.*?)(?= COL \w+ VAL |$)")


def parse_offer(text: str) -> dict[str, str]:
    return {name: value.strip() for name, value in _FIELD.findall(text.strip())}


def write_task(folder: Path, out: Path) -> tuple[Path, Path]:
    """Write catalog.csv and queries.csv for `borderless search evaluate`."""
    catalog: dict[str, str] = {}  # serialised Buy offer -> id
    offers: dict[str, dict[str, str]] = {}
    pairs: set[tuple[str, str]] = set()
    for split in ("train", "valid", "test"):
        for line in (folder / f"{split}.txt").read_text(encoding="utf-8").splitlines():
            left, right, label = line.split("\t")
            if right not in catalog:
                catalog[right] = f"buy-{len(catalog) + 1}"
                offers[catalog[right]] = parse_offer(right)
            if label.strip() == "1":
                pairs.add((parse_offer(left)["name"], catalog[right]))
    out.mkdir(parents=True, exist_ok=True)
    catalog_path, queries_path = out / "catalog.csv", out / "queries.csv"
    with open(catalog_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "description", "price"])
        for doc_id, offer in offers.items():
            price = offer.get("price", "")
            writer.writerow([doc_id, offer.get("name", ""), offer.get("description", ""), price])
    with open(queries_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query", "relevant_id"])
        for query, doc_id in sorted(pairs):
            writer.writerow([query, doc_id])
    return catalog_path, queries_path
