"""Shipment tracking: carrier scans per order, estimated delivery from the lead-time table,
late-risk flags, the support assistant's "where is my order" answer; CLI and API. Storage runs
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from borderless.backends.fake import FakeEmbedder, FakeTranslator
from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.shipments import Event, read_events_file, track
from borderless.capabilities.support.answers import DEFAULTS
from borderless.capabilities.support.assistant import (
    Assistant,
    ConversationState,
    Reply,
    unshipped_late,
)
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.config import Settings
from borderless.errors import BadRows, InvalidInput, NotFound
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage import tables as t
from borderless.storage.imports import save_retail
from borderless.storage.shipments import (
    DeliveryPromise,
    list_shipments,
    save_scans,
    set_promise,
    shipments_of,
)
from borderless.storage.supply import MarketSupply, set_market_supply
from borderless.storage.support import ShopOrderBook

from .conftest import postgres_in_slow_step, run
from .test_inventory import write_shop_file
from .test_support_assistant import Fixed

T0 = datetime(2024, 1, 2, 9)
KEY = {"X-API-Key": "test-key"}


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> Database:
    save_retail(db, parse_retail(write_shop_file(tmp_path / "shop.csv", days=14)))
    return db


def first_orders(db: Database, country: str, n: int = 2) -> list[tuple[str, str, datetime]]:
    """(order id, customer id, placed at) of the market's first sale orders."""
    o = t.orders
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(o.c.id, o.c.customer_id, o.c.placed_at)
            .where(o.c.country == country, o.c.kind == "sale")
            .order_by(o.c.placed_at, o.c.id)
            .limit(n)
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def scans_file(path: Path, lines: list[str]) -> Path:
    path.write_text("shipment_id,order_id,carrier,status,at,tracking,location\n"
                    + "\n".join(lines) + "\n")  # fmt: skip
    return path


def count_scans(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.shipment_events)).scalar_one())


# --- tracking rules ------------------------------------------------------------------------


def shipment(events: list[Event], *, now: datetime, lead: int | None = 3,
             promise: int | None = 5) -> tuple[str, ...]:  # fmt: skip
    return track(shipment_id="S", order_id="O", carrier="DHL", tracking="", events=events,
                 placed_at=T0, lead_time_days=lead, lead_basis="test", promise_days=promise,
                 now=now).flags  # fmt: skip


def test_estimate_and_late_risk_flags() -> None:
    picked = [Event("picked_up", T0 + timedelta(days=1))]
    x = track(shipment_id="S", order_id="O", carrier="DHL", tracking="", events=picked,
              placed_at=T0, lead_time_days=3, lead_basis="DHL to GB: 3 days", promise_days=5,
              now=T0 + timedelta(days=2))  # fmt: skip
    assert x.estimated_delivery == T0 + timedelta(days=4) and x.flags == ()
    assert x.promised_by == T0 + timedelta(days=5)
    assert shipment(picked, now=T0 + timedelta(days=6)) == ("late", "no_scan")
    assert shipment(picked, now=T0 + timedelta(days=2), lead=6) == ("will_be_late",)
    assert shipment(picked, now=T0 + timedelta(days=4, hours=1), promise=None) == ("no_scan",)
    problem = [*picked, Event("exception", T0 + timedelta(days=2))]
    assert shipment(problem, now=T0 + timedelta(days=2)) == ("exception",)
    done = [*picked, Event("delivered", T0 + timedelta(days=9))]
    assert shipment(done, now=T0 + timedelta(days=30)) == ()  # late, but it is over
    unknown = track(shipment_id="S", order_id="O", carrier="DHL", tracking="", events=picked,
                    placed_at=T0, lead_time_days=None, lead_basis="no lead time: no estimate",
                    promise_days=None, now=T0)  # fmt: skip
    assert unknown.estimated_delivery is None and "no estimate" in unknown.estimate_basis


def test_scan_file_bad_lines_are_named(tmp_path: Path) -> None:
    bad = scans_file(tmp_path / "bad.csv", [
        "S1,500001,DHL,picked_up,2024-01-02 10:00,,",
        "S1,500001,DHL,in_transit,2024-01-01 10:00,,",  # before the previous scan
        "S2,500002,DHL,teleported,2024-01-02 10:00,,",
        "S3,500003,DHL,picked_up,2nd of January,,",
        "S1,500001,DHL,delivered,2024-01-04 10:00,,",
        "S1,500001,DHL,in_transit,2024-01-05 10:00,,",  # after delivery
    ])  # fmt: skip
    with pytest.raises(BadRows) as caught:
        read_events_file(bad)
    lines = {(r.line, r.field) for r in caught.value.rows}
    assert lines == {(3, "at"), (4, "status"), (5, "at"), (7, "status")}, caught.value.message
    assert "line 5 (at): '2nd of January' is not a date-time" in caught.value.message
    missing = tmp_path / "missing.csv"
    missing.write_text("shipment_id,order_id,status,at\n")
    with pytest.raises(InvalidInput, match="missing carrier"):
        read_events_file(missing)


