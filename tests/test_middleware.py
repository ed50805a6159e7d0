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
    small = settings.model_copy(update={"max_body_bytes": 4096})
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
