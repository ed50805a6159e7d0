"""Stock, lead times and service levels in the shop model; reorder points and the replenishment
list from stored forecasts; CLI, API and dashboard. Storage runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import math
import random
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.inventory import StockPoint, demand_over, read_stock_file, replenish
from borderless.config import Settings
from borderless.errors import BadRows, InvalidInput, NotFound
from borderless.jobs.supply import forecast_shop, replenishment_plan
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.imports import save_retail
from borderless.storage.supply import (
    MarketSupply,
    StockLevel,
    get_forecast,
    list_stock,
    sale_lines,
    set_market_supply,
    set_stock,
)

from .conftest import run

START = datetime(2024, 1, 1, 10)  # a Monday


def write_shop_file(path: Path, days: int = 84) -> Path:
    """A small real-format retail file: two products sold daily in the UK and Germany, one
    cancellation, deterministic quantities."""
    rng = random.Random(3)
    rows = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    invoice = 500000
    for day in range(days):
        at = (START + timedelta(days=day)).strftime("%Y-%m-%d %H:%M:%S")
        for sku, title, base in (("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 12),
                                 ("22423", "REGENCY CAKESTAND 3 TIER", 4)):  # fmt: skip
            for country, share in (("United Kingdom", 1.0), ("Germany", 0.4)):
                quantity = max(1, round(base * share + rng.randint(-2, 2)))
                invoice += 1
                rows.append(f"{invoice},{sku},{title},{quantity},{at},2.55,17850,{country}")
    rows.append(f"C{invoice + 1},85123A,WHITE HANGING HEART T-LIGHT HOLDER,-500,"
                f"{(START + timedelta(days=3)).strftime('%Y-%m-%d %H:%M:%S')},2.55,17850,"
                "United Kingdom")  # fmt: skip
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> Database:
    save_retail(db, parse_retail(write_shop_file(tmp_path / "shop.csv")))
    return db


# --- policy ----------------------------------------------------------------------------------


def point(**kw: Any) -> StockPoint:
    base: dict[str, Any] = dict(sku="S", country="GB", on_hand=100, on_order=0,
                                lead_time_days=14, service_level=0.95, review_days=7,
                                forecast=[70.0] * 8, sigma=10.0, period_days=7)  # fmt: skip
    return StockPoint(**(base | kw))


def test_reorder_point_and_order_up_to_by_hand() -> None:
    line = replenish(point())
    z = 1.6448536269514722
    assert line.lead_time_demand == 140.0
    assert line.safety_stock == pytest.approx(z * 10 * math.sqrt(2), abs=0.01)
    assert line.reorder_point == math.ceil(140 + z * 10 * math.sqrt(2))  # 164
    assert line.order_up_to == math.ceil(210 + z * 10 * math.sqrt(3))  # 239
    assert line.order_quantity == line.order_up_to - 100
    assert "reorder point 164" in line.reason and "95% service" in line.reason


def test_no_order_above_the_reorder_point_and_on_order_counts() -> None:
    assert replenish(point(on_hand=300)).order_quantity == 0
    assert replenish(point(on_hand=100, on_order=100)).order_quantity == 0
    assert replenish(point(service_level=0.99)).safety_stock > replenish(point()).safety_stock


def test_missing_lead_time_is_said_never_guessed() -> None:
    line = replenish(point(lead_time_days=None))
    assert line.order_quantity == 0 and line.reorder_point == 0
    assert "no lead time" in line.reason
    assert "no sales" in replenish(point(forecast=[])).reason


def test_demand_over_spreads_periods_and_carries_the_last_rate() -> None:
    assert demand_over([7.0, 14.0], 7, 3) == pytest.approx(3.0)
    assert demand_over([7.0, 14.0], 7, 10) == pytest.approx(7 + 6)
    assert demand_over([7.0, 14.0], 7, 21) == pytest.approx(7 + 14 + 14)


# --- stock file ------------------------------------------------------------------------------


def test_stock_file_rows_and_bad_lines(tmp_path: Path) -> None:
    good = tmp_path / "stock.csv"
    good.write_text("SKU,Country,On_Hand,lead_time_days\n85123A,gb,10,14\n22423,DE,0,\n"
                    "22423,United Kingdom,3,\n")  # fmt: skip
    rows = read_stock_file(good)
    # a country by name too, as reviews and the retail file take it (a walk)
    assert [(r.sku, r.country, r.on_hand, r.lead_time_days) for r in rows] == [
        ("85123A", "GB", 10, 14), ("22423", "DE", 0, None), ("22423", "GB", 3, None)]  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "sku,country,on_hand,lead_time_days\nA,GB,-1,\nB,Narnia,999999999999,\nC,GB,x,\n"
        "D,GB,1,0\nD,GB,1,\nE,GB,\u0665,\nF,GB,2,\nF,GB,-5,\n"
    )  # fmt: skip  (٥ was read as 5)
    with pytest.raises(BadRows) as caught:
        read_stock_file(bad)
    # a repeated line's values are read too: its -5 showed only on a second try (a walk)
    # and an unknown country does not hide the row's other faults (a walk)
    assert [r.line for r in caught.value.rows] == [2, 3, 3, 4, 5, 6, 7, 9, 9]
    header = tmp_path / "header.csv"
    header.write_text("sku,on_hand\nA,1\n")
    with pytest.raises(InvalidInput, match="country"):
        read_stock_file(header)


# --- storage on both databases ---------------------------------------------------------------


def test_sale_lines_leave_cancellations_out(shop: Database) -> None:
    lines = sale_lines(shop, sku="85123A", country="GB")
    assert len(lines) == 84 and all(q > 0 for *_, q in lines)


def test_stock_is_all_or_nothing_and_idempotent(shop: Database) -> None:
    levels = [StockLevel("85123A", "GB", 40, 0, 10), StockLevel("22423", "DE", 5)]
    assert set_stock(shop, levels).inserted == 2
    assert set_stock(shop, levels).as_dict() == {"inserted": 0, "updated": 0, "unchanged": 2}
    # each unknown named with its row (the API said "unknown product(s): NOPE", no row)
    with pytest.raises(InvalidInput, match=r"unknown product\(s\): 'NOPE' \(row 2\)"):
        set_stock(shop, [StockLevel("85123A", "GB", 1), StockLevel("NOPE", "GB", 1)])
    with pytest.raises(InvalidInput, match="unknown market"):
        set_stock(shop, [StockLevel("85123A", "QQ", 1)])
    assert [s.on_hand for s in list_stock(shop)] == [5, 40]
    # the same product and market twice: which would win? Nothing is written.
    twice = [
        StockLevel("22423", "DE", 7),
        StockLevel("85123A", "GB", 1),
        StockLevel("22423", "DE", 9),
    ]
    with pytest.raises(InvalidInput, match=r"22423 in DE is given twice \(rows 1 and 3\)"):
        set_stock(shop, twice)
    assert [s.on_hand for s in list_stock(shop)] == [5, 40]
    with pytest.raises(InvalidInput, match="service level"):
        set_market_supply(shop, MarketSupply("GB", 1.2))


def test_forecast_then_replenishment_plan(shop: Database) -> None:
    with pytest.raises(InvalidInput, match="forecast shop"):
        replenishment_plan(shop)
    done = forecast_shop(shop, level="sku_market", frequency="weekly", horizon=4, lightgbm=False)
    assert done["series"] == 4 and done["frequency"] == "weekly"
    series, points = get_forecast(shop, "sku_market", "weekly", "85123A@GB")
    assert len(points) == 4 and series.sigma >= 0
    # about 12 a day are sold; the 500-unit cancellation is not negative demand
    assert 60 < points[0].yhat < 110
    with pytest.raises(NotFound):
        get_forecast(shop, "sku", "weekly", "85123A")
    set_stock(shop, [StockLevel("85123A", "GB", 20, 0, 14), StockLevel("22423", "DE", 500),
                     StockLevel("85123A", "DE", 0)])  # fmt: skip
    set_market_supply(shop, MarketSupply("GB", 0.95, None, 7))
    plan = {(r.sku, r.country): r for r in replenishment_plan(shop)}
    assert plan[("85123A", "GB")].order_quantity > 150  # ~3 weeks of ~84 a week, less 20
    assert plan[("22423", "DE")].lead_time_days is None  # DE has no lead time anywhere
    assert "no lead time" in plan[("22423", "DE")].reason


# --- CLI, API, dashboard ---------------------------------------------------------------------


def test_cli_stock_import_plan_and_errors(
    settings: Settings, shop: Database, tmp_path: Path
) -> None:
    env = {"BORDERLESS_DATA_DIR": str(settings.data_dir),
           "BORDERLESS_DATABASE_URL": settings.database_url}  # fmt: skip
    stock = tmp_path / "stock.csv"
    stock.write_text("sku,country,on_hand,lead_time_days\n85123A,GB,20,14\n")
    imported = run("inventory", "import", str(stock), "--json", env=env)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["changes"]["inserted"] == 1
    again = run("inventory", "import", str(stock), env=env)  # words, not a Python dict
    assert again.stdout.strip() == "1 stock rows: 0 new, 0 changed, 1 as they were", again.stdout
    early = run("inventory", "plan", "--json", env=env)
    assert early.returncode == 2 and "forecast shop" in early.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,country,on_hand\nNOPE,GB,1\n")
    refused = run("inventory", "import", str(bad), env=env)
    assert refused.returncode == 2 and "unknown product" in refused.stderr
    assert str(bad) in refused.stderr and "line 2" in refused.stderr  # the file and its line
    assert run("inventory", "market", "GB", "--service-level", "2", env=env).returncode == 2


def _sign_in(client: TestClient) -> None:
    client.get("/login")
    token = client.cookies.get("borderless_csrf")
    data = {"key": "test-key", "next": "/"} | ({"csrf_token": token} if token else {})
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


@pytest.fixture
def client(settings: Settings, shop: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, shop)) as c:
        yield c


def test_the_forecast_page_says_what_the_unfinished_week_holds_so_far(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    """The data ends on a Tuesday: the week it ends in is left out of the history (a half week
    is no slump) and forecast whole; the page says what its first two days hold (a seller saw
    212 forecast for a week that had 252 ordered in five days: a walk)."""
    path = write_shop_file(tmp_path / "shop.csv", days=86)
    save_retail(db, parse_retail(path))
    forecast_shop(db, horizon=4, lightgbm=False)
    rows = [r.split(",") for r in path.read_text().splitlines()[1:]]
    last = (START + timedelta(days=83)).date()  # the last whole week's Sunday
    units = sum(int(r[3]) for r in rows if r[1] == "85123A" and r[7] == "United Kingdom"
                and datetime.fromisoformat(r[4]).date() > last and int(r[3]) > 0)  # fmt: skip
    with TestClient(create_app(settings, db)) as client:
        _sign_in(client)
        page = client.get("/supply/forecast", params={"series": "85123A@GB"}).text
    assert units > 0
    assert f"is not over: {units:,} units ordered in its first 2 days" in page


def test_api_stock_forecast_and_replenishment(client: TestClient) -> None:
    key = {"X-API-Key": "test-key"}
    assert client.get("/v1/supply/stock").status_code == 401
    body = {"data": [{"sku": "85123A", "country": "gb", "on_hand": 10, "on_order": 50,
                      "lead_time_days": 14}]}  # fmt: skip
    assert client.put("/v1/supply/stock", json=body).status_code == 401
    put = client.put("/v1/supply/stock", json=body, headers=key)
    assert put.status_code == 200 and put.json()["changes"]["inserted"] == 1
    # without on_order (or null) the stored figure stays: it was set to 0 (an attack)
    for line in ({"on_hand": 11}, {"on_hand": 10, "on_order": None}):
        sent = {"data": [{"sku": "85123A", "country": "GB", **line}]}
        assert client.put("/v1/supply/stock", json=sent, headers=key).status_code == 200
        (stored,) = client.get("/v1/supply/stock", headers=key).json()["data"]
        assert (stored["on_order"], stored["lead_time_days"]) == (50, 14), stored
    wrong = client.put("/v1/supply/stock", headers=key,
                       json={"data": [{"sku": "NOPE", "country": "GB", "on_hand": 1}]})  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["field"] == "sku"
    twice = [{"sku": "85123A", "country": "GB", "on_hand": 1},
             {"sku": "85123A", "country": "gb", "on_hand": 2}]  # fmt: skip
    again = client.put("/v1/supply/stock", headers=key, json={"data": twice})
    assert again.status_code == 422 and "given twice" in again.json()["message"], again.text
    early = client.get("/v1/supply/replenishment", headers=key)
    assert early.status_code == 422 and early.json()["field"] == "forecast"
    made = client.post("/v1/supply/forecasts", headers=key,
                       json={"horizon": 4, "lightgbm": False})  # fmt: skip
    assert made.status_code == 200 and made.json()["series"] == 4
    for market in ("XX", "G B"):
        bad = client.post("/v1/supply/forecasts", headers=key, json={"holidays": market})
        assert bad.status_code == 422 and bad.json()["field"] == "holidays", bad.text
    one = client.get("/v1/supply/forecasts/85123A@GB", headers=key).json()
    assert len(one["points"]) == 4 and one["points"][0]["lo_95"] <= one["points"][0]["yhat"]
    listed = client.get("/v1/supply/forecasts", params={"prefix": "85123A"}, headers=key).json()
    assert listed["count"] == 2 and listed["limit"] == 50
    # the prefix is the id's start as written: "%" and "_" are no wildcards (an attack)
    for odd in ("%GB", "_", "85123_"):
        wild = client.get("/v1/supply/forecasts", params={"prefix": odd}, headers=key).json()
        assert wild["count"] == 0, odd
    missing = client.get("/v1/supply/forecasts/NOPE@GB", headers=key)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    market = {"service_level": 0.9, "review_days": 14}
    assert client.put("/v1/supply/markets/GB", headers=key, json=market).status_code == 200
    assert client.put("/v1/supply/markets/GB", headers=key,
                      json={"service_level": 1.5}).status_code == 422  # fmt: skip
    # a setting left out keeps its value; an empty body is refused, not every one reset
    kept = client.put("/v1/supply/markets/gb", headers=key, json={"lead_time_days": 12}).json()
    assert (kept["service_level"], kept["review_days"], kept["lead_time_days"]) == (0.9, 14, 12)
    empty = client.put("/v1/supply/markets/GB", headers=key, json={})
    assert empty.status_code == 422 and "nothing to change" in empty.json()["message"]
    unset = client.put("/v1/supply/markets/GB", headers=key, json={"lead_time_days": None})
    assert unset.json()["lead_time_days"] is None and unset.json()["service_level"] == 0.9
    plan = client.get("/v1/supply/replenishment", headers=key).json()
    assert plan["count"] == 1 and plan["data"][0]["order_quantity"] > 0
    assert "reorder point" in plan["data"][0]["reason"]


def test_dashboard_supply_pages(client: TestClient, shop: Database) -> None:
    assert client.get("/supply", follow_redirects=False).status_code == 303
    _sign_in(client)
    empty = client.get("/supply")
    # no series named: the page to pick one from ("series: Field required" was shown, a walk)
    bare = client.get("/supply/forecast", follow_redirects=False)
    assert bare.status_code == 303 and bare.headers["location"] == "/supply"
    assert empty.status_code == 200 and "No forecasts yet" in empty.text
    assert "start one under Demand forecasts below" in empty.text  # not a command to run
    forecast_shop(shop, horizon=4, lightgbm=False)
    set_stock(shop, [StockLevel("85123A", "GB", 0, 0, 14)])
    page = client.get("/supply")
    assert 'id="plan"' in page.text and "85123A" in page.text and "4 weekly series" in page.text
    plan = page.text[page.text.index('id="plan"') :].split("</table>")[0]
    assert "WHITE HANGING HEART" in plan  # what the SKU is, beside its code (a walk)
    # only weekly forecasts: no "daily" to choose ("0 daily series" and an empty list: a walk)
    assert '<select name="frequency">' not in page.text
    assert '<input type="hidden" name="frequency" value="weekly">' in page.text
    chart = client.get("/supply/forecast", params={"series": "85123A@GB"})
    assert chart.status_code == 200
    assert chart.text.count("<polygon") == 2 and 'd="M' in chart.text
    assert "United Kingdom" in chart.text
    assert 'id="forecast-title">WHITE HANGING HEART' in chart.text  # what the SKU is (a walk)
    # the history is demand ordered, before cancellations: said so (a walk read it as net
    # units sold, which the home page shows)
    assert "units ordered in" in chart.text and "before cancellations" in chart.text
    assert client.get("/supply/forecast", params={"series": "NOPE@GB"}).status_code == 404


def test_forecasts_start_from_the_dashboard_as_a_background_job(
    client: TestClient, shop: Database
) -> None:
    """The supply page's empty state pointed at the CLI: a seller on the dashboard could not
    forecast. An editor starts a forecast job there; it counts series as it goes, stores them
    and the page then shows them."""
    from borderless.jobs.background import check_parameters
    from borderless.storage.jobs import get_job

    from .conftest import post_form

    assert check_parameters("forecast", {}) == {"horizon": 8}
    assert check_parameters("forecast", {"horizon": 12}) == {"horizon": 12}  # JSON number
    for bad in ("0", "105", "eight", "4.5", "²", "٣", True):  # "²".isdigit() crashed int()
        with pytest.raises(InvalidInput) as refused:
            check_parameters("forecast", {"horizon": bad})
        assert refused.value.field == "parameters.horizon"
    post_form(client, "/login", {"key": "test-key"})
    page = client.get("/supply").text
    assert 'id="no-forecasts"' in page and 'id="forecast-now"' in page
    started = post_form(client, "/jobs", {"kind": "forecast", "horizon": "4"},
                        follow_redirects=False)  # fmt: skip
    assert started.status_code == 303, started.text
    job_id = int(started.headers["location"].rsplit("-", 1)[1])
    done = get_job(shop, job_id)
    for _ in range(1200):  # the service's own runner takes it
        if not (done := get_job(shop, job_id)).active:
            break
        time.sleep(0.05)
    assert (done.status, done.done, done.total) == ("done", 4, 4), done.error
    assert done.summary == "4 SKU x market series forecast 4 weeks ahead"
    after = client.get("/supply").text
    assert 'id="no-forecasts"' not in after and "Forecast again" in after
    assert len(get_forecast(shop, "sku_market", "weekly", "85123A@GB")[1]) == 4
    key = {"X-API-Key": "test-key"}
    api = client.post("/v1/jobs", headers=key,
                      json={"kind": "forecast", "parameters": {"horizon": "200"}})  # fmt: skip
    assert api.status_code == 422 and api.json()["field"] == "parameters.horizon"
    # One forecast at a time whatever its horizon: each recomputes every series.
    from borderless.storage.jobs import create_job

    queued = create_job(shop, "forecast", {"horizon": 8}, "eda")
    twice = client.post("/v1/jobs", headers=key,
                        json={"kind": "forecast", "parameters": {"horizon": 9}})  # fmt: skip
    assert twice.status_code == 409
    assert f"job {queued.id} is forecasting demand already (horizon 8)" in twice.json()["message"]
    # the Supply page says a forecast is on its way, not "No forecasts yet" (a walk)
    waiting = client.get("/supply").text
    assert 'id="forecast-running"' in waiting and 'id="forecast-now"' not in waiting
    assert f'href="/jobs#job-{queued.id}"' in waiting
    page = post_form(client, "/jobs", {"kind": "forecast", "horizon": "3"})
    assert page.status_code == 409 and 'id="job-error"' in page.text  # the Jobs page, not 500
    assert "is forecasting demand already" in page.text
    # The error sits in the forecast form, which keeps the weeks typed (it showed 8 again).
    form = page.text.split('id="start-forecast"')[1].split("</form>")[0]
    assert 'id="job-error"' in form and 'name="horizon" value="3"' in form
    bad = post_form(client, "/jobs", {"kind": "forecast", "horizon": "200"}).text
    assert 'name="horizon" value="200"' in bad.split('id="start-forecast"')[1]
    # Cancelled, a forecast stores nothing: no progress bar half-way, it says so.
    from borderless.storage.jobs import cancel_job

    cancel_job(shop, queued.id)
    row = client.get("/jobs").text.split(f'id="job-{queued.id}"')[1].split("</tr>")[0]
    assert "nothing stored" in row and "<progress" not in row


def test_stock_is_imported_from_the_supply_page(client: TestClient, shop: Database) -> None:
    """The supply page said "import a stock file (borderless inventory import FILE)": a seller
    on the dashboard had no way to. An editor uploads the same file there: a bad line is named
    beside the form and nothing is written; a viewer sees no form."""
    from borderless.storage.staff import add_account

    from .conftest import post_form

    post_form(client, "/login", {"key": "test-key"})
    assert 'id="import-stock"' in client.get("/supply").text

    def upload(text: str, name: str = "stock.csv") -> Any:
        token = client.cookies["borderless_csrf"]
        return client.post("/supply/stock", data={"csrf_token": token},
                           files={"file": (name, text.encode(), "text/csv")},
                           follow_redirects=False)  # fmt: skip

    bad = upload("sku,country,on_hand\n85123A,GB,5\n22423,DE,-3\n", "my stock.csv")
    assert bad.status_code == 422 and 'id="stock-error"' in bad.text
    assert "my stock.csv: 1 bad row(s), nothing imported: line 3 (on_hand)" in bad.text
    assert "/tmp" not in bad.text  # the seller's file name, not where it was kept
    assert list_stock(shop) == []
    unknown = upload("sku,country,on_hand\n85123A,GB,5\nNOPE,GB,1\n")
    assert unknown.status_code == 422 and "unknown product" in unknown.text
    assert list_stock(shop) == []
    assert upload("").status_code == 422  # an empty file: said, not a crash
    # a file over 1 MB is read (a fixed 1,000,000-byte limit refused a 3 MB stock file under a
    # form saying "up to 20 MB": a walk); this one is refused for its content only
    big = upload("sku,country,on_hand\n" + "85123A,GB,5\n" * 100_000)
    assert big.status_code == 422 and "over" not in big.text.split('id="stock-error"')[1][:200]
    assert list_stock(shop) == []
    done = upload("sku,country,on_hand,on_order,lead_time_days\n85123A,GB,5,50,14\n22423,DE,40\n")
    assert done.status_code == 303 and done.headers["location"].startswith("/supply?stocked=2")
    assert sorted((s.sku, s.country, s.on_hand) for s in list_stock(shop)) == [
        ("22423", "DE", 40), ("85123A", "GB", 5)]  # fmt: skip
    assert "Stock imported: 2 rows added or updated" in client.get("/supply?stocked=2").text
    # the product's page shows it (it read "Stock: not tracked": a walk)
    product = client.get("/products/22423").text
    assert "by market: Germany 40" in product and "not tracked" not in product
    assert "Stock imported: 1 row added" in client.get("/supply?stocked=1").text
    # A file without lead times or stock on order keeps the stored ones (they were wiped: 50
    # units on order became 0); a row with more values than the header has columns is refused
    # (it was read without the extras).
    assert upload("sku,country,on_hand\n85123A,GB,7\n").status_code == 303
    kept = {(s.sku, s.country): (s.on_hand, s.on_order, s.lead_time_days)
            for s in list_stock(shop)}  # fmt: skip
    assert kept[("85123A", "GB")] == (7, 50, 14) and kept[("22423", "DE")] == (40, 0, None)
    extra = upload("sku,country,on_hand,on_order,lead_time_days\n22423,GB,5,7,8,9\n")
    assert extra.status_code == 422 and "line 2 has 6 values for the header" in (
        extra.text)  # fmt: skip
    post_form(client, "/logout")
    client.cookies.clear()
    post_form(client, "/login", {"key": add_account(shop, "vic", "viewer")})
    page = client.get("/supply").text
    assert 'id="import-stock"' not in page and 'id="forecast-now"' not in page
    assert upload("sku,country,on_hand\n85123A,GB,1\n").status_code == 403


def test_forecast_models_are_named_in_words() -> None:
    """The Supply page's Model column read "adida", "ses", "imapa"."""
    from borderless.capabilities.forecast.candidates import MODEL_NAMES, model_name

    assert model_name("adida") == "ADIDA (intermittent demand)"
    assert model_name("seasonal_naive") == "same period last season"
    assert model_name("new_model") == "new model"  # an unlisted one, readable still
    assert all(name != words for name, words in MODEL_NAMES.items())


