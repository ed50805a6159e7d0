"""The support assistant through the API and the dashboard, on both databases.

The intent model is the default one (Bitext + our examples), trained once per session with
USE (the faster of the two multilingual embedders); the knowledge base uses the fake embedder."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import RetailImport
from borderless.config import Settings
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.imports import save_retail
from borderless.storage.support import ShopOrderBook

from .conftest import ROOT, post_form, shared_data_dir

KEY = {"X-API-Key": "test-key"}
FAQ = ROOT / "src" / "borderless" / "capabilities" / "support" / "defaults" / "faq.md"


@pytest.fixture(scope="session")
def default_intents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from borderless.capabilities.support.intents import train_intents
    from borderless.capabilities.support.seed import seed_examples
    from borderless.capabilities.support.store import IntentStore

    usem3 = pytest.importorskip("borderless.backends.local.use")
    root = tmp_path_factory.mktemp("intents")
    model = train_intents(seed_examples(shared_data_dir()), [usem3.UseEmbedder()])
    IntentStore(root).save(model)
    return root


@pytest.fixture
def client(
    settings: Settings,
    db: Database,
    retail_parsed: Callable[[], RetailImport],
    default_intents: Path,
) -> Iterator[TestClient]:
    save_retail(db, retail_parsed())
    shutil.copytree(default_intents, settings.models_dir / "intents")
    # The demo FAQ in English only: its answers are also written in the 13 other market
    # languages (quoted as written, test_support_assistant), and these tests read what happens
    # to an answer the engine translates.
    english = settings.data_dir / "faq-en.md"
    english.parent.mkdir(parents=True, exist_ok=True)
    english.write_text(
        re.sub(r"(?ms)^### [a-z]{2}(?::[^\n]*)?\n.*?(?=^## |\Z)", "", FAQ.read_text())
    )
    settings.support_knowledge = english
    with TestClient(create_app(settings, db)) as c:
        yield c


def two_customers(db: Database) -> tuple[tuple[str, list[Any]], tuple[str, list[Any]]]:
    """Two customers with several orders each, and their orders."""
    from sqlalchemy import func, select

    from borderless.storage import tables as t

    with db.engine.connect() as conn:
        ids = (
            conn.execute(
                select(t.orders.c.customer_id)
                .where(t.orders.c.customer_id.is_not(None), t.orders.c.kind == "sale")
                .group_by(t.orders.c.customer_id)
                .having(func.count() >= 2)
                .order_by(t.orders.c.customer_id)
                .limit(2)
            )
            .scalars()
            .all()
        )
    book = ShopOrderBook(db)
    return (ids[0], book.orders_of(ids[0])), (ids[1], book.orders_of(ids[1]))


def start(
    client: TestClient, customer: str | None = None, text: str | None = None
) -> dict[str, Any]:
    headers = {}
    if customer:
        token = client.post("/v1/support/tokens", json={"customer_id": customer}, headers=KEY)
        assert token.status_code == 201
        headers["X-Customer-Token"] = token.json()["token"]
    body = {"text": text} if text else None
    made = client.post("/v1/support/conversations", json=body, headers=headers)
    assert made.status_code == 201, made.text
    out: dict[str, Any] = made.json()
    return out


def say(client: TestClient, conversation: dict[str, Any], text: str) -> dict[str, Any]:
    response = client.post(
        f"/v1/support/conversations/{conversation['id']}/messages",
        json={"text": text},
        headers={"X-Conversation-Token": conversation["access_token"]},
    )
    assert response.status_code == 200, response.text
    out: dict[str, Any] = response.json()
    return out


def test_order_status_for_the_customer_who_asks(client: TestClient, db: Database) -> None:
    (a, a_orders), (_, b_orders) = two_customers(db)
    chat = start(client, a)
    assert "first_reply" not in chat and chat["status"] == "open"  # no message, no reply
    latest = say(client, chat, "Where is my order?")
    assert latest["intent"] == "track_order" and a_orders[0].id in latest["reply"]
    named = say(client, chat, f"What is the status of my order {a_orders[-1].id}?")
    assert a_orders[-1].id in named["reply"] and "placed on" in named["reply"]
    theirs = say(client, chat, f"What is the status of my order {b_orders[0].id}?")
    assert "can't find order" in theirs["reply"] and str(b_orders[0].total) not in theirs["reply"]
    german = say(client, chat, f"Wo ist meine Bestellung {a_orders[0].id}?")
    assert german["reply"].startswith("Bestellung")  # the answers file's German, facts by rule
    # The cited FAQ answer is machine-translated ("[de] Orders ship...", the fake engine): the
    # verdict turns it away, so it goes out in English, the reply says so and staff see why.
    assert german["language"] == "en" and "[de]" not in german["reply"]
    shown = client.get(f"/v1/support/conversations/{chat['id']}", headers=KEY).json()
    held = shown["messages"][-1]["review"]
    assert len(held) == 1 and held[0].startswith("not sent in de (")
    assert shown["messages"][-3]["review"] == []  # an English reply: nothing translated
    # What was held back (it quotes the rejected translation) is for staff: the customer's
    # answer and the customer's read of the conversation leave it out.
    assert "review" not in german
    own = client.get(f"/v1/support/conversations/{chat['id']}",
                     headers={"X-Conversation-Token": chat["access_token"]}).json()  # fmt: skip
    assert [m["review"] for m in own["messages"]] == [[] for _ in own["messages"]]
    guest = start(client, None, "Where is my order?")["first_reply"]
    assert "sign in" in guest["reply"] and guest["handoff"] is None  # null fields stay


# Written for Borderless: attempts to read customer B's orders from customer A's chat.
RED_TEAM = [
    line
    for line in (ROOT / "benchmarks" / "red_team.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_red_team_no_other_customers_orders_leak(client: TestClient, db: Database) -> None:
    (a, a_orders), (b, b_orders) = two_customers(db)
    theirs = {o.id for o in b_orders}
    secrets = [f"{o.total:,.2f}" for o in b_orders] + [
        o.placed_at.strftime("%Y-%m-%d") for o in b_orders
    ]
    secrets = [s for s in secrets if s not in {f"{o.total:,.2f}" for o in a_orders}
               and s not in {o.placed_at.strftime("%Y-%m-%d") for o in a_orders}]  # fmt: skip
    chat = start(client, a)
    for template in RED_TEAM:
        prompt = template.format(b=b, b_order=b_orders[0].id)
        reply = say(client, chat, prompt)["reply"]
        named = {o for o in theirs if o in reply} - {o for o in theirs if o in prompt}
        assert not named, (prompt, reply)
        assert not [s for s in secrets if s in reply], (prompt, reply)
        if (
            "handoff" in reply
            or client.get(f"/v1/support/conversations/{chat['id']}", headers=KEY).json()["status"]
            != "open"
        ):
            chat = start(client, a)  # a person took over; keep probing in a fresh chat
    # The conversation token opens only its own conversation.
    other = start(client, b, "Where is my order?")
    peek = client.get(
        f"/v1/support/conversations/{other['id']}",
        headers={"X-Conversation-Token": chat["access_token"]},
    )
    assert peek.status_code == 401


def test_handoff_queue_and_staff_reply(client: TestClient) -> None:
    chat = start(client, None, "I want to talk to a person")
    assert chat["status"] == "handoff" and chat["first_reply"]["handoff"] == "asked for a person"
    waiting = say(client, chat, "hello?")
    assert waiting["intent"] == "waiting"
    queue = client.get("/v1/support/conversations", params={"status": "handoff"}, headers=KEY)
    assert chat["id"] in [c["id"] for c in queue.json()["data"]]
    assert client.get("/v1/support/conversations").status_code == 401
    replied = client.post(
        f"/v1/support/conversations/{chat['id']}/replies",
        json={"text": "Hi, Sam here. How can I help?", "close": True},
        headers=KEY,
    ).json()
    assert replied["status"] == "closed" and [m["role"] for m in replied["messages"]] == [
        "customer", "assistant", "customer", "assistant", "staff"]  # fmt: skip
    history = client.get(
        f"/v1/support/conversations/{chat['id']}",
        headers={"X-Conversation-Token": chat["access_token"]},
    ).json()
    assert history["messages"][-1]["text"] == "Hi, Sam here. How can I help?"
    reopened = say(client, chat, "How long does delivery take?")  # after closing, the bot answers
    assert reopened["intent"] == "delivery_period" and reopened["status"] == "open"
    assert "access_hash" not in history
    angry = start(client, None, "This is the WORST service ever, absolutely unacceptable")
    assert angry["first_reply"]["handoff"] == "angry customer"
    lost = start(client, None, "xqzv blorp")
    assert lost["first_reply"]["intent"] == "oos" and lost["status"] == "open"
    again = say(client, lost, "zzkq jjx")
    assert again["handoff"] == "not understood twice" and again["status"] == "handoff"


def test_knowledge_answers_cite_entries(client: TestClient) -> None:
    reply = start(client, None, "How long does delivery take?")["first_reply"]
    assert reply["intent"] == "delivery_period"
    assert reply["citations"][0]["id"] == "how-long-does-delivery-take"
    assert "working days" in reply["reply"]


def test_a_question_whether_the_shop_sells_something_lists_its_products(
    client: TestClient, db: Database
) -> None:
    """A walk: "do you sell red teapots?" got the wholesale answer's "Yes."; the shop's product
    search answers, in the customer's language, with the catalog's own titles."""
    from borderless.storage.catalog import products_by_sku

    asked = [
        ("Do you sell a teapot?", "Here is what I found in our shop:"),
        ("Haben Sie Regenschirme?", "Das habe ich in unserem Shop gefunden:"),
    ]
    replies = []
    for text, opening in asked:
        reply = start(client, None, text)["first_reply"]
        replies.append(reply)
        assert reply["intent"] == "find_product" and reply["handoff"] is None, reply
        assert reply["reply"].startswith(opening) and 1 <= len(reply["products"]) <= 3
        titles = [p.title for p in products_by_sku(db, reply["products"])]
        # as a reply shows them: one space where the catalog has two ("COFFEE  MUG")
        assert all(" ".join(title.split()) in reply["reply"] for title in titles)
    english = replies[0]
    # the English one found by its word (the German search reads "Regenschirme" through the
    # installed dictionaries, which these tests do not assume)
    assert any("TEAPOT" in p.title for p in products_by_sku(db, english["products"]))
    assert "£" in english["reply"]
    # a signed-in customer in France is shown the prices the French listings show
    from sqlalchemy import select

    from borderless.storage import tables as t

    with db.engine.connect() as conn:
        french = conn.execute(
            select(t.customers.c.id).where(t.customers.c.country == "FR").limit(1)
        ).scalar_one()
    rate = client.put("/v1/markets/rates/EUR", json={"rate": "1.17", "rounding": "99"},
                      headers=KEY)  # fmt: skip
    assert rate.status_code == 200, rate.text
    priced = start(client, french, "Do you sell a teapot?")["first_reply"]
    assert priced["products"] and "€" in priced["reply"] and "£" not in priced["reply"], priced
    assert re.findall(r"€\d+\.99\b", priced["reply"]), priced  # the rule "99": "€9.99"
    # under the rule "whole" the chat writes "€9" as the listings do, not "€9.00"
    whole = client.put("/v1/markets/rates/EUR", json={"rate": "1.17", "rounding": "whole"},
                       headers=KEY)  # fmt: skip
    assert whole.status_code == 200, whole.text
    rounded = start(client, french, "Do you sell a teapot?")["first_reply"]["reply"]
    prices = re.findall(r"€[\d,.]+\d", rounded)
    assert prices and not any("." in p for p in prices), rounded


def test_bad_requests(client: TestClient, db: Database) -> None:
    chat = start(client)
    url = f"/v1/support/conversations/{chat['id']}/messages"
    none = client.post(url, json={"text": "hi"})
    assert none.status_code == 401 and none.json()["field"] == "X-Conversation-Token"
    wrong = client.post(url, json={"text": "hi"}, headers={"X-Conversation-Token": "nope"})
    assert wrong.status_code == 401
    empty = client.post(
        url, json={"text": ""}, headers={"X-Conversation-Token": chat["access_token"]}
    )
    assert empty.status_code == 422 and empty.json()["field"] == "text"
    blank = client.post(
        url, json={"text": "   "}, headers={"X-Conversation-Token": chat["access_token"]}
    )
    assert blank.status_code == 422 and blank.json()["field"] == "text"
    assert client.post("/v1/support/conversations/cv_nope/messages", json={"text": "hi"},
                       headers={"X-Conversation-Token": "x"}).status_code == 404  # fmt: skip
    forged = client.post("/v1/support/conversations", headers={"X-Customer-Token": "ct_forged"})
    assert forged.status_code == 401 and forged.json()["field"] == "X-Customer-Token"
    # an empty token started a guest's conversation; two tokens of two customers opened it as
    # the first, silently (an attack)
    blank = client.post("/v1/support/conversations", headers={"X-Customer-Token": ""})
    assert blank.status_code == 401 and blank.json()["field"] == "X-Customer-Token"
    (a, _), (b, _) = two_customers(db)
    tokens = [client.post("/v1/support/tokens", json={"customer_id": c},
                          headers=KEY).json()["token"] for c in (a, b)]  # fmt: skip
    both = client.post("/v1/support/conversations",
                       headers=[("X-Customer-Token", t) for t in tokens])  # fmt: skip
    assert both.status_code == 422 and both.json()["field"] == "X-Customer-Token", both.text
    assert "more than once" in both.json()["message"]
    assert client.post("/v1/support/tokens", json={"customer_id": "12346"}).status_code == 401
    unknown = client.post("/v1/support/tokens", json={"customer_id": "NOPE"}, headers=KEY)
    assert unknown.status_code == 404
    messages = client.get(f"/v1/support/conversations/{chat['id']}", headers=KEY).json()["messages"]
    assert messages == []  # nothing half-written by the failed requests


def test_dashboard_queue_chat_and_reply(client: TestClient, db: Database) -> None:
    (a, a_orders), _ = two_customers(db)
    gate = client.get("/support", follow_redirects=False)
    assert gate.status_code == 303 and gate.headers["location"].startswith("/login")
    assert client.get(f"/customers/{a}", follow_redirects=False).status_code == 303
    assert post_form(client, "/login", data={"key": "wrong", "next": "/support"}).status_code == 401
    signed = post_form(client, "/login", data={"key": "test-key", "next": "//evil.example"},
                         follow_redirects=False)  # fmt: skip
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    chat = post_form(client, "/support/chat", data={"customer_id": a, "text": "Where is my order?"})
    assert chat.status_code == 200 and a_orders[0].id in chat.text
    # a conversation opened and never written in is not listed (a walk: many "no message yet")
    silent = start(client)
    assert silent["id"] not in client.get("/support").text
    post_form(client, chat.url.path, data={"text": "I want to speak to a human"})
    queue = client.get("/support")
    conversation_id = chat.url.path.rsplit("/", 1)[1]
    assert conversation_id in queue.text and "asked for a person" in queue.text
    page = post_form(client, f"/support/conversations/{conversation_id}/reply",
                       data={"text": "Hello from the team"})  # fmt: skip
    assert page.status_code == 200 and "Hello from the team" in page.text
    assert post_form(client, "/support/chat", data={"text": "  "}).status_code == 422
    assert client.get(f"/customers/{a}").status_code == 200


def test_a_customer_message_is_stamped_when_it_came(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The customer's message carried the time its reply was stored (a minute later in
    another language): both were stamped together at the end."""
    from datetime import UTC, datetime, timedelta

    import borderless.storage.support as stored

    (a, _), _ = two_customers(db)
    chat = start(client, a)
    later = datetime.now(UTC).replace(tzinfo=None, microsecond=0) + timedelta(minutes=5)
    monkeypatch.setattr(stored, "_now", lambda: later)  # the reply is stored five minutes on
    say(client, chat, "Where is my order?")
    shown = client.get(f"/v1/support/conversations/{chat['id']}", headers=KEY).json()
    asked, answered = shown["messages"][-2:]
    assert asked["role"] == "customer" and answered["role"] == "assistant"
    assert asked["created_at"] < answered["created_at"], (asked, answered)


