"""Shared fixtures: real data from the shared folder, SQLite and a real PostgreSQL.

PostgreSQL comes from BORDERLESS_TEST_POSTGRES_URL, or a server started here with the
`pgserver` package (PostgreSQL 16 with pgvector). Under CI a missing server is a failure.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from borderless.config import Settings, load_settings
from borderless.service.loopback import serving  # noqa: F401  (the tests' server)
from borderless.storage import Database, open_database

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def run(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m borderless ARGS` as a user runs it, with extra environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "borderless", *args],
        capture_output=True,
        text=True,
        env=os.environ | env,
        input=stdin,
        timeout=300,
    )


def shared_data_dir() -> Path:
    return Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))


def need(condition: bool, reason: str) -> None:
    """Skip locally when something optional is missing; under CI it must be there."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def retail_file() -> Path:
    path = shared_data_dir() / "uci_online_retail" / "online_retail.csv.gz"
    need(path.is_file(), f"retail data file {path}")
    return path


@pytest.fixture(scope="session")
def retail_sample(retail_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 20,000 order lines of the real file (plain CSV)."""
    path = tmp_path_factory.mktemp("retail") / "retail_sample.csv"
    with (
        gzip.open(retail_file, "rt", encoding="utf-8", newline="") as src,
        open(path, "w", encoding="utf-8", newline="") as out,
    ):
        for n, line in enumerate(src):
            if n > 20_000:
                break
            out.write(line)
    return path


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLAlchemy URL to an empty PostgreSQL server database (admin connection)."""
    given = os.environ.get("BORDERLESS_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        import pgserver
    except ImportError:
        need(False, "pgserver package (pip install pgserver) or BORDERLESS_TEST_POSTGRES_URL")
        return
    # Outside pytest's 0700 temporary root: as root, pgserver runs PostgreSQL as its own user,
    # which must reach the folder (parallel pytest runs reset that root's mode).
    folder = Path(tempfile.mkdtemp(prefix="borderless-pg-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _fresh_postgres_database(admin_url: str) -> str:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = admin_url.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shop.db'}"
    admin = request.getfixturevalue("postgres_server")
    return _fresh_postgres_database(admin)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        shared_data_dir=shared_data_dir(),
        api_key="test-key",
        embeddings="fake",
        search_embeddings="fake",
        generator="fake",
        translator="fake",
        intent_embeddings="fake",
        sentiment_embeddings="fake",
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_database(settings)
    yield database
    database.dispose()


def post_form(client: Any, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """A dashboard form post as a browser sends it: with the form token a page handed out."""
    if "borderless_csrf" not in client.cookies:
        client.get("/login")
    token = client.cookies["borderless_csrf"]
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)
