"""Text on product images: Tesseract reads English and Chinese, the "text" compliance check
fails on an image that carries any, and the CLI offers the text for translation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from borderless.capabilities.images.checks import text_check
from borderless.errors import InvalidInput

from .conftest import need, run

LATIN = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def _tesseract() -> None:
    need(shutil.which("tesseract") is not None, "tesseract (apt-get install tesseract-ocr)")


def _photo(path: Path, *, words: bool) -> Path:
    """A red ball on white, 800 px; with `words`, a supplier's banner in English and Chinese."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (800, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 200, 600, 600), fill=(180, 40, 40))
    if words:
        need(LATIN.exists() and CJK.exists(), "fonts-dejavu-core and fonts-noto-cjk")
        draw.text((60, 40), "FREE SHIPPING", fill="black", font=ImageFont.truetype(str(LATIN), 60))
        draw.text((60, 650), "正品保证", fill="black", font=ImageFont.truetype(str(CJK), 70))
    image.save(path)
    return path


def test_the_text_rule_counts_words_and_cjk_not_stray_letters() -> None:
    assert text_check([]).passed
    assert text_check([("I", 95.0), ("O", 91.0)]).passed  # stray shapes read as letters
    assert text_check([("SALE", 40.0)]).passed  # below the confidence
    assert not text_check([("SALE", 90.0)]).passed
    failed = text_check([("包", 88.0)])
    assert not failed.passed and failed.value == 1.0


def test_tesseract_reads_english_and_chinese_on_a_photo(tmp_path: Path) -> None:
    _tesseract()
    from PIL import Image

    from borderless.backends.local.tesseract import TesseractReader

    reader = TesseractReader(("eng", "chi_sim"))
    banner = np.asarray(Image.open(_photo(tmp_path / "banner.png", words=True)).convert("RGB"))
    plain = np.asarray(Image.open(_photo(tmp_path / "plain.png", words=False)).convert("RGB"))
    read, blank = reader.read_batch([banner, plain])
    words = {w for w, _ in read.words}
    assert {"FREE", "SHIPPING"} <= words
    assert "正品保证" in read.text  # Chinese words joined without a space
    assert not text_check(read.words).passed
    assert blank.words == () and text_check(blank.words).passed


def test_a_missing_ocr_language_names_its_debian_package() -> None:
    _tesseract()
    from borderless.backends.local.tesseract import TesseractReader

    with pytest.raises(InvalidInput, match="tesseract-ocr-xyz") as caught:
        TesseractReader(("eng", "xyz"))
    assert caught.value.field == "ocr_languages"


def test_cli_check_reads_text_and_offers_it_for_translation(tmp_path: Path) -> None:
    _tesseract()
    banner = _photo(tmp_path / "banner.png", words=True)
    plain = _photo(tmp_path / "plain.png", words=False)
    env = {"BORDERLESS_DATA_DIR": str(tmp_path / "data"), "BORDERLESS_TRANSLATOR": "fake"}
    out = run("images", "check", str(banner), str(plain), "--backend", "fake", "--json",
              "--translate-to", "en", env=env)  # fmt: skip
    assert out.returncode == 0, out.stderr
    first, second = (json.loads(line) for line in out.stdout.splitlines())
    text = {c["name"]: c for c in first["checks"]}["text"]
    assert not text["passed"] and "FREE SHIPPING" in first["text"]
    assert first["text_translated"]["text"].startswith("[en] ")  # the fake translator's mark
    assert {c["name"]: c for c in second["checks"]}["text"]["passed"]
    assert second["text"] == "" and second["text_translated"] is None
    off = run("images", "check", str(banner), "--backend", "fake", "--json", "--ocr", "none",
              env=env)  # fmt: skip
    line = json.loads(off.stdout)
    assert "text" not in {c["name"] for c in line["checks"]} and line["text"] is None
    bad = run("images", "check", str(banner), "--backend", "fake", "--ocr", "tesseract:eng+xyz",
              env=env)  # fmt: skip
    assert bad.returncode == 2 and "tesseract-ocr-xyz" in bad.stderr
