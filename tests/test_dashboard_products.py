"""Dashboard: products created and edited (checked as the API checks them), and a form sent
while signed out that lands back on its page after sign-in instead of being lost."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.records import Product
from borderless.config import Settings
from borderless.service import create_app
from borderless.service.routes.product_pages import shown
from borderless.storage import Database, open_database
from borderless.storage.catalog import create_product, get_product, update_product
from borderless.storage.staff import add_account, audit_entries

from .conftest import fake_settings, post_form

LANTERN = Product(
    sku="85123A",
    title="WHITE HANGING HEART T-LIGHT HOLDER",
    description="A white metal holder for one tea light.",
    price=Decimal("2.55"),
    stock=40,
    attributes={"colour": "white", "material": ["metal", "glass"]},
)


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return fake_settings(tmp_path, database_url=f"sqlite:///{tmp_path / 'shop.db'}", api_key="k")


@pytest.fixture
def shop(app_settings: Settings) -> Iterator[Database]:
    db = open_database(app_settings)
    create_product(db, LANTERN)
    yield db
    db.dispose()


@pytest.fixture
def client(app_settings: Settings, shop: Database) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings, shop)) as c:
        yield c


def sign_in(client: TestClient, key: str = "k") -> None:
    done = post_form(client, "/login", data={"key": key, "next": "/"}, follow_redirects=False)
    assert done.status_code == 303


def _api_error(client: TestClient, sku: str, body: dict[str, object]) -> dict[str, str]:
    answer = client.patch(f"/v1/products/{sku}", json=body, headers={"X-API-Key": "k"})
    assert answer.status_code == 422, answer.text
    found: dict[str, str] = answer.json()
    return found


def _edit_form(product: Product, **changes: str) -> dict[str, object]:
    names = list(product.attributes)
    values = [shown(v) for v in product.attributes.values()]
    form: dict[str, object] = {
        "title": product.title,
        "description": product.description,
        "price": str(product.price) if product.price is not None else "",
        "currency": product.currency,
        "stock": str(product.stock) if product.stock is not None else "",
        "language": product.language,
        "attribute_name": [*names, "", ""],
        "attribute_value": [*values, "", ""],
    }
    return form | changes


def test_product_forms_need_an_editor(client: TestClient, shop: Database) -> None:
    for url in ("/products/new", "/products/85123A/edit"):
        away = client.get(url, follow_redirects=False)
        assert away.status_code == 303 and away.headers["location"].startswith("/login?next=")
    sign_in(client, add_account(shop, "vic", "viewer"))
    assert client.get("/products/new").status_code == 403
    refused = post_form(client, "/products/85123A/edit", data={"title": "Changed"})
    assert refused.status_code == 403
    assert get_product(shop, "85123A").title == LANTERN.title


def test_a_seller_creates_a_product_with_attributes(client: TestClient, shop: Database) -> None:
    sign_in(client)
    page = client.get("/products/new")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    made = post_form(
        client,
        "/products/new",
        data={
            "sku": "NEW-1",
            "title": "Paper lantern",
            "description": "Folds flat.",
            "price": "4.50",
            "currency": "eur",
            "stock": "12",
            "language": "en",
            # a name whose value is empty is no attribute (was saved as "pattern": "": a walk)
            "attribute_name": ["colour", "", "size", "pattern"],
            "attribute_value": ["red", "", "30 cm", " "],
        },
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/products/NEW-1?saved=created"
    product = get_product(shop, "NEW-1")
    assert (product.title, product.price, product.currency, product.stock) == (
        "Paper lantern", Decimal("4.5"), "EUR", 12)  # fmt: skip
    assert product.attributes == {"colour": "red", "size": "30 cm"}
    shown = client.get(made.headers["location"]).text
    assert 'id="saved"' in shown and "Paper lantern" in shown
    entry = audit_entries(shop, limit=5)[0][0]
    assert (entry.action, entry.subject, entry.actor) == ("product.create", "NEW-1", "owner")
    # Search knows it at once.
    assert "NEW-1" in [h.id for h in client.app.state.services.search.search("paper lantern", k=5)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": "-1"}, "price"),
        ({"price": "1.23456"}, "price"),
        ({"price": "ten"}, "price"),
        ({"price": "1,250"}, "price"),  # was saved as 1.25: a thousand or one and a quarter?
        ({"price": "2,999"}, "price"),
        ({"stock": "1.5"}, "stock"),
        ({"stock": "99999999999"}, "stock"),
        ({"currency": "EURO"}, "currency"),
        ({"title": ""}, "title"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_a_refused_edit_shows_the_apis_message_and_changes_nothing(
    client: TestClient, shop: Database, change: dict[str, str], field: str
) -> None:
    sign_in(client)
    api = _api_error(client, "85123A", {field: change[field]})
    before = get_product(shop, "85123A")
    audits = audit_entries(shop)[1]
    answer = post_form(client, "/products/85123A/edit", data=_edit_form(before, **change))
    assert answer.status_code == 422
    assert 'id="form-error"' in answer.text and 'id="product-form"' in answer.text
    assert api["field"] == field
    assert f'value="{change[field]}"' in answer.text or field == "title"  # the form kept it
    message = api["message"].replace("'", "&#39;").replace('"', "&#34;")
    assert message in answer.text, (api["message"], answer.text[:2000])
    assert get_product(shop, "85123A") == before
    assert audit_entries(shop)[1] == audits


def test_attribute_errors_name_the_attribute_and_change_nothing(
    client: TestClient, shop: Database
) -> None:
    sign_in(client)
    before = get_product(shop, "85123A")
    form = _edit_form(before)
    form["attribute_name"] = ["colour", "colour"]
    form["attribute_value"] = ["red", "blue"]
    twice = post_form(client, "/products/85123A/edit", data=form)
    assert twice.status_code == 422 and "is given twice" in twice.text
    form["attribute_name"], form["attribute_value"] = ["", "x" * 101], ["orphan", "long name"]
    orphan = post_form(client, "/products/85123A/edit", data=form)
    assert orphan.status_code == 422 and "has no name" in orphan.text
    form["attribute_name"], form["attribute_value"] = ["colour"], ["x" * 2001]
    long = post_form(client, "/products/85123A/edit", data=form)
    api = _api_error(client, "85123A", {"attributes": {"colour": "x" * 2001}})
    assert long.status_code == 422 and api["message"] in long.text
    assert get_product(shop, "85123A") == before


def test_an_edit_writes_only_what_changed_and_keeps_typed_attributes(
    client: TestClient, shop: Database
) -> None:
    sign_in(client)
    before = get_product(shop, "85123A")
    form = _edit_form(before, price="3.10", stock="")
    form["attribute_name"] = ["colour", "material", "pattern"]
    form["attribute_value"] = ["ivory", '["metal", "glass"]', "hearts"]
    done = post_form(client, "/products/85123A/edit", data=form, follow_redirects=False)
    assert done.status_code == 303
    after = get_product(shop, "85123A")
    assert after.price == Decimal("3.1") and after.stock is None
    assert after.attributes == {"colour": "ivory", "material": ["metal", "glass"],
                                "pattern": "hearts"}  # fmt: skip
    assert after.title == before.title and after.description == before.description
    entry = audit_entries(shop, limit=1)[0][0]
    assert (entry.action, entry.subject) == ("product.update", "85123A")
    assert entry.detail == {"fields": ["attributes", "price", "stock"]}
    unchanged = post_form(client, "/products/85123A/edit", data=_edit_form(after))
    assert unchanged.status_code == 422 and "nothing changed: the form holds" in unchanged.text


def test_where_facts_came_from_is_kept_not_edited(client: TestClient, shop: Database) -> None:
    """The edit form showed "confirmed: type" as an attribute row (a walk)."""
    sign_in(client)
    kept = {"colour": "ivory", "confirmed": ["type"], "source": "seller"}
    update_product(shop, "85123A", {"attributes": kept})
    page = client.get("/products/85123A/edit").text
    assert 'value="confirmed"' not in page and 'value="source"' not in page
    assert 'value="colour"' in page and 'id="attributes-elsewhere"' in page
    form = _edit_form(get_product(shop, "85123A"))
    form["attribute_name"], form["attribute_value"] = ["colour"], ["white"]
    done = post_form(client, "/products/85123A/edit", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert get_product(shop, "85123A").attributes == kept | {"colour": "white"}
    form["attribute_name"], form["attribute_value"] = ["colour", "confirmed"], ["red", "x"]
    refused = post_form(client, "/products/85123A/edit", data=form)
    assert refused.status_code == 422 and "confirmed&#39; is kept by Borderless" in refused.text


def test_a_new_product_with_a_taken_sku_is_refused(client: TestClient, shop: Database) -> None:
    sign_in(client)
    taken = post_form(
        client,
        "/products/new",
        data={"sku": "85123A", "title": "Copy", "currency": "GBP", "language": "en"},
    )
    assert taken.status_code == 422 and "exists already" in taken.text
    assert get_product(shop, "85123A").title == LANTERN.title
    tabbed = post_form(
        client,
        "/products/new",
        data={"sku": "A\tB", "title": "x", "currency": "GBP", "language": "en"},
    )
    assert tabbed.status_code == 422 and 'id="form-error"' in tabbed.text
    # inner spaces as every import takes them ("BANK CHARGES"): one rule for every way in
    spaced = post_form(
        client,
        "/products/new",
        data={"sku": "A B", "title": "x", "currency": "GBP", "language": "en"},
        follow_redirects=False,
    )
    assert spaced.status_code == 303 and get_product(shop, "A B").title == "x"


def test_a_form_sent_while_signed_out_lands_back_on_its_page(client: TestClient) -> None:
    page = "/products/85123A/translate?language=fr"
    # Signed out (the session ended): the click is not replayed and not lost.
    referer = {"referer": f"http://testserver{page}"}
    sent = post_form(
        client,
        "/products/85123A/translate",
        data={"language": "fr"},
        headers=referer,
        follow_redirects=False,
    )
    assert sent.status_code == 303
    login = sent.headers["location"]
    target = parse_qs(urlsplit(login).query)["next"][0]
    assert target == page + "&again=1"
    assert client.get(login).status_code == 200  # the sign-in page, not a 405
    signed = post_form(client, "/login", data={"key": "k", "next": target}, follow_redirects=False)
    assert signed.headers["location"] == target
    landed = client.get(target)
    assert landed.status_code == 200 and "Signed in — please send that again" in landed.text
    assert "85123A" in landed.text


def test_without_a_referer_the_form_path_s_page_is_used(client: TestClient) -> None:
    for posted, page in [
        ("/products/85123A/edit", "/products/85123A/edit"),  # answers GET itself
        ("/copy/7/review", "/"),  # no page on the way up: the overview
    ]:
        sent = post_form(client, posted, data={"status": "approved"}, follow_redirects=False)
        target = parse_qs(urlsplit(sent.headers["location"]).query)["next"][0]
        assert target == page + "?again=1"
        assert client.get(target).status_code == 200
    foreign = post_form(client, "/products/new", data={"sku": "X"},
                        headers={"referer": "https://evil.example/products"},
                        follow_redirects=False)  # fmt: skip
    assert (
        parse_qs(urlsplit(foreign.headers["location"]).query)["next"][0] == "/products/new?again=1"
    )


def test_a_list_attribute_reads_as_words_on_the_product_page(client: TestClient) -> None:
    # it read "material ['metal', 'glass']" (a walk)
    sign_in(client)
    page = client.get("/products/85123A").text
    facts = page[page.index('<dl class="facts">') :].split("</dl>")[0]
    assert "<dd>metal, glass</dd>" in facts and "[" not in facts


def test_a_list_attribute_is_shown_and_edited_as_words(client: TestClient, shop: Database) -> None:
    """A walk: the edit form showed colour as '["white"]'."""
    sign_in(client)
    create_product(shop, Product(sku="LIST1", title="Mug", attributes={"colour": ["white"]}))
    page = client.get("/products/LIST1/edit").text
    assert 'value="white"' in page and "[&#34;white" not in page
    form = _edit_form(get_product(shop, "LIST1"))
    form["attribute_name"], form["attribute_value"] = ["colour"], ["white, red"]
    done = post_form(client, "/products/LIST1/edit", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert get_product(shop, "LIST1").attributes == {"colour": ["white", "red"]}


def test_a_busy_model_is_said_as_busy_with_a_way_back_to_the_form(
    app_settings: Settings, shop: Database
) -> None:
    """A walk: a review's translation, while the models were busy, was headed "Not available
    on this installation" and linked "Back to /reviews/1 without the filters"."""
    from borderless.errors import Busy

    app = create_app(app_settings, shop)

    def busy() -> None:
        raise Busy("the models are busy; try again in 49 s", retry_after=49)

    app.add_api_route("/reviews/1/translate-test", busy, methods=["POST"])
    with TestClient(app) as client:
        page = post_form(client, "/reviews/1/translate-test",
                         headers={"referer": "http://testserver/reviews?page=2"})  # fmt: skip
        assert page.status_code == 503 and page.headers["Retry-After"] == "49"
        assert "Busy right now" in page.text and "Not available" not in page.text
        assert 'href="/reviews?page=2">Back to the page you came from' in page.text
        elsewhere = post_form(client, "/reviews/1/translate-test",
                              headers={"referer": "https://evil.example/x"})  # fmt: skip
        assert "came from" not in elsewhere.text
