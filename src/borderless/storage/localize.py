"""Translation memory and the catalog's product translations."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import and_, case, func, select

from borderless.capabilities.catalog.checks import MAX_TITLE, check_text, name_problem, visible
from borderless.errors import InvalidInput, NotFound
from borderless.languages import language_name
from borderless.storage import tables as t
from borderless.storage.catalog_state import catalog_changed
from borderless.storage.database import Database
from borderless.storage.sync import sync_rows

__all__ = [
    "CORRECTION_TASK",
    "FIELDS",
    "MAX_CORRECTION",
    "ProductTranslation",
    "StoredTranslation",
    "TranslatedField",
    "checked_correction_text",
    "correct_translation",
    "memory_lookup",
    "pending_fields",
    "product_translations",
    "save_product_translations",
    "source_hash",
    "translated_titles",
]

TranslatedField = Literal["title", "description"]
# A person's correction is kept as a labelled example of this task (collected, not trained on).
CORRECTION_TASK, CORRECTION_SOURCE = "translation", "translation.correct"
MAX_CORRECTION = 20000
FIELDS: tuple[TranslatedField, ...] = ("title", "description")


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class ProductTranslation:
    sku: str
    language: str
    field: str
    source_text: str
    text: str
    engine: str
    score: float | None
    checks: tuple[str, ...]
    flagged: bool
    reviewed: bool = False


@dataclass(frozen=True)
class StoredTranslation:
    """A stored translation of a product's field, with the text it was made from."""

    sku: str
    language: str
    field: TranslatedField
    source_hash: str
    text: str
    engine: str
    score: float | None
    checks: list[str]
    flagged: bool
    reviewed: bool
    updated_at: datetime
    source_text: str

    @property
    def outdated(self) -> bool:
        """Made from another text than the field holds now (the title changed since): shown
        as current beside the new title before (a walk)."""
        return source_hash(self.source_text) != self.source_hash


def memory_lookup(db: Database, source: str, target: str, texts: Sequence[str]) -> dict[str, str]:
    """Corrected translations people stored, by source text."""
    if not texts:
        return {}
    wanted = {source_hash(x): x for x in texts}
    tm = t.translation_memory
    found: dict[str, str] = {}
    keys = list(wanted)
    with db.engine.connect() as conn:
        for start in range(0, len(keys), 500):
            rows = conn.execute(
                select(tm.c.source_hash, tm.c.text).where(
                    tm.c.source_language == source,
                    tm.c.target_language == target,
                    tm.c.source_hash.in_(keys[start : start + 500]),
                )
            )
            found.update({wanted[r.source_hash]: r.text for r in rows})
    return found


def _remember(conn: Any, source: str, target: str, source_text: str, text: str) -> None:
    """Store a person's translation in the memory (inside the caller's transaction)."""
    sync_rows(
        conn,
        t.translation_memory,
        [{"source_language": source, "target_language": target,
          "source_hash": source_hash(source_text), "source_text": source_text,
          "text": text, "updated_at": _now()}],
    )  # fmt: skip


def pending_fields(db: Database, language: str) -> list[tuple[str, str, str]]:
    """(sku, field, source text) of merchandise whose translation is missing or out of date."""
    p, pt = t.products, t.product_translations
    query = select(p.c.sku, p.c.title, p.c.description).where(p.c.kind == "merchandise")
    with db.engine.connect() as conn:
        products = conn.execute(query.order_by(p.c.sku)).all()
        done = {
            (r.sku, r.field): r.source_hash
            for r in conn.execute(
                select(pt.c.sku, pt.c.field, pt.c.source_hash).where(pt.c.language == language)
            )
        }
    out = []
    for row in products:
        for field, text in (("title", row.title), ("description", row.description)):
            if text and text.strip() and done.get((row.sku, field)) != source_hash(text):
                out.append((row.sku, field, text))
    return out


def save_product_translations(db: Database, rows: Sequence[ProductTranslation]) -> None:
    """One transaction per batch: a crash keeps every finished batch and nothing half-done."""
    with db.engine.begin() as conn:
        count = sync_rows(
            conn,
            t.product_translations,
            [{"sku": r.sku, "language": r.language, "field": r.field,
              "source_hash": source_hash(r.source_text), "text": r.text, "engine": r.engine,
              "score": r.score, "checks": list(r.checks), "flagged": r.flagged,
              "reviewed": r.reviewed, "updated_at": _now()} for r in rows],
        )  # fmt: skip
        if (count.inserted or count.updated) and any(r.field == "title" for r in rows):
            catalog_changed(conn)  # search reads translated titles