def test_a_message_while_the_assistant_gets_ready_is_told_when_to_try_again(
    client: TestClient, db: Database
) -> None:
    """The walk's first message waited 286 s, with nothing said, for the intent model that
    the service's warm-up was training."""
    import threading

    services = client.app.state.services  # type: ignore[attr-defined]
    (a, _), _ = two_customers(db)
    chat = start(client, a)
    assert "assistant" not in services.built()
    warming = threading.Lock()
    warming.acquire()  # as the warm-up thread holds it while it builds the assistant
    services._locks["assistant"] = warming
    try:
        busy = client.post(
            f"/v1/support/conversations/{chat['id']}/messages", json={"text": "Where is my order?"},
            headers={"X-Conversation-Token": chat["access_token"]},
        )  # fmt: skip
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "30", busy.text
        assert "getting ready" in busy.json()["message"]
    finally:
        warming.release()
    assert say(client, chat, "Where is my order?")["intent"] == "track_order"
    shown = client.get(f"/v1/support/conversations/{chat['id']}", headers=KEY).json()
    assert len(shown["messages"]) == 2  # the refused message was not half-stored


def test_the_state_read_back_holds_the_intents_of_the_last_replies(db: Database) -> None:
    """ "what about the third?" two replies after the list of one's orders is a place in it:
    the state read back from the store holds the last replies' intents, newest first."""
    from borderless.capabilities.support.assistant import RECENT, ConversationState, Reply
    from borderless.storage.support import (
        conversation_state,
        create_conversation,
        record_exchange,
    )

    talk, _ = create_conversation(db, None)
    assert conversation_state(db, talk).recent_intents == ()
    for n, intent in enumerate(["list_orders", "track_order", "greeting", "thanks"]):
        said = Reply(f"reply {n}", "en", intent, 0.9, state=ConversationState(None, "en"))
        record_exchange(db, talk, f"message {n}", said)
    state = conversation_state(db, talk)
    assert state.recent_intents == ("thanks", "greeting", "track_order")[:RECENT]
    assert state.last_intent == "thanks" and state.last_reply == "reply 3"


def test_the_order_book_knows_a_customers_language(client: TestClient, db: Database) -> None:
    """The assistant reads a signed-in customer's first message with their market's language
    as its prior (test_support_assistant): the shop's order book says which it is."""
    from borderless.capabilities.support.assistant import CustomerLanguages

    (a, _), _ = two_customers(db)
    book = ShopOrderBook(db)
    assert isinstance(book, CustomerLanguages)
    assert (a, book.language_of(a)) == ("12433", "no")  # a customer in Norway
    assert book.language_of("no such customer") is None


def test_a_correction_names_an_intent_the_model_knows_before_the_registry_has_it(
    client: TestClient,
) -> None:
    """An attack: before the first conversation registered the stored intent model, a
    correction labelled "not_a_real_intent_label" was stored (and would fail retraining)."""
    url = "/v1/models/intents/corrections"
    asked = {"text": "where is my parcel", "subject": "t-1"}
    wrong = client.post(url, headers=KEY, json=asked | {"label": "not_a_real_intent_label"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "label", wrong.text
    right = client.post(url, headers=KEY, json=asked | {"label": "track_order"})
    assert right.status_code == 201, right.text
