"""Reproducers of the second attack on the service (session 29): values that were stored and
broke a page later, and a half-written conversation. Each must now be refused with the field
named and change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.money import check_rate
from borderless.capabilities.dates import check_date, date_problem, every_month
from borderless.errors import BackendError, BadRows, InvalidInput
from borderless.storage import Database

from . import test_hardening as hardening
from .test_hardening import KEY, _error

# the first attack's shop: the first 1,000 lines of the retail file, served
small_retail, client = hardening.small_retail, hardening.client

ORDER = "536365"  # the first invoice of the retail file


def _scan(at: str) -> dict[str, Any]:
    return {"shipment_id": "SH-1", "order_id": ORDER, "carrier": "DHL", "status": "picked_up",
            "at": at}  # fmt: skip


def test_a_scan_dated_9999_is_refused_and_the_shipment_pages_keep_working(
    client: TestClient,
) -> None:
    # it was stored, and every shipment list answered 500 afterwards (the estimate overflowed)
    body = _error(client.post("/v1/shipments", json={"data": [_scan("9999-12-31T00:00:00")]},
                              headers=KEY))  # fmt: skip
    assert "9999" in body["message"]
    assert client.get("/v1/shipments", headers=KEY).status_code == 200
    assert client.get("/v1/shipments", headers=KEY).json()["count"] == 0
    ok = client.post("/v1/shipments", json={"data": [_scan("2011-12-02T09:00:00")]}, headers=KEY)
    assert ok.status_code == 200, ok.text
    assert client.get(f"/v1/orders/{ORDER}/shipments", headers=KEY).status_code == 200


def test_dates_out_of_bounds_or_in_the_future_are_named() -> None:
    from datetime import datetime, timedelta

    assert date_problem(datetime(2011, 12, 9)) is None
    assert "between 1970 and 2100" in (date_problem(datetime(1900, 1, 1)) or "")
    tomorrow_and_more = datetime.now() + timedelta(days=3)
    assert date_problem(tomorrow_and_more) is None  # a delivery promise may lie ahead
    assert "in the future" in (date_problem(tomorrow_and_more, past=True) or "")
    with pytest.raises(InvalidInput) as caught:
        check_date(datetime(9999, 12, 31), "at")
    assert caught.value.field == "at"


def test_a_chart_axis_has_every_month() -> None:
    """A month without complaints was missing from the pain points' axis (2011-10: a walk)."""
    assert every_month(["2011-07", "2011-09", "2011-11"]) == [
        "2011-07", "2011-08", "2011-09", "2011-10", "2011-11"]  # fmt: skip
    assert every_month(["2010-12", "2011-01"]) == ["2010-12", "2011-01"]
    assert every_month([]) == []


def test_an_order_placed_in_the_future_is_a_bad_row(tmp_path: Path) -> None:
    from borderless.capabilities.catalog.retail import parse_retail

    path = tmp_path / "retail.csv"
    path.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "1,85123A,HEART T-LIGHT HOLDER,6,2010-12-01 08:26,2.55,17850,United Kingdom\n"
        "2,85123A,HEART T-LIGHT HOLDER,6,2090-12-01 08:26,2.55,17850,United Kingdom\n"
        "3,85123A,HEART T-LIGHT HOLDER,6,9999-12-01 08:26,2.55,17850,United Kingdom\n",
        encoding="utf-8",
    )
    try:
        rows = parse_retail(path).bad_rows
    except BadRows as refused:
        rows = refused.rows
    assert [row.line for row in rows] == [3, 4], rows
    assert "in the future" in rows[0].reason and "between 1970 and 2100" in rows[1].reason


@pytest.mark.parametrize("rate", ["1e-300", "0.0000000001", "1e309", "NaN", "2000000"])
def test_a_rate_that_would_be_stored_as_zero_or_infinite_is_refused(
    client: TestClient, rate: str
) -> None:
    # 1e-300 was stored as 0 and localizing a price then divided by it (500)
    response = client.put("/v1/markets/rates/USD", content=f'{{"rate": {rate}}}',
                          headers={**KEY, "content-type": "application/json"})  # fmt: skip
    assert response.status_code == 422, response.text
    assert response.json()["field"] in {"rate", "body.rate"}
    assert client.get("/v1/markets/rates", headers=KEY).json()["count"] == 0


