"""The Models page in headless Chromium: versions with their held-out metrics, monitoring charts
from real traffic, promotion from the page (the running service switches), and no sideways
scroll at 375 px."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from borderless.capabilities.catalog.shopify import import_shopify
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.imports import save_listings
from borderless.storage.registry import active_versions, list_versions
from borderless.wiring import Services

from .conftest import ARTIFACTS, FIXTURES, fake_settings, serving
from .test_browser import DESKTOP, SCREENSHOTS, chromium, fits, phone_of, sign_in
from .test_registry import _train

# Chromium and a shop of its own: in the slow step, with every browser test.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def models_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Services]]:
    folder = tmp_path_factory.mktemp("browser-models")
    settings = fake_settings(folder, api_key="k")
    db = open_database(settings)
    save_listings(db, *import_shopify(FIXTURES / "shopify_products.csv"))
    services = Services(settings, db)
    _train(services, folder, drop=0)
    _train(services, folder, drop=5, promote="no")
    with serving(create_app(services=services)) as url:
        for i in range(25):
            httpx.get(f"{url}/v1/products", params={"limit": 5})
            httpx.get(f"{url}/v1/search", params={"q": ["shirt", "mug", "zzqx"][i % 3]})
        for text in ["where is my order", "I want a refund", "Wo ist mein Paket?"] * 3:
            httpx.post(f"{url}/v1/support/conversations", json={"text": text})
        # a staff relabel: a labelled example of the intents task
        fixed = httpx.post(f"{url}/v1/models/intents/corrections",
                           json={"text": "Wo ist mein Paket?", "label": "track_order",
                                 "subject": "message-1"},
                           headers={"Authorization": "Bearer k"})  # fmt: skip
        assert fixed.status_code == 201, fixed.text
        yield url, services


def test_models_page_promote_and_charts(models_shop) -> None:  # type: ignore[no-untyped-def]
    url, services = models_shop
    waiting = next(v.version for v in list_versions(services.db, "intents") if not v.active)
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        try:
            assert sign_in(page, url, "/models")  # staff only
            rows = page.locator("#versions-intents tbody tr")
            assert rows.count() == 2
            assert page.locator("svg.monitor-chart").count() >= 4  # requests, p95, signals
            assert page.locator("h3", has_text="search").count() == 1
            listed = page.locator("#correction-list tr", has_text="intents")
            assert "retrains" in listed.inner_text() and "1" in listed.inner_text()
            download = page.request.get(url + "/models/intents/corrections.csv")
            assert download.ok and "track_order" in download.text()
            page.screenshot(path=str(SCREENSHOTS / "models.png"), full_page=True)
            row = page.locator("#versions-intents tbody tr", has_text=waiting)
            row.locator("button", has_text="Promote").click()
            page.wait_for_url("**/models*")
            assert page.locator("tr.active-version", has_text=waiting).count() == 1
            assert active_versions(services.db)["intents"][0] == waiting
            # The running service switches on its next support request (checked once a second).
            page.wait_for_timeout(1100)
            httpx.post(f"{url}/v1/support/conversations", json={"text": "refund please"})
            assert httpx.get(f"{url}/health/ready").json()["models"]["intents"] == waiting
            phone = phone_of(page)
            phone.goto(url + "/models")
            fits(phone)
            phone.screenshot(path=str(ARTIFACTS / "models-375.png"), full_page=True)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "models-failure.png"), full_page=True)
            raise
