"""Marketplace compliance checks for a product image: each a named rule with its threshold.

- resolution: the shorter side is at least 1,000 px (Amazon's zoom minimum; 500 px is its floor).
- aspect: width / height between 0.8 and 1.25 (marketplaces crop main images to a square).
- background: at least 60% of the border pixels (the outer 5% on every side) are plain white,
  all channels >= 235 (Amazon main images need a pure-white background).
- blur: the variance of a 3x3 Laplacian of the grey image, resized to 512 px on its long side,
  is at least 100 (the usual cut-off for "sharp"; a Gaussian blur of radius 3 on a photo
  drops it far below, see tests/test_images.py).
- text (with OCR): no word of 2 or more letters, and no CJK character, read with a confidence of
  60 or more (main images may carry no text, logos or watermarks). Single letters are left out:
  Tesseract reads stray shapes as "I" or "O".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.backends.base import Pixels
from borderless.optional import require

__all__ = [
    "Check",
    "Thresholds",
    "check_image",
    "laplacian_variance",
    "text_check",
    "white_border_share",
]


@dataclass(frozen=True)
class Thresholds:
    min_side: int = 1000
    min_aspect: float = 0.8
    max_aspect: float = 1.25
    border: float = 0.05
    white_level: int = 235
    min_white_share: float = 0.6
    min_sharpness: float = 100.0


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    value: float
    rule: str


def white_border_share(image: Pixels, border: float = 0.05, white_level: int = 235) -> float:
    """Share of pixels in the outer `border` band whose channels are all >= `white_level`."""
    height, width = image.shape[:2]
    band_h, band_w = max(1, round(height * border)), max(1, round(width * border))
    mask = np.zeros((height, width), dtype=bool)
    mask[:band_h, :] = mask[-band_h:, :] = True
    mask[:, :band_w] = mask[:, -band_w:] = True
    white: npt.NDArray[np.bool_] = np.asarray((image >= white_level).all(axis=2))
    return float(white[mask].mean())


def laplacian_variance(image: Pixels, long_side: int = 512) -> float:
    """Variance of the 4-neighbour Laplacian of the grey image scaled to `long_side` pixels."""
    Image: Any = require("PIL.Image", "images", feature="compliance checks")
    grey_image = Image.fromarray(image).convert("L")
    scale = long_side / max(grey_image.size)
    if scale < 1:
        size = (max(3, round(grey_image.width * scale)), max(3, round(grey_image.height * scale)))
        grey_image = grey_image.resize(size, Image.Resampling.BILINEAR)
    grey: npt.NDArray[np.float64] = np.asarray(grey_image, dtype=np.float64)
    if min(grey.shape) < 3:
        return 0.0
    lap = grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4 * grey[1:-1, 1:-1]
    return float(lap.var())


def check_image(image: Pixels, thresholds: Thresholds | None = None) -> list[Check]:
    """All checks for one image, in a fixed order."""
    t = thresholds or Thresholds()
    height, width = image.shape[:2]
    aspect = width / height
    share = white_border_share(image, t.border, t.white_level)
    sharpness = laplacian_variance(image)
    return [
        Check(
            "resolution",
            min(width, height) >= t.min_side,
            float(min(width, height)),
            f"shorter side >= {t.min_side} px",
        ),
        Check(
            "aspect",
            t.min_aspect <= aspect <= t.max_aspect,
            round(aspect, 3),
            f"width/height between {t.min_aspect} and {t.max_aspect}",
        ),
        Check(
            "background",
            share >= t.min_white_share,
            round(share, 3),
            f">= {t.min_white_share:.0%} of border pixels white (all channels >= {t.white_level})",
        ),
        Check(
            "blur",
            sharpness >= t.min_sharpness,
            round(sharpness, 1),
            f"Laplacian variance >= {t.min_sharpness:g}",
        ),
    ]


def _counts(word: str) -> bool:
    letters = sum(ch.isalnum() for ch in word)
    cjk = any("\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
              for ch in word)  # fmt: skip
    return cjk or letters >= 2


def text_check(words: Sequence[tuple[str, float]], min_confidence: float = 60.0) -> Check:
    """The "text" rule over the words OCR read: fails when any counts (see the module doc)."""
    found = [w for w, confidence in words if confidence >= min_confidence and _counts(w)]
    return Check(
        "text",
        not found,
        float(sum(len(w) for w in found)),
        f"no text read by OCR (words of 2+ letters or CJK, confidence >= {min_confidence:g})",
    )
