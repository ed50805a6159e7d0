"""Schemathesis over the service's OpenAPI schema: no server errors, answers match the schema.

Every operation gets a bounded number of generated requests, with the staff key and without it,
against a small real shop (the first 20,000 order lines of the demo data) on fake models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from borderless.capabilities.catalog.retail import parse_retail
from borderless.config import load_settings
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.imports import save_retail

from .conftest import shared_data_dir

schemathesis = pytest.importorskip("schemathesis")

KEY = {"X-API-Key": "test-key"}
EXAMPLES = 12


@pytest.fixture(scope="module")
def api(retail_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("fuzz")
    shop = load_settings(
        data_dir=folder,
        shared_data_dir=shared_data_dir(),
        api_key="test-key",
        embeddings="fake",
        search_embeddings="fake",
        generator="fake",
        translator="fake",
        intent_embeddings="fake",
        model_rate_per_minute=100_000,
    )
    db = open_database(shop)
    save_retail(db, parse_retail(retail_sample))
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(shop, db))


schema = schemathesis.pytest.from_fixture("api")
bounded = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@schema.parametrize()
@bounded
def test_as_staff(case: Any) -> None:
    case.call_and_validate(headers=KEY)


@schema.parametrize()
@bounded
def test_as_anyone(case: Any) -> None:
    case.call_and_validate()
