"""Where a product's image is on the seller's disk.

Shopify and WooCommerce exports name images by URL. Borderless fetches nothing: the seller
downloads the photos into one folder, and an image is looked up there by the file name at the
end of its URL (query string dropped: `https://cdn.shopify.com/s/files/mug.jpg?v=12` ->
`PHOTOS/mug.jpg`). A relative path is read from that folder; an absolute path as it is.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

__all__ = ["local_file_for"]


def local_file_for(src: str, photos: Path) -> Path | None:
    """The file that holds image `src` in the folder `photos`, or None when there is none."""
    src = src.strip()
    if not src:
        return None
    if "://" in src:
        name = PurePosixPath(unquote(urlsplit(src).path)).name
        candidate = photos / name if name else None
    else:
        path = Path(src)
        candidate = path if path.is_absolute() else photos / path
    return candidate if candidate is not None and candidate.is_file() else None
