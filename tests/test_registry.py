"""The model registry: versions in the shop database (SQLite and PostgreSQL), one active version
per task, promotion and rollback with their bad inputs, champion/challenger on a held-out file,
the service reloading a promoted intent model without a restart, and the CLI contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.lifecycle.champion import compare
from borderless.capabilities.lifecycle.data import fingerprint
from borderless.capabilities.support.examples import LabelledText
from borderless.capabilities.support.lifecycle import merge_corrections, trained_intents
from borderless.errors import InvalidInput, NotFound
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.registry import (
    active_versions,
    add_correction,
    comparisons,
    corrections,
    get_version,
    list_versions,
    promote,
    record_version,
    rollback,
)
from borderless.wiring import Services

from .conftest import fake_env, post_form, run, save_retail_lines, write_csv
from .test_support_intents import EXAMPLES

KEY = {"X-API-Key": "test-key"}
HELD_OUT = [
    ("where is my package", "track_order"),
    ("please give me a refund", "get_refund"),
    ("tell me a funny joke", "oos"),
    ("I need to speak with a person", "contact_human_agent"),
]


def train_rows(drop: int = 0) -> list[tuple[str, str]]:
    """The hand-written examples; `drop` leaves out that many of each intent (a weaker model)."""
    return [(t, label) for label, texts in EXAMPLES.items() for t in texts[drop:]]


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    (folder / "model.json").write_text("{}")
    return folder


def test_versions_one_active_promote_rollback(db: Database, tmp_path: Path) -> None:
    a = record_version(db, "intents", "v1", _folder(tmp_path, "v1"), metrics={"accuracy": 0.8})
    b = record_version(db, "intents", "v2", _folder(tmp_path, "v2"), metrics={"accuracy": 0.9})
    record_version(db, "risk", "r1", _folder(tmp_path, "r1"), metrics={"auprc": 0.3})
    assert a.active and not b.active  # the first version of a task is active, later ones wait
    assert active_versions(db)["intents"][0] == "v1"
    generation = active_versions(db)["intents"][1]
    promote(db, "intents", "v2")
    assert active_versions(db)["intents"] == ("v2", generation + 1)
    listed = list_versions(db)
    assert sum(v.active for v in listed if v.task == "intents") == 1
    assert {v.task for v in listed if v.active} == {"intents", "risk"}
    assert get_version(db, "intents", "v2").replaced == "v1"
    assert rollback(db, "intents").version == "v1"
    assert active_versions(db)["intents"][0] == "v1"
    with pytest.raises(InvalidInput, match="replaced nothing"):
        rollback(db, "intents")
    with pytest.raises(InvalidInput, match="already registered"):
        record_version(db, "intents", "v1", tmp_path, metrics={"accuracy": 1.0})
    with pytest.raises(InvalidInput, match="at least one held-out metric"):
        record_version(db, "intents", "v9", tmp_path, metrics={})


def test_bad_promotions_keep_the_active_version(db: Database, tmp_path: Path) -> None:
    record_version(db, "intents", "v1", _folder(tmp_path, "v1"), metrics={"accuracy": 0.8})
    gone = _folder(tmp_path, "v2")
    record_version(db, "intents", "v2", gone, metrics={"accuracy": 0.9})
    record_version(db, "risk", "r1", _folder(tmp_path, "r1"), metrics={"auprc": 0.3})
    with pytest.raises(NotFound, match="no intents version 'v7'"):
        promote(db, "intents", "v7")
    with pytest.raises(NotFound, match="belongs to task 'risk'"):
        promote(db, "intents", "r1")
    shutil.rmtree(gone)
    with pytest.raises(InvalidInput, match="files are gone"):
        promote(db, "intents", "v2")

    def broken(folder: Path) -> None:
        raise InvalidInput(f"{folder}: corrupted", field="model")

    record_version(db, "intents", "v3", _folder(tmp_path, "v3"), metrics={"accuracy": 0.9})
    with pytest.raises(InvalidInput, match="corrupted"):
        promote(db, "intents", "v3", broken)
    assert active_versions(db)["intents"][0] == "v1"


def test_corrections_and_comparisons_are_stored(db: Database) -> None:
    add_correction(db, "intents", "where's my stuff", "get_refund", source="support.relabel",
                   subject="message:1", predicted="oos")  # fmt: skip
    add_correction(db, "intents", "where's my stuff", "track_order", source="support.relabel",
                   subject="message:1", predicted="oos")  # fmt: skip
    found = corrections(db, "intents")
    assert [(c.input, c.label) for c in found] == [("where's my stuff", "track_order")]
    with pytest.raises(InvalidInput):
        add_correction(db, "intents", "  ", "x", source="s", subject="1")
    from borderless.storage.registry import record_comparison

    made = compare("accuracy", "v2", {"accuracy": 0.91}, "v1", {"accuracy": 0.90}, margin=0.02)
    assert not made.promote and "less than the margin" in made.reason
    record_comparison(db, "intents", made, {"held_out_file": "h.csv"})
    assert comparisons(db, "intents")[0].decision == "kept"


def test_champion_rules() -> None:
    assert compare("accuracy", "b", {"accuracy": 0.5}).promote  # no champion
    assert compare("accuracy", "b", {"accuracy": 0.92}, "a", {"accuracy": 0.9}, 0.01).promote
    assert not compare("accuracy", "b", {"accuracy": 0.9}, "a", {"accuracy": 0.9}).promote
    with pytest.raises(InvalidInput, match="numeric 'accuracy'"):
        compare("accuracy", "b", {"f1": 0.9})
    with pytest.raises(InvalidInput, match="margin"):
        compare("accuracy", "b", {"accuracy": 0.9}, margin=2.0)


def test_fingerprint_and_merge(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("text,label,date\nhi,a,2024-01-05\nyo,b,2023-12-01\n")
    found = fingerprint(path)
    assert found["rows"] == 2 and (found["date_from"], found["date_to"]) == (
        "2023-12-01",
        "2024-01-05",
    )
    assert len(found["sha256"]) == 64
    base = [LabelledText("where is it", "oos"), LabelledText("refund", "get_refund")]
    merged = merge_corrections(base, [("Where is  it", "track_order")])
    assert [(e.text, e.label) for e in merged] == [
        ("refund", "get_refund"),
        ("Where is it", "track_order"),
    ]


def _train(sqlite_services: Services, tmp_path: Path, drop: int, **options: object) -> object:
    from borderless.capabilities.support.examples import read_labelled
    from borderless.capabilities.support.intents import train_intents

    source = write_csv(tmp_path / f"train{drop}.csv", train_rows(drop))
    model = train_intents(read_labelled(source), sqlite_services.intent_embedders())
    folder = sqlite_services.intent_store.save(model, make_current=False)
    return sqlite_services.lifecycle.register(
        "intents",
        trained_intents(model, folder, source),
        created_by="test",
        **options,  # type: ignore[arg-type]
    )


def test_champion_challenger_and_reload(sqlite_services: Services, tmp_path: Path) -> None:
    """A weaker challenger is kept, a better one is promoted; the running service swaps models
    on promotion, refuses a corrupted version and keeps serving the active one."""
    holdout = write_csv(tmp_path / "held.csv", HELD_OUT)
    first = _train(sqlite_services, tmp_path, drop=0)
    assert first.active  # type: ignore[attr-defined]
    weak = _train(sqlite_services, tmp_path, drop=6, holdout=holdout, margin=0.0)
    comparison = weak.comparison  # type: ignore[attr-defined]
    assert comparison is not None and comparison.champion == first.version.version  # type: ignore[attr-defined]
    stored = comparisons(sqlite_services.db, "intents")[0]
    assert stored.challenger == weak.version.version and stored.metric == "accuracy"  # type: ignore[attr-defined]
    assert weak.active == comparison.promote  # type: ignore[attr-defined]

    app = create_app(services=sqlite_services)
    with TestClient(app) as client:
        made = client.post("/v1/support/conversations", json={"text": "where is my order"})
        assert made.status_code == 201, made.text
        serving = client.get("/health/ready").json()["models"]["intents"]
        assert serving == active_versions(sqlite_services.db)["intents"][0]
        other = next(
            v.version for v in list_versions(sqlite_services.db, "intents") if not v.active
        )
        promoted = client.post(f"/v1/models/intents/{other}/promote", headers=KEY)
        assert promoted.status_code == 200 and promoted.json()["active"], promoted.text
        sqlite_services._next_check = 0.0  # the service looks at most once a second
        client.post("/v1/support/conversations", json={"text": "I want a refund"})
        assert client.get("/health/ready").json()["models"]["intents"] == other

        # A corrupted version is refused, the active one keeps answering.
        broken = _train(sqlite_services, tmp_path, drop=1, promote="no")
        folder = Path(broken.version.path)  # type: ignore[attr-defined]
        (folder / "weights.npz").write_bytes(b"not a zip file")
        refused = client.post(f"/v1/models/intents/{broken.version.version}/promote", headers=KEY)  # type: ignore[attr-defined]
        assert refused.status_code == 422 and "unreadable" in refused.json()["message"]
        assert active_versions(sqlite_services.db)["intents"][0] == other
        wrong_task = client.post("/v1/models/risk/nope/promote", headers=KEY)
        assert wrong_task.status_code == 404
        assert client.post(f"/v1/models/intents/{other}/promote").status_code == 401
        # Files gone after registration: promotion refused with a clear message.
        gone = _train(sqlite_services, tmp_path, drop=2, promote="no")
        shutil.rmtree(gone.version.path)  # type: ignore[attr-defined]
        answer = client.post(f"/v1/models/intents/{gone.version.version}/promote", headers=KEY)  # type: ignore[attr-defined]
        assert answer.status_code == 422 and "files are gone" in answer.json()["message"]
        reply = client.post("/v1/support/conversations", json={"text": "where is my parcel"})
        assert reply.status_code == 201
        listed = client.get("/v1/models", headers=KEY).json()
        assert listed["count"] == 4 and sum(v["active"] for v in listed["data"]) == 1
        assert client.get("/v1/models/comparisons", headers=KEY).json()["count"] >= 1
        rolled = client.post("/v1/models/intents/rollback", headers=KEY)
        assert rolled.status_code == 200 and rolled.json()["version"] != other
        # The dashboard: versions, promote buttons, and a clear error for a broken version.
        post_form(client, "/login", data={"key": "test-key"})
        page = client.get("/models")
        assert page.status_code == 200 and "Promote" in page.text and other in page.text
        assert " KB</td>" in page.text and "0.0 KB" not in page.text
        assert "(last 24 h)" in page.text  # not "24.0 h" (a walk)
        # Roll back names where it goes, and is not offered when there is nowhere to go.
        from borderless.storage.registry import get_version

        serving = active_versions(sqlite_services.db)["intents"][0]
        back_to = get_version(sqlite_services.db, "intents", serving).replaced
        section = page.text.split('id="task-intents"')[1].split("<table")[0]
        assert (f"Roll back to {back_to}" if back_to else "Nothing to roll back to") in section
        bad = post_form(client, f"/models/intents/{broken.version.version}/promote")  # type: ignore[attr-defined]
        assert bad.status_code == 422 and "unreadable" in bad.text and "keeps serving" in bad.text


@pytest.mark.slow  # about 20 s: kept out of the default run's 15 minutes
def test_cli_registry_contract(tmp_path: Path) -> None:
    """The acceptance contract: two trainings, two versions, one active; a bad promotion."""
    env = fake_env(tmp_path / "data")
    train = write_csv(tmp_path / "train.csv", train_rows())
    for _ in range(2):
        done = run("intents", "train", str(train), env=env)
        assert done.returncode == 0, done.stderr
    listed = run("registry", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    models = json.loads(listed.stdout)["models"]
    assert len(models) == 2 and sum(m["active"] for m in models) == 1
    for m in models:
        assert m["task"] == "intents" and m["metrics"] and m["version"] and m["created_at"]
    bad = run("registry", "promote", "intents", "nope", env=env)
    assert bad.returncode == 2 and "no intents version 'nope'" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.slow
def test_cli_registry_commands(tmp_path: Path) -> None:
    env = fake_env(tmp_path / "data")
    train = write_csv(tmp_path / "train.csv", train_rows())
    holdout = write_csv(tmp_path / "held.csv", HELD_OUT)
    assert run("intents", "train", str(train), env=env).returncode == 0
    done = run("intents", "train", str(train), "--holdout", str(holdout), "--margin", "0.05",
               "--json", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["active"] is False  # not better by 5 points: kept
    models = json.loads(run("registry", "list", "--json", env=env).stdout)["models"]
    inactive = next(m["version"] for m in models if not m["active"])
    assert run("registry", "promote", "intents", inactive, env=env).returncode == 0
    again = json.loads(run("registry", "list", "--json", env=env).stdout)["models"]
    assert next(m for m in again if m["active"])["version"] == inactive
    shown = json.loads(run("registry", "show", "intents", inactive, env=env).stdout)
    assert shown["data"]["rows"] == 32 and shown["size_bytes"] > 0
    assert shown["metrics"]["held_out_file"] == str(holdout)
    for args, message in [
        (("registry", "promote", "sentiment", inactive), "belongs to task 'intents'"),
        (("registry", "rollback", "forecast"), "no trainable task 'forecast'"),
        (("registry", "list", "--task", "intent"), "no model task 'intent'"),
        (("registry", "comparisons", "nope"), "tasks: attributes, forecast, images, intents,"),
    ]:
        bad = run(*args, env=env)
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr
    assert run("registry", "rollback", "intents", env=env).returncode == 0


def test_relabels_become_examples_and_retrain(sqlite_services: Services, tmp_path: Path) -> None:
    """A support-desk relabel and an API correction are labelled examples; retrain builds a
    challenger from the base file plus them and compares it with the active version."""
    holdout = write_csv(tmp_path / "held.csv", HELD_OUT)
    first = _train(sqlite_services, tmp_path, drop=0)
    with TestClient(create_app(services=sqlite_services)) as client:
        made = client.post("/v1/support/conversations", json={"text": "my parcel never came"})
        conversation = made.json()["id"]
        post_form(client, "/login", data={"key": "test-key"})
        page = client.get(f"/support/conversations/{conversation}")
        assert 'id="relabel"' in page.text
        url = f"/support/conversations/{conversation}/relabel"
        wrong = post_form(client, url, data={"seq": "1", "label": "track_ordr"})
        assert (
            wrong.status_code == 422
            and "knows no intent" in wrong.text
            and "track_ordr" in wrong.text
        )
        assert post_form(client, url, data={"seq": "2", "label": "x"}).status_code == 404
        done = post_form(client, url, data={"seq": "1", "label": "track_order"})
        assert done.status_code == 200  # back on the conversation page
        added = client.post("/v1/models/intents/corrections", headers=KEY, json={
            "text": "I am owed money for the broken kettle", "label": "get_refund",
            "subject": "ticket-7", "source": "email"})  # fmt: skip
        assert added.status_code == 201, added.text
        # the API checks a correction's label as the dashboard does (it stored any before)
        for task, label, said in (("intents", "get_refnd", "knows no intent"),
                                  ("sentiment", "banana", "negative or positive"),
                                  ("risk", "maybe", "approve or block")):  # fmt: skip
            odd = client.post(f"/v1/models/{task}/corrections", headers=KEY, json={
                "text": "x", "label": label, "subject": "odd-1"})  # fmt: skip
            assert odd.status_code == 422 and said in odd.text, (task, odd.text)
            assert odd.json()["field"] == "label"
        listed = client.get("/v1/models/intents/corrections", headers=KEY).json()
        assert listed["count"] == 2
        # corrections of a task that keeps none: a 404 naming those that do (an empty list)
        nope = client.get("/v1/models/nosuchtask/corrections", headers=KEY)
        assert nope.status_code == 404 and nope.json()["field"] == "task"
        assert "intents" in nope.text and "translation" in nope.text
        for kept in ("translation", "copy", "handoff", "search"):
            assert client.get(f"/v1/models/{kept}/corrections", headers=KEY).status_code == 200
        # a label in another case is the label, stored as the model spells it (a risk
        # correction is of an order the shop has)
        save_retail_lines(sqlite_services.db, tmp_path, [
            "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,"
            "17850,United Kingdom"])  # fmt: skip
        for task, text, label, kept in (("risk", "536365", " BLOCK", "block"),
                                        ("risk", "536365", "0", "approve"),
                                        ("sentiment", "x", "Positive", "positive")):  # fmt: skip
            cased = client.post(f"/v1/models/{task}/corrections", headers=KEY, json={
                "text": text, "label": label, "subject": f"case-{label}"})  # fmt: skip
            assert cased.status_code == 201 and cased.json()["label"] == kept, cased.text
        relabel = next(c for c in listed["data"] if c["source"] == "support.relabel")
        assert relabel["input"] == "my parcel never came" and relabel["label"] == "track_order"
        assert relabel["model_version"] == first.version.version  # type: ignore[attr-defined]
    outcome = sqlite_services.lifecycle.retrain("intents", holdout, 0.0, "test", None)
    assert outcome.version.parameters["corrections"] == 2
    assert outcome.version.data["rows"] == 32  # the base file the active version names
    assert outcome.comparison is not None
    assert comparisons(sqlite_services.db, "intents")[0].challenger == outcome.version.version


def test_models_without_a_task_adapter_are_recorded(
    sqlite_services: Services, tmp_path: Path
) -> None:
    """A model that has not joined with a ModelTask records its versions; promotion needs one
    (sentiment and risk have joined: tests/test_lifecycle_models.py)."""
    from borderless.capabilities.lifecycle.loop import Trained

    folder = tmp_path / "v1.json"
    folder.write_text("{}")
    trained = Trained("v1", folder, {"mape": 0.12, "series": 40}, data={"rows": 40})
    first = sqlite_services.lifecycle.record("forecast", trained, "cli: forecast")
    assert first.active and first.metrics["mape"] == 0.12
    assert (
        sqlite_services.lifecycle.record("forecast", trained, "again").created_by == "cli: forecast"
    )
    with pytest.raises(NotFound, match="no trainable task 'forecast'"):
        sqlite_services.lifecycle.rollback("forecast")


def test_operating_point_chosen_on_validation(sqlite_services: Services, tmp_path: Path) -> None:
    """The out-of-scope threshold meets the seller's target on validation messages, is stored
    with the version (card, registry metrics) and its trade-off curve is drawn."""
    from borderless.capabilities.lifecycle.operating import choose_threshold, tradeoff_curve
    from borderless.capabilities.support.examples import read_labelled
    from borderless.capabilities.support.intents import train_intents
    from borderless.capabilities.support.lifecycle import set_operating_point

    # Rejecting more out-of-scope messages costs in-scope accuracy: the target decides.
    conf = [0.9, 0.8, 0.3, 0.2, 0.6, 0.1]
    top = ["a", "b", "a", "b", "a", "b"]
    truth = ["a", "b", "a", "b", "oos", "oos"]
    curve = tradeoff_curve(conf, top, truth, steps=10)
    assert curve[0].in_scope_accuracy == 1.0 and curve[0].oos_recall == 0.0
    strict = choose_threshold(curve, 0.0)
    assert strict.in_scope_accuracy == 1.0 and strict.threshold == 0.2
    loose = choose_threshold(curve, 0.5)
    assert loose.in_scope_accuracy == 0.5 and loose.oos_recall == 1.0 and loose.threshold == 0.7
    with pytest.raises(InvalidInput, match="accuracy loss"):
        choose_threshold(curve, 1.5)

    source = write_csv(tmp_path / "train.csv", train_rows())
    model = train_intents(read_labelled(source), sqlite_services.intent_embedders())
    validation = [LabelledText(t, label) for t, label in HELD_OUT] + [
        LabelledText("what's the time in Tokyo", "oos"),
        LabelledText("recommend a good film", "oos"),
    ]
    with pytest.raises(InvalidInput, match="out-of-scope"):
        set_operating_point(model, validation[:2], 0.01)
    found = set_operating_point(model, validation, 0.01)
    assert found["target"] == "keep in-scope accuracy within 1 point of rejecting nothing"
    assert found["chosen"]["in_scope_accuracy"] >= found["no_rejection"]["in_scope_accuracy"] - 0.01
    assert model.main.threshold == found["chosen"]["threshold"] and len(found["curve"]) == 50
    folder = sqlite_services.intent_store.save(model, make_current=False)
    outcome = sqlite_services.lifecycle.register(
        "intents", trained_intents(model, folder, source), created_by="test"
    )
    assert "validation_oos_recall" in outcome.version.metrics
    assert outcome.version.parameters["operating_target"] == found["target"]
    with TestClient(create_app(services=sqlite_services)) as client:
        post_form(client, "/login", data={"key": "test-key"})
        page = client.get("/models")
        assert 'id="operating-intents"' in page.text and "rejecting nothing" in page.text


def test_a_default_intent_model_of_older_default_examples_is_trained_again(
    sqlite_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shop that trained its default model before the default examples grew (the 13
    languages' requests of 2026-12-04) kept it for good; now it is trained again and made
    active. A seller's own model is never replaced."""
    from borderless.capabilities.support import seed
    from borderless.capabilities.support.examples import read_labelled
    from borderless.capabilities.support.intents import train_intents

    source = write_csv(tmp_path / "small.csv", train_rows(0))
    monkeypatch.setattr(seed, "seed_examples", lambda _: read_labelled(source))
    old = train_intents(read_labelled(source), sqlite_services.intent_embedders())
    old.card["source"] = seed.DEFAULT_SOURCE  # an older edition: no "defaults" on its card
    folder = sqlite_services.intent_store.save(old)
    sqlite_services.lifecycle.adopt("intents", trained_intents(old, folder, None), "test")
    fresh = sqlite_services.intent_model()
    assert fresh.card["defaults"] == seed.DEFAULTS_EDITION
    assert fresh.card["version"] != old.card["version"]
    active = sqlite_services.lifecycle.registry.active("intents")
    assert active is not None and active.version == fresh.card["version"]
    assert sqlite_services.intent_model().card["version"] == fresh.card["version"]  # once
    mine = train_intents(read_labelled(source), sqlite_services.intent_embedders())
    mine.card["source"] = str(source)  # the seller's own file
    folder = sqlite_services.intent_store.save(mine)
    sqlite_services.lifecycle.adopt("intents", trained_intents(mine, folder, source), "seller")
    assert sqlite_services.intent_model().card["version"] == mine.card["version"]