def test_a_rate_reads_back_as_written() -> None:
    assert format(check_rate("190"), "f") == "190"  # not 1.9E+2
    assert format(check_rate("1.1234567800"), "f") == "1.12345678"  # zeros past 8 places
    with pytest.raises(InvalidInput, match=r"8 decimals at most \(the nearest is 1.12345679\)"):
        check_rate("1.123456789")  # the table keeps 8 places: it was rounded without a word


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/supply/stock", {"data": [{"sku": "85123A", "country": "GB", "on_hand": 2**63}]},
         "on_hand"),
        ("/v1/supply/stock", {"data": [{"sku": "85123A", "country": "GB", "on_hand": 1,
                                        "on_order": 10**30}]}, "on_order"),
        ("/v1/fulfilment/lanes", {"data": [{"warehouse": "W", "carrier": "C", "country": "GB",
                                            "cost_per_order": 1, "cost_per_kg": 1,
                                            "lead_time_days": 2, "capacity": 2**63}]},
         "capacity"),
    ],
)  # fmt: skip
def test_integers_beyond_what_a_shop_holds_are_422_not_500(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    found = _error(client.put(path, json=body, headers=KEY))
    assert field in (found["field"] or "") or field in found["message"], found


@pytest.mark.parametrize("cost", ["1e309", "NaN", "-1", "100001"])
def test_a_lane_cost_must_be_a_finite_bounded_number(client: TestClient, cost: str) -> None:
    body = ('{"data": [{"warehouse": "W", "carrier": "C", "country": "GB", "cost_per_order": '
            f'{cost}, "cost_per_kg": 1, "lead_time_days": 2}}]}}')  # fmt: skip
    response = client.put("/v1/fulfilment/lanes", content=body,
                          headers={**KEY, "content-type": "application/json"})  # fmt: skip
    assert response.status_code == 422, response.text
    assert "cost_per_order" in response.text
    assert client.get("/v1/fulfilment/lanes", headers=KEY).json()["count"] == 0


def test_a_lanes_file_with_nan_names_the_line(tmp_path: Path) -> None:
    from borderless.capabilities.fulfilment.lanes import read_lanes_file

    path = tmp_path / "lanes.csv"
    path.write_text("warehouse,carrier,country,cost_per_order,cost_per_kg,lead_time_days\n"
                    "W,C,GB,nan,1,2\nW,D,GB,inf,1,2\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(BadRows) as caught:
        read_lanes_file(path)
    assert [row.line for row in caught.value.rows] == [2, 3]


def test_a_conversation_whose_first_message_fails_is_not_left_behind(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from borderless.service.routes import support as routes
    from borderless.storage.support import list_conversations

    class Down:
        def reply(self, *args: object) -> None:
            raise BackendError("the model server is down")

    monkeypatch.setattr(routes, "assistant", lambda request: Down())
    response = client.post("/v1/support/conversations", json={"text": "Where is my order?"})
    assert response.status_code == 502, response.text
    assert list_conversations(db, None, 10)[1] == 0  # nothing half-written
    empty = client.post("/v1/support/conversations", json={})
    assert empty.status_code == 201  # a conversation started without a message still stands
    assert list_conversations(db, None, 10)[1] == 1


def test_a_copy_seed_is_bounded(client: TestClient) -> None:
    body = _error(client.post("/v1/copy", json={"sku": "85123A", "seed": 2**70}, headers=KEY))
    assert "seed" in (body["field"] or ""), body


def test_an_output_file_in_a_missing_folder_is_the_users_error(tmp_path: Path) -> None:
    # `profiles export /nonexistent/dir/out.csv` ended with an internal error (exit 1)
    from borderless.cli.common import write_output

    with pytest.raises(InvalidInput) as caught:
        write_output(tmp_path / "no" / "such" / "out.csv", "a,b\n", "out")
    assert caught.value.field == "out" and "cannot be written" in caught.value.message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "no rule given"),
        ("# only a comment\n\n", "no rule given"),
        ("block if amount >= 1e309", "within ±1,000,000,000,000"),
        ("review if amount >= -1e400", "within ±1,000,000,000,000"),
    ],
)
def test_risk_rules_that_would_silently_switch_screening_off_are_refused(
    text: str, says: str
) -> None:
    from borderless.capabilities.risk.features import FEATURE_NAMES
    from borderless.capabilities.risk.rules import RuleError, parse_rules

    with pytest.raises(RuleError) as caught:
        parse_rules(text, FEATURE_NAMES, at_least_one=True)
    assert says in caught.value.message
    parse_rules("allow if score >= 0", FEATURE_NAMES, at_least_one=True)  # said so: fine
    parse_rules("", FEATURE_NAMES)  # rules saved empty before the check still read


