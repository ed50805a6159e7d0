"""The dashboard in headless Chromium (Debian's), driven by Playwright, on real demo data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from borderless.capabilities.catalog.retail import parse_retail
from borderless.config import load_settings
from borderless.jobs.attributes import refresh_and_record
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.imports import save_retail

from .conftest import ARTIFACTS, need, serving, shared_data_dir

# The module's shop is the whole demo shop (about 100 s to load): in the slow step.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 375, "height": 740}  # a small phone


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright; closed on the way out. Skips when either
    is missing (under CI that is a failure)."""
    executable = _chromium()
    need(executable is not None, "Debian chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright (pip install playwright)")
        raise
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Any, url: str, path: str, key: str = "k") -> bool:
    """Open the staff page `path`: a signed-out browser is sent to /login, signs in with `key` and
    lands back on the page. True when it had to sign in."""
    page.goto(url + path)
    if "/login" not in page.url:
        return False
    page.fill("input[name=key]", key)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url(url + path)
    return True


def phone_of(page: Any) -> Any:
    """A new tab as wide as a small phone, signed in as `page` is (its cookies)."""
    phone = page.context.browser.new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    return phone


@pytest.fixture(scope="module")
def shop_url(retail_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service on a free loopback port, with the whole demo shop loaded."""

    folder = tmp_path_factory.mktemp("browser")
    settings = load_settings(
        data_dir=folder,
        shared_data_dir=shared_data_dir(),
        api_key="k",
        search_embeddings="use:multilingual-v3",
        intent_embeddings="use:multilingual-v3",
        translator="router:en-pt=bergamot;pt-en=bergamot;*=fake",
        generator="llama-cpp:smollm2-135m",  # fast; the copy page's checks make it safe
    )
    db = open_database(settings)
    save_retail(db, parse_retail(retail_file))
    refresh_and_record(db)  # what every import ends with: the facts search narrows by
    app = create_app(settings, db)
    # What `borderless serve` warms in the background: the assistant's default intent model
    # and the recommenders (a customer page waited over 30 s for their first fit in CI).
    app.state.services.assistant  # noqa: B018 (warmed as serve does)
    app.state.services.recommendations.warm()
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(shop_url: str) -> Iterator[object]:
    with chromium() as browser:
        yield browser.new_page(viewport=DESKTOP)


@pytest.fixture(scope="module")
def phone(page):  # type: ignore[no-untyped-def]
    """A second tab, 375 px wide like a small phone, with its own cookies."""
    tab = page.context.browser.new_page(viewport=PHONE)
    yield tab
    tab.close()


SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def fits(tab) -> None:  # type: ignore[no-untyped-def]
    """Nothing wider than the window: the page never scrolls sideways."""
    width = tab.viewport_size["width"]
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{tab.url} is {scroll} px wide at {width} px"


def test_overview_shows_the_demo_shop(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shop_url + "/")  # signed out: what the AI does, not the takings
    assert page.locator("#sign-in-for-figures").count() == 1
    assert page.locator("[data-stat=customers]").count() == 0
    sign_in(page, shop_url, "/orders")
    page.goto(shop_url + "/")
    assert page.locator("[data-stat=customers]").inner_text() == "4,372"
    assert page.locator("[data-stat=countries]").inner_text() == "36"  # not XX and EU
    bars = page.locator("figure.chart").first.locator("ol.bars li")
    assert bars.count() == 12
    assert "United Kingdom" in page.locator("figure.chart").first.inner_text()
    assert page.locator("#top-products tbody tr").count() == 10
    # The overview counts what the products page lists (postage and fee codes are apart).
    products = page.locator("[data-stat=products]").inner_text()
    assert page.locator("#ai-cards a").count() == 5
    fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-overview.png"), full_page=True)
    page.locator("#ai-cards a", has_text="Search in any language").click()
    page.wait_for_url("**/products?q=*")
    assert any("LANTERN" in t for t in page.locator("#products tbody tr").all_inner_texts()[:5])
    page.goto(shop_url + "/products")
    assert page.locator("#result-count").inner_text() == products + " products"
    page.goto(shop_url + "/products?page=999")
    pager = page.locator(".pager span").inner_text()
    assert pager.startswith("Page ") and pager.split()[1] == pager.split()[3], pager
    page.goto(shop_url + "/products?page=0")
    assert page.locator(".pager span").inner_text().startswith("Page 1 of")


def test_search_then_open_a_product(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shop_url + "/products")
    page.fill(".search-wide input[name=q]", "metal lantern")
    page.click(".search-wide button")
    page.wait_for_url("**/products?q=metal+lantern")
    rows = page.locator("#products tbody tr")
    assert rows.count() >= 10
    assert all("LANTERN" in t for t in rows.all_inner_texts()[:3])
    page.screenshot(path=str(ARTIFACTS / "dashboard-search.png"), full_page=True)
    # The first product page builds "also bought" from the whole demo shop: on a busy 2-core
    # machine that has taken over 30 s, Playwright's default wait.
    # a result opens through a form post that records the click (shown as a link)
    rows.first.locator("form.result-link button").click(timeout=120_000)
    page.wait_for_url("**/products/*", timeout=120_000)
    assert "LANTERN" in page.locator("h1").inner_text()
    assert page.locator("figure.chart ol.bars li").count() >= 1
    assert page.locator("#also-bought tbody tr").count() == 6
    page.screenshot(path=str(ARTIFACTS / "dashboard-product.png"), full_page=True)


def test_search_narrowed_by_facets(page, phone, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shop_url + "/products?q=photo+frame")
    facets = page.locator("#facets")
    assert facets.is_visible() and "colour" in facets.inner_text().lower()
    before = page.locator("#products tbody tr").count()
    colour = facets.locator(".facet", has_text="colour").locator("a").first
    chosen = colour.inner_text()
    colour.click()
    page.wait_for_url("**/products?q=photo+frame&colour=*")
    chip = page.locator("#facet-active .chip")
    assert chip.inner_text().startswith(f"colour: {chosen}")
    rows = page.locator("#products tbody tr")
    assert 0 < rows.count() < before
    fits(page)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-search-facets.png"), full_page=True)
    phone.goto(page.url)
    assert phone.locator("#facet-active .chip").is_visible()
    fits(phone)
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-search-facets-phone.png"), full_page=True)
    chip.click()  # the filter comes off
    page.wait_for_url("**/products?q=photo+frame")
    assert page.locator("#products tbody tr").count() == before


def test_search_in_another_language(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shop_url + "/products?q=" + "Laterne aus Metall")
    titles = page.locator("#products tbody tr").all_inner_texts()[:5]
    assert any("LANTERN" in t for t in titles), titles
    page.screenshot(path=str(ARTIFACTS / "dashboard-search-german.png"), full_page=True)


@pytest.mark.slow  # 20-30 s: kept out of the default run's 15 minutes
def test_customer_page_recommends(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, shop_url, "/customers")
    page.locator("#customers tbody tr a").first.click()
    page.wait_for_url("**/customers/*")
    assert page.locator("#picks tbody tr").count() == 8
    assert page.locator("#orders tbody tr").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "dashboard-customer.png"), full_page=True)


def test_unknown_product_page(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(shop_url + "/products/NO-SUCH-SKU")
    assert response is not None and response.status == 404
    assert "no product with SKU" in page.locator(".error").inner_text()


def test_support_chat_queue_and_staff_reply(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, shop_url, "/support/chat")
    page.fill("input[name=customer_id]", "12347")
    page.fill("input[name=text]", "Where is my order?")
    page.click("main button[type=submit]")
    page.wait_for_url("**/support/chat/cv_*")
    assert "Order 581180" in page.locator(".msg.assistant").last.inner_text()
    page.fill("input[name=text]", "How long does delivery to Germany take?")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "working days" in page.locator(".msg.assistant").last.inner_text()
    assert "How long does delivery take?" in page.locator(".msg.assistant .cites").last.inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-support-chat.png"), full_page=True)
    page.fill("input[name=text]", "I want to talk to a real person")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "handed over, waiting"
    conversation = page.url.rsplit("/", 1)[1]
    page.goto(shop_url + "/support")
    row = page.locator("#queue tbody tr", has_text=conversation)
    assert "asked for a person" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-support-queue.png"), full_page=True)
    row.locator("a").first.click()
    # Beside the conversation: the customer's own orders, each a link.
    assert page.locator("#customer-orders a[href^='/orders/']").count() >= 1
    page.fill(
        "textarea[name=text]", "Hello, this is Sam from the team. Your parcel left on Monday."
    )
    page.click("#reply button[type=submit]")
    page.wait_for_load_state()
    assert "Sam from the team" in page.locator(".msg.staff").last.inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-support-conversation.png"), full_page=True)
    # Answered: no longer waiting for a person, listed as answered.
    page.goto(shop_url + "/support")
    assert page.locator("#queue tbody tr", has_text=conversation).count() == 0
    assert page.locator("#answered tbody tr", has_text=conversation).count() == 1


def test_translate_a_listing_side_by_side(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, shop_url, "/support")  # translating writes: staff only
    page.goto(shop_url + "/products/85123A/translate?language=pt")
    assert "not translated yet" in page.locator("#side-by-side").inner_text()
    page.click("text=Translate now")
    page.wait_for_load_state()
    title = page.locator("#side-by-side textarea").first.input_value()
    assert "CORAÇÃO" in title, title  # Bergamot, in capitals like the original
    page.screenshot(path=str(ARTIFACTS / "dashboard-translate.png"), full_page=True)
    page.locator("#side-by-side textarea").first.fill("PORTA-VELAS CORAÇÃO BRANCO PARA PENDURAR")
    page.locator("#side-by-side button").first.click()
    page.wait_for_load_state()
    assert "reviewed" in page.locator("#side-by-side").inner_text()
    page.goto(shop_url + "/translations?language=pt")
    assert page.locator("#flagged").count() == 1
    # The product page lists what is stored for it, each text in its language and direction.
    page.goto(shop_url + "/products/85123A")
    assert page.locator("#translations a[href$='translate?language=pt']").count() >= 1
    assert page.locator("#translations span[lang=pt][dir=auto]").count() >= 1


def test_the_correction_box_takes_the_row_on_a_phone(page, phone, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    """A walk: at 390 px the side-by-side table still fitted, with a correction box 110 px
    wide and the translation cut mid-word."""
    sign_in(phone, shop_url, "/support")
    phone.goto(shop_url + "/products/85123A/translate?language=pt")
    box = phone.locator("#side-by-side textarea").first
    if box.count() == 0:  # not translated yet in this module's shop
        phone.click("text=Translate now")
        phone.wait_for_load_state()
    width = phone.locator("#side-by-side textarea").first.bounding_box()["width"]
    assert width >= 0.7 * PHONE["width"], width
    fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "dashboard-translate-phone.png"), full_page=True)


def test_copy_form_names_the_language_it_writes(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, shop_url, "/support")
    page.goto(shop_url + "/products/85123A/copy?kind=description&language=en")
    button = page.locator("#write-form button")
    assert button.inner_text() == "Write description in English"
    page.select_option("#write-form select[name=language]", "de")
    assert button.inner_text() == "Write description in German"
    # the kind in words, and the catalog job follows the form (a walk: "Write ad_text in
    # German", and the job wrote descriptions in English)
    page.select_option("#write-form select[name=kind]", "ad_text")
    assert button.inner_text() == "Write ad text in German"
    assert page.get_attribute("#write-form", "data-busy").startswith("Writing ad text…")
    catalog = page.locator("#copy-catalog")
    assert catalog.locator("input[name=copy_kind]").input_value() == "ad_text"
    assert catalog.locator("input[name=language]").input_value() == "de"
    assert "ad text in German for every product" in catalog.locator("button").inner_text()


@pytest.mark.slow  # 20-30 s: kept out of the default run's 15 minutes
def test_marketing_copy_variants_side_by_side(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, shop_url, "/support")  # writing copy stores drafts: staff only
    page.goto(shop_url + "/products/85123A/copy?kind=description&language=en")
    assert "Colour: white" in page.locator(".facts").inner_text()  # the facts the writer reads
    page.fill("#write-form input[name=variants]", "2")
    page.select_option("#write-form select[name=length]", "short")
    # a drawn seed let a variant keep an unbacked claim now and then (marked, as it should be);
    # a fixed one makes the run repeatable
    page.fill("#write-form input[name=seed]", "7")
    page.set_default_timeout(300_000)  # two generations on a busy CPU
    page.set_default_navigation_timeout(300_000)
    page.click("#write-form button")
    page.wait_for_load_state()
    variants = page.locator("article.variant")
    assert variants.count() == 2
    headers = " | ".join(variants.locator("header").all_inner_texts())
    assert "seed 7" in headers and "seed 8" in headers  # variant i runs with seed + i
    # Whatever the small model invented was regenerated or dropped before it was shown.
    assert page.locator("article.variant mark").count() == 0
    page.screenshot(path=str(ARTIFACTS / "dashboard-copy.png"), full_page=True)
    variants.first.locator("textarea").fill("A white hanging heart made of teak.")
    variants.first.locator("text=Save edit as new version").click()
    page.wait_for_load_state()
    assert page.locator("article.variant mark").first.inner_text() == "teak"
    assert page.locator("article.variant").first.locator("button[value=approved]").is_disabled()
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)


def test_orders_list_filter_and_detail(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    page.set_default_navigation_timeout(120_000)  # customer pages build recommendations
    sign_in(page, shop_url, "/orders")
    assert page.locator("#orders tbody tr").count() == 25
    assert page.locator(".pager span").inner_text().startswith("Page 1 of")
    fits(page)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-orders.png"), full_page=True)
    page.select_option("#order-filters select[name=country]", "DE")
    page.click("#order-filters button")
    page.wait_for_url("**/orders?*country=DE*")
    assert "Orders to Germany" in page.locator("h1").inner_text()
    assert set(page.locator("#orders tbody tr td:nth-child(4)").all_inner_texts()) == {"Germany"}
    page.locator("#orders tbody tr a[href^='/orders/']").first.click()
    page.wait_for_url("**/orders/*")
    assert page.locator("#lines tbody tr").count() >= 2  # at least one line and the total
    assert page.locator("#order-total").inner_text().startswith("£")
    fits(page)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-order.png"), full_page=True)
    page.click("#order-customer")
    page.wait_for_url("**/customers/*")
    page.locator("#orders tbody a").first.click()  # order numbers are links everywhere
    page.wait_for_url("**/orders/*")


def test_sign_out(page, shop_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, shop_url, "/orders")
    page.click("#sign-out")
    page.wait_for_url(shop_url + "/")
    assert page.locator("#sign-out").count() == 0
    page.goto(shop_url + "/orders")
    assert "/login" in page.url


PAGES = [
    "/", "/products", "/products?q=Laterne+aus+Metall", "/products/85123A",
    "/products/85123A/translate?language=pt", "/products/85123A/copy", "/translations",
    "/customers", "/customers/12347", "/orders", "/orders?country=FR", "/support",
    "/support/chat", "/login", "/products/NO-SUCH-SKU",
]  # fmt: skip


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_fits_the_window(page, phone, shop_url: str, width: int) -> None:  # type: ignore[no-untyped-def]
    tab = page if width == 1280 else phone
    tab.set_default_navigation_timeout(120_000)  # the first product page builds recommendations
    sign_in(tab, shop_url, "/orders")
    order = tab.locator("#orders tbody a[href^='/orders/']").first.get_attribute("href")
    tab.goto(shop_url + "/support")
    talks = tab.locator("#recent tbody a").all()
    extra = [order] + ([talks[0].get_attribute("href")] if talks else [])
    for path in PAGES + extra:
        tab.goto(shop_url + path)
        fits(tab)
        if width == 375:
            # every section link shows (three short rows of them), yet the header stays small
            header = tab.locator("header.top").bounding_box()
            assert header is not None and header["height"] <= 150, (path, header)
    if width == 375:
        for name, path in (("overview", "/"), ("orders", "/orders"), ("order", order)):
            tab.goto(shop_url + path)
            tab.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-phone.png"), full_page=True)
