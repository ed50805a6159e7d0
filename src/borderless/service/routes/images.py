"""Product photos as `borderless images catalog` analysed them: tags, checks, text, look-alikes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from borderless.service.routes.deps import DB, StaffAccess
from borderless.service.schemas.images import (
    ImagePage,
    ImagePublic,
    SimilarImagePage,
    SimilarImagePublic,
)
from borderless.storage.images import ImageAnalysis, image_analyses, similar_images

router = APIRouter(prefix="/v1/products", tags=["images"], dependencies=[StaffAccess])

Sku = Annotated[str, Path(min_length=1, max_length=64, description="the product's SKU")]


def image_public(a: ImageAnalysis) -> ImagePublic:
    return ImagePublic.model_validate(
        {name: getattr(a, name) for name in ImagePublic.model_fields if name != "passed"}
        | {"passed": a.passed}
    )


@router.get("/{sku:path}/images")
def product_images(db: DB, sku: Sku) -> ImagePage:
    """The product's photos (its own and its listing's), as last analysed."""
    data = [image_public(a) for a in image_analyses(db, sku)]
    return ImagePage(data=data, count=len(data), limit=len(data))


@router.get("/{sku:path}/similar-images")
def similar_by_photo(
    db: DB, sku: Sku, k: Annotated[int, Query(ge=1, le=50)] = 5
) -> SimilarImagePage:
    """Other products whose photos look most like this product's (cosine of image features)."""
    data = [
        SimilarImagePublic(
            skus=list(s.skus), src=s.image.src, score=s.score, category=s.image.category
        )
        for s in similar_images(db, sku, k)
    ]
    return SimilarImagePage(data=data, count=len(data), limit=k)
