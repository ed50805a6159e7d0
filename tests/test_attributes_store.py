"""Attributes stored per product: extraction, the seller's edits, API, dashboard, search facets."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.attributes import load_vocabulary
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.copywrite import facts_of
from borderless.config import Settings
from borderless.errors import InvalidInput, NotFound
from borderless.jobs.attributes import refresh_and_record
from borderless.storage import Database
from borderless.storage.attributes import (
    attribute_facets,
    decide_attribute,
    product_attributes,
    set_attributes,
    skus_with_attributes,
)
from borderless.storage.catalog import create_product, get_product
from borderless.storage.staff import add_account

from .conftest import FIXTURES, post_form, run

CATALOG = [
    ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER"),
    ("21232", "STRAWBERRY CERAMIC TRINKET BOX"),
    ("22423", "REGENCY CAKESTAND 3 TIER"),
    ("47566", "PARTY BUNTING"),
    ("84879", "ASSORTED COLOUR BIRD ORNAMENT"),
    ("22720", "SET OF 3 CAKE TINS PANTRY DESIGN"),
    ("21754", "RED WOODEN PHOTO FRAME"),
    ("21755", "RED GLASS T-LIGHT HOLDER"),
    ("21756", "BLACK WOODEN PHOTO FRAME"),
]


def _shop(db: Database) -> None:
    for sku, title in CATALOG:
        create_product(db, Product(sku=sku, title=title, price=None))
    refresh_and_record(db)


def test_refresh_stores_evidence_and_suggestions(db: Database) -> None:
    _shop(db)
    found = product_attributes(db, "85123A")
    facts = found.facts()
    assert facts["type"] == "t-light holder" and facts["colour"] == "white"
    title = CATALOG[0][1]
    for a in found.attributes:
        if a.field == "title":
            assert title[a.start : a.end] == a.span  # every span points into the title
    glass = [a for a in found.attributes if a.value == "glass"]
    assert glass and glass[0].status == "suggested"  # implied, not stated: never a fact
    assert "material" not in facts
    assert product_attributes(db, "22720").facts()["quantity"] == 3  # SET OF 3 CAKE TINS
    # one stand of three tiers, not three stands (a walk: copy may say "a pack of 3")
    stand = product_attributes(db, "22423").facts()
    assert "quantity" not in stand and stand["type"] == "cakestand"
    again = refresh_and_record(db)  # idempotent
    assert product_attributes(db, "85123A") == found
    assert again["products"] == len(CATALOG)


def test_confirmed_suggestion_becomes_a_copy_fact_and_survives_refresh(db: Database) -> None:
    _shop(db)
    vocabulary = load_vocabulary()
    before = facts_of(get_product(db, "85123A"), vocabulary)
    assert "glass" not in before.ids["material"]
    decide_attribute(db, "85123A", "material", "glass", "confirmed", "eda")
    product = get_product(db, "85123A")
    assert product.attributes["material"] == "glass"
    assert "material" in product.attributes["confirmed"]
    assert "glass" in facts_of(product, vocabulary).ids["material"]
    refresh_and_record(db)
    assert product_attributes(db, "85123A").facts()["material"] == "glass"
    # a rejected stated value does not come back either
    decide_attribute(db, "85123A", "colour", "white", "rejected", "eda")
    refresh_and_record(db)
    assert "colour" not in product_attributes(db, "85123A").facts()


def test_seller_values_replace_a_name_and_bad_values_are_refused(db: Database) -> None:
    _shop(db)
    kind = product_attributes(db, "21754").facts()["type"]
    found = set_attributes(db, "21754", {"colour": ["Crimson"], "quantity": "2"}, "eda")
    facts = found.facts()
    assert facts["colour"] == "Crimson" and facts["quantity"] == 2
    red = [a for a in found.attributes if a.value == "red"]
    assert red[0].status == "rejected"
    crimson = next(a for a in found.attributes if a.value == "Crimson")
    assert (crimson.source, crimson.field, crimson.span) == ("seller", "seller", "")
    assert facts["type"] == kind  # names not given are left alone
    for bad, field in (
        ({"colour": {"nested": 1}}, "attributes.colour"),
        ({"flavour": "mint"}, "attributes.flavour"),
        ({"quantity": "many"}, "attributes.quantity"),
        ({"colour": "x" * 501}, "attributes.colour"),
        ({"colour": "bad\x00"}, "attributes.colour"),
        ([1, 2], "attributes"),
        # a colour of 123 was stored and shown as "colour 123"; null was told "must be text, a
        # number or true/false" when true had just been told "must be text"
        ({"colour": 123}, "attributes.colour"),
        ({"colour": [True]}, "attributes.colour"),
        ({"material": None}, "attributes.material"),
    ):
        with pytest.raises(InvalidInput) as error:
            set_attributes(db, "21754", bad, "eda")  # type: ignore[arg-type]
        assert error.value.field == field
        assert "a number or true/false" not in str(error.value)
    with pytest.raises(InvalidInput, match=r"null is no value; send \[\] to clear it"):
        set_attributes(db, "21754", {"colour": None}, "eda")  # type: ignore[dict-item]
    assert product_attributes(db, "21754").facts() == facts  # nothing half-written
    assert set_attributes(db, "21754", {"size": 38}, "eda").facts()["size"] == "38"  # a number
    with pytest.raises(NotFound):
        set_attributes(db, "NOPE", {"colour": "red"}, "eda")


def test_filters_and_facets(db: Database) -> None:
    _shop(db)
    assert skus_with_attributes(db, {"colour": ["RED"]}) == {"21754", "21755"}
    assert skus_with_attributes(db, {"colour": ["red"], "material": ["wood"]}) == {"21754"}
    assert skus_with_attributes(db, {"material": ["glass"]}) == {"21755"}  # not 85123A: implied
    facets = attribute_facets(db, [sku for sku, _ in CATALOG])
    assert ("red", 2) in facets["colour"]
    assert sum(n for value, n in facets["type"] if value.endswith("photo frame")) == 2


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    from borderless.service.app import create_app

    _shop(db)
    with TestClient(create_app(settings, db)) as c:
        yield c


def test_api_reads_and_editors_write(client: TestClient, db: Database) -> None:
    got = client.get("/v1/products/85123A/attributes")
    assert got.status_code == 200
    body = got.json()
    assert body["facts"]["type"] == "t-light holder"
    assert any(a["status"] == "suggested" and a["value"] == "glass" for a in body["data"])
    change = {"attributes": {"material": ["glass"]}}
    assert client.put("/v1/products/85123A/attributes", json=change).status_code == 401
    viewer, editor = add_account(db, "vic", "viewer"), add_account(db, "eda", "editor")
    refused = client.put(
        "/v1/products/85123A/attributes", json=change, headers={"X-API-Key": viewer}
    )
    assert refused.status_code == 403
    done = client.put("/v1/products/85123A/attributes", json=change, headers={"X-API-Key": editor})
    assert done.status_code == 200 and done.json()["facts"]["material"] == "glass"
    bad = client.put(
        "/v1/products/85123A/attributes",
        json={"attributes": {"colour": {"a": 1}}},
        headers={"X-API-Key": editor},
    )
    assert bad.status_code == 422 and bad.json()["field"] == "attributes.colour"
    assert client.get("/v1/products/NOPE/attributes").status_code == 404


def test_search_filters_and_facets(client: TestClient) -> None:
    found = client.get("/v1/search", params={"q": "photo frame", "mode": "lexical"}).json()
    assert {r["product"]["sku"] for r in found["data"]} >= {"21754", "21756"}
    colours = {f["value"]: f["count"] for f in found["facets"]["colour"]}
    assert colours["red"] >= 1 and colours["black"] >= 1
    narrowed = client.get(
        "/v1/search",
        params={"q": "photo frame", "mode": "lexical", "colour": "red", "material": "wood"},
    ).json()
    assert [r["product"]["sku"] for r in narrowed["data"]] == ["21754"]
    either = client.get(
        "/v1/search", params=[("q", "frame holder"), ("mode", "lexical"), ("colour", "red"),
                              ("colour", "black")],
    ).json()  # fmt: skip
    assert {r["product"]["sku"] for r in either["data"]} == {"21754", "21755", "21756"}
    none = client.get("/v1/search", params={"q": "frame", "mode": "lexical", "type": "bunting"})
    assert none.json()["data"] == []


def test_the_products_page_narrows_a_search_by_facets(client: TestClient) -> None:
    page = client.get("/products", params={"q": "photo frame"}).text
    facets = page[page.index('id="facets"') : page.index("</nav>", page.index('id="facets"'))]
    assert "colour" in facets and ">red</a>" in facets and ">black</a>" in facets
    red = re.search(r'href="([^"]+)">red</a>', facets)
    assert red is not None
    narrowed = client.get(html.unescape(red.group(1))).text
    rows = narrowed[narrowed.index('id="products"') :]
    assert "21754" in rows and "21756" not in rows  # the black frame is gone
    assert 'id="facet-active"' in narrowed and "colour: red" in narrowed
    # the chip takes the filter off again
    chip = re.search(r'class="chip" href="([^"]+)"', narrowed)
    assert chip is not None
    back = client.get(html.unescape(chip.group(1))).text
    assert "21756" in back[back.index('id="products"') :] and 'id="facet-active"' not in back
    too_long = client.get("/products", params={"q": "frame", "colour": "x" * 201})
    assert too_long.status_code == 422


def test_product_page_shows_evidence_and_confirms_a_suggestion(client: TestClient) -> None:
    page = client.get("/products/85123A").text
    assert '<mark title="colour: white">WHITE</mark>' in page
    assert "Suggestions to confirm" in page and "Confirm" not in page  # not signed in
    assert post_form(client, "/login", data={"key": "test-key"}, follow_redirects=False)
    page = client.get("/products/85123A").text
    assert 'name="csrf_token"' in page and "Confirm" in page
    sent = post_form(
        client,
        "/products/85123A/attributes/decide",
        data={"name": "material", "value": "glass", "status": "confirmed"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = client.get("/products/85123A").text
    assert "Suggestions to confirm" not in page and "confirmed" in page
    edited = post_form(
        client,
        "/products/21754/attributes",
        data={"colour": "red, black"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    facts = client.get("/v1/products/21754/attributes").json()["facts"]
    assert sorted(facts["colour"]) == ["black", "red"]
    no_token = client.post("/products/21754/attributes", data={"colour": "blue"})
    assert no_token.status_code == 403


def test_a_product_added_on_the_page_has_its_title_read_on_request(client: TestClient) -> None:
    """A product added on the dashboard or by the API had "No attributes yet: run borderless
    attributes refresh" under the attributes the seller gave it, until the next import."""
    made = client.post("/v1/products", json={"sku": "NEW1", "title": "RED GLASS T-LIGHT HOLDER",
                                             "attributes": {"origin": "Wales"}},
                       headers={"X-API-Key": "test-key"})  # fmt: skip
    assert made.status_code == 201, made.text
    page = client.get("/products/NEW1").text
    assert "attributes refresh" not in page and "Read the title now" not in page  # a shopper
    assert "next catalog import" in page and "Wales" in page
    assert post_form(client, "/login", data={"key": "test-key"}, follow_redirects=False)
    page = client.get("/products/NEW1").text
    assert "Read the title now" in page
    read = post_form(client, "/products/NEW1/attributes/read", follow_redirects=False)
    assert read.status_code == 303 and read.headers["location"].startswith("/products/NEW1?read=")
    page = client.get(read.headers["location"]).text
    assert '<mark title="colour: red">RED</mark>' in page and "The title was read now" in page
    assert "Read the title now" not in page
    # the count comes from the link: any other text there is not said on the page
    spoof = client.get("/products/NEW1", params={"read": "all your money"}).text
    assert "all your money" not in spoof and "The title was read now" not in spoof
    facts = client.get("/v1/products/NEW1/attributes").json()["facts"]
    assert facts["colour"] == "red" and facts["type"]
    nothing = client.post("/v1/products", json={"sku": "NEW2", "title": "12345"},
                          headers={"X-API-Key": "test-key"})  # fmt: skip
    assert nothing.status_code == 201
    read = post_form(client, "/products/NEW2/attributes/read", follow_redirects=False)
    assert "no brand, type, colour" in client.get(read.headers["location"]).text
    assert post_form(client, "/products/NOPE/attributes/read").status_code == 404


