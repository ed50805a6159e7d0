"""The Supply pages in headless Chromium: what to order, a forecast chart, desktop and 375 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from borderless.capabilities.catalog.retail import parse_retail
from borderless.jobs.supply import forecast_shop
from borderless.service import create_app
from borderless.storage import Database, open_database
from borderless.storage.imports import save_retail
from borderless.storage.supply import MarketSupply, StockLevel, set_market_supply, set_stock

from .conftest import ARTIFACTS, fake_settings, serving
from .test_browser import DESKTOP, SCREENSHOTS, chromium, fits, phone_of, sign_in
from .test_inventory import write_shop_file

# Chromium and a shop of its own: in the slow step, with every browser test.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def supply_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """Half a year of daily sales of two products in two markets, forecast, with stock."""

    folder = tmp_path_factory.mktemp("browser-supply")
    settings = fake_settings(folder, api_key="k")
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
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        assert sign_in(page, url, "/supply")  # staff only
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
        phone = phone_of(page)
        for path in ("/supply", "/supply/forecast?series=85123A%40GB"):
            phone.goto(url + path)
            fits(phone)
        phone.screenshot(path=str(ARTIFACTS / "supply-phone.png"), full_page=False)


def test_a_file_over_the_upload_limit_is_refused_before_it_is_sent(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A 3 MB stock file got a bare JSON error page with no way back (a walk): the form says
    the limit, and a larger file is refused in the page, before the upload."""
    folder = tmp_path_factory.mktemp("browser-upload")
    settings = fake_settings(folder, api_key="k").model_copy(update={"max_upload_bytes": 4096})
    db = open_database(settings)
    big = folder / "stock.csv"
    big.write_text("sku,country,on_hand\n" + "85123A,GB,1\n" * 1000)
    with serving(create_app(settings, db)) as url, chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        assert sign_in(page, url, "/supply")
        assert "up to 4 KB" in page.locator("#import-stock").inner_text()
        page.set_input_files("#import-stock input[type=file]", str(big))
        page.locator("#import-stock button[type=submit]").click()
        alert = page.locator(".upload-error")
        alert.wait_for()
        assert "stock.csv is 12 KB" in alert.inner_text() and "up to 4 KB" in alert.inner_text()
        assert page.url.endswith("/supply")  # nothing was sent
