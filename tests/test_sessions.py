"""Staff accounts with roles, dashboard sessions that expire and end, CSRF, lockout, audit log,
and customer/conversation token expiry and revocation (issue 15's reproducers)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from borderless.capabilities.catalog.retail import RetailImport
from borderless.config import Settings
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage import tables as t
from borderless.storage.imports import save_retail
from borderless.storage.staff import StaffMember, add_account, audit_entries, open_session

from .conftest import post_form, postgres_in_slow_step, run

KEY = {"X-API-Key": "test-key"}
TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "borderless" / "web" / "templates"


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db)) as c:
        yield c


@pytest.fixture
def shop(client: TestClient, db: Database, retail_parsed: Callable[[], RetailImport]) -> TestClient:
    """The client on a shop with customers and products (the first 20,000 order lines)."""
    save_retail(db, retail_parsed())
    return client


def _sign_in(client: TestClient, key: str) -> None:
    answer = post_form(client, "/login", {"key": key, "next": "/orders"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_every_form_that_posts_carries_the_token() -> None:
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>\s*(?:\{\{ csrf_field\(\) \}\})?", text, flags=re.S):
            if re.search(r'method="post"', form, flags=re.I):
                assert "csrf_field()" in form, f"{path.name}: {form[:80]}"


def test_a_form_without_the_token_or_from_another_site_changes_nothing(
    client: TestClient,
) -> None:
    _sign_in(client, "test-key")
    before = client.get("/v1/support/conversations", headers=KEY).json()
    # The reproducer: a cross-origin POST riding on the staff cookie.
    foreign = client.post("/support/chat", data={"text": "hello"},
                          headers={"Origin": "https://evil.example"})  # fmt: skip
    assert foreign.status_code == 403
    tokenless = client.post("/support/chat", data={"text": "hello"})
    assert tokenless.status_code == 403 and "reload the page" in tokenless.text
    assert client.get("/v1/support/conversations", headers=KEY).json() == before


def test_sessions_are_per_sign_in_and_end_at_sign_out(client: TestClient) -> None:
    _sign_in(client, "test-key")
    first = client.cookies["borderless_session"]
    assert client.get("/orders", follow_redirects=False).status_code == 200
    post_form(client, "/logout", follow_redirects=False)
    client.cookies.delete("borderless_session")
    client.cookies.set("borderless_session", first)  # an old cookie replayed
    assert client.get("/orders", follow_redirects=False).status_code == 303
    client.cookies.delete("borderless_session")
    _sign_in(client, "test-key")
    assert client.cookies["borderless_session"] != first  # not one fixed value for everyone


def test_an_expired_session_signs_out(client: TestClient, db: Database) -> None:
    token = open_session(db, StaffMember("owner", "admin"), hours=1)
    client.cookies.set("borderless_session", token)
    assert client.get("/orders", follow_redirects=False).status_code == 200
    with db.engine.begin() as conn:
        conn.execute(update(t.staff_sessions).values(expires_at=t.staff_sessions.c.created_at))
    assert client.get("/orders", follow_redirects=False).status_code == 303


def test_session_cookie_flags(settings: Settings, db: Database) -> None:
    with TestClient(create_app(settings, db), base_url="https://shop.example") as secure:
        answer = post_form(secure, "/login", {"key": "test-key"}, follow_redirects=False)
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    assert "max-age=28800" in cookie  # 8 hours


@postgres_in_slow_step
def test_roles_viewer_reads_editor_writes(client: TestClient, db: Database) -> None:
    heart = {"sku": "85123A", "title": "White hanging heart", "price": "2.55"}
    assert client.post("/v1/products", json=heart, headers=KEY).status_code == 201
    viewer, editor = add_account(db, "vic", "viewer"), add_account(db, "eda", "editor")
    assert client.get("/v1/customers", headers={"X-API-Key": viewer}).status_code == 200
    change = {"title": "A better heart"}
    refused = client.patch("/v1/products/85123A", json=change, headers={"X-API-Key": viewer})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    done = client.patch("/v1/products/85123A", json=change, headers={"X-API-Key": editor})
    assert done.status_code == 200
    entries, _ = audit_entries(db)
    assert (entries[0].actor, entries[0].action, entries[0].subject) == (
        "eda", "product.update", "85123A",
    )  # fmt: skip
    # A viewer signed in to the dashboard may look but not act.
    _sign_in(client, viewer)
    talk = client.post("/v1/support/conversations", json={"text": "hi"}).json()["id"]
    reply = post_form(client, f"/support/conversations/{talk}/reply", {"text": "Hello"})
    assert reply.status_code == 403


def _post_actions(page: str) -> set[str]:
    forms = re.findall(r'<form\b[^>]*method="post"[^>]*>', page, flags=re.I)
    return {re.sub(r"/(?:[^/]*\d[^/]*)(?=/|$)", "/N", re.search(r'action="([^"]*)"', f)[1])
            for f in forms}  # fmt: skip


def test_a_viewer_sees_no_form_it_may_not_send(shop: TestClient, db: Database) -> None:
    """Viewers read every page without the forms an editor uses (they used to see them all and
    get an error page on sending one); the page says why."""
    client = shop
    sku = client.get("/v1/products?limit=1", headers=KEY).json()["data"][0]["sku"]
    pages = ["/glossary", "/markets", "/jobs", "/risk", "/risk/rules", "/models", "/products",
             f"/products/{sku}", f"/products/{sku}/translate?language=de",
             f"/products/{sku}/copy"]  # fmt: skip
    _sign_in(client, add_account(db, "vic", "viewer"))
    seen: set[str] = set()
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 200, page
        assert 'id="read-only"' in answer.text
        seen |= _post_actions(answer.text)
    assert seen <= {"/logout", "/risk/rules"}, seen  # rules: the dry run, not the save button
    assert 'id="save-rules"' not in client.get("/risk/rules").text
    refused = post_form(client, "/risk/score", follow_redirects=False)
    assert refused.status_code == 403
    post_form(client, "/logout")
    client.cookies.clear()
    _sign_in(client, add_account(db, "eda", "editor"))
    editor_seen: set[str] = set()
    for page in pages:
        answer = client.get(page)
        assert 'id="read-only"' not in answer.text
        editor_seen |= _post_actions(answer.text)
    assert {
        "/glossary",
        "/markets/rates",
        "/jobs",
        "/risk/score",
        "/risk/train",
        "/products/N/translate",
        "/products/N/copy",
    } <= editor_seen, editor_seen


def test_wrong_keys_lock_the_address_out(client: TestClient) -> None:
    for _ in range(10):
        assert client.get("/v1/customers", headers={"X-API-Key": "guess"}).status_code == 401
    locked = client.get("/v1/customers", headers=KEY)  # even the right key, for a while
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert post_form(client, "/login", {"key": "test-key"}).status_code == 429


def test_customer_tokens_expire_and_are_revoked(shop: TestClient, db: Database) -> None:
    client = shop
    customer = client.get("/v1/customers", headers=KEY).json()["data"][0]["id"]
    token = client.post("/v1/support/tokens", json={"customer_id": customer}, headers=KEY)
    mine = {"X-Customer-Token": token.json()["token"]}
    started = client.post("/v1/support/conversations", json={}, headers=mine)
    assert started.status_code == 201
    path = f"/v1/support/conversations/{started.json()['id']}"
    own = {"X-Conversation-Token": started.json()["access_token"]}
    assert client.get(path, headers=own).status_code == 200
    gone = client.delete(f"/v1/support/tokens/{customer}", headers=KEY)
    assert gone.json() == {"revoked": 1}
    assert client.post("/v1/support/conversations", json={}, headers=mine).status_code == 401
    # signed out everywhere: the conversation started with the token is closed to its own
    # token too (it still read the customer's orders: an attack); staff still read it
    assert client.get(path, headers=own).status_code == 401
    assert client.get(path, headers=KEY).status_code == 200
    again = client.post("/v1/support/tokens", json={"customer_id": customer}, headers=KEY)
    later = {"X-Customer-Token": again.json()["token"]}
    with db.engine.begin() as conn:
        conn.execute(update(t.customer_tokens).values(expires_at=t.customer_tokens.c.created_at))
    refused = client.post("/v1/support/conversations", json={}, headers=later)
    assert refused.status_code == 401 and "expired" in refused.json()["message"]


def test_conversation_tokens_expire_and_are_revoked(client: TestClient, db: Database) -> None:
    started = client.post("/v1/support/conversations", json={}).json()
    own = {"X-Conversation-Token": started["access_token"]}
    path = f"/v1/support/conversations/{started['id']}"
    assert client.get(path, headers=own).status_code == 200
    assert client.post(f"{path}/revoke", headers=KEY).status_code == 200
    assert client.get(path, headers=own).status_code == 401
    assert client.get(path, headers=KEY).status_code == 200  # staff still read it
    other = client.post("/v1/support/conversations", json={}).json()
    with db.engine.begin() as conn:
        conn.execute(
            update(t.support_conversations)
            .where(t.support_conversations.c.id == other["id"])
            .values(updated_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(days=31))
        )
    stale = {"X-Conversation-Token": other["access_token"]}
    assert client.get(f"/v1/support/conversations/{other['id']}", headers=stale).status_code == 401


def test_staff_cli(tmp_path: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(tmp_path)}
    made = run("staff", "add", "ana", "--role", "viewer", env=env)
    assert made.returncode == 0 and made.stdout.startswith("bk_")
    assert run("staff", "add", "ana", env=env).returncode == 2  # exists
    assert run("staff", "add", "bo", "--role", "boss", env=env).returncode == 2
    listed = run("staff", "list", "--json", env=env)
    assert '"name": "ana"' in listed.stdout and '"role": "viewer"' in listed.stdout
    assert run("staff", "remove", "ana", env=env).returncode == 0
    assert run("staff", "remove", "ana", env=env).returncode == 2
    assert run("staff", "audit", "--json", env=env).returncode == 0
