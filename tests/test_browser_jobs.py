"""New product, edit, background jobs and the glossary in headless Chromium, at 1280 and 375 px,
on a small shop (fake models: this is about the pages, not the models)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from borderless.capabilities.catalog.records import Product
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.catalog import create_product, get_product

from .conftest import fake_settings, serving
from .test_browser import DESKTOP, PHONE, SCREENSHOTS, chromium, fits, sign_in

# Chromium and a shop of its own: in the slow step, with every browser test.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the tab fixture skips (or fails under CI) with the reason
    PlaywrightError = Exception  # type: ignore[assignment,misc]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Any]]:
    folder = tmp_path_factory.mktemp("browser-jobs")
    settings = fake_settings(folder, database_url=f"sqlite:///{folder / 'shop.db'}", api_key="k")
    db = open_database(settings)
    for i in range(40):
        lantern = Product(sku=f"LANTERN-{i:02d}", title=f"Red retrospot lantern {i}",
                          description="A paper lantern that folds flat.", price=Decimal("3.20"),
                          attributes={"colour": "red"})  # fmt: skip
        create_product(db, lantern)
    app = create_app(settings, db)
    with serving(app) as url:
        yield url, db, app
    db.dispose()


@pytest.fixture(scope="module")
def tabs(shop: tuple[str, Any, Any]) -> Iterator[tuple[Any, Any]]:
    with chromium() as browser:
        yield browser.new_page(viewport=DESKTOP), browser.new_page(viewport=PHONE)


def test_create_and_edit_a_product(shop: tuple[str, Any, Any], tabs: tuple[Any, Any]) -> None:
    url, db, _ = shop
    desk, _ = tabs
    sign_in(desk, url, "/jobs")
    desk.goto(f"{url}/products")
    desk.click("#new-product")
    desk.fill("input[name=sku]", "BAG-1")
    desk.fill("input[name=title]", "Jumbo bag")
    desk.fill("input[name=price]", "-2")
    desk.click("#product-form button[type=submit]")
    assert "Nothing was saved" in desk.inner_text("#form-error")
    assert desk.input_value("input[name=title]") == "Jumbo bag"  # the form kept what was typed
    desk.fill("input[name=price]", "2.10")
    desk.locator("input[name=attribute_name]").nth(0).fill("material")
    desk.locator("input[name=attribute_value]").nth(0).fill("jute")
    desk.click("#product-form button[type=submit]")
    desk.wait_for_selector("#saved")
    assert get_product(db, "BAG-1").attributes == {"material": "jute"}
    desk.click("#edit-product")
    desk.fill("input[name=stock]", "7")
    desk.screenshot(path=str(SCREENSHOTS / "product_edit.png"), full_page=True)
    desk.click("#product-form button[type=submit]")
    desk.wait_for_selector("#saved")
    assert get_product(db, "BAG-1").stock == 7


def test_a_catalog_job_with_progress_and_the_glossary(
    shop: tuple[str, Any, Any], tabs: tuple[Any, Any]
) -> None:
    url, _, app = shop
    desk, phone = tabs
    desk.goto(f"{url}/glossary")
    desk.fill("#add-term input[name=source]", "Retrospot")
    desk.click("#add-term button[type=submit]")
    desk.wait_for_selector("#glossary-done")
    assert "Retrospot" in desk.inner_text("#terms")
    desk.goto(f"{url}/translations?language=fr")
    desk.select_option("#translate-catalog select[name=language]", "fr")
    desk.click("#translate-catalog button[type=submit]")
    desk.wait_for_url("**/jobs*")
    row = desk.locator("#jobs tbody tr").first
    assert "Translate catalog into French" in row.inner_text()  # the name, not "fr"
    end = time.monotonic() + 60
    while "done" not in (row.get_attribute("data-status") or "") and time.monotonic() < end:
        time.sleep(0.5)
        desk.reload()
        row = desk.locator("#jobs tbody tr").first
    assert row.get_attribute("data-status") == "done"
    assert "81 fields translated" in row.inner_text()  # 40 lanterns and the bag: 81 fields
    desk.screenshot(path=str(SCREENSHOTS / "jobs.png"), full_page=True)
    fits(desk)
    sign_in(phone, url, "/jobs")
    for path in ("/jobs", "/glossary", "/products/new", "/products/BAG-1/edit", "/translations"):
        phone.goto(f"{url}{path}")
        assert phone.title() and "Error" not in phone.title(), path
        fits(phone)
    phone.goto(f"{url}/jobs")
    phone.screenshot(path=str(SCREENSHOTS / "jobs_phone.png"), full_page=True)
    desk.goto(f"{url}/glossary")
    desk.screenshot(path=str(SCREENSHOTS / "glossary.png"), full_page=True)
    # A slower model (a second a batch): the page follows the job by refreshing itself.
    app.state.jobs.call = lambda work: (time.sleep(1.0), work())[1]
    desk.goto(f"{url}/jobs")
    desk.select_option("#start-translate select[name=language]", "de")
    desk.click("#start-translate button[type=submit]")
    seen, shot, origins = set(), False, set()
    end = time.monotonic() + 40
    while "done" not in seen and time.monotonic() < end:
        time.sleep(0.3)  # no reload from here: the page's meta refresh brings what changed
        try:
            row = desk.locator("#jobs tbody tr").first
            status, bar = row.get_attribute("data-status"), row.locator("progress")
            value = int(bar.get_attribute("value") or 0) if bar.count() else 0
            origins.add(desk.evaluate("performance.timeOrigin"))
        except PlaywrightError:  # the page is being refreshed
            continue
        seen.add(f"{status}")
        if status == "running" and 0 < value < 81 and not shot:
            desk.screenshot(path=str(SCREENSHOTS / "jobs_running.png"), full_page=True)
            shot = True
    assert shot and "done" in seen and len(origins) >= 2, (seen, shot, origins)
    assert "81 fields translated" in desk.inner_text("#jobs tbody tr:first-child")
    app.state.jobs.call = lambda work: work()


def test_a_click_while_signed_out_is_not_lost(
    shop: tuple[str, Any, Any], tabs: tuple[Any, Any]
) -> None:
    url, _, _ = shop
    desk, _ = tabs
    desk.goto(f"{url}/glossary")
    desk.context.clear_cookies(name="borderless_session")  # the session ends meanwhile
    desk.fill("#add-term input[name=source]", "Heart")
    desk.click("#add-term button[type=submit]")
    desk.wait_for_url("**/login?next=*")
    desk.fill("input[name=key]", "k")
    desk.click("main button[type=submit]")
    desk.wait_for_selector("#send-again")
    assert desk.url.startswith(f"{url}/glossary")
    assert "Heart" not in desk.inner_text("#terms")  # not replayed
