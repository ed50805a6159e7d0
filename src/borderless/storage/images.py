"""The product images the catalog names: listing images and each variant's own image."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = ["ProductImage", "product_images"]


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
