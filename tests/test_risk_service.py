"""Order risk with the shop: storage on SQLite and PostgreSQL, the CLI, the API and the
dashboard's review queue (decisions become labels that `borderless risk train` learns from)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import RetailImport, parse_retail
from borderless.capabilities.risk.shop import ShopRisk
from borderless.config import Settings
from borderless.errors import InvalidInput
from borderless.service import create_app
from borderless.storage import Database, open_database
from borderless.storage.imports import save_retail
from borderless.storage.risk import (
    RiskDesk,
    get_risk,
    label_map,
    load_order_records,
    review_queue,
    rule_versions,
)

from .conftest import fake_settings, post_form, run

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"


def small_shop_csv(path: Path) -> Path:
    """60 ordinary orders from 12 customers, two odd ones, and a cancellation."""
    rnd = random.Random(0)
    rows = [HEADER]
    for n in range(60):
        customer = 12000 + n % 12
        day = 1 + n // 3
        for sku in rnd.sample(["A1", "B2", "C3", "D4", "E5"], 2):
            rows.append(f"5{n:05d},{sku},Mug {sku},{rnd.randint(2, 6)},2011-03-{day:02d} "
                        f"10:{n % 60:02d}:00,2.50,{customer},United Kingdom")  # fmt: skip
    rows.append("599998,A1,Mug A1,900,2011-03-25 03:10:00,2.50,19999,USA")
    rows.append("599999,B2,Mug B2,500,2011-03-25 03:40:00,1.00,12000,France")
    rows.append("C599997,A1,Mug A1,-3,2011-03-10 12:00:00,2.50,12001,United Kingdom")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def decide_by_size(desk: RiskDesk, skip: tuple[str, ...] = ("500010", "500020")) -> int:
    """Decide the small shop's sales by a pattern a model can learn: those of 10 units or more
    blocked, the rest approved (but `skip`); the number decided."""
    decided = 0
    for order in load_order_records(desk.db):
        if order.kind == "sale" and order.id not in skip:
            units = sum(line.quantity for line in order.lines)
            desk.decide(order.id, "block" if units >= 10 else "approve")
            decided += 1
    return decided


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> Database:
    save_retail(db, parse_retail(small_shop_csv(tmp_path / "shop.csv")))
    return db


def test_scores_rules_labels_and_versions_are_stored(shop: Database, tmp_path: Path) -> None:
    records = load_order_records(shop)
    assert len(records) == 63 and sum(r.kind == "cancellation" for r in records) == 1
    assert {r.customer_country for r in records if r.customer_id == "19999"} == {"US"}
    desk = RiskDesk(shop, ShopRisk(lambda: load_order_records(shop), tmp_path / "models"))
    desk.set_rules("review if score >= 0.9\n", note="first")
    summary = desk.score_all()
    assert summary["orders"] == 62 and summary["source"] == "detector"
    odd = get_risk(shop, "599998")
    assert odd is not None and odd.action == "review" and odd.rule == 1 and odd.rules_version == 1
    assert odd.reasons and all(r["text"] for r in odd.reasons)
    queue, total = review_queue(shop)
    assert "599998" in [r.order_id for r in queue] and total == len(queue)
    desk.decide("599998", "block", note="card holder called")
    desk.decide("500001", "approve")
    desk.decide("500001", "approve")  # deciding again replaces, never duplicates
    assert label_map(shop) == {"599998": 1, "500001": 0}
    assert "599998" not in [r.order_id for r in review_queue(shop)[0]]
    with pytest.raises(Exception, match="approve or block"):
        desk.decide("500002", "maybe")
    with pytest.raises(Exception, match="no order"):
        desk.decide("nope", "block")
    # a note with a bell and a terminal escape was stored as it came (an attack)
    with pytest.raises(Exception, match="note holds"):
        desk.decide("500001", "block", note="line1\nline2\x07\x1b]0;pwned\x07")
    assert label_map(shop)["500001"] == 0
    with pytest.raises(Exception, match="note is longer than 200"):
        desk.set_rules("review if score >= 0.9\n", note="x" * 201)
    with pytest.raises(Exception, match="line 1, position 18"):
        desk.set_rules("review if score >")
    assert [v.version for v in rule_versions(shop)] == [1]  # the refused text stored nothing
    dry = desk.dry_run("block if amount > 1000\nreview if score >= 0\n")
    assert dry["orders"] == 62 and dry["rules"][0]["hits"] == 1
    assert dry["actions"] == {"allow": 0, "review": 61, "block": 1}
    # rescoring replaces the rows, never duplicates them
    assert desk.score_all()["orders"] == 62
    assert review_queue(shop, limit=200)[1] == total - 1


def test_rule_hits_have_every_month_a_quiet_one_at_zero(shop: Database, tmp_path: Path) -> None:
    """A month without orders kept no place on the rules chart's axis: March sat beside May,
    evenly spaced, as if one month apart (a walk)."""
    from .conftest import save_retail_lines

    save_retail_lines(shop, tmp_path, ["599990,A1,Mug A1,4,2011-05-02 09:00:00,2.50,"
                                          "12003,United Kingdom"])  # fmt: skip
    desk = RiskDesk(shop, ShopRisk(lambda: load_order_records(shop), tmp_path / "models"))
    desk.set_rules("review if amount >= 0\n")
    desk.score_all()
    months, hits = desk.hits_by_month()
    assert months == ["2011-03", "2011-04", "2011-05"]
    assert hits == {"1. review if amount >= 0": [62, 0, 1]}


def test_train_learns_from_decisions_and_scores_with_the_model(
    shop: Database, tmp_path: Path
) -> None:
    desk = RiskDesk(shop, ShopRisk(lambda: load_order_records(shop), tmp_path / "models"))
    with pytest.raises(Exception, match="at least 3 approved and 3 blocked"):
        desk.train()
    desk.score_all()
    # Ten decisions with no pattern: a model that learnt nothing is refused, nothing changes
    # (six had made a model that scored every order 0.5, put in use at once: a walk).
    for oid in ("599998", "599999", "500010", "500020"):
        desk.decide(oid, "block")
    for oid in ("500001", "500002", "500003", "500004", "500005", "500006"):
        desk.decide(oid, "approve")
    with pytest.raises(InvalidInput, match="no better than chance") as refused:
        desk.train()
    assert refused.value.field == "labels" and not list(tmp_path.glob("models/v*"))
    record = get_risk(shop, "599998")
    assert record is not None and record.source == "detector"
    # Decisions with a pattern train a model, which then scores.
    decided = decide_by_size(desk)
    card = desk.train()
    assert card["version"] == 1 and card["labels"] == decided + 2  # and the two before
    assert card["inner_auprc"] > card["blocked"] / card["labels"]
    assert card["scored"]["orders"] == 62
    record = get_risk(shop, "599998")
    assert record is not None and record.source == "model v1" and 0 <= record.score <= 1
    assert desk.train()["version"] == 2


# -- the demo sample through the CLI, the API and the dashboard --------------------------------


@pytest.fixture(scope="module")
def sample_settings(
    retail_parsed: Callable[[], RetailImport], tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    folder = tmp_path_factory.mktemp("risk")
    settings = fake_settings(folder, database_url=f"sqlite:///{folder / 'shop.db'}", api_key="k")
    db = open_database(settings)
    save_retail(db, retail_parsed())
    db.dispose()
    return settings


@pytest.fixture(scope="module")
def client(sample_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(sample_settings)) as test_client:
        yield test_client


def _env(settings: Settings) -> dict[str, str]:
    return {"BORDERLESS_DATA_DIR": str(settings.data_dir),
            "BORDERLESS_DATABASE_URL": str(settings.database_url)}  # fmt: skip


def test_cli_scores_shows_and_dry_runs(sample_settings: Settings, tmp_path: Path) -> None:
    env = _env(sample_settings)
    scored = run("risk", "score", "--json", env=env)
    assert scored.returncode == 0, scored.stderr
    summary = json.loads(scored.stdout)
    assert summary["orders"] > 700 and summary["actions"]["review"] > 0
    first = run("risk", "order", "536365", "--json", env=env)
    assert first.returncode == 0 and json.loads(first.stdout)["order_id"] == "536365"
    rules = tmp_path / "rules.txt"
    rules.write_text("block if amount > 5000\nreview if score >= 0.95\n")
    dry = json.loads(run("risk", "rules", "dry-run", str(rules), "--json", env=env).stdout)
    assert dry["orders"] == summary["orders"] and len(dry["rules"]) == 2
    # Notepad's byte-order mark is no rule text (it was "line 1, position 1: unexpected
    # '\ufeff'": an attack)
    rules.write_bytes("block if amount > 5000\n".encode("utf-8-sig"))
    marked = run("risk", "rules", "dry-run", str(rules), "--json", env=env)
    assert marked.returncode == 0, marked.stderr
    rules.write_text("review if amount >> 5\n")
    bad = run("risk", "rules", "set", str(rules), env=env)
    assert bad.returncode == 2 and "line 1, position 19" in bad.stderr
    missing = run("risk", "order", "no-such-order", env=env)
    assert missing.returncode == 2 and missing.stderr.startswith("error: no order")


def test_api_order_risk_new_order_queue_decisions_and_rules(client: TestClient) -> None:
    h = {"X-API-Key": "k"}
    assert client.get("/v1/orders/536365/risk").status_code == 401
    got = client.get("/v1/orders/536365/risk", headers=h)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["order_id"] == "536365" and body["action"] in ("allow", "review", "block")
    assert set(body["features"]) >= {"amount", "new_customer", "orders_24h"}
    assert client.get("/v1/orders/nope/risk", headers=h).status_code == 404
    new = {"customer_id": "17850", "country": "US", "placed_at": "2011-01-01T03:00:00",
           "lines": [{"sku": "85123A", "quantity": 2000, "unit_price": 2.55}]}  # fmt: skip
    scored = client.post("/v1/risk/score", json=new, headers=h)
    assert scored.status_code == 200, scored.text
    s = scored.json()
    assert s["score"] > 0.9 and s["reasons"] and s["action"] in ("review", "block")
    assert client.post("/v1/risk/score", json=new | {"country": "QQ"}, headers=h).status_code == 422
    assert client.post("/v1/risk/score", json=new | {"lines": []}, headers=h).status_code == 422
    ancient = new | {"placed_at": "0001-01-01T00:00:00"}
    assert client.post("/v1/risk/score", json=ancient, headers=h).status_code == 422
    everything = client.post("/v1/risk/score-all", headers=h)
    assert everything.status_code == 200 and everything.json()["orders"] > 700
    queue = client.get("/v1/risk/queue?limit=5", headers=h).json()
    assert queue["limit"] == 5 and queue["count"] >= len(queue["data"]) > 0
    target = queue["data"][0]["order_id"]
    decided = client.post("/v1/risk/decisions", json={"order_id": target, "decision": "block"},
                          headers=h)  # fmt: skip
    assert decided.status_code == 201 and decided.json()["label"] == 1
    # the correction names who decided (it said "staff" whoever it was: an attack)
    fixes = client.get("/v1/models/risk/corrections", headers=h).json()["data"]
    assert next(c for c in fixes if c["subject"] == target)["actor"] == "owner"
    # a cancellation is never scored, so it is not decided either (it was labelled)
    cancelled = client.get("/v1/orders", params={"limit": 200}, headers=h).json()["data"]
    cancel_id = next(o["id"] for o in cancelled if o["id"].startswith("C"))
    refused = client.post("/v1/risk/decisions", json={"order_id": cancel_id,
                          "decision": "block"}, headers=h)  # fmt: skip
    assert refused.status_code == 422 and "only sales are decided" in refused.json()["message"]
    assert refused.json()["field"] == "order_id"
    bad = client.put("/v1/risk/rules", json={"text": "review if score >= x"}, headers=h)
    assert bad.status_code == 422
    assert bad.json()["field"] == "text" and "position 20" in bad.json()["message"]
    saved = client.put("/v1/risk/rules", json={"text": "review if score >= 0.99\n"}, headers=h)
    assert saved.status_code == 200 and saved.json()["version"] >= 1
    dry = client.post("/v1/risk/rules/dry-run", json={"text": "block if orders_24h >= 2"},
                      headers=h)  # fmt: skip
    assert dry.status_code == 200 and dry.json()["rules"][0]["hits"] >= 0
    for empty in ("", "# only a comment\n"):  # refused as a save refuses it (was a 200)
        nothing = client.post("/v1/risk/rules/dry-run", json={"text": empty}, headers=h)
        assert nothing.status_code == 422 and "no rule given" in nothing.json()["message"]


def test_dashboard_queue_decisions_charts_and_rules_editor(client: TestClient) -> None:
    assert client.get("/risk", follow_redirects=False).headers["location"].startswith("/login")
    post_form(client, "/login", {"key": "k"})
    assert post_form(client, "/risk/score", follow_redirects=False).status_code == 303
    page = client.get("/risk")
    assert page.status_code == 200
    assert "Review queue" in page.text and "<svg" in page.text and "Orders decided" in page.text
    queue, _ = review_queue(client.app.state.db)  # type: ignore[attr-defined]
    target = queue[0].order_id
    # each score in four places, cut not rounded: 0.99796 read "0.998" beside a block line
    # of 0.9980 (a walk)
    row = page.text[page.text.index(f">{target}</a>") :].split("</tr>")[0]
    shown = f"{int(queue[0].score * 10000) / 10000:.4f}"
    assert f'<td class="num">{shown}</td>' in row, row
    done = post_form(client, f"/risk/orders/{target}/decision", {"decision": "approve"},
                     follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert label_map(client.app.state.db)[target] == 0  # type: ignore[attr-defined]
    # the page says what was decided, and offers the other decision (no word, no way back)
    told = client.get(done.headers["location"]).text
    assert 'id="decided"' in told and f">{target}</a> approved" in told
    assert 'id="change-decision"' in told and "Block it instead" in told
    order = client.get(f"/orders/{target}").text  # the order's page says so too
    assert 'id="order-risk"' in order and "you approved it" in order
    editor = client.get("/risk/rules")
    assert editor.status_code == 200 and "What a rule can read" in editor.text
    edges = editor.text[editor.text.index('id="band-edges"') :].split("</dd>")[0]
    assert re.search(r"now 0\.\d{4} and 0\.\d{4} \(", edges), edges  # said, not only named
    refused = post_form(client, "/risk/rules", {"text": "review if amount >", "action": "save"})
    assert refused.status_code == 422 and "line 1, position 19" in refused.text
    dry = post_form(client, "/risk/rules", {"text": "review if amount > 100", "action": "dry-run"})
    assert dry.status_code == 200 and "dry-run-result" in dry.text
    # a save says so (the page came back as it was, a walk); an old address says nothing
    done = post_form(client, "/risk/rules", {"text": "review if amount > 100", "action": "save"},
                     follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"].startswith("/risk/rules?saved=")
    told = client.get(done.headers["location"]).text
    version = done.headers["location"].rsplit("=", 1)[1]
    assert 'id="rules-saved"' in told and f"Saved as version {version}, now in force" in told
    assert 'id="rules-saved"' not in client.get("/risk/rules?saved=999").text
