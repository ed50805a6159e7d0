"""Idempotent writes: insert what is new, update what changed, leave the rest untouched.

Imports call this inside one transaction, so a re-import of the same file changes nothing and
a failed import leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, select

__all__ = ["SyncCount", "sync_rows"]

CHUNK = 5000


@dataclass
class SyncCount:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


def _normal(value: Any) -> Any:
    # Values read back differ in type from values written (SQLite keeps Numeric as float).
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    return value


def sync_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    owned: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyncCount:
    """Upsert `rows` into `table` by its primary key, counting what happened to each.

    New rows are inserted whole; on existing rows only the `owned` columns (default: all
    given) are compared and updated, so an import never wipes fields it does not own.
    """
    count = SyncCount()
    if not rows:
        return count
    keys = [c.name for c in table.primary_key.columns]
    values = [c for c in (owned or list(rows[0].keys())) if c not in keys]
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        existing.update(_existing(connection, table, keys, values, chunk))
    to_insert: list[Mapping[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for row in rows:
        key = tuple(row[k] for k in keys)
        old = existing.get(key)
        if old is None:
            to_insert.append(row)
        elif tuple(_normal(v) for v in old) != tuple(_normal(row[v]) for v in values):
            to_update.append({f"k_{k}": row[k] for k in keys} | {v: row[v] for v in values})
        else:
            count.unchanged += 1
    for start in range(0, len(to_insert), CHUNK):
        connection.execute(table.insert(), list(to_insert[start : start + CHUNK]))
        if progress:
            progress(len(to_insert[start : start + CHUNK]))
    if to_update:
        where = and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
        statement = table.update().where(where).values({v: bindparam(v) for v in values})
        for start in range(0, len(to_update), CHUNK):
            connection.execute(statement, to_update[start : start + CHUNK])
    count.inserted = len(to_insert)
    count.updated = len(to_update)
    return count


def _existing(
    connection: Connection,
    table: Table,
    keys: list[str],
    values: list[str],
    rows: Iterable[Mapping[str, Any]],
) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    columns = [table.c[k] for k in keys] + [table.c[v] for v in values]
    # Narrow by the first key column; with composite keys (order lines) the rest of the key
    # is matched by the caller's dictionary look-up.
    wanted = {row[keys[0]] for row in rows}
    query = select(*columns).where(table.c[keys[0]].in_(wanted))
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for record in connection.execute(query):
        found[tuple(record[: len(keys)])] = tuple(record[len(keys) :])
    return found
