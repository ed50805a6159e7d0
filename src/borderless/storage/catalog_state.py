"""The catalog's generation: a counter every write to what product search reads moves on.

Writers call `catalog_changed(conn)` inside their own transaction, so the count moves exactly
when the write commits; each search process reads `catalog_generation` at most once a second
and reads the catalog again when it moved (capabilities/search/shop.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from borderless.errors import DatabaseUnavailable
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = ["catalog_changed", "catalog_generation", "watched_generation"]

_NAME = "catalog"


def catalog_generation(db: Database) -> int:
    """How many catalog writes have committed (0 before the first)."""
    query = select(t.catalog_state.c.generation).where(t.catalog_state.c.name == _NAME)
    with db.engine.connect() as conn:
        found = conn.execute(query).scalar()
    return int(found or 0)


def watched_generation(db: Database) -> int | None:
    """`catalog_generation`, or None when the database does not answer right now (search then
    keeps the index it has rather than failing)."""
    try:
        return catalog_generation(db)
    except (SQLAlchemyError, DatabaseUnavailable):
        return None


def catalog_changed(conn: Connection) -> None:
    """Move the generation on, in the caller's transaction (rows lock: writers take turns)."""
    state = t.catalog_state
    now = datetime.now(UTC).replace(tzinfo=None)
    moved = conn.execute(
        update(state)
        .where(state.c.name == _NAME)
        .values(generation=state.c.generation + 1, updated_at=now)
    )
    if moved.rowcount == 0:
        try:
            with conn.begin_nested():
                conn.execute(insert(state).values(name=_NAME, generation=1, updated_at=now))
        except IntegrityError:  # another writer inserted it first
            conn.execute(
                update(state)
                .where(state.c.name == _NAME)
                .values(generation=state.c.generation + 1, updated_at=now)
            )
