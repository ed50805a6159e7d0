"""The Supply page's fulfilment plan and shipments at risk in headless Chromium, desktop and
375 px."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.fulfilment import read_lanes_file
from borderless.capabilities.shipments import read_events_file
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.fulfilment import set_lanes
from borderless.storage.imports import save_retail
from borderless.storage.shipments import DeliveryPromise, save_scans, set_promise

from .conftest import ARTIFACTS, fake_settings, serving
from .test_browser import DESKTOP, SCREENSHOTS, chromium, fits, phone_of, sign_in
from .test_fulfilment import LANES
from .test_inventory import write_shop_file
from .test_shipments import first_orders, scans_file

# Chromium and a shop of its own: in the slow step, with every browser test.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def fulfil_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two weeks of orders in two markets, the example lanes (DE capacity binds), promises,
    and one German shipment that has not been scanned for days."""

    folder = tmp_path_factory.mktemp("browser-fulfil")
    settings = fake_settings(folder, api_key="k")
    db = open_database(settings)
    save_retail(db, parse_retail(write_shop_file(folder / "shop.csv", days=14)))
    (folder / "lanes.csv").write_text(LANES.replace("2,10", "2,1"))
    set_lanes(db, read_lanes_file(folder / "lanes.csv"))
    set_promise(db, DeliveryPromise("GB", 2))
    set_promise(db, DeliveryPromise("DE", 3))
    ((oid, _, placed),) = first_orders(db, "DE", 1)
    at = placed + timedelta(hours=3)
    save_scans(db, read_events_file(scans_file(folder / "scans.csv", [
        f"S1,{oid},DHL,picked_up,{at:%Y-%m-%d %H:%M},JD014600,Venlo"])))  # fmt: skip
    with serving(create_app(settings, db)) as url:
        yield url


def test_fulfilment_plan_and_shipments_at_risk(fulfil_url: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        sign_in(page, fulfil_url, "/supply")
        assert page.locator("#fulfil-plan tbody tr").count() == 2
        assert "HiGHS MIP" in page.locator("#fulfilment").inner_text()
        assert "Venlo/DHL\xa07" in page.locator("#fulfil-plan").inner_text()
        risky = page.locator("#at-risk tbody tr")
        assert risky.count() == 1 and "late" in risky.inner_text()
        fits(page)
        page.locator("#fulfilment").screenshot(path=str(SCREENSHOTS / "fulfilment.png"))
        phone = phone_of(page)
        phone.goto(fulfil_url + "/supply")
        phone.locator("#fulfilment").scroll_into_view_if_needed()
        fits(phone)
        ARTIFACTS.mkdir(exist_ok=True)
        phone.locator("#fulfilment").screenshot(path=str(ARTIFACTS / "fulfilment-phone.png"))