def test_each_run_is_a_registry_version_with_the_sellers_agreement(db: Database) -> None:
    from borderless.storage.registry import list_versions

    for sku, title in CATALOG:
        create_product(db, Product(sku=sku, title=title, price=None))
    counts = refresh_and_record(db)
    assert counts["products"] == len(CATALOG)
    (first,) = list_versions(db, "attributes")
    assert first.version.startswith("catalog-") and first.active
    assert first.data["products"] == len(CATALOG) and len(first.data["sha256"]) == 64
    assert first.metrics["with_type"] == 1.0 and first.metrics["seller_agreement"] is None
    assert first.metrics["suggested"] >= 1  # the implied glass of the t-light holder
    refresh_and_record(db)  # the same titles read by the same code: the same version
    assert [v.version for v in list_versions(db, "attributes")] == [first.version]
    decide_attribute(db, "85123A", "material", "glass", "confirmed", "eda")
    decide_attribute(db, "21754", "colour", "red", "rejected", "eda")
    set_attributes(db, "47566", {"colour": ["multicolour"]}, "eda")
    create_product(db, Product(sku="22000", title="BLUE WOODEN PHOTO FRAME", price=None))
    refresh_and_record(db)
    latest = next(v for v in list_versions(db, "attributes") if v.version != first.version)
    assert latest.active and latest.data["products"] == len(CATALOG) + 1
    assert (latest.metrics["seller_confirmed"], latest.metrics["seller_rejected"]) == (1, 1)
    assert latest.metrics["seller_set"] == 1 and latest.metrics["seller_agreement"] == 0.5


