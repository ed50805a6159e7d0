"""`borderless reviews score --ray-address local` reads the reviews on Ray workers and stores
what the local run stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run


@pytest.mark.slow
def test_reviews_scored_on_ray_match_the_local_run(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    env = {
        "BORDERLESS_DATA_DIR": str(tmp_path / "data"),
        "BORDERLESS_EMBEDDINGS": "fake",
        "BORDERLESS_SENTIMENT_EMBEDDINGS": "fake",
    }
    assert run("import", "reviews", "--demo", "--per-category", "2", env=env).returncode == 0
    local = run("reviews", "score", "--json", env=env)
    assert local.returncode == 0, local.stderr
    listed = json.loads(run("reviews", "list", "--json", "--limit", "100", env=env).stdout)
    on_ray = run("reviews", "score", "--all", "--ray-address", "local", "--batch", "10", "--json",
                 env=env)  # fmt: skip
    assert on_ray.returncode == 0, on_ray.stderr
    done, first = json.loads(on_ray.stdout), json.loads(local.stdout)
    assert done["ray"] is True and done["scored"] == first["scored"] == 52
    assert {k: done[k] for k in ("positive", "negative", "aspect_mentions")} == {
        k: first[k] for k in ("positive", "negative", "aspect_mentions")
    }
    again = json.loads(run("reviews", "list", "--json", "--limit", "100", env=env).stdout)
    assert [(r["id"], r["sentiment"]) for r in again["data"]] == [
        (r["id"], r["sentiment"]) for r in listed["data"]
    ]
