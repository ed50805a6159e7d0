"""Versions are also logged to a real MLflow server (SQLite store) when BORDERLESS_MLFLOW_URI is
set; skipped when MLflow (the mlflow extra) or Flask (its server) is not installed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from borderless.capabilities.lifecycle.loop import Lifecycle, Trained
from borderless.capabilities.lifecycle.tracking import log_to_mlflow
from borderless.errors import BackendError
from borderless.storage import Database, open_database
from borderless.storage.registry import ShopRegistry, list_versions

from .conftest import free_port, wait_until_up

pytest.importorskip("mlflow")
pytest.importorskip("flask")
pytestmark = pytest.mark.slow  # the server takes 30-60 s to start here


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("mlflow")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{folder / 'mlflow.db'}",
         "--default-artifact-root", str(folder / "artifacts"), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=(folder / "server.log").open("w"),
        start_new_session=True,  # its own process group: the server starts workers of its own
    )  # fmt: skip
    uri = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{uri}/health", process, "the MLflow server", folder / "server.log")
        yield uri
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


class _Task:
    name = "intents"
    metric = "accuracy"

    def load(self, folder: Path) -> object:
        return folder

    def evaluate(self, model: object, examples: Path) -> dict[str, float]:
        return {"accuracy": 0.5}

    def retrain(self, base: Path, corrections: object) -> Trained:
        raise NotImplementedError

    def activated(self, folder: Path) -> None:
        pass


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    from borderless.config import load_settings

    database = open_database(load_settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}"))
    yield database
    database.dispose()


def test_versions_are_logged_to_mlflow(
    mlflow_server: str, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlflow

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")  # the unreachable server below

    lifecycle = Lifecycle(ShopRegistry(db), {"intents": _Task()}, mlflow_server)
    trained = Trained("v1", tmp_path, {"accuracy": 0.91, "held_out": 40},
                      {"embedders": "fake"}, {"sha256": "ab" * 32, "rows": 300})  # fmt: skip
    outcome = lifecycle.register("intents", trained, created_by="test")
    assert outcome.warnings == () and outcome.active
    client = mlflow.MlflowClient(tracking_uri=mlflow_server)
    experiment = client.get_experiment_by_name("borderless-intents")
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id])
    assert len(runs) == 1 and runs[0].info.run_name == "v1"
    assert runs[0].data.metrics == {"accuracy": 0.91, "held_out": 40.0}
    assert runs[0].data.params["embedders"] == "fake" and runs[0].data.tags["data.rows"] == "300"
    # An unreachable server: the registry keeps the version, the command warns.
    down = Lifecycle(ShopRegistry(db), {"intents": _Task()}, "http://127.0.0.1:9")
    warned = down.register("intents", Trained("v2", tmp_path, {"accuracy": 0.9}), created_by="t")
    assert warned.warnings and "MLflow" in warned.warnings[0]
    assert {v.version for v in list_versions(db, "intents")} == {"v1", "v2"}
    with pytest.raises(BackendError):
        log_to_mlflow("http://127.0.0.1:9", "intents", "v3", {}, {"accuracy": 1.0}, {})
