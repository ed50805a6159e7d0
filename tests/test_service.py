"""The REST API against both databases, with demo data from the real retail file."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import RetailImport
from borderless.config import Settings
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.imports import save_retail

from .conftest import post_form

KEY = {"X-API-Key": "test-key"}


@pytest.fixture
def client(
    settings: Settings, db: Database, retail_parsed: Callable[[], RetailImport]
) -> Iterator[TestClient]:
    save_retail(db, retail_parsed())
    with TestClient(create_app(settings, db)) as c:
        yield c


def test_health_names_the_database(client: TestClient, db: Database) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["database"] == db.dialect
    # On PostgreSQL (pgserver ships pgvector) search keeps its vectors in the database.
    expected = "PgVectorIndex" if db.dialect == "postgresql" else "usearch"
    assert body["search_vectors"] == expected


def test_products_page_filter_and_search(client: TestClient) -> None:
    first = client.get("/v1/products", params={"limit": 5}).json()
    assert len(first["data"]) == 5 and first["count"] > 100
    second = client.get("/v1/products", params={"limit": 5, "offset": 5}).json()
    assert not {p["sku"] for p in first["data"]} & {p["sku"] for p in second["data"]}
    found = client.get("/v1/products", params={"q": "hanging heart"}).json()
    assert found["count"] >= 1
    assert all("HANGING" in p["title"] and "HEART" in p["title"] for p in found["data"])
    cheap = client.get("/v1/products", params={"max_price": "1.00", "limit": 200}).json()
    assert cheap["data"] and all(float(p["price"]) <= 1.0 for p in cheap["data"])
    french = client.get("/v1/products", params={"country": "FR"}).json()
    assert 0 < french["count"] < first["count"]
    charges = client.get("/v1/products", params={"kind": "charge"}).json()
    assert {p["sku"] for p in charges["data"]} >= {"POST"}


def test_product_detail_and_not_found_body(client: TestClient) -> None:
    assert client.get("/v1/products/85123A").json()["title"] == "WHITE HANGING HEART T-LIGHT HOLDER"
    missing = client.get("/v1/products/NOPE")
    assert missing.status_code == 404
    assert missing.json() == {
        "code": "not_found",
        "message": "no product with SKU 'NOPE'",
        "field": "sku",
    }


def test_bad_query_names_the_field(client: TestClient) -> None:
    response = client.get("/v1/products", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["field"] == "limit" and response.json()["code"] == "invalid_input"
    empty = client.get("/v1/products", params={"q": "   "})
    assert empty.status_code == 422 and empty.json()["field"] == "q"
    inverted = client.get("/v1/products", params={"min_price": 5, "max_price": 1})
    assert inverted.status_code == 422 and inverted.json()["field"] == "min_price"


def test_writes_need_the_api_key(client: TestClient) -> None:
    body = {"sku": "NEW-1", "title": "Linen tea towel", "price": "4.50", "stock": 10}
    assert client.post("/v1/products", json=body).status_code == 401
    wrong = client.post("/v1/products", json=body, headers={"X-API-Key": "nope"})
    assert wrong.status_code == 401 and wrong.json()["field"] == "X-API-Key"
    created = client.post("/v1/products", json=body, headers=KEY)
    assert created.status_code == 201 and created.json()["price"] == "4.50"
    assert client.post("/v1/products", json=body, headers=KEY).status_code == 409
    changed = client.patch("/v1/products/NEW-1", json={"stock": 3}, headers=KEY)
    assert changed.json()["stock"] == 3
    bad = client.patch("/v1/products/NEW-1", json={"price": -1}, headers=KEY)
    assert bad.status_code == 422 and bad.json()["field"] == "price"
    unknown = client.patch("/v1/products/NEW-1", json={"colour": "red"}, headers=KEY)
    assert unknown.status_code == 422 and unknown.json()["field"] == "colour"


def test_customers_and_orders(client: TestClient) -> None:
    customers = client.get("/v1/customers", params={"limit": 3}, headers=KEY).json()
    assert customers["count"] > 100 and len(customers["data"]) == 3
    someone = customers["data"][0]["id"]
    detail = client.get(f"/v1/customers/{someone}", headers=KEY).json()
    assert detail["orders"] >= 1
    orders = client.get("/v1/orders", params={"customer_id": someone}, headers=KEY).json()
    assert orders["count"] == detail["orders"] + detail["cancellations"]
    # a customer's orders are their sales (a cancellation was counted as one more: a walk)
    sales = client.get("/v1/orders", params={"customer_id": someone, "kind": "sale"}, headers=KEY)
    assert sales.json()["count"] == detail["orders"]
    order = client.get(f"/v1/orders/{orders['data'][0]['id']}", headers=KEY).json()
    assert order["lines"] and order["customer_id"] == someone
    assert client.get("/v1/orders/NOPE", headers=KEY).status_code == 404
    for personal in ("/v1/customers", f"/v1/customers/{someone}", "/v1/orders",
                     f"/v1/recommendations/customers/{someone}"):  # fmt: skip
        refused = client.get(personal)
        assert refused.status_code == 401 and refused.json()["field"] == "X-API-Key", personal
    assert client.get("/v1/orders", params={"kind": "refund"}, headers=KEY).status_code == 422


def test_stats_and_openapi(client: TestClient) -> None:
    assert client.get("/v1/stats").status_code == 401  # the shop's size is staff's to know
    stats = client.get("/v1/stats", headers=KEY).json()
    assert set(stats) == {"products", "customers", "orders", "order_lines", "countries", "reviews",
                          "sales", "cancellations"}  # fmt: skip
    assert stats["orders"] == stats["sales"] + stats["cancellations"] and stats["cancellations"]
    spec = client.get("/openapi.json").json()
    assert "/v1/products" in spec["paths"] and "/v1/orders/{order_id}" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_dashboard_pages_render(client: TestClient) -> None:
    # signed out, the overview keeps the shop's takings to itself (a walk read them)
    page = client.get("/")
    assert page.status_code == 200 and 'id="sign-in-for-figures"' in page.text
    assert "Net revenue" not in page.text and "United Kingdom" not in page.text
    assert 'data-stat="products"' in page.text and 'id="ai-cards"' in page.text
    post_form(client, "/login", {"key": "test-key"})
    page = client.get("/")
    assert page.status_code == 200 and "Net revenue by country" in page.text
    assert "United Kingdom" in page.text and 'id="sign-in-for-figures"' not in page.text
    listing = client.get("/products", params={"q": "lantern"})
    assert "WHITE METAL LANTERN" in listing.text and "by words and by meaning" in listing.text
    assert "WHITE METAL LANTERN" in client.get("/products/71053").text
    missing = client.get("/products/NOPE")
    assert missing.status_code == 404 and "no product with SKU" in missing.text


def test_search_with_filters(client: TestClient) -> None:
    found = client.get("/v1/search", params={"q": "metal lantern", "limit": 5}).json()
    assert found["count"] == 5
    top = found["data"][0]
    assert "LANTERN" in top["product"]["title"] and top["lexical_rank"] == 1
    cheap = client.get("/v1/search", params={"q": "lantern", "max_price": "2", "limit": 20}).json()
    assert cheap["data"] and all(float(r["product"]["price"]) <= 2 for r in cheap["data"])
    french = client.get("/v1/search", params={"q": "lantern", "country": "FR", "limit": 50}).json()
    everywhere = client.get("/v1/search", params={"q": "lantern", "limit": 50}).json()
    assert french["count"] < everywhere["count"]
    # each hit's price as that market is charged it (a walk: pounds alone for a German search)
    assert all(h["market_price"] is None for h in everywhere["data"])
    unpriced = french["data"][0]["market_price"]
    assert unpriced["currency"] == "EUR" and unpriced["formatted"] is None
    assert "no exchange rate for EUR" in unpriced["note"], unpriced
    assert "PUT /v1/markets/rates/EUR" in unpriced["note"]  # not the CLI's command alone
    rate = client.put("/v1/markets/rates/EUR", json={"rate": "1.17", "rounding": "99"},
                      headers=KEY)  # fmt: skip
    assert rate.status_code == 200, rate.text
    priced = client.get("/v1/search", params={"q": "lantern", "country": "FR"}).json()["data"][0]
    shown = priced["market_price"]
    assert shown["country"] == "FR" and shown["formatted"].endswith("\xa0€"), shown
    assert shown["formatted"].startswith(shown["amount"].replace(".", ","))
    # what is applied is what the reading says (a walk: "price at most 4.26" beside max_price=1)
    given = client.get("/v1/search", params={"q": "lantern under 5 pounds", "max_price": "1"})
    said = given.json()["interpretation"]
    assert "price at most 1 (max_price, not the price at most 5)" in said, said
    assert all(float(r["product"]["price"]) <= 1 for r in given.json()["data"])
    alone = client.get("/v1/search", params={"q": "lantern", "min_price": "2"}).json()
    assert "price at least 2 (min_price)" in alone["interpretation"]
    # an empty attribute filter is refused; one no product has says so (a walk: both answered
    # an empty list without a word)
    empty = client.get("/v1/search", params={"q": "lantern", "type": ""})
    assert empty.status_code == 422 and empty.json()["field"] == "type", empty.text
    odd = client.get("/v1/search", params={"q": "lantern", "colour": "octarine"}).json()
    assert odd["count"] == 0 and "no product has colour octarine" in odd["interpretation"]
    # beside a value some product has, and on the dashboard's search too (an attack)
    some = client.get("/v1/search", params={"q": "lantern", "colour": ["white", "octarine"]})
    assert "no product has colour octarine" in some.json()["interpretation"], some.json()
    page = client.get("/products", params={"q": "lantern", "colour": "octarine"}).text
    assert "no product has colour octarine" in page
    # a market with no sales says so (it answered an empty list without a word)
    turkey = client.get("/v1/search", params={"q": "lantern", "country": "TR"}).json()
    assert turkey["count"] == 0 and "no product has sold in TR yet" in turkey["interpretation"]


def test_search_bad_input(client: TestClient) -> None:
    empty = client.get("/v1/search", params={"q": ""})
    assert empty.status_code == 422 and empty.json()["field"] == "q"
    blank = client.get("/v1/search", params={"q": "   "})
    assert blank.status_code == 422 and blank.json()["field"] == "q"  # the parameter's name
    inverted = client.get("/v1/search", params={"q": "x", "min_price": 5, "max_price": 1})
    assert inverted.status_code == 422 and inverted.json()["field"] == "min_price"
    assert client.get("/v1/search", params={"q": "x", "mode": "magic"}).status_code == 422


def test_search_follows_product_changes(client: TestClient) -> None:
    assert client.get("/v1/search", params={"q": "lantern"}).status_code == 200  # builds the index
    body = {"sku": "NEW-LAMP", "title": "Brass Garden Lampion", "price": "7.00", "stock": 4}
    assert client.post("/v1/products", json=body, headers=KEY).status_code == 201
    top = client.get("/v1/search", params={"q": "brass lampion"}).json()["data"][0]
    assert top["product"]["sku"] == "NEW-LAMP"
    client.patch("/v1/products/NEW-LAMP", json={"title": "Copper Garden Lampion"}, headers=KEY)
    top = client.get("/v1/search", params={"q": "copper lampion"}).json()["data"][0]
    assert top["product"]["sku"] == "NEW-LAMP"


def test_also_bought(client: TestClient) -> None:
    picks = client.get("/v1/recommendations/products/85123A", params={"limit": 5}).json()
    assert picks["count"] == 5 and picks["basis"] == "bought together"
    assert all(p["product"]["sku"] != "85123A" for p in picks["data"])
    scores = [p["score"] for p in picks["data"]]
    assert scores == sorted(scores, reverse=True)
    assert client.get("/v1/recommendations/products/NOPE").status_code == 404


def test_picks_for_a_customer_skip_what_they_bought(client: TestClient) -> None:
    someone = client.get("/v1/customers", params={"limit": 1}, headers=KEY).json()["data"][0]["id"]
    bought = set()
    for order in client.get(
        "/v1/orders", params={"customer_id": someone, "kind": "sale"}, headers=KEY
    ).json()["data"]:
        bought |= {
            line["sku"]
            for line in client.get(f"/v1/orders/{order['id']}", headers=KEY).json()["lines"]
        }
    picks = client.get(f"/v1/recommendations/customers/{someone}", headers=KEY).json()
    assert picks["basis"] == "purchases" and picks["count"] == 10
    assert not {p["product"]["sku"] for p in picks["data"]} & bought
    assert client.get("/v1/recommendations/customers/NOPE", headers=KEY).status_code == 404


def test_out_of_stock_is_never_recommended(client: TestClient) -> None:
    first = client.get("/v1/recommendations/products/85123A", params={"limit": 3}).json()["data"][0]
    sku = first["product"]["sku"]
    client.patch(f"/v1/products/{sku}", json={"stock": 0}, headers=KEY)
    again = client.get("/v1/recommendations/products/85123A", params={"limit": 3}).json()["data"]
    assert sku not in {p["product"]["sku"] for p in again}
    assert client.post("/v1/recommendations/refresh").status_code == 401
    assert client.post("/v1/recommendations/refresh", headers=KEY).status_code == 204


def test_product_page_shows_also_bought(client: TestClient) -> None:
    page = client.get("/products/85123A")
    assert "Customers who bought this also bought" in page.text


def test_search_reads_a_sentence(client: TestClient) -> None:
    body = client.get(
        "/v1/search", params={"q": "a metal lantern for my garden under 2 pounds"}
    ).json()
    assert body["interpretation"] == ["looking for: metal lantern garden", "price at most 2"]
    assert body["data"] and all(float(r["product"]["price"]) <= 2 for r in body["data"])
    overridden = client.get(
        "/v1/search", params={"q": "lantern under 2 pounds", "max_price": "10", "limit": 50}
    ).json()
    assert any(float(r["product"]["price"]) > 2 for r in overridden["data"])
    literal = client.get("/v1/search", params={"q": "lantern under 2", "interpret": "false"}).json()
    assert literal["interpretation"] == ["looking for: lantern under 2"]
    page = client.get("/products", params={"q": "lantern under 2 pounds"})
    assert "Understood: looking for: lantern · price at most 2" in page.text


def test_customer_pages(client: TestClient) -> None:
    # Personal data: staff sign in with the API key first.
    assert client.get("/customers", follow_redirects=False).status_code == 303
    post_form(client, "/login", data={"key": "test-key", "next": "/"})
    listing = client.get("/customers")
    assert listing.status_code == 200 and 'id="customers"' in listing.text
    someone = client.get("/v1/customers", params={"limit": 1}, headers=KEY).json()["data"][0]["id"]
    page = client.get(f"/customers/{someone}")
    assert "Recommended for this customer" in page.text and "From what they bought" in page.text
    assert page.text.count("/products/") >= 8
    assert client.get("/customers/NOPE").status_code == 404
    assert client.get("/customers", params={"country": "FR"}).status_code == 200


def test_unknown_filters_are_errors(client: TestClient) -> None:
    routes = {"/v1/products": {"q": "lantern"}, "/v1/search": {"q": "lantern"}, "/v1/customers": {},
              "/v1/orders": {"kind": "sale"}}  # fmt: skip
    for route, params in routes.items():
        # not "colour": /v1/search filters by attributes (colour, material, ...) since issue 17
        response = client.get(route, params=params | {"flavour": "mint"}, headers=KEY)
        assert response.status_code == 422, route
        assert (
            response.json()["field"] == "flavour"
            and "unknown parameter" in response.json()["message"]
        )
    assert client.get("/", params={"utm_source": "mail"}).status_code == 200
    # the pages with filters too (a walk: /products?q=mug&colur=red, &limit=-5 showed "Best 50
    # for mug" as if filtered), but not what a link adds to an address
    for page, name in (("/products?q=mug&colur=red", "colur"), ("/products?q=mug&limit=-5",
                       "limit"), ("/customers?country=FR&sort=spend", "sort")):  # fmt: skip
        refused = client.get(page, headers={"accept": "text/html"})
        assert refused.status_code == 422 and f"unknown parameter &#39;{name}&#39;" in (
            refused.text
        ), page
    assert client.get("/products?q=mug&utm_source=mail&fbclid=x").status_code == 200


def test_a_query_of_no_letters_or_digits_is_refused(client: TestClient) -> None:
    """A walk: "!!!???", two emoji and a zero-width space were searched (200, no results)
    where white space alone was refused; words beside an emoji are searched."""
    for q in ("!!!???...", "\U0001f600\U0001f600", "\u200b"):
        found = client.get("/v1/search", params={"q": q})
        assert found.status_code == 422 and found.json()["field"] == "q", q
        assert "no letters or digits" in found.json()["message"]
        assert client.get("/products", params={"q": q}).status_code == 422
    assert client.get("/v1/search", params={"q": "lantern \U0001f600"}).status_code == 200


def test_a_value_given_twice_is_an_error_not_the_last_one(client: TestClient) -> None:
    """ "?limit=5&limit=500" was read as 500, silently: a parameter that takes one value is
    refused when repeated, on the API and on pages; list parameters still take repeats."""
    for route in (
        "/v1/products?limit=5&limit=150",
        "/v1/orders?kind=sale&kind=cancellation",
        "/v1/search?q=lantern&q=mug",
        "/v1/markets/FR/localize?text=a&text=b",
    ):
        response = client.get(route, headers=KEY)
        assert response.status_code == 422, route
        body = response.json()
        assert "more than once" in body["message"] and body["field"] in route, route
    page = client.get("/products?q=mug&q=lantern", headers={"accept": "text/html"})
    assert page.status_code == 422 and "q is given more than once" in page.text
    assert client.get("/products?type=mug&type=lantern").status_code == 200  # a facet: a list
    assert client.get("/v1/products?limit=5", headers=KEY).status_code == 200
    # a form field too: "source=cup&source=plate" stored a glossary term for plate (an attack)
    post_form(client, "/login", data={"key": "test-key"})
    token = client.cookies["borderless_csrf"]
    twice = client.post("/glossary", content=f"source=cup&source=plate&target=Tasse&language=de"
                        f"&csrf_token={token}",
                        headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert twice.status_code == 422 and "source is given more than once" in twice.text
    assert "plate" not in client.get("/glossary").text


def test_search_by_category(client: TestClient) -> None:
    from .conftest import FIXTURES

    client.app.state.services.search.warm()  # type: ignore[attr-defined]
    db = client.app.state.db  # type: ignore[attr-defined]
    from borderless.capabilities.catalog.shopify import import_shopify
    from borderless.storage.imports import save_listings

    save_listings(db, *import_shopify(FIXTURES / "shopify_products.csv"))
    client.app.state.services.search.refresh()  # type: ignore[attr-defined]
    decor = client.get(
        "/v1/search", params={"q": "heart", "category": "home & garden > decor"}
    ).json()
    assert decor["data"] and {r["product"]["sku"] for r in decor["data"]} == {"85123A"}
    none = client.get("/v1/search", params={"q": "heart", "category": "Toys"}).json()
    assert none["count"] == 0