# --- storage (SQLite and PostgreSQL) -------------------------------------------------------


def test_scans_stored_estimated_and_flagged(shop: Database, tmp_path: Path) -> None:
    (order, _, placed), (other, _, _) = first_orders(shop, "GB")
    good = scans_file(tmp_path / "scans.csv", [
        f"S1,{order},DHL,label_created,{placed + timedelta(hours=2):%Y-%m-%d %H:%M},JD1,",
        f"S1,{order},DHL,picked_up,{placed + timedelta(days=1):%Y-%m-%d %H:%M},JD1,Leeds",
    ])  # fmt: skip
    first = save_scans(shop, read_events_file(good), source=str(good))
    assert first.as_dict() == {"shipments_created": 1, "scans_added": 2, "scans_unchanged": 0}
    again = save_scans(shop, read_events_file(good), source=str(good))
    assert again.as_dict() == {"shipments_created": 0, "scans_added": 0, "scans_unchanged": 2}
    twice = scans_file(tmp_path / "twice.csv", [
        f"S2,{other},DHL,picked_up,{placed:%Y-%m-%d %H:%M},,",
        f"S2,{other},DHL,picked_up,{placed:%Y-%m-%d %H:%M},,"])  # fmt: skip
    assert save_scans(shop, read_events_file(twice)).scans_added == 1
    (x,) = shipments_of(shop, order, now=placed + timedelta(days=1))
    assert x.status == "picked_up" and x.estimated_delivery is None
    assert "no lead time" in x.estimate_basis and x.flags == ()
    set_market_supply(shop, MarketSupply("GB", 0.95, lead_time_days=2))
    set_promise(shop, DeliveryPromise("gb", 3))
    (x,) = shipments_of(shop, order, now=placed + timedelta(days=4, hours=1))
    assert x.estimated_delivery == placed + timedelta(hours=2, days=2)
    assert x.estimate_basis == "GB default: 2 days" and x.flags == ("late", "no_scan")
    risky, total = list_shipments(shop, now=placed + timedelta(days=4), flagged=True)
    assert total == 2 and {r.shipment_id for r in risky} == {"S1", "S2"}
    assert [len(x.events) for x in shipments_of(shop, other)] == [1]
    with pytest.raises(NotFound):
        shipments_of(shop, "999999")


def test_bad_scans_write_nothing(shop: Database, tmp_path: Path) -> None:
    (order, _, placed), (other, _, _) = first_orders(shop, "GB")
    at = placed + timedelta(days=1)
    save_scans(shop, read_events_file(scans_file(tmp_path / "a.csv", [
        f"S1,{order},DHL,in_transit,{at:%Y-%m-%d %H:%M},,"])))  # fmt: skip
    before = count_scans(shop)
    o = t.orders
    with shop.engine.connect() as conn:
        cancelled, cancelled_at = conn.execute(
            select(o.c.id, o.c.placed_at).where(o.c.kind == "cancellation").limit(1)
        ).one()
    cases = {
        "unknown order 424242": [f"S2,{other},DHL,picked_up,{at:%Y-%m-%d %H:%M},,",
                                 f"S3,424242,DHL,picked_up,{at:%Y-%m-%d %H:%M},,"],
        "comes before the previous scan": [
            f"S1,{order},DHL,delivered,{at - timedelta(hours=5):%Y-%m-%d %H:%M},,"],
        f"belongs to order {order}": [f"S1,{other},DHL,delivered,{at:%Y-%m-%d %H:%M},,"],
        # a parcel scanned two days before its order was placed was stored
        f"before order {other} was placed": [
            f"S4,{other},DHL,picked_up,{placed - timedelta(days=2):%Y-%m-%d %H:%M},,"],
        # a shipment of a cancellation was stored (an attack)
        f"order {cancelled} is a cancellation: nothing ships": [
            f"S5,{cancelled},DHL,picked_up,{cancelled_at + timedelta(days=1):%Y-%m-%d %H:%M},,"],
    }  # fmt: skip
    for i, (message, lines) in enumerate(cases.items()):
        path = scans_file(tmp_path / f"bad{i}.csv", lines)
        with pytest.raises(BadRows, match=message) as caught:
            save_scans(shop, read_events_file(path), source=str(path))
        assert f"line {len(lines) + 1}" in caught.value.message
        assert count_scans(shop) == before
    with pytest.raises(InvalidInput, match="unknown market ZZ"):
        set_promise(shop, DeliveryPromise("ZZ", 3))
    with pytest.raises(InvalidInput):
        set_promise(shop, DeliveryPromise("GB", 0))


