"""Search relevance clicks: opening a result from the products page (a form post) or a
storefront's POST to the API keeps a labelled example of the `search` task; bad clicks write
nothing; the export lists it."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.search.clicks import SearchClick, index_mrr, read_click, shown_mrr
from borderless.errors import InvalidInput
from borderless.service import create_app
from borderless.storage import Database, open_database
from borderless.storage.registry import corrections
from borderless.storage.search_clicks import search_clicks

from .conftest import fake_env, fake_settings, post_form, retail_shop, run

ITEMS = (
    ("71053", "WHITE METAL LANTERN"),
    ("21733", "RED HANGING HEART T-LIGHT HOLDER"),
    ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER"),
    ("22423", "REGENCY CAKESTAND 3 TIER"),
)
KEY = {"Authorization": "Bearer test-key"}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return retail_shop(tmp_path, ITEMS)


@pytest.fixture
def shop(db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Database]]:
    settings = fake_settings(tmp_path, database_url=db_url)
    db = open_database(settings)
    with TestClient(create_app(settings, db)) as client:
        yield client, db
    db.dispose()


def _clicks(db: Database) -> list[object]:
    return list(corrections(db, "search"))


def test_opening_a_search_result_records_one_click_and_goes_to_the_product(
    shop: tuple[TestClient, Database],
) -> None:
    client, db = shop
    page = client.get("/products", params={"q": "hanging heart"})
    forms = _result_forms(page.text)
    assert len(forms) >= 2  # every result goes through the click route
    assert "/search/click?" not in page.text  # a form post, never a link a browser prefetches
    assert client.get("/search/click", params=forms[1]).status_code == 405
    assert _clicks(db) == []
    opened = post_form(client, "/search/click", forms[1], follow_redirects=False)
    assert opened.status_code == 303
    sku = forms[1]["sku"]
    assert opened.headers["location"] == f"/products/{sku}"
    (kept,) = corrections(db, "search")
    assert (kept.input, kept.label, kept.source) == ("hanging heart", sku, "click")
    assert kept.predicted == forms[0]["sku"] and kept.actor == "anonymous"
    assert kept.subject.startswith("rank=2 click=")
    (click,) = search_clicks(db)
    assert (click.query, click.sku, click.rank) == ("hanging heart", sku, 2)
    assert client.get(opened.headers["location"]).status_code == 200  # the product page
    # without the page's token the post is refused and nothing is kept
    assert client.post("/search/click", data=forms[0]).status_code == 403
    assert len(_clicks(db)) == 1


def _result_forms(page: str) -> list[dict[str, str]]:
    """The hidden fields of each search result's click form on the products page."""
    found = []
    for form in re.findall(r'<form method="post" action="/search/click".*?</form>', page, re.S):
        fields = dict(re.findall(r'name="(q|sku|rank|top)" value="([^"]*)"', form))
        found.append({k: html.unescape(v) for k, v in fields.items()})
    return found


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"q": "lantern", "sku": "71053", "rank": "0"}, 422, "rank"),
        ({"q": "lantern", "sku": "71053", "rank": "51"}, 422, "rank"),
        ({"q": "lantern", "sku": "71053", "rank": "x"}, 422, "rank"),
        ({"q": "lantern", "sku": "NO-SUCH", "rank": "1"}, 404, "sku"),
        # the first result named no product and was stored as the prediction (an attack)
        ({"q": "lantern", "sku": "71053", "rank": "2", "top": "NOPE"}, 404, "top"),
        ({"q": "l" * 201, "sku": "71053", "rank": "1"}, 422, "q"),
        ({"q": "   ", "sku": "71053", "rank": "1"}, 422, "query"),
        ({"sku": "71053", "rank": "1"}, 422, "q"),
    ],
)
def test_a_bad_click_is_refused_naming_the_field_and_writes_nothing(
    shop: tuple[TestClient, Database], params: dict[str, str], status: int, field: str
) -> None:
    client, db = shop
    answer = post_form(client, "/search/click", params, follow_redirects=False)
    assert answer.status_code == status
    assert field in answer.text.lower()
    assert _clicks(db) == []


def test_a_storefront_posts_clicks_with_a_write_key(shop: tuple[TestClient, Database]) -> None:
    client, db = shop
    body = {"query": "lantern", "sku": "71053", "rank": 3, "above": ["21733", "85123A"]}
    assert client.post("/v1/search/clicks", json=body).status_code == 401
    made = client.post("/v1/search/clicks", json=body, headers=KEY)
    assert made.status_code == 201, made.text
    assert made.json()["predicted"] == "21733" and made.json()["label"] == "71053"
    (click,) = search_clicks(db)
    assert click.above == ("21733", "85123A") and click.rank == 3
    for bad, field in (
        ({"rank": 101}, "rank"),
        ({"sku": "NOPE"}, "sku"),
        ({"query": "q" * 501}, "query"),
        ({"rank": 2}, "above"),
        ({"query": 5}, "query"),
    ):  # fmt: skip  (a number was named "body")
        refused = client.post("/v1/search/clicks", json=body | bad, headers=KEY)
        assert refused.status_code in (404, 422) and refused.json()["field"] == field
    assert len(_clicks(db)) == 1


def test_the_export_lists_the_click(shop: tuple[TestClient, Database], db_url: str,
                                    tmp_path: Path) -> None:  # fmt: skip
    client, _ = shop
    post_form(client, "/search/click", {"q": "lantern", "sku": "71053", "rank": 1},
              follow_redirects=False)  # fmt: skip
    done = run("registry", "corrections", "search",
               env=fake_env(tmp_path, database_url=db_url))  # fmt: skip
    assert done.returncode == 0, done.stderr
    (row,) = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["text"], row["label"], row["predicted"], row["source"]) == (
        "lantern", "71053", "71053", "click")  # fmt: skip
    assert row["subject"].startswith("rank=1 click=")


def test_clicks_measure_the_mean_reciprocal_rank() -> None:
    clicks = [SearchClick("lantern", "71053", 2, ("21733",)), SearchClick("heart", "21733", 1)]
    assert shown_mrr(clicks) == pytest.approx((1 / 2 + 1) / 2)
    ranked = {"lantern": ["71053"], "heart": ["85123A", "x", "21733"]}
    assert index_mrr(clicks, lambda q: ranked[q]) == pytest.approx((1 + 1 / 3) / 2)
    again = read_click("lantern", "71053", clicks[0].subject())
    assert (again.rank, again.above, again.click_id) == (2, ("21733",), clicks[0].click_id)
    many = SearchClick("q", "Z", 99, tuple(f"SKU{n:05d}" for n in range(98)))
    assert (
        len(many.subject()) <= 200 and read_click("q", "Z", many.subject()).above[0] == "SKU00000"
    )
    with pytest.raises(InvalidInput) as bad:
        SearchClick("q", "has space", 1)
    assert bad.value.field == "sku"