def test_a_correction_for_a_task_that_never_retrains_is_refused(client: TestClient) -> None:
    body = {"text": "where is my parcel", "label": "track_order", "subject": "t1"}
    found = _error(client.post("/v1/models/nope/corrections", json=body, headers=KEY), 404)
    assert "intents" in found["message"]  # names the tasks that do learn from corrections
    # what the model predicted is one of its labels; a risk correction is of an order the
    # shop has (white space, "NaN" and NO-SUCH-ORDER were stored: an attack)
    for predicted in ("\t\n", "NaN"):
        said = {"text": "nice", "label": "positive", "subject": "s1", "predicted": predicted}
        bad = _error(client.post("/v1/models/sentiment/corrections", json=said, headers=KEY))
        assert bad["field"] == "predicted", bad
    risk = {"text": "NO-SUCH-ORDER", "label": "approve", "subject": "NO-SUCH-ORDER"}
    missing = _error(client.post("/v1/models/risk/corrections", json=risk, headers=KEY), 404)
    assert missing["field"] == "text" and "NO-SUCH-ORDER" in missing["message"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/support/conversations", {"text": "hello", "lang": "de"}, "lang"),
        ("/v1/support/conversations", {"text": "hello\x00"}, "text"),
        ("/v1/products", {"sku": "A//B", "title": "Mug"}, "sku"),
        ("/v1/products", {"sku": "A/B/", "title": "Mug"}, "sku"),
        ("/v1/products", {"sku": "A/edit", "title": "Mug"}, "sku"),
        ("/v1/products", {"sku": "A?B", "title": "Mug"}, "sku"),
        ("/v1/products", {"sku": "A..B", "title": "Mug"}, "sku"),
        ("/v1/products", {"sku": "AB1", "title": "Mug\x01"}, "title"),
        ("/v1/products", {"sku": "AB4", "title": "Mug\ufffe"}, "title"),
        ("/v1/products", {"sku": "AB2", "title": "Mug", "currency": "XXX"}, "currency"),
        ("/v1/products", {"sku": "AB3", "title": "Mug", "language": "xx"}, "language"),
    ],
)  # fmt: skip
def test_unknown_fields_control_characters_and_unreachable_skus_are_422(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    found = _error(client.post(path, json=body, headers=KEY))
    assert field in (found["field"] or ""), found


def test_a_glossary_term_of_control_characters_is_refused() -> None:
    from borderless.capabilities.localize.protect import GlossaryTerm
    from borderless.storage.glossary import check_term

    with pytest.raises(InvalidInput) as caught:
        check_term(GlossaryTerm("Retrospot", "\x01\x02", "de"))
    assert caught.value.field == "target"
    # the dashboard's "Add term" saved "\u200b" and "Cake\u200b" (a walk)
    hidden_terms = (("\u200b", "", "source"), ("Cake\u200b", "", "source"),
                    ("Cake", "\u200b", "target"), ("Cake", "Ku\ufeffchen", "target"))  # fmt: skip
    for source, target, field in hidden_terms:
        with pytest.raises(InvalidInput) as hidden:
            check_term(GlossaryTerm(source, target, "de"))
        assert hidden.value.field == field, (source, target)
    assert check_term(GlossaryTerm(" Cake ", "Kuchen", "DE")) == GlossaryTerm(
        "Cake", "Kuchen", "de"
    )


def test_a_body_that_is_not_json_names_the_body_not_a_number(client: TestClient) -> None:
    broken = client.put("/v1/markets/rates/USD", content='{"rate": 1.2',
                        headers={**KEY, "content-type": "application/json"})  # fmt: skip
    found = _error(broken)
    assert found["field"] == "body" and "not valid JSON" in found["message"]
    # bytes that are no UTF-8 were "a number of thousands of digits?" (a walk)
    latin = client.put("/v1/markets/rates/USD", content=b'{"rate": "\xff\xfe"}',
                       headers={**KEY, "content-type": "application/json"})  # fmt: skip
    said = _error(latin)
    assert said["field"] == "body" and "not UTF-8" in said["message"], said
    plain = client.put("/v1/markets/rates/USD", content="rate=1.2",
                       headers={**KEY, "content-type": "text/plain"})  # fmt: skip
    assert _error(plain, 415)["field"] == "body"
    form = client.put("/v1/markets/rates/USD", data={"rate": "1.2"}, headers=KEY)
    assert _error(form, 415)["field"] == "body" and "send JSON" in _error(form, 415)["message"]
    # a number the JSON parser itself gives up on (Python's 4,300-digit limit) was a 400 with
    # no field (a walk)
    huge = client.put("/v1/markets/rates/USD", content='{"rate": ' + "1" * 5000 + "}",
                      headers={**KEY, "content-type": "application/json"})  # fmt: skip
    assert _error(huge)["field"] == "body"
    # JSON nested 5,000 deep was told "a number of thousands of digits?" (an attack)
    deep = client.put("/v1/markets/rates/USD", content="[" * 5000 + "]" * 5000,
                      headers={**KEY, "content-type": "application/json"})  # fmt: skip
    nested = _error(deep)
    assert nested["field"] == "body" and "nested more than 100 levels" in nested["message"], nested


def test_minus_zero_is_shown_as_zero() -> None:
    from borderless.service.app import money

    assert money("-0") == money("-0.00") == "£0.00"
    assert money("-0.001") == "-£0.001"  # every stored decimal is shown, its sign too
    assert money("-3") == "-£3.00"


def test_the_same_job_is_not_queued_twice(db: Database) -> None:
    from borderless.errors import Conflict
    from borderless.storage.jobs import cancel_job, create_job

    first = create_job(db, "translate", {"language": "de", "source": "en"}, "eda")
    with pytest.raises(Conflict) as caught:
        create_job(db, "translate", {"language": "de", "source": "en"}, "bo")
    assert f"job {first.id}" in caught.value.message
    create_job(db, "translate", {"language": "fr", "source": "en"}, "bo")  # other work: fine
    cancel_job(db, first.id)
    create_job(db, "translate", {"language": "de", "source": "en"}, "bo")  # once it stopped


def test_a_number_that_is_none_is_said_in_a_sellers_words(client: TestClient) -> None:
    found = _error(client.post("/v1/products", json={"sku": "AB4", "title": "Mug",
                                                     "price": "1,50"}, headers=KEY))  # fmt: skip
    assert found["message"] == "price: '1,50' is not a number (write it with a point: 1.50)"
    # a stock of 1.5 was told to write it with a point; a currency "€" got pydantic's regex
    said = {
        "stock": (1.5, "stock: 1.5 is not a whole number"),
        "currency": ("€", "currency: '€' is not a three-letter currency code (ISO 4217, such "
                          "as GBP, EUR, USD)"),
        "language": ("english", "language: 'english' is not a two-letter language code "
                                "(ISO 639-1, such as en, de, zh)"),
    }  # fmt: skip
    for name, (value, message) in said.items():
        body = {"sku": "AB5", "title": "Mug", name: value}
        assert _error(client.post("/v1/products", json=body, headers=KEY))["message"] == message
    found = _error(client.post("/v1/products", json={"sku": "AB5", "title": "Mug",
                                                     "currency": "XXX"}, headers=KEY))  # fmt: skip
    assert not found["message"].startswith("currency: Value error")


def test_every_page_under_a_product_is_a_word_a_sku_may_not_hold(client: TestClient) -> None:
    """The SKU check's list of page words is written by hand: a new page under
    /products/{sku} must join it, or a SKU such as "X/<page>" is stored and never reached."""
    from borderless.capabilities.catalog.checks import PAGE_WORDS

    def paths(routes: list[Any]) -> Iterator[str]:
        for route in routes:
            if hasattr(route, "original_router"):  # an included router, as FastAPI keeps it
                yield from paths(route.original_router.routes)
            elif isinstance(getattr(route, "path", None), str):
                yield route.path

    words = {
        path.split("{sku:path}/", 1)[1].split("/")[0]
        for path in paths(client.app.routes)  # type: ignore[attr-defined]
        if path.startswith(("/products/", "/v1/products/")) and "{sku:path}/" in path
    }
    assert words and words <= PAGE_WORDS, sorted(words - PAGE_WORDS)


def test_a_sku_with_slashes_reaches_every_page_and_answer(client: TestClient) -> None:
    """Shopify and WooCommerce exports carry SKUs such as TSHIRT/RED/M: they were imported,
    listed and linked, and every page and answer under their address was a 404."""
    from .conftest import post_form

    sku = "TSHIRT/RED/M"
    made = client.post("/v1/products", json={"sku": sku, "title": "Red T-shirt, size M",
                                              "price": "9.50"}, headers=KEY)  # fmt: skip
    assert made.status_code == 201, made.text
    assert client.get(f"/v1/products/{sku}", headers=KEY).json()["title"] == "Red T-shirt, size M"
    changed = client.patch(f"/v1/products/{sku}", json={"stock": 4}, headers=KEY)
    assert changed.status_code == 200 and changed.json()["stock"] == 4
    put = client.put(
        f"/v1/products/{sku}/attributes", json={"attributes": {"colour": "red"}}, headers=KEY
    )
    assert put.status_code == 200, put.text
    got = client.get(f"/v1/products/{sku}/attributes", headers=KEY).json()
    assert "red" in str(got)
    assert client.get(f"/v1/recommendations/products/{sku}", headers=KEY).status_code == 200
    assert client.get("/v1/products/NOPE/RED/M", headers=KEY).status_code == 404

    signed_in = post_form(client, "/login", data={"key": "test-key", "next": "/"},
                          follow_redirects=False)  # fmt: skip
    assert signed_in.status_code == 303
    page = client.get("/products/TSHIRT/RED/M")
    assert page.status_code == 200 and "Red T-shirt, size M" in page.text
    assert 'href="/products/TSHIRT/RED/M/translate"' in page.text
    for tail in ("/translate", "/copy", "/edit"):
        assert client.get(f"/products/{sku}{tail}").status_code == 200, tail
    quoted = client.get("/products/TSHIRT%2FRED%2FM")  # a link quoted whole reaches it too
    assert quoted.status_code == 200 and "Red T-shirt, size M" in quoted.text
    edited = post_form(client, f"/products/{sku}/edit", data={
        "title": "Red T-shirt, size M", "price": "9.90", "currency": "GBP", "stock": "4",
        "language": "en", "description": ""}, follow_redirects=False)  # fmt: skip
    assert edited.status_code == 303
    assert edited.headers["location"] == "/products/TSHIRT/RED/M?saved=updated"


def test_records_stored_before_the_checks_do_not_break_profiles_or_plans(
    client: TestClient, db: Database
) -> None:
    """A shop written before dates and lane costs were checked held an order of 9999-12-31
    (the segments page answered 500: the day after it overflowed) and a lane costing Inf
    (the fulfilment plan said "costs inf, saving nan")."""
    from datetime import datetime

    from sqlalchemy import insert, select, update

    from borderless.capabilities.fulfilment.lanes import Lane
    from borderless.storage import tables as t
    from borderless.storage.fulfilment import list_lanes, set_lanes, shop_plan
    from borderless.storage.profiles import purchases

    with db.engine.begin() as conn:
        real = conn.execute(select(t.orders).where(t.orders.c.customer_id.is_not(None))).first()
        line = conn.execute(
            select(t.order_lines).where(t.order_lines.c.order_id == real.id)
        ).first()
        conn.execute(
            insert(t.orders).values(
                id="900009",
                kind="sale",
                placed_at=datetime(9999, 12, 31, 8, 26),
                country=real.country,
                customer_id=real.customer_id,
                currency=real.currency,
            )
        )
        conn.execute(insert(t.order_lines).values(
            {**line._asdict(), "order_id": "900009", "line_no": 1}))  # fmt: skip
    assert all(p.placed_at.year < 2100 for p in purchases(db))
    # demand forecasting filled weekly series with zeros up to 9999 (18 GB, then killed)
    from borderless.storage.supply import last_sale_at, sale_lines

    assert all(at.year < 2100 for _, _, at, _ in sale_lines(db))
    newest = last_sale_at(db)
    assert newest is not None and newest.year == 2010
    assert client.get("/v1/customers/" + str(real.customer_id) + "/profile",
                      headers=KEY).status_code == 200  # fmt: skip

    from borderless.storage.shipments import DeliveryPromise, set_promise

    with db.engine.connect() as conn:
        countries = sorted({r[0] for r in conn.execute(select(t.orders.c.country))})
    lanes = [Lane("UK1", carrier, c, cost, 1.0, 2)
             for c in countries for carrier, cost in (("DHL", 3.0), ("UPS", 4.0))]  # fmt: skip
    set_lanes(db, lanes)
    for country in countries:
        set_promise(db, DeliveryPromise(country, 5))
    if db.engine.dialect.name == "sqlite":  # PostgreSQL's NUMERIC(14, 4) cannot hold Inf
        with db.engine.begin() as conn:
            conn.execute(update(t.fulfilment_lanes).where(t.fulfilment_lanes.c.carrier == "DHL")
                         .values(cost_per_order=float("inf")))  # fmt: skip
        assert {x.carrier for x in list_lanes(db)} == {"UPS"}
    shop = shop_plan(db)
    assert shop.until.year == 2010  # the newest real order, not 9999
    assert 0 < shop.plan.cost < float("inf") and shop.plan.saving == shop.plan.saving


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("sku,country,on_hand\n85123A,GB,5\n".encode("utf-16"), "not UTF-8"),
        ("sku,country,on_hand\n85123A,GB,5\nCAFÉ,GB,1\n".encode("latin-1"), "not UTF-8"),
        (b"sku,country,on_hand,on_hand\n85123A,GB,11,12\n", "named twice"),
        (b'sku,country,on_hand\n"' + b"x" * 200_000 + b'",GB,1\n', "longer than"),
        (None, "is a folder"),
    ],
    ids=["utf16", "latin1", "twice", "huge-field", "folder"],
)
def test_a_sellers_table_file_that_cannot_be_read_is_named(
    tmp_path: Path, content: bytes | None, said: str
) -> None:
    """Stock, lane and scan files were read apart from every other file: Latin-1 or UTF-16, a
    folder or a 200,000-character field was a traceback, a column named twice kept the last."""
    from borderless.capabilities.catalog.csvfiles import read_table

    path = tmp_path / "stock.csv"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(InvalidInput, match=said):
        read_table(path, ["sku", "country", "on_hand"])


