"""Reading a seller's image files: every failure is a clear InvalidInput naming the image.

Only local files are read. URLs are refused with a message saying to download the file first,
so nothing leaves the machine (a seller's Shopify/WooCommerce export names image URLs; the
seller fetches them, Borderless never does).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from borderless.backends.base import Pixels
from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["MAX_PIXELS", "load_image"]

# Larger images are refused before decoding (Pillow's own decompression-bomb guard, made strict):
# 40 megapixels covers any marketplace main image (Amazon asks for 1,000-10,000 px a side).
MAX_PIXELS = 40_000_000


def load_image(source: str | Path, *, max_pixels: int = MAX_PIXELS) -> Pixels:
    """The image at `source` as an RGB uint8 array of shape (height, width, 3)."""
    text = str(source)
    if "://" in text:
        raise InvalidInput(
            f"{text}: URLs are not fetched; download the image and give its file path",
            field=text,
        )
    path = Path(text)
    if not path.is_file():  # a folder or a device was told "no such file" (an attack)
        what = ("is a folder, not an image" if path.is_dir()
                else "not a regular file (a device or a pipe?)" if path.exists()
                else "no such file")  # fmt: skip
        raise InvalidInput(f"{text}: {what}", field=text)
    pil: Any = require("PIL.Image", "images", feature="product images", field="images")
    ops: Any = require("PIL.ImageOps", "images", feature="product images", field="images")
    previous = pil.MAX_IMAGE_PIXELS
    try:
        pil.MAX_IMAGE_PIXELS = max_pixels
        with warnings.catch_warnings():
            warnings.simplefilter("error", pil.DecompressionBombWarning)
            with pil.open(path) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise InvalidInput(
                        f"{text}: {width}x{height} is over the limit of {max_pixels:,} pixels",
                        field=text,
                    )
                image.load()
                # Phone photos store their rotation in EXIF; checks need the upright image.
                rgb = ops.exif_transpose(image).convert("RGB")
    except InvalidInput:
        raise
    except (pil.DecompressionBombError, pil.DecompressionBombWarning) as exc:
        raise InvalidInput(
            f"{text}: over the limit of {max_pixels:,} pixels (a possible decompression bomb)",
            field=text,
        ) from exc
    except pil.UnidentifiedImageError as exc:
        raise InvalidInput(f"{text}: not an image file Pillow can read", field=text) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise InvalidInput(f"{text}: unreadable image ({exc})", field=text) from exc
    finally:
        pil.MAX_IMAGE_PIXELS = previous
    return np.asarray(rgb, dtype=np.uint8)