def test_assistant_says_where_the_order_is(shop: Database, tmp_path: Path) -> None:
    ((order, customer, placed),) = first_orders(shop, "GB", 1)
    book = ShopOrderBook(shop)
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Fixed("track_order"), knowledge, book, translator=FakeTranslator())
    before = bot.reply(ConversationState(customer), f"Where is order {order}?").text
    assert "shipped" not in before  # nothing to say before it ships
    set_market_supply(shop, MarketSupply("GB", 0.95, lead_time_days=4))
    shipped = placed + timedelta(days=1)
    save_scans(shop, read_events_file(scans_file(tmp_path / "s.csv", [
        f"S1,{order},Royal Mail,picked_up,{shipped:%Y-%m-%d %H:%M},,"])))  # fmt: skip
    (summary,) = book.orders_of(customer, order)
    assert summary.shipment_status == "picked_up"
    assert summary.estimated_delivery == shipped + timedelta(days=4)
    reply = bot.reply(ConversationState(customer), f"Where is order {order}?").text
    assert "It shipped with Royal Mail on" in reply and "should arrive by" in reply
    assert said_day(shipped + timedelta(days=4), reply)
    # its status is the carrier's: "Status: placed" stood before "It shipped with DHL" (a walk)
    assert "Status: shipped" in reply and "Status: placed" not in reply, reply
    german = bot.reply(ConversationState(customer), f"Wo ist meine Bestellung {order}?").text
    assert "mit Royal Mail versandt" in german and "ankommen" in german, german
    assert "Status: versandt" in german and "eingegangen" not in german, german
    arrived = shipped + timedelta(days=2)
    save_scans(shop, read_events_file(scans_file(tmp_path / "d.csv", [
        f"S1,{order},Royal Mail,delivered,{arrived:%Y-%m-%d %H:%M},,"])))  # fmt: skip
    done = bot.reply(ConversationState(customer), f"Where is order {order}?").text
    assert "It was delivered on" in done and said_day(arrived, done)
    assert "Status: delivered" in done, done


def test_an_order_not_shipped_past_the_dispatch_promise_goes_to_a_person(
    shop: Database, tmp_path: Path
) -> None:
    """ "Status: placed" for an order placed years ago was followed by the FAQ's "orders ship
    within 2 working days" (a walk). In a shop that records shipments, such an order is said
    to be late and handed to a person; one placed yesterday still gets the FAQ line; in a shop
    that records none, nothing is said about shipping."""
    (first, second) = first_orders(shop, "GB", 2)
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())

    def ask(now: datetime, order: str, customer: str, asked: str = "Where is order {}?") -> Reply:
        bot = Assistant(Fixed("track_order"), knowledge, ShopOrderBook(shop, now=now),
                        translator=FakeTranslator())  # fmt: skip
        return bot.reply(ConversationState(customer), asked.format(order))

    (order, customer, placed) = first
    untracked = ask(placed + timedelta(days=30), order, customer)
    assert untracked.handoff is None and "not shipped" not in untracked.text
    shipped = second[2] + timedelta(days=1)
    save_scans(shop, read_events_file(scans_file(tmp_path / "s.csv", [
        f"S1,{second[0]},DHL,picked_up,{shipped:%Y-%m-%d %H:%M},,"])))  # fmt: skip
    late = ask(placed + timedelta(days=30), order, customer)
    assert late.handoff == f"order {order} not shipped in time" and late.orders == (order,)
    assert "It has not shipped yet" in late.text and "member of our team" in late.text
    assert "working days" not in late.text and late.state.status == "handoff"
    german = ask(placed + timedelta(days=30), order, customer, "Wo ist meine Bestellung {}?").text
    assert "noch nicht versandt" in german and order in german
    in_time = ask(placed + timedelta(days=1), order, customer)
    assert in_time.handoff is None and "working days" in in_time.text
    # placed on a Friday: Monday and Tuesday are its two working days, late from Wednesday
    assert not unshipped_late(datetime(2026, 12, 4, 9), datetime(2026, 12, 8, 17))
    assert unshipped_late(datetime(2026, 12, 4, 9), datetime(2026, 12, 9, 8))


