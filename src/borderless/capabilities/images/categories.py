"""ImageNet tags mapped to a seller's categories by a small table.

The default table (`DEFAULT_CATEGORIES`) covers the ImageNet-1k classes a gift, home or
clothing shop sells; a seller replaces it with a CSV of `imagenet_label,category` rows. A tag
whose label is in no row maps to nothing (it still shows as a tag); the category of an image is
the one whose tags add up to the highest probability, if that sum reaches `min_score`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from borderless.errors import InvalidInput

__all__ = ["DEFAULT_CATEGORIES", "category_for", "read_category_table"]

_TABLE: dict[str, tuple[str, ...]] = {
    "tops": (
        "T-shirt",
        "sweatshirt",
        "cardigan",
        "jersey",
        "suit",
        "bow tie",
        "Windsor tie",
        "tights for gymnastics, a one-piece leotard, or a sport jersey",
    ),
    "trousers": ("jeans", "pajamas"),
    "dresses & skirts": ("gown", "hoop skirt", "miniskirt", "overskirt", "kimono", "apron"),
    "outerwear": ("trench coat", "fur coat", "lab coat", "cloak", "poncho", "stole scarf"),
    "footwear": ("sandal", "sneaker", "cowboy boot", "clogs", "slip-on shoe", "sock"),
    "bags": (
        "purse",
        "backpack",
        "messenger bag",
        "wallet",
        "plastic bag",
        "pencil case",
        "shopping basket",
        "mailbag",
    ),
    "accessories": (
        "sunglasses",
        "necklace",
        "mitten",
        "cowboy hat",
        "poke bonnet",
        "umbrella",
        "digital watch",
        "feather boa",
    ),
    "kitchen & dining": (
        "coffee mug",
        "tea cup",
        "teapot",
        "coffeepot",
        "plate",
        "tray",
        "mixing bowl",
        "soup bowl",
        "wooden spoon",
        "measuring cup",
        "drink pitcher",
        "water jug",
        "goblet",
        "plate rack",
        "water bottle",
    ),
    "home decor": (
        "candle",
        "vase",
        "table lamp",
        "lampshade",
        "wall clock",
        "analog clock",
        "pillow",
        "quilt",
        "plant pot",
        "Christmas stocking",
        "window shade",
    ),
    "toys & games": ("teddy bear", "jigsaw puzzle", "toy store"),
    "stationery": (
        "envelope",
        "ring binder",
        "ballpoint pen",
        "fountain pen",
        "comic book",
        "cardboard box / carton",
    ),
}

DEFAULT_CATEGORIES: dict[str, str] = {
    label: category for category, labels in _TABLE.items() for label in labels
}


def read_category_table(path: Path) -> dict[str, str]:
    """A seller's `imagenet_label,category` CSV (header row required)."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc})", field="categories") from exc
    if not rows or not {"imagenet_label", "category"} <= set(rows[0]):
        raise InvalidInput(
            f"{path}: needs a header imagenet_label,category and at least one row",
            field="categories",
        )
    return {
        row["imagenet_label"].strip(): row["category"].strip()
        for row in rows
        if row["imagenet_label"] and row["category"]
    }


def category_for(
    tags: Sequence[tuple[str, float]],
    table: Mapping[str, str] = DEFAULT_CATEGORIES,
    min_score: float = 0.1,
) -> tuple[str, float] | None:
    """The seller category the tags point to most, with its summed probability, or None."""
    totals: dict[str, float] = {}
    for label, score in tags:
        category = table.get(label)
        if category is not None:
            totals[category] = totals.get(category, 0.0) + score
    if not totals:
        return None
    best = max(totals, key=lambda c: totals[c])
    return (best, round(totals[best], 4)) if totals[best] >= min_score else None
