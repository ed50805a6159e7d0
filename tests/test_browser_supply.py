"""The Supply pages in headless Chromium: what to order, a forecast chart, desktop and 375 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from borderless.capabilities.catalog.retail import parse_retail
from borderless.config import load_settings
from borderless.jobs.supply import forecast_shop
from borderless.service import create_app
from borderless.storage import Database, open_database
from borderless.storage.imports import save_retail
from borderless.storage.supply import MarketSupply, StockLevel, set_market_supply, set_stock

from .conftest import ARTIFACTS, need, serving, shared_data_dir
from .test_browser import CHROMIUM_ARGS, SCREENSHOTS, _chromium, fits
from .test_inventory import write_shop_file

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def supply_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """Half a year of daily sales of two products in two markets, forecast, with stock."""

    folder = tmp_path_factory.mktemp("browser-supply")
    settings = load_settings(
        data_dir=folder, shared_data_dir=shared_data_dir(), api_key="k", embeddings="fake",
        search_embeddings="fake", generator="fake", translator="fake", intent_embeddings="fake",
        sentiment_embeddings="fake",
    )  # fmt: skip
    db = open_database(settings)
    save_retail(db, parse_retail(write_shop_file(folder / "shop.csv", days=182)))
    forecast_shop(db, horizon=8, lightgbm=False)
    set_stock(db, [StockLevel("85123A", "GB", 30, 0, 14), StockLevel("22423", "GB", 500, 0, 14),
                   StockLevel("22423", "DE", 2)])  # fmt: skip
    set_market_supply(db, MarketSupply("GB", 0.95, 14, 7))
    with serving(create_app(settings, db)) as url:
        yield url, db


def test_replenishment_list_and_forecast_chart(supply_shop: tuple[str, Database]) -> None:
    url, _ = supply_shop
    executable = _chromium()
    need(executable is not None, "Debian chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright (pip install playwright)")
        raise
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(url + "/supply")
        assert "/login" in page.url
        page.fill("input[name=key]", "k")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/supply*")
        plan = page.locator("#plan tbody tr")
        assert plan.count() == 2  # 85123A in GB to order; 22423 in DE has no lead time
        assert "no lead time" in page.locator("#plan").inner_text()
        assert page.locator("#series tbody tr").count() == 4
        fits(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "supply-desktop.png"), full_page=True)
        page.locator("#plan a", has_text="85123A").first.click()
        page.wait_for_url("**/supply/forecast*")
        chart = page.locator("#forecast-chart svg")
        assert chart.locator("polygon").count() == 2 and chart.locator("path").count() == 2
        assert page.locator("#forecast-points tbody tr").count() == 8
        fits(page)
        page.screenshot(path=str(SCREENSHOTS / "supply.png"), full_page=False)
        phone = browser.new_page(viewport={"width": 375, "height": 740})
        phone.context.add_cookies(page.context.cookies())
        for path in ("/supply", "/supply/forecast?series=85123A%40GB"):
            phone.goto(url + path)
            fits(phone)
        phone.screenshot(path=str(ARTIFACTS / "supply-phone.png"), full_page=False)
        browser.close()
