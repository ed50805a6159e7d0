"""The shop's glossary: brand terms the translation desk keeps or forces, per target language.

One term per (target language, source spelling ignoring case); language "" means every target
language. Every translation the shop makes (API, dashboard, `borderless localize`) uses it by
default (`borderless.wiring.Services.desk`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select

from borderless.capabilities.catalog.checks import visible
from borderless.capabilities.localize.protect import MAX_TERM, Glossary, GlossaryTerm
from borderless.errors import InvalidInput, NotFound
from borderless.languages import language_name
from borderless.storage import tables as t
from borderless.storage.database import Database
from borderless.storage.sync import sync_rows

__all__ = ["check_term", "remove_term", "save_terms", "stored_glossary"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


_CONTROL = re.compile(r"[\x01-\x1f\x7f]")
# zero-width space, word joiner, byte-order mark: invisible, and no text writes them in a word
_HIDDEN = frozenset("\u200b\u2060\ufeff")


def check_term(term: GlossaryTerm) -> GlossaryTerm:
    """The term tidied (spaces trimmed, language in lower case), or InvalidInput naming the
    field that is wrong."""
    source, target, language = term.source.strip(), term.target.strip(), term.language.strip()
    if not visible(source):  # a zero-width space was saved as a term (a walk)
        raise InvalidInput("the term is empty (or only invisible characters)", field="source")
    if target and not visible(target):  # its translation would print nothing
        raise InvalidInput("the target is only invisible characters", field="target")
    for name, text in (("source", source), ("target", target)):
        if hidden := [ch for ch in text if ch in _HIDDEN]:
            # "Cake\u200b" was saved, a term no text writes (a walk)
            raise InvalidInput(f"{name} holds an invisible character (U+{ord(hidden[0]):04X})",
                               field=name)  # fmt: skip
        if len(text) > MAX_TERM:
            raise InvalidInput(f"{name} is longer than {MAX_TERM} characters", field=name)
        if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):
            raise InvalidInput(f"{name} holds a character that cannot be stored", field=name)
        if bad := _CONTROL.search(text):
            # "\x01\x02" as a target read as an empty term, and the term went out deleted
            raise InvalidInput(f"{name} holds a control character (U+{ord(bad.group()):04X})",
                               field=name)  # fmt: skip
    language = language.lower()
    if language:
        language_name(language, "language")
    return GlossaryTerm(source, target, language)


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