def product_translations(
    db: Database,
    *,
    sku: str | None = None,
    language: str | None = None,
    flagged: bool | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[StoredTranslation], int]:
    """Stored translations, weakest first, and how many match over all pages."""
    pt, p = t.product_translations, t.products
    conditions = []
    if sku:
        conditions.append(pt.c.sku == sku)
    if language:
        conditions.append(pt.c.language == language)
    if flagged is not None:
        conditions.append(pt.c.flagged.is_(flagged))
        if flagged:
            conditions.append(pt.c.reviewed.is_(False))
    query = (
        select(
            pt, case((pt.c.field == "title", p.c.title), else_=p.c.description).label("source_text")
        )
        .join(p, p.c.sku == pt.c.sku)
        .where(and_(True, *conditions))
        .order_by(pt.c.score.asc(), pt.c.sku, pt.c.field)
        .limit(limit)
        .offset(offset)
    )
    counted = select(func.count()).select_from(pt).where(and_(True, *conditions))
    with db.engine.connect() as conn:
        total = conn.execute(counted).scalar_one()
        rows = conn.execute(query).all()
    return [
        StoredTranslation(
            r.sku, r.language, cast(TranslatedField, r.field), r.source_hash, r.text, r.engine,
            r.score, list(r.checks or []), bool(r.flagged), bool(r.reviewed), r.updated_at,
            r.source_text,
        )
        for r in rows
    ], int(total)  # fmt: skip


def translated_titles(db: Database) -> dict[str, list[tuple[str, str]]]:
    """Every stored title translation, by SKU: [(language, title), ...] (for search)."""
    pt = t.product_translations
    query = select(pt.c.sku, pt.c.language, pt.c.text).where(pt.c.field == "title")
    out: dict[str, list[tuple[str, str]]] = {}
    with db.engine.connect() as conn:
        for sku, language, text in conn.execute(query.order_by(pt.c.sku, pt.c.language)):
            out.setdefault(sku, []).append((language, text))
    return out


def checked_correction_text(language: str, field: str, text: str) -> tuple[str, str]:
    """A correction's language and text as stored (InvalidInput naming what is wrong)."""
    if field not in FIELDS:
        raise InvalidInput(f"field must be {' or '.join(FIELDS)}", field="field")
    language_name(language, "language")  # "xx" is no language, not a missing translation
    language = language.strip().lower()  # "DE" was a 404 where codes elsewhere fold (an attack)
    text = text.strip()
    if not visible(text):
        raise InvalidInput("write the corrected translation", field="text")
    # a title as long as a product's title may be: 20,000 characters were saved as a title
    # (a walk)
    longest = MAX_TITLE if field == "title" else MAX_CORRECTION
    if len(text) > longest:
        raise InvalidInput(f"a corrected {field} has at most {longest:,} characters", field="text")
    check_text(text, "text", longest)  # no control characters
    if field == "title" and (problem := name_problem(text, "text", longest)):
        raise InvalidInput(problem, field="text")  # a title is one line ("\n\t": an attack)
    return language, text


def correct_translation(
    db: Database, sku: str, language: str, field: str, text: str, *, actor: str = "staff"
) -> None:
    """A person's correction: stored on the product, in the translation memory and, in the
    same transaction, as a labelled example of task `translation` (text = the source, label =
    the person's translation, predicted = what the engine wrote)."""
    from borderless.storage.registry import write_correction

    language, text = checked_correction_text(language, field, text)
    pt, p, fb = t.product_translations, t.products, t.model_feedback
    subject = f"{sku}/{language}/{field}"
    with db.engine.begin() as conn:
        row = conn.execute(
            select(pt.c.text, pt.c.engine).where(
                pt.c.sku == sku, pt.c.language == language, pt.c.field == field
            )
        ).first()
        source = conn.execute(
            select(p.c.title, p.c.description, p.c.language).where(p.c.sku == sku)
        ).first()
        if row is None or source is None:
            raise NotFound(f"no {language} {field} translation for SKU {sku!r}", field="sku")
        source_text = source.title if field == "title" else source.description
        predicted, engine = row.text, row.engine
        if engine in ("person", "memory"):
            # Corrected before (or a person's text from the memory): the engine's own output
            # is the one an earlier correction kept, if any.
            earlier = conn.execute(
                select(fb.c.predicted, fb.c.model_version).where(
                    fb.c.task == CORRECTION_TASK, fb.c.source == CORRECTION_SOURCE,
                    fb.c.subject == subject,
                )
            ).first()  # fmt: skip
            predicted, engine = (
                (earlier.predicted, earlier.model_version) if earlier else (None, None)
            )
        conn.execute(
            pt.update()
            .where(pt.c.sku == sku, pt.c.language == language, pt.c.field == field)
            # the machine's estimate and checks were about its own text, not the person's
            # (a walk: a correction kept "quality estimate 0.33" and the meaning check's words)
            .values(text=text, reviewed=True, flagged=False, engine="person", updated_at=_now(),
                    source_hash=source_hash(source_text), score=None, checks=[])
        )  # fmt: skip
        if field == "title":
            catalog_changed(conn)  # search reads translated titles
        _remember(conn, source.language, language, source_text, text)
        write_correction(
            conn, CORRECTION_TASK, source_text, text, source=CORRECTION_SOURCE,
            subject=subject, predicted=predicted, model_version=engine, actor=actor,
        )  # fmt: skip
