"""The Risk pages in headless Chromium: review queue, charts, a decision, the rules editor."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from borderless.capabilities.catalog.retail import RetailImport
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.imports import save_retail
from borderless.storage.risk import RiskDesk, label_map

from .conftest import ARTIFACTS, fake_settings, serving
from .test_browser import DESKTOP, SCREENSHOTS, chromium, fits, phone_of, sign_in

# Chromium and a shop of its own: in the slow step, with every browser test.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def risk_shop(
    retail_parsed: Callable[[], RetailImport], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple]:  # type: ignore[type-arg]
    """The first 20,000 demo lines, scored, served on a free loopback port."""

    folder = tmp_path_factory.mktemp("browser-risk")
    settings = fake_settings(folder, api_key="k")
    db = open_database(settings)
    save_retail(db, retail_parsed())
    app = create_app(settings, db)
    RiskDesk(db, app.state.services.risk).score_all()
    with serving(app) as url:
        yield url, db


def test_review_queue_decision_and_rules_editor(risk_shop) -> None:  # type: ignore[no-untyped-def]
    url, db = risk_shop
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        assert sign_in(page, url, "/risk")  # staff only
        assert page.locator("figure.chart svg.risk-chart").count() == 2
        rows = page.locator("#risk-queue tbody tr")
        assert rows.count() > 0
        first = rows.first
        order_id = first.locator("td").first.inner_text().strip()
        assert first.locator("ul.reasons li").count() >= 1
        fits(page)
        page.screenshot(path=str(SCREENSHOTS / "risk.png"), full_page=False)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "risk-desktop.png"), full_page=True)
        first.locator("button.block").click()
        page.wait_for_load_state()
        assert label_map(db).get(order_id) == 1
        assert order_id not in page.locator("#risk-queue").inner_text()
        # the rules editor: a broken rule is refused with its position, a dry run counts
        page.goto(url + "/risk/rules")
        page.fill("#rules-text", "review if amount >")
        page.click("#save-rules")
        assert "line 1, position 19" in page.locator("#rules-error").inner_text()
        page.fill("#rules-text", "block if amount > 5000\nreview if score >= 0.95")
        page.fill("input[name=note]", "big orders blocked")
        page.click("#dry-run")
        assert page.locator("#dry-run-result tbody tr").count() == 2
        # the note survives a dry run (it was wiped: a walk)
        assert page.input_value("input[name=note]") == "big orders blocked"
        fits(page)
        phone = phone_of(page)
        for path in ("/risk", "/risk/rules"):
            phone.goto(url + path)
            fits(phone)
        phone.goto(url + "/risk")
        # the charts' labels were about 6 px on a phone, the rule legend had no keys
        tall = phone.evaluate("() => Math.min(...[...document.querySelectorAll("
                              "'svg.risk-chart text.tick')].map(t => t.getBBox().height * "
                              "t.getScreenCTM().a))")  # fmt: skip
        assert tall >= 10, tall
        assert phone.locator(".chart-legend .key").count() >= 1
        phone.screenshot(path=str(ARTIFACTS / "risk-phone.png"), full_page=False)