def test_imports_refuse_control_characters_and_overlong_names_as_the_api_does() -> None:
    """A Shopify title with \\x01, a lane warehouse "UK\\x01" or 100 characters long and a
    shipment id "SH\\x01X" were stored through the files; the API refused each."""
    from datetime import datetime

    from borderless.capabilities.catalog.checks import check_text
    from borderless.capabilities.fulfilment.lanes import Lane, validate_lanes
    from borderless.capabilities.shipments.events import EventRow, validate

    with pytest.raises(InvalidInput, match="control character"):
        check_text("Mug\x01", "title", 500)
    assert check_text("Mug\tand\nsaucer\r", "title", 500)  # tabs and line breaks are text
    # C1 controls and the bidi overrides too (U+0085 split a text; U+202E shows it reversed);
    # the marks and isolates Arabic text uses stay
    for bad in ("Mug\x85saucer", "Mug \u202egucm", "Mug \u202dx"):
        with pytest.raises(InvalidInput, match="control character"):
            check_text(bad, "title", 500)
    assert check_text("\u200fكوب \u2067Mug\u2069", "title", 500)
    # Unicode's noncharacters ("A\ufffeB" was stored), in every plane; the private use and
    # the characters beside them are text
    for bad in ("A\ufffeB", "A\uffff", "\ufdd0", "x\U0010ffff", "\U0001fffe"):
        with pytest.raises(InvalidInput, match=r"noncharacter \(U\+"):
            check_text(bad, "title", 500)
    assert check_text("\ufffd\ufdcf\ufdf0\ue000\U0001fffd", "title", 500)
    lanes = [Lane("UK\x01", "DHL", "GB", 3, 1, 2, line=2), Lane("W" * 100, "DHL", "DE", 3, 1, 2,
                                                                line=3)]  # fmt: skip
    # a lane is named warehouse/carrier: "UK/1" + "DHL" read as "UK" + "1/DHL" (an attack)
    lanes += [Lane("UK/1", "DHL", "GB", 3, 1, 2, line=4), Lane("UK", "1/DHL", "GB", 3, 1, 2,
                                                               line=5)]  # fmt: skip
    # ...and "UK∕1" (U+2215, a division slash) looks the same
    lanes += [Lane("UK\u22151", "DHL", "GB", 3, 1, 2, line=6)]
    found = validate_lanes(lanes)
    assert [(b.line, b.field) for b in found] == [(2, "warehouse"), (3, "warehouse"),
                                                  (4, "warehouse"), (6, "warehouse")]  # fmt: skip
    assert "U+2215, a slash" in found[-1].reason
    scans = [EventRow("SH\x01X", "536365", "DHL", "in_transit", datetime(2011, 1, 2), line=2)]
    assert [(b.line, b.field) for b in validate(scans)] == [(2, "shipment_id")]