def said_day(day: datetime, text: str) -> bool:
    """The date in a reply, as an ISO date or written out in English."""
    return f"{day:%Y-%m-%d}" in text or f"{day.day} {day:%B} {day.year}" in text


# --- CLI and API ---------------------------------------------------------------------------


@postgres_in_slow_step
def test_cli_import_show_late_and_errors(
    settings: Settings, shop: Database, tmp_path: Path
) -> None:
    env = {"BORDERLESS_DATA_DIR": str(settings.data_dir),
           "BORDERLESS_DATABASE_URL": settings.database_url}  # fmt: skip
    ((order, _, placed),) = first_orders(shop, "DE", 1)
    shipped = placed + timedelta(days=1)
    good = scans_file(tmp_path / "scans.csv", [
        f"S9,{order},DPD,picked_up,{shipped:%Y-%m-%dT%H:%M},T9,Koeln"])  # fmt: skip
    imported = run("shipments", "import", str(good), "--json", env=env)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["scans_added"] == 1
    assert run("shipments", "promise", "DE", "2", env=env).returncode == 0
    late_at = f"{placed + timedelta(days=5):%Y-%m-%d}"
    shown = run("shipments", "show", order, "--as-of", late_at, "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    (x,) = json.loads(shown.stdout)["data"]
    assert x["status"] == "picked_up" and x["flags"] == ["late", "no_scan"]
    late = run("shipments", "late", "--as-of", late_at, env=env)
    assert late.returncode == 0 and "1 shipment(s) at risk" in late.stdout
    bad = scans_file(tmp_path / "bad.csv", [f"S9,{order},DPD,delivered,yesterday,,"])
    refused = run("shipments", "import", str(bad), env=env)
    assert refused.returncode == 2 and "line 2 (at)" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run("shipments", "show", "999999", env=env).returncode == 2


@pytest.fixture
def client(settings: Settings, shop: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, shop)) as c:
        yield c


def test_api_scans_and_order_shipments(client: TestClient, shop: Database) -> None:
    ((order, _, placed),) = first_orders(shop, "GB", 1)
    scan = {"shipment_id": "S1", "order_id": order, "carrier": "DHL", "status": "picked_up",
            "at": (placed + timedelta(days=1)).isoformat()}  # fmt: skip
    assert client.post("/v1/shipments", json={"data": [scan]}).status_code == 401
    made = client.post("/v1/shipments", json={"data": [scan]}, headers=KEY)
    assert made.status_code == 200 and made.json()["scans_added"] == 1, made.text
    unknown = scan | {"order_id": "424242", "shipment_id": "S2"}
    wrong = client.post("/v1/shipments", headers=KEY, json={"data": [unknown]})
    assert wrong.status_code == 422 and wrong.json()["field"] == "order_id"
    assert "line 1" in wrong.json()["message"]
    before = scan | {"status": "delivered", "at": placed.isoformat()}
    early = client.post("/v1/shipments", headers=KEY, json={"data": [before]})
    assert early.status_code == 422 and early.json()["field"] == "at"
    assert client.put("/v1/shipments/promises/GB", json={"days": 2}, headers=KEY).status_code == 200
    got = client.get(f"/v1/orders/{order}/shipments", headers=KEY,
                     params={"as_of": (placed + timedelta(days=3)).isoformat()})  # fmt: skip
    body = got.json()
    assert got.status_code == 200 and body["count"] == 1 and body["limit"] == 50
    assert body["data"][0]["flags"] == ["late"] and len(body["data"][0]["events"]) == 1
    assert client.get("/v1/orders/999999/shipments", headers=KEY).status_code == 404
    as_of = (placed + timedelta(days=3)).isoformat()
    flagged = client.get("/v1/shipments", headers=KEY, params={"flagged": True, "as_of": as_of})
    assert flagged.json()["count"] == 1
    for path in ("/v1/shipments", f"/v1/orders/{order}/shipments"):  # ?as_of=9999 was taken
        far = client.get(path, headers=KEY, params={"as_of": "9999-01-01T00:00:00"})
        assert far.status_code == 422 and far.json()["field"] == "as_of", far.text
    assert client.get("/v1/shipments/promises", headers=KEY).json()["data"] == [
        {"country": "GB", "days": 2}
    ]
    # the order's page shows its shipment, which only the API gave (a walk)
    from .conftest import post_form

    post_form(client, "/login", {"key": KEY["X-API-Key"]})
    page = client.get(f"/orders/{order}").text
    row = page[page.index('id="shipments"') :].split("</tr>")[1]
    assert "S1" in row and "DHL" in row and "picked up" in row, row


