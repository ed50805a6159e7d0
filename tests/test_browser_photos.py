"""A product's photos on its page in headless Chromium: tags, failed checks, the text read on a
supplier's photo, and look-alike products; at desktop and phone width."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from borderless.service import create_app
from borderless.storage import open_database

from .conftest import ARTIFACTS, FIXTURES, fake_settings, run, serving
from .test_browser import DESKTOP, SCREENSHOTS, chromium, fits, phone_of, sign_in

# Chromium and a shop of its own: in the slow step, with every browser test.
pytestmark = [pytest.mark.browser, pytest.mark.slow]
Image = pytest.importorskip("PIL.Image")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def _photo(
    path: Path, seed: int, size: tuple[int, int] = (1200, 1200), banner: bool = False
) -> None:
    from PIL import ImageDraw, ImageFont

    rng = np.random.default_rng(seed)
    w, h = size
    pixels = np.full((h, w, 3), 255, dtype=np.uint8)
    block = rng.integers(0, 140, size=(h // 16 + 1, w // 16 + 1, 3), dtype=np.uint8)
    texture = np.kron(block, np.ones((8, 8, 1), dtype=np.uint8))[: h // 2, : w // 2]
    pixels[h // 4 : h // 4 + h // 2, w // 4 : w // 4 + w // 2] = texture
    image = Image.fromarray(pixels)
    if banner and CJK.exists():
        # below the product, as suppliers print it (text over a busy texture is not read)
        ImageDraw.Draw(image).text((60, h - 100), "正品保证 包邮", fill="black",
                                   font=ImageFont.truetype(str(CJK), 70))  # fmt: skip
    image.save(path)


@pytest.fixture(scope="module")
def photo_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-photos")
    env = {
        "BORDERLESS_DATA_DIR": str(folder),
        "BORDERLESS_IMAGE_MODEL": "fake",
    }
    assert run("import", "shopify", str(FIXTURES / "shopify_products.csv"), env=env).returncode == 0
    photos = folder / "photos"
    photos.mkdir()
    _photo(photos / "85123A-1.jpg", seed=1)
    _photo(photos / "85123A-2.jpg", seed=2, size=(900, 500), banner=True)  # a supplier's photo
    _photo(photos / "84029G-red.jpg", seed=1)  # the same picture as 85123A-1
    ocr = "auto" if shutil.which("tesseract") else "none"
    done = run("images", "catalog", "--photos", str(photos), "--ocr", ocr, env=env)
    assert done.returncode == 0, done.stderr
    settings = fake_settings(folder, api_key="k")
    with serving(create_app(settings, open_database(settings))) as url:
        yield url


def test_photos_on_the_product_page(photo_shop: str) -> None:
    url = photo_shop
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(url + "/products/85123A")
        assert page.locator("#photos").count() == 0  # photos are for staff
        assert sign_in(page, url, "/products/85123A/edit")
        page.goto(url + "/products/85123A")
        figures = page.locator("#photos figure.photo")
        assert figures.count() == 2
        assert page.locator("#photos figure.photo.flagged").count() == 1
        flagged = page.locator("#photos figure.photo.flagged").inner_text()
        assert "fails resolution, aspect" in flagged
        if shutil.which("tesseract") and CJK.exists():
            assert "Text on the photo" in flagged and "正品" in flagged.replace(" ", "")
        # every photo loads (served from the analysed folder); they load lazily, so once in
        # view, and a busy machine may take a moment: a single look right after the page
        # loaded failed once in CI
        page.locator("#photos").scroll_into_view_if_needed()
        page.wait_for_function(
            "[...document.querySelectorAll('#photos img')]"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=15_000,
        )
        assert "84029G-RED-S" in page.locator("#similar-photos").inner_text()
        page.locator("#photos").scroll_into_view_if_needed()
        fits(page)
        page.locator("#photos").screenshot(path=str(SCREENSHOTS / "photos.png"))
        ARTIFACTS.mkdir(exist_ok=True)
        phone = phone_of(page)
        phone.goto(url + "/products/85123A")
        fits(phone)
        phone.locator("#photos").screenshot(path=str(ARTIFACTS / "photos-phone.png"))