@pytest.mark.parametrize(("rate", "said"), [("1_0", "not a number written with the digits"),
                                            ("1e3", "not a number written with the digits"),
                                            ("\u0661", "not a number written with the digits"),
                                            ('"0.0000001"', "not 0.0000001")])  # fmt: skip
def test_a_rate_sent_as_text_is_checked_as_written(
    client: TestClient, rate: str, said: str
) -> None:
    """The API's Decimal field took "1_0" as 10 and "1e3" as 1000 before the rate's own checks
    saw them, and echoed "1E-7" for what was sent as 0.0000001."""
    body = f'{{"rate": {rate if rate.startswith(chr(34)) else chr(34) + rate + chr(34)}}}'
    response = client.put("/v1/markets/rates/USD", content=body,
                          headers={**KEY, "content-type": "application/json"})  # fmt: skip
    assert response.status_code == 422 and said in response.json()["message"], response.text
    assert client.get("/v1/markets/rates", headers=KEY).json()["count"] == 0
    number = client.put("/v1/markets/rates/USD", content='{"rate": 1.27}',
                        headers={**KEY, "content-type": "application/json"})  # fmt: skip
    assert number.status_code == 200 and number.json()["rate"] == "1.27"


def test_a_price_is_plain_digits_and_shown_with_every_decimal(client: TestClient) -> None:
    """ "1_000" was stored as 1000, Arabic-Indic and full-width digits as 5; "1,250" typed on
    the dashboard was saved as 1.25; a unit price of 0.005 read "£0.00", 1.5 yen "JP¥2"."""
    from decimal import Decimal

    from borderless.service.app import money

    for sent, said in (("1_000", "'1_000' is not a number written"),
                       ("\u0665", "'\u0665' is not a number written"),
                       ("\uff15", "'\uff15' is not a number written"),
                       ("1e3", "'1e3' is not a number written"),
                       ("1,250", "'1,250' is not a number: 1250 or 1.250?")):  # fmt: skip
        body = {"sku": "PR1", "title": "Mug", "price": sent}
        found = _error(client.post("/v1/products", json=body, headers=KEY))
        assert found["field"] == "price" and found["message"].startswith(f"price: {said}"), found
    assert client.get("/v1/products/PR1", headers=KEY).status_code == 404  # nothing half-written
    assert client.post("/v1/products", json={"sku": "PR1", "title": "Mug", "price": " 2.50 "},
                       headers=KEY).json()["price"] in ("2.50", "2.5")  # fmt: skip
    assert money("0.005") == "£0.005" and money("1.5", "JPY") == "JP¥1.5"
    assert money("1.2") == "£1.20" and money("1500", "JPY") == "JP¥1,500"
    assert money(Decimal(10) / Decimal(3)) == "£3.33"  # a computed amount: the currency's own


def test_a_title_or_sku_of_invisible_characters_is_refused(client: TestClient) -> None:
    """A zero-width space or a lone accent was a title (such products led every search), and
    "ATK\\u200bP1" a SKU that looks like ATKP1."""
    for title in ("\u200b", "\u0301", " \u200b\u200d "):
        found = _error(client.post("/v1/products", json={"sku": "IV1", "title": title},
                                   headers=KEY))  # fmt: skip
        assert found["field"] == "title" and "invisible" in found["message"], found
    found = _error(client.post("/v1/products", json={"sku": "IV\u200b1", "title": "Mug"},
                               headers=KEY))  # fmt: skip
    assert found["field"] == "sku" and "U+200B" in found["message"], found
    assert client.post("/v1/products", json={"sku": "IV1", "title": "Café ☕"},
                       headers=KEY).status_code == 201  # fmt: skip
    # "CAFE\u0301-1" beside "CAF\u00c9-1": two products that look alike (an attack)
    assert client.post("/v1/products", json={"sku": "CAF\u00c9-1", "title": "Cup"},
                       headers=KEY).status_code == 201  # fmt: skip
    found = _error(client.post("/v1/products", json={"sku": "CAFE\u0301-1", "title": "Cup"},
                               headers=KEY))  # fmt: skip
    assert found["field"] == "sku" and "'CAF\u00c9-1'" in found["message"], found
    # "85123a" beside "85123A": the retail file's codes are one product in either case, and
    # the API had made them two (an attack)
    found = _error(client.post("/v1/products", json={"sku": "caf\u00e9-1", "title": "Cup"},
                               headers=KEY))  # fmt: skip
    assert found["field"] == "sku" and "only in capitals" in found["message"], found
    assert client.get("/v1/products/caf\u00e9-1", headers=KEY).status_code == 404