def test_a_date_before_the_year_1000_is_named_with_four_digits() -> None:
    """?as_of=0001-01-01 was refused as "1-01-01 is not between 1970 and 2100"."""
    from borderless.capabilities.dates import date_problem

    assert date_problem(datetime(1, 1, 1)) == "0001-01-01 is not between 1970 and 2100"


def test_an_order_a_cancellation_reverses_line_for_line_is_cancelled(
    db: Database, tmp_path: Path
) -> None:
    """A walk: order 580158 was "Status: placed" although C581229 had cancelled every line;
    "where is my order?" was told about the cancellation record itself. A partial
    cancellation leaves its order placed."""
    from .conftest import save_retail_lines

    uk, cake, heart = "United Kingdom", "22423,REGENCY CAKESTAND 3 TIER", "85123A,HEART"
    rows = [f"580100,{cake},2,2011-12-01 10:00:00,12.75,17850,{uk}",
            f"580158,{heart},6,2011-12-02 10:00:00,2.55,17850,{uk}",
            f"580158,{cake},1,2011-12-02 10:00:00,12.75,17850,{uk}",
            f"C581229,{heart},-6,2011-12-08 10:00:00,2.55,17850,{uk}",
            f"C581229,{cake},-1,2011-12-08 10:00:00,12.75,17850,{uk}",
            f"580300,{cake},3,2011-12-03 10:00:00,12.75,17851,{uk}",
            f"C580400,{cake},-1,2011-12-04 10:00:00,12.75,17851,{uk}",
            # one cancellation reverses one order, the latest it matches; the price counts
            f"546733,{heart},6,2011-03-16 10:00:00,2.55,17852,{uk}",
            f"546734,{heart},6,2011-03-16 10:05:00,2.55,17852,{uk}",
            f"C546735,{heart},-6,2011-03-16 10:10:00,2.55,17852,{uk}",
            f"551419,M,Manual,1,2011-04-28 10:00:00,400,17852,{uk}",
            f"C573268,M,Manual,-1,2011-10-28 10:00:00,907,17852,{uk}",
            # a manual line of an order's whole amount reverses it (a walk: 60 baskets at
            # £649.50 keyed for one, taken back as "Manual -1 x 38970")
            f"556442,{heart},60,2011-06-10 15:22:00,4.95,15098,{uk}",
            f"556444,{cake},60,2011-06-10 15:28:00,649.5,15098,{uk}",
            f"C556445,M,Manual,-1,2011-06-10 15:31:00,38970,15098,{uk}",
            f"556446,{cake},1,2011-06-10 15:33:00,649.5,15098,{uk}"]  # fmt: skip
    save_retail_lines(db, tmp_path, rows)
    book = ShopOrderBook(db)
    found = {o.id: (o.cancelled, o.reversal) for o in book.orders_of("17850")}
    assert found == {"C581229": (True, True), "580158": (True, False), "580100": (False, False)}
    partial = {o.id: o.cancelled for o in book.orders_of("17851")}
    assert partial == {"C580400": True, "580300": False}
    once = {o.id: o.cancelled for o in book.orders_of("17852") if o.id[0] != "C"}
    assert once == {"546733": False, "546734": True, "551419": False}, once
    assert [o.cancelled for o in book.orders_of("17852", "546733")] == [False]  # asked alone
    manual = {o.id: o.cancelled for o in book.orders_of("15098") if o.id[0] != "C"}
    assert manual == {"556442": False, "556444": True, "556446": False}, manual
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), FakeEmbedder())
    bot = Assistant(Fixed("track_order"), knowledge, book, translator=FakeTranslator())
    said = bot.reply(ConversationState("17850"), "Where's my stuff?")
    assert said.orders == ("580158",) and "Status: cancelled" in said.text
    assert said.citations == ()  # no delivery times under a cancelled order
    # the cancellation record itself is told as one (was "Order C581229 was placed ...")
    record = bot.reply(ConversationState("17850"), "What is the status of order C581229?")
    assert record.text.startswith("C581229 is a cancellation made on 8 December 2011 (items")
    assert "value £28.05)" in record.text and record.citations == (), record.text
