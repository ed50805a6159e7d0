"""The shop's glossary: brand terms the translation desk keeps or forces, per target language.

One term per (target language, source spelling ignoring case); language "" means every target
language. Every translation the shop makes (API, dashboard, `borderless localize`) uses it by
default (`borderless.wiring.Services.desk`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select

from borderless.capabilities.localize.protect import Glossary, GlossaryTerm, check_term
from borderless.errors import NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database
from borderless.storage.sync import sync_rows

__all__ = ["check_term", "remove_term", "save_terms", "stored_glossary"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def stored_glossary(db: Database) -> Glossary:
    """Every stored term (an empty glossary when there is none)."""
    g = t.glossary_terms
    query = select(g.c.source, g.c.target, g.c.language).order_by(g.c.language, g.c.source_key)
    with db.engine.connect() as conn:
        return Glossary(
            tuple(GlossaryTerm(r.source, r.target, r.language) for r in conn.execute(query))
        )


def save_terms(db: Database, terms: Sequence[GlossaryTerm], actor: str) -> int:
    """Add terms, or replace those with the same source and language: all checked first, then
    written in one transaction (an import is all or nothing). Returns how many were written."""
    checked = [check_term(term) for term in terms]
    rows = {
        (term.language, term.source.lower()): {
            "language": term.language, "source_key": term.source.lower(), "source": term.source,
            "target": term.target, "updated_by": actor[:64], "updated_at": _now(),
        }
        for term in checked
    }  # fmt: skip
    with db.engine.begin() as conn:
        sync_rows(conn, t.glossary_terms, list(rows.values()))
    return len(rows)


def remove_term(db: Database, source: str, language: str) -> None:
    g = t.glossary_terms
    with db.engine.begin() as conn:
        gone = conn.execute(
            delete(g).where(g.c.language == language, g.c.source_key == source.strip().lower())
        )
    if gone.rowcount == 0:
        raise NotFound(
            f"no glossary term {source!r} for {language or 'every language'}", field="source"
        )
