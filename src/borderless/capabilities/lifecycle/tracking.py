"""Model versions and their metrics, also logged to MLflow when BORDERLESS_MLFLOW_URI is set.

One MLflow experiment per task ("borderless-intents"), one run per version, named after it;
parameters, metrics (numbers only) and the training data's fingerprint as tags. The mlflow
client comes with the `mlflow` extra (mlflow-skinny: no server, no pyarrow)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from borderless.errors import BackendError
from borderless.optional import require

__all__ = ["log_to_mlflow"]


def _numbers(values: Mapping[str, Any]) -> dict[str, float]:
    return {
        k: float(v)
        for k, v in values.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def log_to_mlflow(
    uri: str,
    task: str,
    version: str,
    parameters: Mapping[str, Any],
    metrics: Mapping[str, Any],
    data: Mapping[str, Any],
) -> str:
    """Log one version as a run; returns the run id. Failures are BackendError (exit 4)."""
    mlflow = require("mlflow", "mlflow", feature="logging to MLflow", field="mlflow_uri")
    client = mlflow.MlflowClient(tracking_uri=uri)
    name = f"borderless-{task}"
    try:
        found = client.get_experiment_by_name(name)
        experiment = found.experiment_id if found else client.create_experiment(name)
        run = client.create_run(experiment, run_name=version, tags={"borderless.task": task})
        run_id: str = run.info.run_id
        for key, value in list(parameters.items())[:100]:
            client.log_param(run_id, key, str(value)[:500])
        for key, number in _numbers(metrics).items():
            client.log_metric(run_id, key, number)
        for key, value in data.items():
            client.set_tag(run_id, f"data.{key}", str(value))
        client.set_tag(run_id, "borderless.version", version)
        client.set_terminated(run_id)
    except Exception as exc:  # the client raises many kinds (HTTP, REST, store errors)
        raise BackendError(f"MLflow at {uri} did not take the version: {exc}") from exc
    return run_id
