"""Shared fixtures: real data from the shared folder, SQLite and a real PostgreSQL.

PostgreSQL comes from BORDERLESS_TEST_POSTGRES_URL, or a server started here with the
`pgserver` package (PostgreSQL 16 with pgvector). Under CI a missing server is a failure.
"""

from __future__ import annotations

import csv
import gzip
import os
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from borderless.config import Settings, load_settings
from borderless.service.loopback import serving  # noqa: F401  (the tests' server)
from borderless.storage import Database, open_database

if TYPE_CHECKING:
    from borderless.capabilities.catalog.retail import RetailImport
    from borderless.wiring import Services

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def run(
    *args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m borderless ARGS` as a user runs it, with extra environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "borderless", *args],
        capture_output=True,
        text=True,
        env=os.environ | env,
        input=stdin,
        timeout=timeout,
    )


def shared_data_dir() -> Path:
    return Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))


# Every model a deterministic fake: tests about pages, routes and storage load no weights.
FAKE_MODELS = {
    "embeddings": "fake",
    "search_embeddings": "fake",
    "search_crosslingual": "fake",
    "generator": "fake",
    "translator": "fake",
    "intent_embeddings": "fake",
    "sentiment_embeddings": "fake",
    # no query dictionaries: a service would build every installed one's lookup file at start
    "dictionaries": "",
}


def _fake(data_dir: Path) -> dict[str, object]:
    return {"data_dir": data_dir, "shared_data_dir": shared_data_dir(), "api_key": "test-key",
            **FAKE_MODELS}  # fmt: skip


def fake_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings on the shared data with fake models and the key `test-key`; `overrides` win."""
    return load_settings(**(_fake(data_dir) | overrides))


def fake_env(data_dir: Path, **extra: object) -> dict[str, str]:
    """`fake_settings` as the environment of a `borderless` process: `extra` names settings
    (`translator="llm"` becomes BORDERLESS_TRANSLATOR=llm)."""
    values = _fake(data_dir) | extra
    return {f"BORDERLESS_{name.upper()}": str(value) for name, value in values.items()}


def head_of(source: Path, target: Path, lines: int) -> Path:
    """The header and the first `lines` rows of a gzipped CSV, as a plain CSV at `target`."""
    with (
        gzip.open(source, "rt", encoding="utf-8", newline="") as src,
        open(target, "w", encoding="utf-8", newline="") as out,
    ):
        for n, line in enumerate(src):
            if n > lines:
                break
            out.write(line)
    return target


def write_csv(
    path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("text", "label")
) -> Path:
    """Labelled texts as a CSV file, the shape `intents train` and `reviews evaluate` read."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


RETAIL_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"


def save_retail_lines(db: Any, folder: Path, lines: Sequence[str]) -> None:
    """Lines of a retail file (without its header) written to `folder` and saved to `db`."""
    from borderless.capabilities.catalog.retail import parse_retail
    from borderless.storage.imports import save_retail

    path = folder / "shop.csv"
    path.write_text("\n".join([RETAIL_HEADER, *lines]) + "\n")
    save_retail(db, parse_retail(path))


def retail_shop(tmp_path: Path, items: Sequence[tuple[str, str]]) -> str:
    """A SQLite shop (URL) with one UK order line of each (SKU, title) in `items`."""
    from borderless.capabilities.catalog.retail import parse_retail
    from borderless.storage import open_database
    from borderless.storage.imports import save_retail

    rows = [RETAIL_HEADER]
    rows += [f"{536365 + n},{sku},{title},2,2010-12-01 08:26:00,2.55,17850,United Kingdom"
             for n, (sku, title) in enumerate(items)]  # fmt: skip
    (tmp_path / "shop.csv").write_text("\n".join(rows) + "\n")
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    db = open_database(fake_settings(tmp_path, database_url=url))
    try:
        save_retail(db, parse_retail(tmp_path / "shop.csv"))
    finally:
        db.dispose()
    return url


def free_port() -> int:
    """A loopback port nothing listens on (closed again: free for a server to take)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(
    url: str, process: subprocess.Popen[Any], what: str, log: Path | None = None
) -> None:
    """Poll `url` until it answers 200, for up to 120 s; fail, with the end of `log`, when the
    server process exits first or never answers."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited" + (f": {log.read_text()[-2000:]}" if log else ""))
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{what} did not answer in 120 s")


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
    return head_of(retail_file, tmp_path_factory.mktemp("retail") / "retail_sample.csv", 20_000)


@pytest.fixture(scope="session")
def retail_parsed(retail_sample: Path) -> Callable[[], RetailImport]:
    """parse_retail(retail_sample), read once a session: each call gives a fresh copy (3 s to
    parse, 0.2 s to copy; some twenty fixtures load the sample shop)."""
    from borderless.capabilities.catalog.retail import parse_retail

    parsed = pickle.dumps(parse_retail(retail_sample))
    return lambda: pickle.loads(parsed)  # type: ignore[no-any-return]


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
    _throwaway(server.get_uri())
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _throwaway(admin_url: str) -> None:
    """A test server's data is thrown away: no waiting for the disk on each commit and each
    CREATE DATABASE (several hundred a run), nor on the checkpoint when the server stops."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = off")
        conn.execute("SELECT pg_reload_conf()")


def _fresh_postgres_database(admin_url: str) -> str:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = admin_url.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


# For a costly test (a CLI run of 10 s or more): its PostgreSQL run goes to the slow step.
postgres_in_slow_step = pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)], indirect=True
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shop.db'}"
    admin = request.getfixturevalue("postgres_server")
    return _fresh_postgres_database(admin)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return fake_settings(tmp_path / "data", database_url=database_url)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Fake-model settings on a SQLite file, for tests whose CLI processes share one shop."""
    return fake_settings(tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'shop.db'}")


@pytest.fixture
def sqlite_services(sqlite_settings: Settings) -> Iterator[Services]:
    """The shop's services on `sqlite_settings`' database."""
    from borderless.wiring import Services

    database = open_database(sqlite_settings)
    yield Services(sqlite_settings, database)
    database.dispose()


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