def test_a_listing_import_refuses_a_sku_twin_in_other_capitals(db: Database) -> None:
    from borderless.capabilities.catalog.records import Product
    from borderless.capabilities.catalog.shopify import import_shopify
    from borderless.storage.catalog import create_product
    from borderless.storage.imports import load_listings, save_listings

    from .conftest import FIXTURES

    listings, products = import_shopify(FIXTURES / "shopify_products.csv")
    lettered = next(p.sku for p in products if p.sku.lower() != p.sku)
    create_product(db, Product(sku=lettered.lower(), title="a twin"))
    with pytest.raises(InvalidInput, match="only in capitals") as caught:
        save_listings(db, listings, products)
    assert caught.value.field == "sku" and load_listings(db) == []  # nothing half-written
    # beyond ASCII (the databases' upper() is ASCII's), and full-width digits (an attack)
    from borderless.errors import InvalidInput as Refused

    create_product(db, Product(sku="éclair-7", title="a cake tin"))
    create_product(db, Product(sku="ABC-9", title="a mug"))
    for twin in ("ÉCLAIR-7", "\uff21\uff22\uff23-9"):  # "ＡＢＣ-9", full-width letters
        with pytest.raises(Refused, match="only in capitals"):
            create_product(db, Product(sku=twin, title="its twin"))
    create_product(db, Product(sku="straße-2", title="a street sign"))
    with pytest.raises(Refused, match="only in capitals"):
        create_product(db, Product(sku="STRASSE-2", title="its twin"))
    # twins stored before the rule do not refuse each other's imports forever (an attack)
    from borderless.storage import tables as t
    from borderless.storage.catalog import case_twins
    from borderless.storage.rows import product_row

    with db.engine.begin() as conn:
        conn.execute(t.products.insert().values(product_row(Product(sku="ZZA-1", title="z"))))
        conn.execute(t.products.insert().values(product_row(Product(sku="zza-1", title="z"))))
        assert case_twins(conn, ["zza-1"]) == [] and case_twins(conn, ["ZZA-1"]) == []


def test_a_price_in_a_file_is_plain_digits_too() -> None:
    """Catalog files went through Decimal alone: "1_000" was 1000, "١٢" was 12."""
    from borderless.capabilities.catalog.checks import check_money
    from borderless.errors import InvalidInput

    for text in ("1_000", "\u0661\u0662", "\uff15", "1e3"):
        with pytest.raises(InvalidInput, match="digits 0-9"):
            check_money(text, "price")
    for text, said in (("12,50", "with a point: 12.50"), ("1,250", "1250 or 1.250?"),
                       ("1,250,000", "without commas: 1250000")):  # fmt: skip
        with pytest.raises(InvalidInput, match=re.escape(said)):
            check_money(text, "price")
    with pytest.raises(InvalidInput, match="not a finite number"):
        check_money("NaN", "price")
    assert str(check_money(" 12.50 ", "price")) == "12.50"


def test_refusals_say_what_to_send_instead(client: TestClient) -> None:
    """From a walk: "'eur' is not a three-letter currency code" (it is three letters), "EUR is
    the base currency" to a GBP shop, pydantic's "exceeded maximum size" for 1e20, a rate of
    1e308 written out in 309 digits, and a translate job's "target" (what /v1/translate calls
    the target language) refused without a word of what it is called here."""
    said = _error(client.post("/v1/products", json={"sku": "RF1", "title": "Mug",
                                                    "currency": "eur"}, headers=KEY))  # fmt: skip
    assert said["message"].endswith(": write it EUR"), said
    base = _error(client.put("/v1/markets/rates/EUR", json={"rate": "1.17", "base": "EUR"},
                             headers=KEY))  # fmt: skip
    assert "against base EUR is 1" in base["message"] and "the shop's base" in base["message"]
    huge = client.put(
        "/v1/supply/stock",
        headers={**KEY, "content-type": "application/json"},
        content='{"data": [{"sku": "85123A", "country": "GB", "on_hand": 1e20}]}',
    )
    assert huge.status_code == 422 and "maximum size" not in huge.text, huge.text
    rate = _error(client.put("/v1/markets/rates/USD", headers={**KEY, "content-type":
                                                               "application/json"},
                             content='{"rate": 1e308}'))  # fmt: skip
    assert len(rate["message"]) < 120, rate
    job = _error(
        client.post(
            "/v1/jobs", json={"kind": "translate", "parameters": {"target": "de"}}, headers=KEY
        )
    )
    assert "the target language is 'language'" in job["message"], job


def test_a_yen_price_is_whole(client: TestClient) -> None:
    """ "1500.55" yen was stored and shown as JP¥1,500.55 beside a market price of ￥1,501."""
    found = _error(client.post("/v1/products", json={"sku": "JY1", "title": "Mug",
                                                     "price": "1500.55", "currency": "JPY"},
                               headers=KEY))  # fmt: skip
    assert found["field"] == "price" and "no minor units" in found["message"], found
    made = client.post("/v1/products", json={"sku": "JY1", "title": "Mug", "price": "1500.0",
                                              "currency": "JPY"}, headers=KEY)  # fmt: skip
    assert made.status_code == 201, made.text
    changed = client.patch("/v1/products/JY1", json={"price": "9.5"}, headers=KEY)
    assert changed.status_code == 422 and changed.json()["field"] == "price", changed.text


def test_refusals_say_values_as_they_were_sent(client: TestClient) -> None:
    """The third walk: "Decimal('1E-7') has more than 4 decimals", "rate True is not a number",
    a temperature of "NaN" told "should be less than or equal to 2", and a body of [] with no
    field named."""
    tiny = _error(client.get("/v1/markets/JP/localize", params={"price": "0.0000001"}))
    # a query parameter is text: quoted as it was sent
    assert "'0.0000001' has more than 4 decimals" in tiny["message"], tiny
    assert "Decimal" not in tiny["message"]
    yes = _error(client.put("/v1/markets/rates/JPY", json={"rate": True}, headers=KEY))
    assert yes["field"] == "rate" and "True" not in yes["message"], yes
    nan = _error(client.post("/v1/copy", json={"sku": "85123A", "temperature": "NaN"},
                             headers=KEY))  # fmt: skip
    assert nan["field"] == "temperature" and "finite" in nan["message"], nan
    listed = _error(client.put("/v1/markets/rates/JPY", json=[], headers=KEY))
    assert listed["field"] == "body", listed
    unknown = _error(client.put("/v1/translations/85123A/xx/title", json={"text": "x"},
                                headers=KEY))  # fmt: skip
    assert unknown["field"] == "language" and "unknown language" in unknown["message"], unknown


