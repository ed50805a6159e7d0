"""What `borderless images catalog` found on a product's photos, and its look-alikes by photo."""

from __future__ import annotations

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Page, Timestamp

__all__ = [
    "ImageCheckPublic",
    "ImagePage",
    "ImagePublic",
    "ImageTagPublic",
    "SimilarImagePage",
    "SimilarImagePublic",
]


class ImageTagPublic(BaseModel):
    label: str
    score: float


class ImageCheckPublic(BaseModel):
    name: str = Field(description="resolution | aspect | background | blur | text")
    passed: bool
    value: float
    rule: str


class ImagePublic(BaseModel):
    handle: str = Field(description="the listing the image belongs to ('' for none)")
    sku: str = Field(description="the variant whose own image this is ('' for a listing image)")
    src: str
    ok: bool
    error: str | None
    width: int | None
    height: int | None
    tags: list[ImageTagPublic]
    category: str | None
    phash: str | None
    text: str | None = Field(description="what OCR read on the image (null: OCR did not run)")
    checks: list[ImageCheckPublic]
    passed: bool = Field(description="read, and every check passed")
    image_model: str
    analysed_at: Timestamp


class ImagePage(Page[ImagePublic]):
    """A product's analysed images."""


class SimilarImagePublic(BaseModel):
    skus: list[str] = Field(description="the other products the look-alike image shows")
    src: str
    score: float = Field(description="cosine of the image features, 1 = the same picture")
    category: str | None


class SimilarImagePage(Page[SimilarImagePublic]):
    """Other products whose photos look most like this product's, best first."""
