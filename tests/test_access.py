"""Every API operation against the access table in docs/access.md.

An operation the table does not list fails; a staff or conversation operation must refuse a
caller without credentials (401), a public one must not ask for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.config import Settings
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.staff import add_account

TABLE = Path(__file__).resolve().parent.parent / "docs" / "access.md"
RULES = {"public", "staff", "editor", "conversation", "customer (optional)"}


def access_table() -> dict[tuple[str, str], str]:
    rows = re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| (\S+) \| ([^|]+) \|$",
                      TABLE.read_text(encoding="utf-8"), flags=re.M)  # fmt: skip
    return {(method, path): rule.strip() for method, path, rule in rows}


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db)) as c:
        yield c


def _operations(client: TestClient) -> Iterator[tuple[str, str]]:
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        for method in operations:
            yield method.upper(), path


def test_every_operation_has_a_rule(client: TestClient) -> None:
    table = access_table()
    assert set(table.values()) <= RULES
    assert set(_operations(client)) == set(table)


def test_no_credentials_no_access(client: TestClient) -> None:
    table = access_table()
    for method, path in _operations(client):
        filled = re.sub(r"\{[^}]+\}", "x", path)
        answer = client.request(method, filled, json={} if method != "GET" else None)
        refused = answer.status_code == 401
        rule = table[(method, path)]
        assert refused == (rule in {"staff", "editor", "conversation"}), (method, path, answer.text)
        if refused:
            assert answer.json()["code"] == "unauthorized"


def test_a_viewer_key_is_refused_every_editor_operation(client: TestClient, db: Database) -> None:
    """A viewer's key reads what staff read and is answered 403 on an editor's operation,
    before the body is read (the reproducer: a viewer's key could decide orders under review,
    save risk rules and retrain the risk model)."""
    viewer = {"X-API-Key": add_account(db, "vic", "viewer")}
    table = access_table()
    for method, path in _operations(client):
        rule = table[(method, path)]
        if rule not in {"staff", "editor"}:
            continue
        filled = re.sub(r"\{[^}]+\}", "x", path)
        answer = client.request(method, filled, headers=viewer,
                                json={} if method != "GET" else None)  # fmt: skip
        assert (answer.status_code == 403) == (rule == "editor"), (method, path, answer.text)
    assert sum(rule == "editor" for rule in table.values()) >= 30


def test_every_list_has_one_page_shape(client: TestClient) -> None:
    """Lists answer {data, count (all that match), limit, offset}, everywhere."""
    checked = 0
    for method, path in _operations(client):
        if method != "GET" or "{" in path:
            continue
        answer = client.get(path, headers={"X-API-Key": "test-key"})
        json_answer = answer.headers.get("content-type", "").startswith("application/json")
        body = answer.json() if answer.status_code == 200 and json_answer else None
        if isinstance(body, dict) and isinstance(body.get("data"), list):
            assert {"data", "count", "limit", "offset"} <= set(body), path
            assert body["count"] >= len(body["data"]) and body["limit"] >= len(body["data"])
            checked += 1
    assert checked >= 8