def test_language_filters_take_capitals_as_writes_do(client: TestClient) -> None:
    """An attack: POST /v1/translate took "EN" where ?language=DE was refused ("write it
    de"); an unknown code is still refused, by name."""
    for path in ("/v1/translations", "/v1/copy", "/v1/reviews"):
        upper = client.get(path, params={"language": "DE"}, headers=KEY)
        lower = client.get(path, params={"language": "de"}, headers=KEY)
        assert upper.status_code == 200 and upper.json() == lower.json(), path
        unknown = _error(client.get(path, params={"language": "XX"}, headers=KEY))
        assert unknown["field"] == "language" and "xx" in unknown["message"].lower(), path


def test_a_long_id_is_not_echoed_whole(client: TestClient) -> None:
    """An attack: 5,000-character ids came back whole in 404 messages."""
    for path in ("/v1/models/intents/" + "v" * 5000, "/v1/customers/" + "1" * 5000 + "/profile"):
        refused = client.get(path, headers=KEY)
        assert refused.status_code == 422 and len(refused.text) < 1_000, path
    huge = client.get("/v1/products/" + "S" * 5000, headers=KEY)
    assert huge.status_code in (404, 422) and len(huge.text) < 2_200


def test_a_title_is_one_line(client: TestClient) -> None:
    """An attack: a product title "line1\nline2" and a translated title "\n\t" were stored."""
    before = client.get("/v1/products/85123A").json()["title"]
    patched = _error(client.patch("/v1/products/85123A", json={"title": "line1\nline2"},
                                  headers=KEY))  # fmt: skip
    assert patched["field"] == "title" and "line break" in patched["message"], patched
    assert client.get("/v1/products/85123A").json()["title"] == before
    put = _error(client.put("/v1/translations/85123A/de/title", json={"text": "Herz\n\tLicht"},
                            headers=KEY))  # fmt: skip
    assert put["field"] == "text" and "line break" in put["message"], put


def test_numbers_sent_as_text_are_read_with_the_digits_0_9_on_every_route(
    client: TestClient,
) -> None:
    """ "1_000" was stored as 1000 stock and "٤" as a 4-day promise where the rates refused
    both (an attack)."""
    for on_hand in ("1_000", "\u0665", "1e3"):
        body = _error(client.put("/v1/supply/stock", headers=KEY, json={
            "data": [{"sku": "85123A", "country": "GB", "on_hand": on_hand}]}))  # fmt: skip
        assert "digits 0-9" in body["message"]
    for days in ("1_0", "\u0664"):
        body = _error(client.put("/v1/shipments/promises/GB", headers=KEY, json={"days": days}))
        assert "digits 0-9" in body["message"]
    ok = client.put("/v1/shipments/promises/GB", headers=KEY, json={"days": "4"})
    assert ok.status_code == 200, ok.text


def test_a_whole_number_in_a_cell_is_plain_digits() -> None:
    from borderless.capabilities.catalog.checks import check_whole

    with pytest.raises(InvalidInput, match="not a whole number"):
        check_whole("\u0663", "quantity", low=0, high=10)
    assert check_whole(" 3 ", "quantity", low=0, high=10) == 3


def test_a_reviews_file_is_refused_whole_for_nesting_controls_or_foreign_digits(
    tmp_path: Path,
) -> None:
    """A 5,000-deep JSON list was an internal error, a NUL and an escape sequence were
    stored and shown raw, and a rating "٥" was read as 5 (an attack)."""
    from borderless.capabilities.reviews.files import read_reviews

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(InvalidInput, match="nested too deeply"):
        read_reviews(deep, detect=lambda _: ("en", 1.0))
    bad = tmp_path / "bad.csv"
    bad.write_text("id,sku,text,rating\nR1,10002,Nice thing\x00 nul,5\n"
                   "R2,10002,Nice \x1b[31m red,5\nR3,10002,Nice,\u0665\n"
                   "R4,10002,Fine,4\n   ,10002,Keyed by its text,4\n")  # fmt: skip
    twice = tmp_path / "twice.csv"  # "sku,text,text" was told as a language problem
    twice.write_text("sku,text,text\n10002,Nice,Bad\n")
    with pytest.raises(InvalidInput, match="'text' is named twice"):
        read_reviews(twice, detect=lambda _: ("en", 1.0))
    titled = tmp_path / "titled.csv"  # a 100,000-character title was cut to 500 unsaid
    titled.write_text(f"id,sku,text,title\nT1,10002,Nice,{'x' * 501}\n")
    with pytest.raises(BadRows, match="title longer than 500"):
        read_reviews(titled, detect=lambda _: ("en", 1.0))
    with pytest.raises(BadRows) as found:
        read_reviews(bad, detect=lambda _: ("en", 1.0))
    assert [(b.line, b.field) for b in found.value.rows] == [(2, "text"), (3, "text"),
                                                              (4, "rating"), (6, "id")]  # fmt: skip


