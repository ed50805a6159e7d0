"""The command line as a user runs it: real processes, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import FIXTURES, postgres_in_slow_step, run


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"BORDERLESS_DATA_DIR": str(tmp_path / "data"), "BORDERLESS_DATABASE_URL": database_url}


def test_version() -> None:
    result = run("--version", env={})
    assert result.returncode == 0 and result.stdout.startswith("borderless 0.")


@postgres_in_slow_step
def test_import_then_stats_json(env: dict[str, str], retail_sample: Path) -> None:
    imported = run("import", "retail", str(retail_sample), "--json", env=env)
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert report["lines_read"] == 20_000 and report["changed"] > 0
    stats = run("stats", "--json", env=env)
    counts = json.loads(stats.stdout)
    assert set(counts) == {"products", "customers", "orders", "order_lines", "countries", "reviews",
                           "sales", "cancellations"}  # fmt: skip
    assert all(isinstance(v, int) for v in counts.values())
    assert counts["order_lines"] == report["order_lines"]
    again = json.loads(run("import", "retail", str(retail_sample), "--json", env=env).stdout)
    assert again["changed"] == 0


def test_listing_round_trip_through_cli(env: dict[str, str], tmp_path: Path) -> None:
    source = FIXTURES / "woocommerce_products.csv"
    first = run("import", "woocommerce", str(source), env=env)
    assert first.returncode == 0 and "  products: 4 new, 0 changed, 0 unchanged" in first.stdout
    # what a listing file changes is said (products another import made were changed unsaid)
    again = run("import", "woocommerce", str(source), env=env)
    assert "  products: 0 new, 0 changed, 4 unchanged" in again.stdout
    out = tmp_path / "out.csv"
    assert run("export", "woocommerce", str(out), env=env).returncode == 0
    assert out.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "retail", "/no/such/file.csv"], "no such file"),
        (["import", "shopify", str(FIXTURES / "woocommerce_products.csv")], "missing column"),
        (["export", "shopify", "-", "--handle"], "requires an argument"),
        (["stats", "--bogus"], "No such option"),
        # an unknown handle or copy language exported nothing, exit 0 (an attack)
        (["export", "shopify", "-", "--handle", "nope"], "no listing with handle 'nope'"),
        (["export", "shopify", "-", "--copy", "xx"], "unknown language code 'xx'"),
    ],
)
def test_bad_input_exits_2_without_traceback(
    env: dict[str, str], args: list[str], message: str
) -> None:
    result = run(*args, env=env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["staff", "audit", "--limit", "0"], "error: Invalid value for '--limit'"),
        (["shipments", "promise", "GB", "-1"], "error: No such option: -1 (a negative number"),
        (["nosuch"], "error: No such command 'nosuch'"),
    ],
)
def test_a_usage_error_is_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    """Typer drew a box of several lines around a usage error (an attack); now one line that
    names the command's help."""
    result = run(*args, env={"BORDERLESS_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and result.stderr.startswith(says), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "--help)" in result.stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_bad_rows_exit_2_with_line_numbers(
    env: dict[str, str], retail_sample: Path, tmp_path: Path
) -> None:
    lines = retail_sample.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("2010-12-01", "2010-13-45", 1)
    broken = tmp_path / "broken.csv"
    broken.write_text("".join(lines), encoding="utf-8")
    result = run("import", "retail", str(broken), env=env)
    assert result.returncode == 2 and "line 3 (InvoiceDate)" in result.stderr
    assert json.loads(run("stats", "--json", env=env).stdout)["orders"] == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_shop_too_small_to_score_for_risk_still_imports(
    env: dict[str, str], retail_sample: Path, tmp_path: Path
) -> None:
    """A one-sale file was written, then the command exited 2: "order risk needs at least 2
    sales in the shop"."""
    one = tmp_path / "one.csv"
    one.write_text("".join(retail_sample.read_text(encoding="utf-8").splitlines(True)[:2]))
    result = run("import", "retail", str(one), "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["risk"] is None
    assert "orders not scored for risk: order risk needs at least 2 sales" in result.stderr
    assert json.loads(run("stats", "--json", env=env).stdout)["sales"] == 1


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    env = {"BORDERLESS_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = run("stats", env=env)
    assert result.returncode == 2 and "cannot open database" in result.stderr
    bad = run("stats", env={"BORDERLESS_DATABASE_URL": "mysql://x"})
    assert bad.returncode == 2 and "database_url" in bad.stderr


@pytest.mark.slow  # 40-55 s a database: kept out of the default run's 15 minutes
def test_search_and_recommend_the_shop(env: dict[str, str], retail_sample: Path) -> None:
    env = env | {"BORDERLESS_SEARCH_EMBEDDINGS": "fake"}
    assert run("import", "retail", str(retail_sample), env=env).returncode == 0
    found = run("search", "products", "metal lantern under 5 pounds", "--json", env=env)
    assert found.returncode == 0, found.stderr
    body = json.loads(found.stdout)
    assert body["interpretation"] == ["looking for: metal lantern", "price at most 5"]
    assert "LANTERN" in body["data"][0]["title"]
    together = json.loads(run("recommend", "product", "85123A", "--json", env=env).stdout)
    assert together["basis"] == "bought together" and len(together["data"]) == 6
    picks = json.loads(run("recommend", "customer", "17850", "--json", env=env).stdout)
    assert picks["basis"] == "purchases" and len(picks["data"]) == 10
    missing = run("recommend", "customer", "NOPE", env=env)
    assert missing.returncode == 2 and "no customer" in missing.stderr
    empty = run("search", "products", "   ", env=env)
    assert empty.returncode == 2 and "empty" in empty.stderr
