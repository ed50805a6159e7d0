"""Perceptual hashes (imagehash's pHash) for duplicate and near-duplicate photos.

Two images are near-duplicates when their 64-bit pHashes differ in at most `max_distance` bits
(8 by default: a resize, a JPEG re-save or a small crop stays under it; a different product
photo is usually 25+ bits away).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from borderless.backends.base import Pixels
from borderless.optional import require

__all__ = ["hamming", "near_duplicates", "perceptual_hash"]


def perceptual_hash(image: Pixels) -> str:
    """The 64-bit pHash as 16 hex digits."""
    imagehash = require("imagehash", "images", feature="near-duplicate detection")
    Image: Any = require("PIL.Image", "images", feature="near-duplicate detection")
    return str(imagehash.phash(Image.fromarray(image)))


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicates(
    hashes: Sequence[str | None], max_distance: int = 8
) -> list[tuple[int, int, int]]:
    """Pairs (i, j, distance) with i < j whose hashes are within `max_distance` bits."""
    pairs = []
    for i, a in enumerate(hashes):
        for j in range(i + 1, len(hashes)):
            b = hashes[j]
            if a is not None and b is not None and (d := hamming(a, b)) <= max_distance:
                pairs.append((i, j, d))
    return pairs