def test_the_supply_market_form_takes_a_service_level_up_to_99_9(
    client: TestClient, shop: Database
) -> None:
    """A walk: 99.9 was refused as "a share from 0.5 to 0.999" (99.9 / 100 is a hair over 0.999
    in floats), while 150 was told "a percentage from 50 to 99.99999"."""
    from borderless.storage.supply import list_market_supply

    from .conftest import post_form

    _sign_in(client)
    form = {"country": "GB", "lead_time_days": "10", "review_days": "7"}
    saved = post_form(client, "/supply/markets", form | {"service_level": "99.9"},
                      follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303, saved.text
    assert list_market_supply(shop)["GB"].service_level == 0.999
    for bad in ("150", "99.95", "49", "abc"):
        refused = post_form(client, "/supply/markets", form | {"service_level": bad})
        assert "a percentage from 50 to 99.9 (95 is usual)" in refused.text, bad
    assert list_market_supply(shop)["GB"].service_level == 0.999


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("sku,country,on_hand,lead_tme_days", "unknown column 'lead_tme_days'; did you mean "
                                              "'lead_time_days'?"),
        ("sku,country,on_hand,warehouse", "unknown column 'warehouse' (the columns are sku, "),
    ],
)  # fmt: skip
def test_a_stock_file_column_it_does_not_read_is_an_error(
    tmp_path: Path, header: str, said: str
) -> None:
    """ "lead_tme_days" was dropped without a word and the stock saved (an attack)."""
    path = tmp_path / "stock.csv"
    path.write_text(f"{header}\n10002,GB,3,400\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape(said)):
        read_stock_file(path)
