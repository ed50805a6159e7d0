"""Forecast runs, attribute runs and the saved search index in the model registry: each records
a version named by its data and settings (the same again: no new version), with metrics it can
stand behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import parse_retail
from borderless.config import Settings
from borderless.jobs.supply import forecast_shop
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.imports import save_retail
from borderless.storage.registry import list_versions
from borderless.wiring import Services

from .conftest import post_form
from .test_inventory import write_shop_file


def test_a_forecast_run_records_a_version_and_the_same_run_adds_none(
    sqlite_services: Services, tmp_path: Path
) -> None:
    pytest.importorskip("statsforecast")
    db = sqlite_services.db
    save_retail(db, parse_retail(write_shop_file(tmp_path / "shop.csv")))
    done = forecast_shop(db, lifecycle=sqlite_services.lifecycle, level="sku_market",
                         frequency="weekly", horizon=4, lightgbm=False)  # fmt: skip
    (version,) = list_versions(db, "forecast")
    assert done["version"] == version.version and version.version.startswith("sku_market-weekly-")
    assert version.metrics["series_scored"] == 4 and version.metrics["points_scored"] > 0
    assert 0 <= version.metrics["backtest_wape_last_window"] < 100
    assert version.parameters["horizon"] == 4 and version.parameters["lightgbm"] is False
    assert version.parameters["holidays"] == "auto"
    assert version.data["series"] == 4 and version.data["orders"] == 84 * 4
    assert version.data["date_from"] == "2024-01-07"  # the first week, by its last day
    # the same sales and settings (here through the shop's registry): the same version
    again = forecast_shop(db, level="sku_market", frequency="weekly", horizon=4, lightgbm=False)
    assert again["version"] == version.version
    assert len(list_versions(db, "forecast")) == 1
    other = forecast_shop(db, level="sku_market", frequency="weekly", horizon=3, lightgbm=False)
    assert other["version"] != version.version
    assert len(list_versions(db, "forecast")) == 2


def test_the_models_page_says_how_many_series_were_forecast(
    sqlite_services: Services, tmp_path: Path
) -> None:
    """A series first sold in the last week is not forecast: the version says so beside the
    count of series in the sales (the page read 19,322 where the forecast page read 19,154)."""
    pytest.importorskip("statsforecast")
    db = sqlite_services.db
    path = write_shop_file(tmp_path / "shop.csv", days=42)
    with path.open("a") as handle:
        handle.write("599999,21212,PACK OF 72 RETROSPOT CAKE CASES,3,2024-02-11 09:00:00,"
                     "0.55,17850,France\n")  # fmt: skip
    save_retail(db, parse_retail(path))
    done = forecast_shop(db, lifecycle=sqlite_services.lifecycle, level="sku_market",
                         frequency="weekly", horizon=2, lightgbm=False)  # fmt: skip
    assert done["series"] == 4 and done["skipped_single_period"] == 1
    (version,) = list_versions(db, "forecast")
    assert version.data["series"] == 5 and version.data["series_forecast"] == 4
    with TestClient(create_app(services=sqlite_services)) as client:
        post_form(client, "/login", data={"key": "test-key"})
        page = client.get("/models").text
    section = page[page.index('id="task-forecast"') :]
    assert "5 series in the sales data, 4 forecast (1 sold in one period only)" in section


def test_building_the_search_index_records_a_search_version(
    sqlite_settings: Settings, sqlite_services: Services, tmp_path: Path
) -> None:
    db = sqlite_services.db
    save_retail(db, parse_retail(write_shop_file(tmp_path / "shop.csv", days=2)))
    assert sqlite_services.search.search("cakestand")
    (version,) = list_versions(db, "search")
    assert version.version.startswith("index-") and version.active
    assert version.data["documents"] == 2 and version.data["translated_titles"] == 0
    assert version.parameters["fusion"] == "rrf" and "lexical" in version.parameters["weights"]
    assert version.metrics["labelled_queries"] == 0
    assert sqlite_services.loaded_versions()["search"] == version.version
    # the Models page shows it as recorded only: no roll back or promote for an index
    with TestClient(create_app(services=sqlite_services)) as client:
        post_form(client, "/login", data={"key": "test-key"})
        page = client.get("/models").text
        search = page[page.index('id="task-search"') :]
        assert "Recorded only" in search and "/models/search/rollback" not in page
        assert "2 documents" in search and "labelled queries 0" in search
    # another process on the same shop loads the saved index: the same version, none added
    database = open_database(sqlite_settings)
    try:
        other = Services(sqlite_settings, database)
        assert other.search.search("cakestand")
        assert other.loaded_versions()["search"] == version.version
        assert len(list_versions(db, "search")) == 1
    finally:
        database.dispose()


def test_an_attribute_run_shows_on_the_models_page(
    sqlite_services: Services, tmp_path: Path
) -> None:
    from borderless.jobs.attributes import refresh_and_record

    db = sqlite_services.db
    save_retail(db, parse_retail(write_shop_file(tmp_path / "shop.csv", days=2)))
    refresh_and_record(db, lifecycle=sqlite_services.lifecycle)
    (version,) = list_versions(db, "attributes")
    with TestClient(create_app(services=sqlite_services)) as client:
        post_form(client, "/login", data={"key": "test-key"})
        page = client.get("/models").text
        section = page[page.index('id="task-attributes"') :]
        assert version.version in section and "Recorded only" in section
        assert "2 products" in section and "type found in 100.0% of products" in section
        assert "with_type" not in section  # the registry's keys are not shown to sellers


def test_held_out_metrics_read_in_words() -> None:
    from borderless.service.routes.registry_pages import metric_text

    assert metric_text("with_colour", 0.3853) == "colour found in 38.5% of products"
    assert metric_text("accuracy", 0.9657) == "accuracy 96.6%"
    assert (
        metric_text("backtest_wape_last_window", 80.616) == "error in the last weeks (WAPE) 80.6%"
    )
    assert metric_text("points_scored", 108568) == "points scored 108,568"
    assert (
        metric_text("recall@10", 0.0784) == "held-out purchases among the top 10 (recall@10) 7.8%"
    )
    assert metric_text("some_new_metric", 2.5) == "some new metric 2.5"
