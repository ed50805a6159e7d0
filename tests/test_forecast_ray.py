"""`borderless forecast shop` on a local Ray cluster gives what the local run gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run
from .test_inventory import write_shop_file


@pytest.mark.slow
def test_forecast_shop_on_ray_matches_local(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    env = {"BORDERLESS_DATA_DIR": str(tmp_path)}
    assert (
        run("import", "retail", str(write_shop_file(tmp_path / "shop.csv")), env=env).returncode
        == 0
    )
    args = ("forecast", "shop", "--horizon", "4", "--no-lightgbm", "--batch", "2", "--json")
    local = run(*args, env=env)
    assert local.returncode == 0, local.stderr
    first = run("forecast", "show", "85123A@GB", "--json", env=env).stdout
    on_ray = run(*args, "--ray-address", "local", env=env)
    assert on_ray.returncode == 0, on_ray.stderr
    done = json.loads(on_ray.stdout)
    assert done["ray"] is True and done["series"] == json.loads(local.stdout)["series"] == 4
    again = json.loads(run("forecast", "show", "85123A@GB", "--json", env=env).stdout)
    assert [p["yhat"] for p in again["points"]] == [p["yhat"] for p in json.loads(first)["points"]]
