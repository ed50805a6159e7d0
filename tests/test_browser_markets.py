"""The product page's "In each market" block in headless Chromium: prices through the
seller's rates (or a note where a rate is missing), measures and sizes per market, an Arabic
price right to left; on a desktop and a small phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from borderless.service import create_app
from borderless.storage import open_database

from .conftest import ARTIFACTS, fake_settings, serving
from .test_browser import DESKTOP, PHONE, SCREENSHOTS, chromium, fits

# Chromium and a shop of its own: in the slow step, with every browser test.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEY = {"X-API-Key": "test-key"}


@pytest.fixture
def shop_url(tmp_path: Path) -> Iterator[str]:
    """A shop with one dress, a euro and a dirham rate, and no dollar rate."""
    from fastapi.testclient import TestClient

    settings = fake_settings(tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'shop.db'}")
    db = open_database(settings)
    app = create_app(settings, db)
    with TestClient(app) as client:
        dress = {"sku": "DRESS-1", "title": "Linen dress UK 10", "price": "10.00",
                 "description": "A linen dress, 90 cm long, 350 g."}  # fmt: skip
        assert client.post("/v1/products", json=dress, headers=KEY).is_success
        client.put("/v1/markets/rates/EUR", json={"rate": "1.17", "rounding": "99"}, headers=KEY)
        client.put("/v1/markets/rates/AED", json={"rate": "4.6", "rounding": "whole"}, headers=KEY)
    with serving(app) as url:
        yield url
    db.dispose()


def test_product_page_in_each_market(shop_url: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(shop_url + "/products/DRESS-1")
        germany = page.locator("#market-DE").inner_text()
        assert "11,99\xa0€" in germany and "up to .99" in germany and "DE 36" in germany
        # markets without a rate wait behind one line naming their currencies; opened, each says
        # what to set and still reads the measures its way
        # the page as a seller first sees it: markets without a rate folded into one line
        page.locator("#in-markets").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "dashboard-product-markets.png"), full_page=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard-product-markets.png"), full_page=True)
        missing = page.locator("#markets-no-rate summary")
        assert "USD" in missing.inner_text() and not page.locator("#market-US").is_visible()
        missing.click()
        usa = page.locator("#market-US").inner_text()
        assert "no exchange rate for USD" in usa and "35.4 in" in usa and "US 6" in usa
        assert "12.3 oz" in usa
        arabic = page.locator("#market-AE strong")
        assert arabic.get_attribute("dir") == "rtl" and "د.إ" in arabic.inner_text()
        phone = browser.new_page(viewport=PHONE)
        phone.goto(shop_url + "/products/DRESS-1")
        assert phone.locator("#market-DE").is_visible()
        fits(phone)


def test_markets_page_sets_a_rate_at_desktop_and_phone(shop_url: str) -> None:
    """The seller's rates on their own page: a currency without a rate first and said so, a
    rate set in its row (the euro price shown as a German reads it), a bad rate refused beside
    its field; the page fits a phone."""
    from .test_browser import sign_in

    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        sign_in(page, shop_url, "/markets", key="test-key")
        dollar = page.locator("#rate-USD")
        assert "no rate: no price shown" in dollar.inner_text()
        assert "11,99\xa0€" in page.locator("#rate-EUR").inner_text()
        dollar.locator("input[name=rate]").fill("1.27")
        dollar.locator("select[name=rounding]").select_option("whole")
        dollar.get_by_role("button", name="Set rate").click()
        page.wait_for_url("**/markets?done=*")
        assert "saved the rate of USD" in page.locator("#markets-done").inner_text()
        shown = page.locator("#rate-USD").inner_text()
        assert "$13 " in shown and "$13.00" not in shown  # whole units: no decimals
        euro = page.locator("#rate-EUR")
        euro.locator("input[name=rate]").fill("-1")
        euro.get_by_role("button", name="Save").click()
        assert "a rate is a number" in page.locator("#rate-error-EUR").inner_text()
        assert page.locator("#rate-EUR input[name=rate]").input_value() == "-1"
        # the Arabic date runs right to left inside its cell, which keeps the table's
        # alignment (a walk: on the dir="rtl" cell the label sat inside the date on a phone)
        arabic = page.locator("#market-AE td [lang=ar]").first
        assert arabic.get_attribute("dir") == "rtl"
        page.goto(shop_url + "/markets")
        page.screenshot(path=str(ARTIFACTS / "dashboard-markets.png"), full_page=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard-markets.png"), full_page=True)
        phone = browser.new_page(viewport=PHONE)
        phone.context.add_cookies(page.context.cookies())
        phone.goto(shop_url + "/markets")
        assert phone.locator("#rate-USD input[name=rate]").is_visible()
        fits(phone)
        date = phone.locator("#market-AE td[data-label='A date']")
        assert date.get_attribute("dir") is None and date.locator("[dir=rtl]").count() == 1
        label = phone.evaluate(
            "getComputedStyle(document.querySelector(\"#market-AE td[data-label='A date']\"),"
            " '::before').content"
        )
        assert "A date" in label
        phone.screenshot(path=str(ARTIFACTS / "dashboard-markets-phone.png"), full_page=True)
