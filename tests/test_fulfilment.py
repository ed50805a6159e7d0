"""Fulfilment planning: the cheapest lane per order that meets the market's promise, HiGHS when
capacity binds, the naive one-lane-per-market cost beside it, and every way a lane table can
fail to serve. Storage, CLI and API on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.fulfilment import (
    Lane,
    OrderToShip,
    naive_plan,
    plan_fulfilment,
    read_lanes_file,
)
from borderless.capabilities.shipments import read_events_file
from borderless.config import Settings
from borderless.errors import BadRows, InvalidInput
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.fulfilment import list_lanes, set_lanes, shop_plan
from borderless.storage.imports import save_retail
from borderless.storage.shipments import DeliveryPromise, save_scans, set_promise, shipments_of
from borderless.storage.supply import MarketSupply, list_market_supply

from .conftest import postgres_in_slow_step, run
from .test_inventory import write_shop_file
from .test_shipments import first_orders, scans_file

T0 = datetime(2024, 1, 1, 9)
KEY = {"X-API-Key": "test-key"}
LANES = """warehouse,carrier,country,cost_per_order,cost_per_kg,lead_time_days,capacity
Leeds,Royal Mail,GB,2.50,0.80,2,40
Leeds,DPD,GB,4.00,0.20,1,
Leeds,DPD,DE,9.00,0.60,3,
Venlo,DHL,DE,3.00,0.50,2,10
"""


def order(i: int, country: str = "GB", kg: float = 1.0) -> OrderToShip:
    return OrderToShip(f"O{i}", country, kg, T0 + timedelta(hours=i))


# --- planning ------------------------------------------------------------------------------


def test_cheapest_per_order_without_a_solver() -> None:
    lanes = [Lane("A", "X", "GB", 2, 1, 2, None), Lane("B", "Y", "GB", 5, 0, 1, None)]
    plan = plan_fulfilment([order(0, kg=0.5), order(1, kg=6)], lanes, {"GB": 2})
    assert [a.lane for a in plan.assignments] == ["A/X", "B/Y"]  # 2.5 < 5, 8 > 5
    assert plan.cost == 7.5 and "no capacity binds" in plan.method
    assert plan.naive_cost == 10.0  # one lane per market: B/Y at the mean 3.25 kg


def test_capacity_binds_highs_beats_the_naive_choice() -> None:
    lanes = [Lane("A", "X", "GB", 2, 1, 2, 1), Lane("B", "Y", "GB", 5, 0, 1, None)]
    orders = [order(1, kg=0.0), order(0, kg=2.5)]  # O0 was placed first
    plan = plan_fulfilment(orders, lanes, {"GB": 2})
    assert plan.method.startswith("HiGHS") and "A/X" in plan.method
    assert [a.lane for a in plan.assignments] == ["A/X", "B/Y"]
    assert plan.cost == 7.0  # O1 on A (2) + O0 on B (5); the other way round costs 9.5
    assert plan.naive_cost == 9.5  # A/X first in line for the first order placed, O0
    assert plan.markets[0].lanes == {"A/X": 1, "B/Y": 1}


def test_highs_matches_brute_force_on_random_instances() -> None:
    rng = random.Random(7)
    for _ in range(5):
        lanes = [Lane(f"W{i}", "C", "GB", rng.uniform(1, 5), rng.uniform(0, 2), 1,
                      rng.choice([1, 2, None])) for i in range(3)]  # fmt: skip
        orders = [order(i, kg=rng.uniform(0, 5)) for i in range(6)]
        plan = plan_fulfilment(orders, lanes, {"GB": 3})
        best = min(
            sum(lane.cost(o.weight_kg) for o, lane in zip(orders, pick, strict=True))
            for pick in itertools.product(lanes, repeat=len(orders))
            if all(lane.capacity is None or sum(p is lane for p in pick) <= lane.capacity
                   for lane in lanes)
        )  # fmt: skip
        assert plan.cost == pytest.approx(best, abs=0.01)
        assert plan.cost <= plan.naive_cost + 1e-9


def test_a_lane_table_that_cannot_serve_is_said() -> None:
    slow = [Lane("A", "X", "GB", 2, 1, 5, None), Lane("B", "Y", "GB", 9, 1, 4, None)]
    plan = plan_fulfilment([order(0)], slow, {"GB": 2})
    assert plan.assignments[0].lane == "B/Y"  # the fastest, not the cheapest
    assert (
        not plan.markets[0].meets_promise and "no lane meets the 2-day promise" in (plan.notes[0])
    )
    with pytest.raises(InvalidInput, match="no lane to GB meets its 2-day promise") as caught:
        plan_fulfilment([order(0)], slow, {"GB": 2}, strict=True)
    assert caught.value.field == "promise"
    with pytest.raises(InvalidInput, match=r"FR: not planned \(1 order\), no delivery promise"):
        plan_fulfilment([order(0, "FR")], slow, {"GB": 2})
    with pytest.raises(InvalidInput, match=r"FR: not planned .* no warehouse/carrier lane"):
        plan_fulfilment([order(0, "FR")], slow, {"FR": 2})
    # the markets that can be planned are, and the others are named (the page showed no
    # plan until every market had a promise and a lane: a walk)
    some = plan_fulfilment([order(0), order(1, "FR"), order(2, "DE")], slow, {"GB": 2, "DE": 3})
    assert [m.country for m in some.markets] == ["GB"] and len(some.assignments) == 1
    assert some.notes[:2] == (
        "FR: not planned (1 order), no delivery promise",
        "DE: not planned (1 order), no warehouse/carrier lane ships there",
    )
    with pytest.raises(InvalidInput, match=r"no delivery promise for market\(s\) FR") as strict:
        plan_fulfilment([order(0), order(1, "FR")], slow, {"GB": 2}, strict=True)
    assert strict.value.field == "promise"
    with pytest.raises(InvalidInput, match=r"no warehouse/carrier lane ships to market\(s\) DE"):
        plan_fulfilment([order(0), order(1, "DE")], slow, {"GB": 2, "DE": 3}, strict=True)
    full = [Lane("A", "X", "GB", 2, 1, 1, 1)]
    with pytest.raises(InvalidInput, match="2 orders to GB but its lanes can take only 1"):
        plan_fulfilment([order(0), order(1)], full, {"GB": 2})
    assert len(naive_plan([order(0)], slow, {"GB": 2})) == 1


def read_lanes_file_text(text: str, folder: Path) -> list[Any]:
    path = folder / "lanes-text.csv"
    path.write_text(text)
    return read_lanes_file(path)


def test_lane_file_bad_lines_are_named(tmp_path: Path) -> None:
    good = tmp_path / "lanes.csv"
    good.write_text(LANES)
    assert [x.capacity for x in read_lanes_file(good)] == [40, None, None, 10]
    zero = tmp_path / "zero.csv"  # "-0" was "below 0" (an attack)
    zero.write_text("warehouse,carrier,country,cost_per_order,cost_per_kg,lead_time_days\n"
                    "Leeds,DPD,GB,-0,-0.0,1\n")  # fmt: skip
    assert [(x.cost_per_order, x.cost_per_kg) for x in read_lanes_file(zero)] == [(0.0, 0.0)]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        LANES + "Leeds,Royal Mail,FR,2.5,0.8,3,99\n"  # capacity differs from line 2
        "Leeds,DPD,GB,4,0.2,1,\n"  # twice
        "Venlo,DHL,NL,cheap,0.5,2,\n"
        "Venlo,DHL,BE,3,0.5,0,\n"
        "Venlo,DHL,DE,3,0.5,\u0662,\n"
        "Venlo,UPS,DE,3,0.5,2,2.5\n"  # a capacity of 2.5 blamed the lead time (an attack)
        "Venlo,GLS,DE,99999999999999999999,0.5,2,\n"
    )  # fmt: skip  (٢ was read as 2 days)
    with pytest.raises(BadRows) as caught:
        read_lanes_file(bad)
    assert [(r.line, r.field) for r in caught.value.rows] == [
        (6, "capacity"), (7, "country"), (8, "cost_per_order"), (9, "lead_time_days"),
        (10, "lead_time_days"), (11, "capacity"), (12, "cost_per_order"),
    ]  # fmt: skip
    assert "capacity 2.5 is not a whole number" in str(caught.value.rows[5])
    assert "is too large" in str(caught.value.rows[6])


# --- storage, CLI, API (SQLite and PostgreSQL) ---------------------------------------------


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> Database:
    save_retail(db, parse_retail(write_shop_file(tmp_path / "shop.csv", days=14)))
    return db


def test_shop_plan_and_lane_lead_times(shop: Database, tmp_path: Path) -> None:
    lanes_file = tmp_path / "lanes.csv"
    lanes_file.write_text(LANES.replace("2,10", "2,1"))  # Venlo/DHL: 1 order a day
    with pytest.raises(InvalidInput, match="no warehouse/carrier lanes yet"):
        shop_plan(shop)
    assert set_lanes(shop, read_lanes_file(lanes_file)) == 4
    with pytest.raises(InvalidInput, match="unknown market"):
        set_lanes(shop, [Lane("X", "Y", "ZZ", 1, 1, 1)])
    assert len(list_lanes(shop)) == 4  # nothing replaced
    with pytest.raises(InvalidInput, match="no delivery promise"):
        shop_plan(shop)
    set_promise(shop, DeliveryPromise("GB", 2))
    set_promise(shop, DeliveryPromise("DE", 3))
    made = shop_plan(shop, days=7)
    plan = made.plan
    assert len(plan.assignments) == 28  # 2 products x 2 markets x 7 days, one order each
    assert made.assumed_weight_orders == 28  # the demo products carry no weight
    assert plan.method == "HiGHS MIP (capacity binds: Venlo/DHL)"  # 7 a week, DE has 14
    assert plan.cost <= plan.naive_cost
    by_market = {m.country: m for m in plan.markets}
    assert by_market["DE"].lanes == {"Leeds/DPD": 7, "Venlo/DHL": 7}
    # a shipment's estimate now uses its carrier's lane lead time to the market
    ((oid, _, placed),) = first_orders(shop, "DE", 1)
    save_scans(shop, read_events_file(scans_file(tmp_path / "s.csv", [
        f"S1,{oid},DHL,picked_up,{placed:%Y-%m-%d %H:%M},,"])))  # fmt: skip
    (x,) = shipments_of(shop, oid, now=placed)
    assert x.estimate_basis == "DHL to DE: 2 days"
    assert x.estimated_delivery == placed.replace(second=0) + timedelta(days=2)


@postgres_in_slow_step
def test_cli_lanes_and_fulfil(settings: Settings, shop: Database, tmp_path: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(settings.data_dir),
           "BORDERLESS_DATABASE_URL": settings.database_url}  # fmt: skip
    lanes_file = tmp_path / "lanes.csv"
    lanes_file.write_text(LANES)
    imported = run("inventory", "lanes", str(lanes_file), env=env)
    assert imported.returncode == 0 and json.loads(imported.stdout)["lanes"] == 4
    refused = run("inventory", "fulfil", env=env)
    assert refused.returncode == 2 and "no delivery promise" in refused.stderr
    set_promise(shop, DeliveryPromise("GB", 1))
    set_promise(shop, DeliveryPromise("DE", 1))
    fallback = run("inventory", "fulfil", "--days", "3", env=env)
    assert fallback.returncode == 0, fallback.stderr
    assert "DE: no lane meets the 1-day promise" in fallback.stdout
    strict = run("inventory", "fulfil", "--strict", env=env)
    assert strict.returncode == 2 and "no lane to DE meets" in strict.stderr
    lanes_file.write_text(LANES.replace("2,10", "2,1"))  # Venlo/DHL: 1 order a day
    assert run("inventory", "lanes", str(lanes_file), env=env).returncode == 0
    set_promise(shop, DeliveryPromise("DE", 3))
    done = run("inventory", "fulfil", "--days", "3", "--json", "--orders", env=env)
    body = json.loads(done.stdout)  # the solver's banner stays out of the JSON
    assert body["method"].startswith("HiGHS") and "HiGHS" not in done.stdout.split("{")[0]
    assert body["orders"] == 12 and len(body["assignments"]) == 12
    assert {m["country"] for m in body["markets"]} == {"DE", "GB"}
    bad = tmp_path / "bad.csv"
    bad.write_text("warehouse,carrier,country,cost_per_order,cost_per_kg,lead_time_days\n"
                   "Leeds,DPD,GB,-1,0,1\n")  # fmt: skip
    wrong = run("inventory", "lanes", str(bad), env=env)
    assert wrong.returncode == 2 and "line 2 (cost_per_order)" in wrong.stderr


@pytest.fixture
def client(settings: Settings, shop: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, shop)) as c:
        yield c


def test_api_lanes_and_plan(client: TestClient) -> None:
    lanes = [{"warehouse": "Leeds", "carrier": "DPD", "country": "gb", "cost_per_order": 4,
              "cost_per_kg": 0.2, "lead_time_days": 1},
             {"warehouse": "Leeds", "carrier": "DPD", "country": "DE", "cost_per_order": 9,
              "cost_per_kg": 0.6, "lead_time_days": 3}]  # fmt: skip
    assert client.put("/v1/fulfilment/lanes", json={"data": lanes}).status_code == 401
    put = client.put("/v1/fulfilment/lanes", json={"data": lanes}, headers=KEY)
    assert put.status_code == 200 and put.json()["lanes"] == 2, put.text
    clash = client.put("/v1/fulfilment/lanes", headers=KEY,
                       json={"data": [lanes[0], lanes[1] | {"country": "GB"}]})  # fmt: skip
    assert clash.status_code == 422 and "line 2" in clash.json()["message"]
    listed = client.get("/v1/fulfilment/lanes", headers=KEY).json()
    assert listed["count"] == 2 and listed["offset"] == 0
    early = client.get("/v1/fulfilment/plan", headers=KEY)
    assert early.status_code == 422 and early.json()["field"] == "promise"
    for country in ("GB", "DE"):
        client.put(f"/v1/shipments/promises/{country}", json={"days": 3}, headers=KEY)
    # an unknown market is a 422 naming it, as in the supply and lanes routes (it was a 404)
    for path, body in (("/v1/shipments/promises/ZZ", {"days": 3}),
                       ("/v1/supply/markets/ZZ", {"service_level": 0.95})):  # fmt: skip
        refused = client.put(path, json=body, headers=KEY)
        assert refused.status_code == 422 and refused.json()["field"] == "country", path
        assert "ZZ" in refused.json()["message"]
    plan = client.get("/v1/fulfilment/plan", params={"days": 2}, headers=KEY)
    body = plan.json()
    assert plan.status_code == 200 and body["orders"] == 8, plan.text
    assert body["cost"] == body["naive_cost"]  # one lane per market: nothing to choose
    assert "assignments" not in body  # only asked for with orders=true
    odd = client.get("/v1/fulfilment/plan", params={"days": 2, "kg_per_unit": "NaN"}, headers=KEY)
    assert odd.status_code == 422 and "finite" in odd.json()["message"]  # said "<= 100"
    each = client.get("/v1/fulfilment/plan", params={"days": 2, "orders": True}, headers=KEY)
    assert [a["lane"] for a in each.json()["assignments"]] == ["Leeds/DPD"] * 8


def test_supply_page_shows_the_plan_and_shipments_at_risk(
    client: TestClient, shop: Database, tmp_path: Path
) -> None:
    from .test_inventory import _sign_in

    _sign_in(client)
    empty = client.get("/supply")
    assert empty.status_code == 200 and "No warehouse/carrier lanes yet" in empty.text
    # the lanes are uploaded on the page (it could only name the command: a walk)
    assert 'id="import-lanes"' in empty.text

    def upload(text: str) -> Any:
        token = client.cookies["borderless_csrf"]
        return client.post("/supply/lanes", data={"csrf_token": token},
                           files={"file": ("my lanes.csv", text.encode(), "text/csv")},
                           follow_redirects=False)  # fmt: skip

    bad = upload(LANES + "Venlo,DHL,NL,cheap,0.5,2,\n")
    assert bad.status_code == 422 and 'id="lanes-error"' in bad.text and "my lanes.csv" in bad.text
    assert list_lanes(shop) == []  # nothing written
    done = upload(LANES.replace("2,10", "2,1"))
    count = len(read_lanes_file_text(LANES, tmp_path))
    assert (
        done.status_code == 303 and done.headers["location"] == f"/supply?lanes={count}#fulfilment"
    )
    assert len(list_lanes(shop)) == count
    after = client.get(done.headers["location"]).text
    assert "DE, GB: not planned" in after and "no delivery promise" in after
    # said and listed (the upload said nothing, and the lanes showed nowhere: a walk)
    assert f'id="lanes-imported">Lanes replaced: {count} lanes' in after
    assert after.count("<tr><td>Venlo</td>") >= 1 and 'id="lane-table"' in after
    assert 'id="lanes-imported"' not in client.get("/supply?lanes=all+deleted").text
    # promises are set on the page too (it had only named the command: a walk)
    from .conftest import post_form

    for country, days, field in (("ZZ", "2", "country"), ("GB", "0", "days"),
                                 ("GB", "two", "days")):  # fmt: skip
        refused = post_form(client, "/supply/promises", {"country": country, "days": days})
        assert refused.status_code == 422 and 'id="promise-error"' in refused.text, field
    # what was sent stays in the form, the market chosen from a list (it was cleared: a walk)
    assert 'value="two"' in refused.text and '<option value="GB" selected>' in refused.text
    # a market's stock settings are set on the page too (only the command line could: a walk)
    for sent, field in (({"country": "GB", "service_level": "0.95"}, "service_level"),
                        ({"country": "GB", "service_level": "95", "lead_time_days": "0"},
                         "lead_time_days"),
                        ({"country": "ZZ", "service_level": "95"}, "country")):  # fmt: skip
        bad = post_form(client, "/supply/markets", sent)
        assert bad.status_code == 422 and 'id="market-error"' in bad.text, field
        assert field.replace("_", " ") in bad.text.lower() or field in bad.text, bad.text[:300]
    good = post_form(
        client,
        "/supply/markets",
        {"country": "DE", "service_level": "97.5", "lead_time_days": "10"},
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == "/supply#markets"
    assert list_market_supply(shop)["DE"] == MarketSupply("DE", 0.975, 10, 7)
    done = post_form(client, "/supply/promises", {"country": "gb", "days": "2"},
                     follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/supply#fulfilment"
    assert "United Kingdom 2 days" in client.get("/supply").text
    set_promise(shop, DeliveryPromise("DE", 3))
    made = shop_plan(shop, days=7).plan
    ((oid, _, placed),) = first_orders(shop, "DE", 1)
    save_scans(shop, read_events_file(scans_file(tmp_path / "s.csv", [
        f"S1,{oid},DHL,picked_up,{placed:%Y-%m-%d %H:%M},,"])))  # fmt: skip
    page = client.get("/supply").text
    assert 'id="fulfil-plan"' in page and f"{made.cost:,.2f}" in page
    assert f"{made.naive_cost:,.2f}" in page and "HiGHS MIP" in page
    assert 'id="at-risk"' in page and f"/orders/{oid}" in page and "late" in page
