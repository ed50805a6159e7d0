"""Reviews and segments in headless Chromium: inbox filters, translation on demand, pain points,
the segment explorer and the customer page's profile, at desktop width and at 375 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from borderless.backends.local.use import UseEmbedder
from borderless.capabilities.catalog.retail import RetailImport
from borderless.capabilities.reviews.analysis import read_reviews_text
from borderless.capabilities.reviews.demo import demo_products, demo_reviews
from borderless.capabilities.reviews.sentiment import train_sentiment
from borderless.capabilities.reviews.shared import balanced_sample, chinese_reviews, uci_sentences
from borderless.capabilities.support.examples import LabelledText
from borderless.config import load_settings
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.imports import save_retail
from borderless.storage.reviews import (
    save_review_products,
    save_reviews,
    save_sentiment,
    unscored_reviews,
)
from borderless.wiring import Services

from .conftest import serving, shared_data_dir
from .test_browser import DESKTOP, PHONE, SCREENSHOTS, chromium, fits, sign_in

# About a minute with its shop (reviews scored, segments fitted): in the slow step.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def reviews_url(
    retail_parsed: Callable[[], RetailImport], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A small shop: the retail sample, 20 demo reviews per category and label, scored by a
    sentiment model on real USE embeddings (trained here on 600 shared reviews, in seconds)."""

    shared = shared_data_dir()
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("browser-reviews"),
        shared_data_dir=shared,
        api_key="k",
        translator="fake",  # translation on demand without loading an LLM
    )
    db = open_database(settings)
    save_retail(db, retail_parsed())
    chinese, english = chinese_reviews(shared), uci_sentences(shared)
    save_review_products(db, demo_products())
    save_reviews(db, demo_reviews(chinese + english, 20))
    services = Services(settings, db)
    examples = balanced_sample(english, 50, seed=1) + balanced_sample(chinese, 15, seed=1)
    model = train_sentiment(
        [LabelledText(r.text, r.label) for r in examples], [UseEmbedder()], "browser test"
    )
    services.sentiment_store.save(model)
    todo = unscored_reviews(db)
    found = read_reviews_text(services.sentiment_model(), [(t, lang) for _, t, lang in todo])
    save_sentiment(
        db,
        [(i, r.sentiment.label, r.sentiment.positive, r.aspects)
         for (i, _, _), r in zip(todo, found, strict=True)],
    )  # fmt: skip
    with serving(create_app(settings, services=services)) as url:
        yield url


@pytest.fixture(scope="module")
def tabs(reviews_url: str) -> Iterator[tuple[object, object]]:
    with chromium() as browser:
        desk = browser.new_page(viewport=DESKTOP)
        phone = browser.new_page(viewport=PHONE)
        for tab in (desk, phone):
            sign_in(tab, reviews_url, "/reviews")
        yield desk, phone


def test_review_inbox_filters_and_translates(tabs, reviews_url: str) -> None:  # type: ignore[no-untyped-def]
    desk, phone = tabs
    desk.goto(reviews_url + "/reviews")
    desk.select_option("select[name=language]", "zh")
    desk.select_option("select[name=sentiment]", "negative")
    desk.click("#review-filters button")
    desk.wait_for_url("**language=zh**")
    rows = desk.locator("#reviews tbody tr")
    assert rows.count() > 0
    assert all(
        t.startswith("zh") for t in desk.locator("#reviews tbody td:nth-child(3)").all_inner_texts()
    )
    assert desk.locator("#reviews .sentiment.negative").count() == rows.count()
    desk.screenshot(path=str(SCREENSHOTS / "reviews.png"), full_page=False)
    desk.locator("#reviews a.translate").first.click()
    desk.wait_for_selector("#translation")
    assert desk.locator("#original").inner_text().strip()
    assert desk.locator("#translation").inner_text().strip()
    phone.goto(reviews_url + "/reviews?language=zh")
    fits(phone)


def test_pain_points_chart(tabs, reviews_url: str) -> None:  # type: ignore[no-untyped-def]
    desk, phone = tabs
    desk.goto(reviews_url + "/reviews/painpoints?translate=en", timeout=180_000)
    assert desk.locator("h1").inner_text() == "What customers complain about"
    # built on a model thread: the page says so and refreshes itself until the report is there
    if desk.locator("#painpoints-preparing").count():
        fits(desk)
        desk.wait_for_selector("#painpoint-filters", timeout=300_000)
    assert desk.locator("figure.chart ol.bars").count() >= 2  # totals and a trend per point
    assert desk.locator(".quotes li").count() >= 1
    desk.screenshot(path=str(SCREENSHOTS / "reviews_painpoints.png"), full_page=False)
    phone.goto(reviews_url + "/reviews/painpoints", timeout=180_000)
    fits(phone)


def test_segments_and_customer_profile(tabs, reviews_url: str) -> None:  # type: ignore[no-untyped-def]
    desk, phone = tabs
    desk.goto(reviews_url + "/segments", timeout=180_000)
    assert desk.locator("#rfm-grid rect").count() == 25
    desk.locator("#rfm-grid a").first.click()
    desk.wait_for_url("**segment=**")
    desk.screenshot(path=str(SCREENSHOTS / "segments.png"), full_page=False)
    first = desk.locator("#members tbody a")
    if first.count():
        first.first.click()
        desk.wait_for_selector("#profile #tags")
        assert "shipped to" in desk.locator("#tags").inner_text()
        desk.screenshot(path=str(SCREENSHOTS / "customer_profile.png"), full_page=False)
    phone.goto(reviews_url + "/segments")
    fits(phone)
