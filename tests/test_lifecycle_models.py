"""Review sentiment and order risk in the model lifecycle: versions trained through the CLI are
promoted and rolled back, the commands and a running Services swap to the active version
without a restart, and a broken or foreign version is refused while the active one serves."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.reviews.lifecycle import SentimentTask
from borderless.capabilities.risk.lifecycle import read_decisions, version_number
from borderless.config import Settings
from borderless.errors import InvalidInput, NotFound
from borderless.storage import Database
from borderless.storage.imports import save_retail
from borderless.storage.registry import active_versions, corrections, list_versions
from borderless.storage.risk import RiskDesk
from borderless.wiring import Services

from .conftest import fake_env, run, write_csv
from .test_reviews_sentiment import ENGLISH
from .test_risk_service import decide_by_size, small_shop_csv

FLIPPED = [(text, "negative" if label == "positive" else "positive") for text, label in ENGLISH]


def _env(sqlite_settings: Settings) -> dict[str, str]:
    return fake_env(sqlite_settings.data_dir, database_url=sqlite_settings.database_url)


def _ok(*args: str, env: dict[str, str]) -> dict[str, object]:
    done = run(*args, "--json", env=env) if args[0] != "registry" else run(*args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if args[0] != "registry" else {}


def _refused(*args: str, env: dict[str, str], says: str) -> None:
    done = run(*args, env=env)
    assert done.returncode == 2 and says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # 95 s (three sentiment models trained): kept out of the default run's 15 min
def test_sentiment_versions_promote_rollback_and_reload(
    sqlite_services: Services, sqlite_settings: Settings, tmp_path: Path
) -> None:
    env = _env(sqlite_settings)
    right = _ok("reviews", "train", str(write_csv(tmp_path / "a.csv", ENGLISH * 2)), env=env)
    wrong = _ok("reviews", "train", str(write_csv(tmp_path / "b.csv", FLIPPED * 2)), env=env)
    v1, v2 = str(right["version"]), str(wrong["version"])
    assert right["active"] and wrong["active"]  # no held-out file: training promotes
    held = str(write_csv(tmp_path / "held.csv", ENGLISH))

    def accuracy() -> object:
        return _ok("reviews", "evaluate", held, env=env)["accuracy"]

    assert accuracy() == 0.0
    assert sqlite_services.sentiment_model().card["version"] == v2
    _ok("registry", "promote", "sentiment", v1, env=env)
    assert accuracy() == 1.0
    sqlite_services._next_check = 0.0  # the service looks at most once a second
    assert sqlite_services.sentiment_model().card["version"] == v1  # swapped without a restart
    assert sqlite_services.loaded_versions()["sentiment"] == v1
    _ok("registry", "rollback", "sentiment", env=env)  # back to v2, which v1 replaced
    assert accuracy() == 0.0
    _ok("registry", "promote", "sentiment", v1, env=env)

    # Broken, missing and foreign versions are refused; v1 keeps answering.
    (Path(str(wrong["model"])) / "weights.npz").write_bytes(b"not a zip file")
    _refused("registry", "promote", "sentiment", v2, env=env, says="unreadable")
    with pytest.raises(NotFound, match="no sentiment version 'nope'"):
        sqlite_services.lifecycle.promote("sentiment", "nope")
    with pytest.raises(NotFound, match="belongs to task 'sentiment'"):
        sqlite_services.lifecycle.promote("risk", v1)
    shutil.rmtree(str(wrong["model"]))
    with pytest.raises(InvalidInput, match="files are gone"):
        sqlite_services.lifecycle.promote("sentiment", v2)
    assert active_versions(sqlite_services.db)["sentiment"][0] == v1
    assert accuracy() == 1.0
    sqlite_services._next_check = 0.0
    assert sqlite_services.sentiment_model().card["version"] == v1

    # A held-out file decides: the flipped model is registered but kept out.
    kept = _ok("reviews", "train", str(tmp_path / "b.csv"), "--holdout", held, env=env)
    assert kept["active"] is False and "less than the margin" in str(kept["comparison"])
    assert accuracy() == 1.0


def test_sentiment_task_bad_folders_and_corrections(
    sqlite_services: Services, tmp_path: Path
) -> None:
    task = sqlite_services.lifecycle.task("sentiment")
    assert isinstance(task, SentimentTask)
    with pytest.raises(InvalidInput):
        task.load(tmp_path / "nothing-here")
    base = write_csv(tmp_path / "base.csv", ENGLISH * 2)
    with pytest.raises(InvalidInput, match="positive or negative"):
        task.retrain(base, [("so so", "neutral")])
    trained = task.retrain(base, [("Great quality, works perfectly", "negative")])
    assert (
        trained.data["rows"] == 16 and trained.folder.parent == sqlite_services.sentiment_store.root
    )


@pytest.fixture
def shop(sqlite_services: Services, tmp_path: Path) -> Database:
    save_retail(sqlite_services.db, parse_retail(small_shop_csv(tmp_path / "shop.csv")))
    return sqlite_services.db


@pytest.mark.slow  # 65 s (risk models trained on a shop): kept out of the default run's 15 min
def test_risk_scores_with_the_active_version(
    sqlite_services: Services, shop: Database, sqlite_settings: Settings, tmp_path: Path
) -> None:
    env = _env(sqlite_settings)
    desk = RiskDesk(shop, sqlite_services.risk)
    decided = decide_by_size(desk, skip=("500030",))
    first = _ok("risk", "train", env=env)
    desk.decide("500030", "block")  # a later decision: the second version learns it too
    second = _ok("risk", "train", env=env)
    assert (first["version"], second["version"]) == (1, 2)
    assert second["scored"]["source"] == "model v2"  # type: ignore[index]
    models = {m.version: m for m in list_versions(shop, "risk")}
    assert models["v2"].active and models["v2"].data["rows"] == decided + 1
    assert read_decisions(Path(models["v1"].data["file"]))["599998"] == 1

    def source() -> object:
        return _ok("risk", "score", env=env)["source"]

    _ok("registry", "promote", "risk", "v1", env=env)
    assert source() == "model v1"  # not the newest: the active one
    sqlite_services._next_check = 0.0
    assert sqlite_services.risk.serving() == 1 and sqlite_services.loaded_versions()["risk"] == "v1"
    _ok("registry", "rollback", "risk", env=env)
    assert source() == "model v2"
    _ok("registry", "promote", "risk", "v1", env=env)

    # A corrupted or missing version file is refused; v1 keeps scoring.
    Path(models["v2"].path).write_text('{"card": {}, "model": {"booster": "garbage"}}')
    _refused("registry", "promote", "risk", "v2", env=env, says="corrupted")
    with pytest.raises(NotFound, match="no risk version 'v9'"):
        sqlite_services.lifecycle.promote("risk", "v9")
    Path(models["v2"].path).unlink()
    with pytest.raises(InvalidInput, match="files are gone"):
        sqlite_services.lifecycle.promote("risk", "v2")
    assert active_versions(shop)["risk"][0] == "v1"
    sqlite_services._next_check = 0.0
    assert sqlite_services.risk.serving() == 1
    assert desk.score_all()["source"] == "model v1"

    # Review decisions are risk corrections; retrain lays them over v1's decisions.
    assert {c.input: c.label for c in corrections(shop, "risk")}["500030"] == "block"
    retrained = _ok("retrain", "risk", env=env)
    assert retrained["version"] == "v3" and retrained["active"] is False
    assert retrained["corrections"] == decided + 1
    assert active_versions(shop)["risk"][0] == "v1" and version_number(Path("v3.json")) == 3
