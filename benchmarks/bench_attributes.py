"""Brand and model number from product titles (Abt-Buy), and copy facts on the demo shop.

    python benchmarks/bench_attributes.py [--out benchmarks/RESULTS.md]

Gold set, built from the data's own fields (Abt-Buy has no brand or model column in the Ditto
files, only names): for every matched pair (label 1), the *model number* is the code (letters
and digits) that both shops' names carry, compared without - / . and case; the *brand* is the
word that both names carry among their first two words (where both shops agree on a leading
word). Titles are the Abt names; the extractor learns from all Abt names (no labels). The
model-number position (first or last code) is chosen on the train pairs; figures are on the
test pairs. Peers: "first word is the brand", "last token with digits and letters is the model".
Demo shop: share of merchandise titles (UCI Online Retail) that give copy facts with a product
type, and how many stored material/colour values had no evidence in the title (the old import).
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import sys
import time
from csv import DictReader
from pathlib import Path

from abt_buy import parse_offer
from report import emit

from borderless.capabilities.attributes import AttributeExtractor
from borderless.capabilities.attributes.patterns import model_like
from borderless.capabilities.attributes.tokens import tokens
from borderless.capabilities.catalog.attributes import load_vocabulary
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.copywrite import facts_of
from borderless.errors import InvalidInput

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
_DIGIT_LETTER = re.compile(r"^(?=.*\d)(?=.*[a-z])", re.IGNORECASE)


def norm(text: str | None) -> str:
    return re.sub(r"[-/.]", "", (text or "").lower())


def pairs(split: str) -> list[tuple[str, str]]:
    folder = SHARED / "product_matching" / "Abt-Buy"
    out = []
    for line in (folder / f"{split}.txt").read_text(encoding="utf-8").splitlines():
        left, right, label = line.split("\t")
        if label.strip() == "1":
            out.append((parse_offer(left)["name"], parse_offer(right)["name"]))
    return out


def gold(abt: str, buy: str) -> tuple[str | None, str | None]:
    a_words = [t.key for t in tokens(abt)]
    b_words = {norm(t.key) for t in tokens(buy)}
    codes = [w for w in a_words if model_like(w) and norm(w) in b_words]
    model = norm(max(codes, key=len)) if codes else None
    b_lead = [t.key for t in tokens(buy)][:2]
    lead = [w for w in a_words[:2] if w in b_lead and w.isalpha() and len(w) > 1]
    return (lead[0] if lead else None), model


def first_word(title: str) -> str | None:
    words = [t.key for t in tokens(title)]
    return words[0] if words else None


def last_code(title: str) -> str | None:
    codes = [t.key for t in tokens(title) if _DIGIT_LETTER.match(t.key)]
    return norm(codes[-1]) if codes else None


def score(split_pairs: list[tuple[str, str]], extractor: AttributeExtractor) -> dict[str, float]:
    hits = {"brand": 0, "brand_peer": 0, "model": 0, "model_peer": 0}
    counts = {"brand": 0, "model": 0}
    for abt, buy in split_pairs:
        brand, model = gold(abt, buy)
        found = extractor.extract("x", abt, language="en")
        if brand:
            counts["brand"] += 1
            hits["brand"] += (found.first("brand") or "").lower() == brand
            hits["brand_peer"] += first_word(abt) == brand
        if model:
            counts["model"] += 1
            hits["model"] += norm(found.first("model")) == model
            hits["model_peer"] += last_code(abt) == model
    return {k: hits[k] / max(counts[k.split("_")[0]], 1) for k in hits} | {
        f"n_{k}": v for k, v in counts.items()
    }


def demo_shop() -> tuple[int, int, int, int]:
    path = SHARED / "uci_online_retail" / "online_retail.csv.gz"
    with gzip.open(path, "rb") as raw:
        rows = DictReader(io.TextIOWrapper(raw, encoding="utf-8", errors="replace"))
        titles = {r["StockCode"]: (r["Description"] or "").strip() for r in rows}
    vocab = load_vocabulary()
    merch = {sku: t for sku, t in titles.items() if t and re.match(r"^\d{5}", sku)}
    with_type = implied = 0
    for sku, title in merch.items():
        try:
            facts = facts_of(Product(sku=sku, title=title), vocab)
        except InvalidInput:
            continue  # a title with no words ("??")
        with_type += any(label == "Type" for label, _ in facts.lines)
        said = vocab.ids(title, "en", implied=False)
        every = vocab.ids(title, "en")
        implied += any(every[g] - said[g] for g in ("material",))
    return len(merch), with_type, implied, len(titles)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    train, test = pairs("train"), pairs("test")
    catalog = sorted({a for a, _ in train + pairs("valid") + test})
    chosen, best = "last", -1.0
    for position in ("last", "first"):
        extractor = AttributeExtractor(model_position=position).fit(catalog)
        got = score(train, extractor)["model"]
        if got > best:
            chosen, best = position, got
    extractor = AttributeExtractor(model_position=chosen).fit(catalog)
    result = score(test, extractor)
    n, with_type, implied, _ = demo_shop()
    seconds = time.perf_counter() - started
    rows = [
        f"| brand (Abt-Buy test, {result['n_brand']} titles) | {result['brand']:.1%} | "
        f"{result['brand_peer']:.1%} (first word) | >= 90% |",
        f"| model number (Abt-Buy test, {result['n_model']} titles) | {result['model']:.1%} | "
        f"{result['model_peer']:.1%} (last code) | >= 75% |",
        f"| demo-shop titles with a product type fact ({n} merchandise SKUs) | "
        f"{with_type / n:.1%} | - | 100% |",
        f"| demo-shop titles whose material was only implied (now a suggestion) | {implied} | "
        f"stored as fact before | 0 facts |",
    ]
    intro = (
        f"Command: `python benchmarks/bench_attributes.py --out benchmarks/RESULTS.md`. "
        f"Gold from the data's own fields (see the module docstring): brand = the leading word "
        f"both shops' names share, model = the code both names carry. The extractor learnt "
        f"from the {len(catalog)} Abt names without labels; model position '{chosen}' chosen "
        f"on the train pairs (train model accuracy {best:.1%}). {seconds:.0f} s in all."
    )
    emit("Product attributes", intro, ["measure", "ours", "peer", "goal"], rows, args.out)


if __name__ == "__main__":
    sys.exit(main())