def test_the_command_line_bounds_a_shipments_stale_days(tmp_path: Path) -> None:
    from .conftest import run

    done = run("shipments", "late", "--stale-days", "-1",
               env={"BORDERLESS_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert done.returncode == 2 and "stale-days" in done.stderr, done.stderr
    # a time outside 1970-2100 judged every parcel late or not yet due (an attack)
    for when in ("0001-01-01", "9999-12-31T23:59"):
        done = run("shipments", "late", "--as-of", when, env={"BORDERLESS_DATA_DIR": str(tmp_path)})
        assert done.returncode == 2 and "--as-of" in done.stderr, done.stderr


def test_white_space_alone_is_no_id_or_subject(client: TestClient) -> None:
    """An attack: a risk score for order "   " and a correction of subject "   " were taken."""
    line = {"sku": "85123A", "quantity": 1, "price": "2.55"}
    scored = _error(client.post("/v1/risk/score", headers=KEY, json={
        "id": "   ", "country": "GB", "lines": [line]}))  # fmt: skip
    assert scored["field"] == "id" and "more than white space" in scored["message"], scored
    fixed = _error(client.post("/v1/models/sentiment/corrections", headers=KEY, json={
        "text": "x", "label": "positive", "subject": "   "}))  # fmt: skip
    assert fixed["field"] == "subject" and "more than white space" in fixed["message"], fixed


def test_a_json_key_given_twice_is_refused_naming_it(client: TestClient) -> None:
    """{"rate": 1.17, "rate": 999} was stored as 999, the last one (an attack); each key once,
    in nested objects too, and a body that is no JSON is still the route's own 422."""
    before = client.get("/v1/markets/rates", headers=KEY).json()
    twice = client.put("/v1/markets/rates/EUR", headers=KEY | {"content-type": "application/json"},
                       content=b'{"rate": 1.17, "rate": 999}')  # fmt: skip
    assert _error(twice)["field"] == "rate" and "given twice" in twice.json()["message"]
    assert client.get("/v1/markets/rates", headers=KEY).json() == before
    line = b'{"sku": "85123A", "quantity": 1, "quantity": 500, "price": "2.55"}'
    nested = client.post(
        "/v1/risk/score",
        headers=KEY | {"content-type": "application/json"},
        content=b'{"id": "X1", "country": "GB", "lines": [' + line + b"]}",
    )
    assert _error(nested)["field"] == "quantity"
    broken = client.put("/v1/markets/rates/EUR", headers=KEY | {"content-type": "application/json"},
                        content=b'{"rate": 1.17,')  # fmt: skip
    assert broken.status_code == 422 and broken.json()["code"] == "invalid_input"
    once = client.put("/v1/markets/rates/EUR", headers=KEY, json={"rate": 1.17})
    assert once.status_code == 200, once.text


def test_a_sku_with_a_line_break_is_told_so() -> None:
    """ "AB\\nC" was said to have "white space at an edge or tabs" (an attack)."""
    from borderless.capabilities.catalog.checks import check_sku

    for sku, says in (("AB\nC", "a line break"), (" AB", "at an edge"), ("A\tB", "a tab")):
        with pytest.raises(InvalidInput, match=says):
            check_sku(sku)
    assert check_sku("BANK CHARGES") == "BANK CHARGES"


def test_a_filter_on_something_the_shop_does_not_know_is_named(client: TestClient) -> None:
    """ "ZZ", "xx" and "nope" as filters answered an empty list, as if nothing matched, where
    /v1/products and /v1/search named the markets (an attack); each names what exists now."""
    for path, params, field, said in [
        ("/v1/orders", {"country": "ZZ"}, "country", "known: "),
        ("/v1/products", {"country": "ZZ"}, "country", "known: "),
        ("/v1/search", {"q": "mug", "country": "ZZ"}, "country", "known: "),
        ("/v1/search", {"q": "mug", "country": "G1"}, "country", "two-letter country code"),
        ("/v1/customers", {"country": "ZZ"}, "country", "known: "),
        ("/v1/reviews", {"market": "ZZ"}, "market", "known: "),
        ("/v1/reviews", {"language": "xx"}, "language", "the measured market languages"),
        ("/v1/translations", {"language": "jp"}, "language", "the measured market languages"),
        ("/v1/supply/stock", {"country": "ZZ"}, "country", "known: "),
        ("/v1/supply/replenishment", {"country": "ZZ"}, "country", "known: "),
        ("/v1/models", {"task": "nope"}, "task", "tasks: attributes, forecast, images"),
        ("/v1/models/comparisons", {"task": "nope"}, "task", "tasks: attributes, forecast"),
    ]:
        found = _error(client.get(path, params=params, headers=KEY))
        assert found["field"] == field and said in found["message"], (path, found)
    for path, params in [("/v1/orders", {"country": "gb"}), ("/v1/reviews", {"language": "de"}),
                         ("/v1/models", {"task": "forecast"})]:  # fmt: skip
        assert client.get(path, params=params, headers=KEY).status_code == 200, path
    long = client.get("/v1/models/" + "x" * 40 + "/corrections", headers=KEY)
    assert long.status_code == 422 and long.json()["field"] == "task"


def test_not_found_names_what_was_not_found(client: TestClient) -> None:
    """A draft's address part is draft_id (it said "id"); an unknown task is the task (it
    said "version"); revoking the tokens of a customer the shop lacks is a 404, as issuing
    one is (it answered "revoked: 0"): an attack."""
    draft = _error(client.patch("/v1/copy/99999", json={"status": "approved"}, headers=KEY), 404)
    assert draft["field"] == "draft_id"
    task = _error(client.get("/v1/models/nope/v1", headers=KEY), 404)
    assert task["field"] == "task" and "tasks: " in task["message"]
    tokens = _error(client.delete("/v1/support/tokens/NOPE", headers=KEY), 404)
    assert tokens["field"] == "customer_id"


def test_a_price_given_beats_the_opposite_one_read_from_the_query(client: TestClient) -> None:
    """min_price=50 beside "under 10 pounds" named a max_price never sent (an attack)."""
    found = client.get("/v1/search", headers=KEY,
                       params={"q": "mug under 10 pounds", "min_price": "50"})  # fmt: skip
    assert found.status_code == 200, found.text
    said = found.json()["interpretation"]
    assert "price at most 10 not applied: min_price 50 was given" in said, said


def test_ids_and_filters_longer_than_anything_stored_are_refused(client: TestClient) -> None:
    """5,000-character ids were repeated whole in a 404, and a 100,000-character colour was
    searched for (an attack): refused naming the field, as other long values are."""
    for path, field in [("/v1/customers/" + "1" * 5000, "customer_id"),
                        ("/v1/orders/" + "1" * 5000, "order_id"),
                        ("/v1/orders/" + "1" * 5000 + "/shipments", "order_id"),
                        ("/v1/supply/forecasts/" + "1" * 5000, "series_id")]:  # fmt: skip
        found = _error(client.get(path, headers=KEY))
        assert found["field"] == field and "1" * 100 not in found["message"], path
    long = client.get("/v1/search", params={"q": "mug", "colour": "x" * 5_000}, headers=KEY)
    assert long.status_code == 422 and long.json()["field"].startswith("colour"), long.text[:200]
    fine = client.get("/v1/search", params={"q": "mug", "colour": "red"}, headers=KEY)
    assert fine.status_code == 200


@pytest.mark.parametrize("title", ["=lit", "'=lit", "''=lit", "'-5 OFF", "-5", "'5", "+44 20"])
def test_a_cell_written_and_read_back_is_the_same(tmp_path: Path, title: str) -> None:
    """The formula guard's "'" comes off on reading, and only it: a real title "'=lit" came back
    as "=lit" (an attack on the exports)."""
    from borderless.capabilities.catalog.csvfiles import read_csv, write_csv

    path = tmp_path / "back.csv"
    path.write_text(write_csv(["sku", "title"], [{"sku": "A1", "title": title}]))
    assert [row["title"] for _, row in read_csv(path, ["sku", "title"])[1]] == [title]
