"""The database handle: an engine built from settings, migrated to the latest schema on open."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SQLDatabaseError

from borderless.config import Settings
from borderless.errors import DatabaseUnavailable, InvalidInput
from borderless.optional import require

__all__ = ["Database", "open_database"]

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Database:
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self, key: str) -> Iterator[Connection]:
        """A transaction that holds the write lock for `key` from its first read, for a read,
        a check and a write that must see no other writer in between: the next version
        number, a shipment's first scan, a product's facts. Twenty concurrent saves of the
        risk rules got six UNIQUE-constraint 500s, and twenty concurrent attribute writes
        left thirteen colours where each write named one (an attack). SQLite: BEGIN
        IMMEDIATE (its one write lock, taken at once: a deferred transaction reads before
        it locks); PostgreSQL: a transaction-scoped advisory lock on `key`."""
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                except OperationalError as exc:  # another writer held it past the timeout
                    if "locked" not in str(exc.orig):
                        raise
                    raise DatabaseUnavailable(
                        "the database is busy with another write (an import?): try again "
                        "when it is done", retry_after=30,
                    ) from exc  # fmt: skip
            else:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_id(key)})
            yield conn


def _lock_id(key: str) -> int:
    """A stable signed 64-bit number for a lock's name (PostgreSQL's advisory lock key)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"database URL {url!r} is not valid", field="database_url") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # a typo in a URL's folder made a new, empty shop there (an attack); the default
            # file's folder, the data folder, is made by open_database
            folder = Path(parsed.database).parent
            if not folder.is_dir():
                raise InvalidInput(f"the database file's folder {folder} does not exist",
                                   field="database_url")  # fmt: skip
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        require("psycopg", "postgres", feature="a PostgreSQL database", field="database_url")
    engine = create_engine(parsed, pool_pre_ping=True)
    event.listen(engine, "handle_error", _unavailable)
    return engine


def _unavailable(context: ExceptionContext) -> BaseException | None:
    """A lost or refused connection becomes DatabaseUnavailable (503 with Retry-After, exit
    4) instead of an internal error: PostgreSQL restarting is an outage to wait out, not a bug.
    A failed pre-ping is left alone: the pool reconnects by itself (tests/test_faults.py)."""
    if context.is_pre_ping or not (context.is_disconnect or context.connection is None):
        return None
    reason = str(context.original_exception).strip().splitlines()[0][:200]
    return DatabaseUnavailable(f"the database cannot be reached right now ({reason})")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there already)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        # "heads": capabilities add their tables on branches from a common revision.
        command.upgrade(config, "heads")


def make_data_dir(folder: Path) -> None:
    """The data folder, made if missing; InvalidInput (field data_dir) when it cannot be: a
    file given as the folder was an internal error (an attack)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = "it is a file" if folder.exists() and not folder.is_dir() else exc.strerror
        raise InvalidInput(
            f"cannot use {folder} as the data folder: {why}", field="data_dir"
        ) from exc


def open_database(settings: Settings, *, upgrade: bool = True) -> Database:
    """Connect to the configured database and migrate it; raise InvalidInput if unreachable.
    The data folder is made for the default SQLite file (on first use)."""
    if not settings.database_url:
        make_data_dir(settings.data_dir)
    engine = create_database_engine(settings.resolved_database_url)
    try:
        if upgrade:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except (SQLDatabaseError, DatabaseUnavailable) as exc:  # "file is not a database" too
        engine.dispose()
        orig = getattr(exc, "orig", None)
        reason = str(orig or exc).strip().splitlines()[0]
        raise InvalidInput(
            f"cannot open database {engine.url.render_as_string(hide_password=True)}: {reason}",
            field="database_url",
        ) from exc
    return Database(engine)
