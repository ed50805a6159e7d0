"""Order risk is scored at import: `borderless import retail` scores every sale it changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run

pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")


def test_import_scores_the_orders_and_a_repeat_import_does_not(
    tmp_path: Path, retail_sample: Path
) -> None:
    env = {"BORDERLESS_DATA_DIR": str(tmp_path)}
    first = run("import", "retail", str(retail_sample), "--json", env=env)
    assert first.returncode == 0, first.stderr
    risk = json.loads(first.stdout)["risk"]
    assert risk["orders"] > 500 and sum(risk["actions"].values()) == risk["orders"]
    again = run("import", "retail", str(retail_sample), "--json", env=env)
    assert json.loads(again.stdout)["risk"] is None  # nothing changed, nothing rescored
