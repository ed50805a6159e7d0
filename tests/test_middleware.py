"""Every answer carries security headers; a body over the limit is refused, streamed or not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from borderless.config import Settings
from borderless.service import create_app
from borderless.storage import Database

KEY = {"X-API-Key": "test-key"}


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    small = settings.model_copy(update={"max_body_bytes": 4096, "max_upload_bytes": 16384})
    with TestClient(create_app(small, db)) as c:
        yield c


@pytest.mark.parametrize("path", ["/", "/health", "/v1/products", "/docs", "/nowhere"])
def test_security_headers_on_every_answer(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    inline = "'unsafe-inline'" in policy.split("script-src")[1].split(";")[0]
    assert inline == (path == "/docs")  # only Swagger UI's own start-up script
    # Back after "Sign out" showed the customer page before it (a walk)
    assert answer.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(client: TestClient) -> None:
    answer = client.get("/static/style.css")
    assert answer.status_code == 200 and "no-store" not in answer.headers.get("cache-control", "")


def test_a_large_body_is_refused_before_it_is_read(client: TestClient) -> None:
    big = {"texts": ["x" * 5000], "target": "de"}
    answer = client.post("/v1/translate", json=big)
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"


def test_a_large_streamed_body_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"texts": ["'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"], "target": "de"}'

    answer = client.post(
        "/v1/products", content=chunks(), headers=KEY | {"content-type": "application/json"}
    )
    assert answer.status_code == 413


def test_a_file_upload_may_be_larger_and_a_browser_is_answered_with_a_page(
    client: TestClient,
) -> None:
    """A 3 MB stock file was refused at the API's 1 MB, with a JSON error and no way back
    (a walk): a form's file may reach the upload limit, and past it a browser gets a page that
    says the limit and links back to the form."""
    file = {"file": ("stock.csv", b"sku,country,on_hand\n" + b"A,DE,1\n" * 1000, "text/csv")}
    taken = client.post("/supply/stock", files=file, follow_redirects=False)
    assert taken.status_code != 413  # 8 KB: over the body limit, within the upload limit
    huge = {"file": ("stock.csv", b"sku,country,on_hand\n" + b"A,DE,1\n" * 3000, "text/csv")}
    page = client.post("/supply/stock", files=huge, headers={"accept": "text/html",
                       "referer": "http://testserver/supply?x=1"})  # fmt: skip
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "16 KB" in page.text and 'href="/supply?x=1"' in page.text
    api = client.post("/supply/stock", files=huge)
    assert api.status_code == 413 and api.json()["code"] == "too_large"
    elsewhere = client.post("/supply/stock", files=huge, headers={"accept": "text/html",
                            "referer": "http://evil.example/x"})  # fmt: skip
    assert 'href="/"' in elsewhere.text  # the way back stays on this site


def test_an_unreadable_query_is_a_page_for_a_browser_and_json_for_the_api(
    client: TestClient,
) -> None:
    """A browser on a dashboard page got raw JSON for "?sku=%00" (a walk); the API keeps JSON."""
    page = client.get("/products?q=%00", headers={"accept": "text/html"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert 'id="back"' in page.text and "q:" in page.text
    api = client.get("/v1/products?q=%00", headers={"accept": "text/html"})
    assert api.status_code == 422 and api.json()["field"] == "q"
    plain = client.get("/products?q=%00")
    assert plain.status_code == 422 and plain.json()["field"] == "q"


def test_a_path_that_is_not_utf8_or_holds_a_control_character_is_named(
    client: TestClient,
) -> None:
    """ "/v1/products/%ED%A0%80" was a 404 naming the SKU '���' where the same bytes in a query
    were a 422, and "/v1/orders/%00/shipments" put a raw NUL into its message (an attack)."""
    for path in ("/v1/products/%ED%A0%80", "/v1/orders/%00/shipments", "/v1/models/%00/x"):
        found = client.get(path, headers={"X-API-Key": "test-key"})
        assert found.status_code == 422 and found.json()["field"] == "path", (path, found.text)
        assert "\x00" not in found.text
    assert (
        client.get("/v1/products/%E2%82%AC-1", headers={"X-API-Key": "test-key"}).status_code == 404
    )