def test_cli_refresh(settings: Settings, db: Database, tmp_path: Path) -> None:
    for sku, title in CATALOG[:3]:
        create_product(db, Product(sku=sku, title=title))
    env = {"BORDERLESS_DATABASE_URL": settings.database_url, "BORDERLESS_DATA_DIR": str(tmp_path)}
    done = run("attributes", "refresh", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["products"] == 3
    assert product_attributes(db, "22423").facts()["type"] == "cakestand"


def test_shopify_import_extracts_attributes(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    env = {"BORDERLESS_DATABASE_URL": settings.database_url, "BORDERLESS_DATA_DIR": str(tmp_path)}
    done = run("import", "shopify", str(FIXTURES / "shopify_products.csv"), "--json", env=env)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["attributes"]
    assert counts["products"] >= 1 and counts["stated"] >= 1
    found = product_attributes(db, "85123A")
    assert found.facts()["type"].endswith("holder")  # a three-listing catalog teaches little
    # the description says metal and glass: stated there, so facts (with their spans)
    metal = next(a for a in found.attributes if a.value == "metal")
    assert metal.status == "stated" and metal.field == "description"


def test_a_name_the_seller_has_given_values_gets_no_more_suggestions(db: Database) -> None:
    """A walk: under material = metal, set by the seller, the product page still asked to
    confirm "material: glass — implied by 'T-LIGHT HOLDER'"."""
    create_product(db, Product(sku="21755", title="RED GLASS T-LIGHT HOLDER", price=None))
    create_product(db, Product(sku="85123A", title="WHITE HANGING HEART T-LIGHT HOLDER",
                               price=None))  # fmt: skip
    set_attributes(db, "85123A", {"material": ["metal"]}, "staff")
    refresh_and_record(db)
    found = product_attributes(db, "85123A")
    assert [(a.value, a.status) for a in found.attributes if a.name == "material"] == [
        ("metal", "confirmed")
    ]


def test_a_quantity_out_of_bounds_is_told_its_own_bounds(db: Database) -> None:
    """An attack: 10**30 was told "between -1,000,000,000 and 1,000,000,000"."""
    create_product(db, Product(sku="Q1", title="MUG", price=None))
    with pytest.raises(InvalidInput, match="not between 1 and 1,000,000"):
        set_attributes(db, "Q1", {"quantity": 10**30}, "staff")


@pytest.mark.parametrize(
    ("size", "said"),
    [("1e309 cm", "exponent form"), ("-3 cm", "not negative"), ("10 furlongs", "'furlongs'"),
     ("99999999 cm", "too large")],
)  # fmt: skip
def test_a_size_is_a_size(db: Database, size: str, said: str) -> None:
    """ "1e309 cm", "-3 cm" and "10 furlongs" were stored as seller-confirmed facts (an attack)."""
    create_product(db, Product(sku="S1", title="DRESS", price=None))
    with pytest.raises(InvalidInput, match=said) as caught:
        set_attributes(db, "S1", {"size": size}, "staff")
    assert caught.value.field == "attributes.size"
    for fine in ("38", "XL", "UK 10", "30 x 40 cm", "3-4 years", "2XL", "One size"):
        set_attributes(db, "S1", {"size": fine}, "staff")
