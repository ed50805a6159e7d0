"""OCR with Tesseract 5, the Debian package's command-line program (no Python binding needed).

Debian: `apt-get install tesseract-ocr tesseract-ocr-chi-sim` (English ships with the first;
every other language is its own `tesseract-ocr-<code>` package). Each image goes to `tesseract
FILE stdout -l eng+chi_sim --psm 3 tsv` from a temporary PNG; the TSV gives each word with its
confidence. About 0.5-0.8 s per 800 px image on one core here.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from borderless.backends.base import Pixels, ReadText, TextReader
from borderless.errors import BackendError, InvalidInput, ModelUnavailable
from borderless.optional import require

__all__ = ["TesseractReader", "installed_languages"]

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"


def _binary() -> str:
    found = shutil.which("tesseract")
    if found is None:
        raise ModelUnavailable(
            f"OCR needs the tesseract program: {INSTALL} (Debian/Ubuntu)", field="ocr"
        )
    return found


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """Tesseract's installed language data (eng, chi_sim, ...)."""
    out = subprocess.run(
        [_binary(), "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    lines = (out.stdout or out.stderr).splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def _cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"


def _joined(words: Sequence[str]) -> str:
    """Words of one line; no space between two Chinese or Japanese words (Tesseract splits
    "正品保证" into "正品 保证"), one between any others."""
    out = ""
    for word in words:
        if out and not (_cjk(out[-1]) and _cjk(word[0]) and not "\uac00" <= word[0] <= "\ud7af"):
            out += " "
        out += word
    return out


class TesseractReader(TextReader):
    """Words Tesseract reads with at least `min_confidence` (0-100)."""

    def __init__(
        self, languages: Sequence[str] = ("eng", "chi_sim"), *, min_confidence: float = 60.0
    ) -> None:
        missing = [lang for lang in languages if lang not in installed_languages()]
        if missing:
            packages = " ".join(f"tesseract-ocr-{m.replace('_', '-')}" for m in missing)
            raise InvalidInput(
                f"OCR language(s) {', '.join(missing)} not installed: apt-get install {packages}",
                field="ocr_languages",
            )
        self.languages = tuple(languages)
        self.min_confidence = min_confidence
        self.name = f"tesseract:{'+'.join(self.languages)}"

    def _read(self, image: Pixels, folder: Path) -> ReadText:
        Image: Any = require("PIL.Image", "images", feature="OCR")
        path = folder / "image.png"
        Image.fromarray(image).save(path)
        try:
            out = subprocess.run(
                [_binary(), str(path), "stdout", "-l", "+".join(self.languages),
                 "--psm", "3", "tsv"],
                capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise BackendError("tesseract took over 120 s on one image", field="ocr") from exc
        if out.returncode != 0:
            raise BackendError(f"tesseract failed: {out.stderr.strip()[:300]}", field="ocr")
        words: list[tuple[str, float]] = []
        lines: dict[tuple[str, str, str], list[str]] = {}
        for row in out.stdout.splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) != 12 or not cells[11].strip():
                continue
            confidence = float(cells[10])
            if confidence < self.min_confidence:
                continue
            word = cells[11].strip()
            words.append((word, round(confidence, 1)))
            lines.setdefault((cells[2], cells[3], cells[4]), []).append(word)  # block, par, line
        text = "\n".join(_joined(line) for line in lines.values())
        return ReadText(text, tuple(words))

    def read_batch(self, images: Sequence[Pixels]) -> list[ReadText]:
        with tempfile.TemporaryDirectory(prefix="borderless-ocr-") as folder:
            return [self._read(image, Path(folder)) for image in images]
