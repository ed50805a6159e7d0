"""Where a product's image is on the seller's disk.

Shopify and WooCommerce exports name images by URL. Borderless fetches nothing: the seller
downloads the photos into one folder, and an image is looked up there by the file name at the
end of its URL (query string dropped: `https://cdn.shopify.com/s/files/mug.jpg?v=12` ->
`PHOTOS/mug.jpg`). A relative path is read from that folder, and an absolute path by its file
name there: an image is never read from outside the folder. An import took "/etc/passwd" or
"../../api-key" as an image source, `images catalog` stored the path and the dashboard's photo
route served the file to any signed-in staff member (an attack).
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
        candidate = photos / path.name if path.is_absolute() else photos / path
    if candidate is None:
        return None
    folder, found = photos.resolve(), candidate.resolve()
    # "../" or a link out of the folder is no photo of it
    return candidate if found.is_relative_to(folder) and found.is_file() else None
