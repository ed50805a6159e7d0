"""The product images the catalog names (listing images and each variant's own image), and what
`borderless images catalog` found on them: tags, checks, the text OCR read, features."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, or_, select

from borderless.errors import NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = [
    "ImageAnalysis",
    "ProductImage",
    "SimilarImage",
    "image_analyses",
    "product_images",
    "save_image_analyses",
    "similar_images",
]


@dataclass(frozen=True)
class ProductImage:
    handle: str  # the listing (product page); "" for a product without one
    sku: str  # the variant whose own image this is; "" for a listing image
    src: str  # a URL or a path, as the import gave it
    position: int


def product_images(db: Database) -> list[ProductImage]:
    """Every image of every listing (by position) and every variant image, each once."""
    found: list[ProductImage] = []
    seen: set[tuple[str, str]] = set()
    with db.engine.connect() as conn:
        for handle, images in conn.execute(
            select(t.listings.c.handle, t.listings.c.images).order_by(t.listings.c.handle)
        ):
            for image in sorted(images or [], key=lambda i: int(i.get("position", 0))):
                if (handle, image["src"]) not in seen:
                    seen.add((handle, image["src"]))
                    found.append(ProductImage(handle, "", image["src"], int(image["position"])))
        for sku, handle, src in conn.execute(
            select(t.products.c.sku, t.products.c.listing_handle, t.products.c.image_src)
            .where(t.products.c.image_src != "")
            .order_by(t.products.c.sku)
        ):
            if (handle or "", src) not in seen:
                seen.add((handle or "", src))
                found.append(ProductImage(handle or "", sku, src, 0))
    return found


@dataclass(frozen=True)
class ImageAnalysis:
    """One catalog image as analysed: `checks` are {name, passed, value, rule} objects."""

    handle: str
    sku: str
    src: str
    file: str
    ok: bool
    error: str | None
    width: int | None
    height: int | None
    tags: list[dict[str, Any]]
    category: str | None
    phash: str | None
    checks: list[dict[str, Any]]
    text: str | None
    image_model: str
    analysed_at: datetime
    features: bytes | None = field(default=None, repr=False)

    @property
    def passed(self) -> bool:
        return self.ok and all(bool(c["passed"]) for c in self.checks)

    @property
    def failed_checks(self) -> list[str]:
        return [str(c["name"]) for c in self.checks if not c["passed"]]


@dataclass(frozen=True)
class SimilarImage:
    image: ImageAnalysis
    score: float  # cosine of the image features
    skus: tuple[str, ...]  # the products the image shows


def save_image_analyses(db: Database, analyses: Sequence[ImageAnalysis]) -> int:
    """Store the analyses in one transaction, each replacing the one of the same image."""
    with db.engine.begin() as conn:
        for a in analyses:
            key = t.image_analyses.c
            conn.execute(
                delete(t.image_analyses).where(
                    key.handle == a.handle, key.sku == a.sku, key.src == a.src
                )
            )
        if analyses:
            columns = list(ImageAnalysis.__dataclass_fields__)
            conn.execute(
                insert(t.image_analyses),
                [{name: getattr(a, name) for name in columns} for a in analyses],
            )
    return len(analyses)


def _record(row: Any) -> ImageAnalysis:
    m = row._mapping
    return ImageAnalysis(**{name: m[name] for name in ImageAnalysis.__dataclass_fields__})


def image_analyses(db: Database, sku: str | None = None) -> list[ImageAnalysis]:
    """Every stored analysis, or those of one product: its variant image and its listing's."""
    query = select(t.image_analyses).order_by(
        t.image_analyses.c.handle, t.image_analyses.c.sku, t.image_analyses.c.src
    )
    with db.engine.connect() as conn:
        if sku is not None:
            handle = conn.execute(
                select(t.products.c.listing_handle).where(t.products.c.sku == sku)
            ).first()
            if handle is None:
                raise NotFound(f"no product {sku}", field="sku")
            mine = [t.image_analyses.c.sku == sku]
            if handle[0]:
                mine.append(
                    (t.image_analyses.c.handle == handle[0]) & (t.image_analyses.c.sku == "")
                )
            query = query.where(or_(*mine))
        return [_record(row) for row in conn.execute(query)]


def _skus_of(db: Database, image: ImageAnalysis) -> tuple[str, ...]:
    if image.sku:
        return (image.sku,)
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.products.c.sku)
            .where(t.products.c.listing_handle == image.handle)
            .order_by(t.products.c.position, t.products.c.sku)
        )
        return tuple(r[0] for r in rows)


def similar_images(db: Database, sku: str, k: int = 5) -> list[SimilarImage]:
    """Images of other products closest to any of this product's images (cosine of features)."""
    mine = [a for a in image_analyses(db, sku) if a.features]
    if not mine:
        return []
    own = {(a.handle, a.sku, a.src) for a in mine}
    others = [a for a in image_analyses(db) if a.features and (a.handle, a.sku, a.src) not in own]
    if not others:
        return []
    query = np.stack([np.frombuffer(a.features or b"", dtype=np.float16) for a in mine])
    pool = np.stack([np.frombuffer(a.features or b"", dtype=np.float16) for a in others])
    scores = (query.astype(np.float32) @ pool.astype(np.float32).T).max(axis=0)
    found: list[SimilarImage] = []
    for index in np.argsort(-scores):
        image = others[int(index)]
        skus = tuple(s for s in _skus_of(db, image) if s != sku)
        if skus:
            found.append(SimilarImage(image, round(float(scores[index]), 4), skus))
        if len(found) >= k:
            break
    return found
