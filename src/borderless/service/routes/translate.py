"""Translation API: translate segments; list the catalog's translations; correct one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from borderless.capabilities.localize.desk import TranslationDesk
from borderless.capabilities.localize.protect import Glossary, glossary_terms
from borderless.errors import InvalidInput
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, WriteAccess, acting, record
from borderless.service.schemas.common import QueryLanguage
from borderless.service.schemas.translate import (
    TranslatedTextPage,
    TranslatedTextPublic,
    TranslationCreate,
    TranslationPage,
    TranslationPublic,
    TranslationUpdate,
)
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.localize import (
    StoredTranslation,
    TranslatedField,
    correct_translation,
    product_translations,
)

router = APIRouter(prefix="/v1", tags=["translation"])
# An LLM translates about 10 tokens a second here: 20,000 characters is minutes of model time.
MAX_REQUEST_CHARS = 20_000


def _page(rows: list[StoredTranslation], total: int, limit: int, offset: int) -> TranslationPage:
    data = [TranslationPublic.model_validate(r, from_attributes=True) for r in rows]
    return TranslationPage(data=data, count=total, limit=limit, offset=offset)


def desk(
    request: Request, glossary: Glossary | None = None, candidates: int = 1
) -> TranslationDesk:
    """The shared desk (engines load once); a request's glossary gets a light copy."""
    found: TranslationDesk = request.app.state.services.desk(glossary, candidates=candidates)
    return found


@router.post("/translate", dependencies=[WriteAccess])
def translate(request: Request, body: TranslationCreate) -> TranslatedTextPage:
    """Translate up to 100 segments; each comes with its engine, quality score, checks and
    verdict (`flagged` when the score is low or the verdict needs review)."""
    for i, text in enumerate(body.texts):
        if not text.strip():
            raise InvalidInput(f"texts[{i}] is empty", field=f"texts.{i}")
        if len(text) > 20000:
            raise InvalidInput(f"texts[{i}] is longer than 20,000 characters", field=f"texts.{i}")
        try:
            text.encode("utf-8")  # a lone surrogate from a JSON escape is not text
        except UnicodeEncodeError:
            raise InvalidInput(f"texts[{i}] is not valid Unicode", field=f"texts.{i}") from None
    total = sum(len(text) for text in body.texts)
    if total > MAX_REQUEST_CHARS:
        raise InvalidInput(
            f"texts hold {total:,} characters; one request may hold {MAX_REQUEST_CHARS:,} "
            "(split the work, or use `borderless localize` for a whole catalog)",
            field="texts",
        )
    listed = ((i, t.source, t.target, "") for i, t in enumerate(body.glossary))
    terms, bad = glossary_terms(listed, unit="item")
    if bad:  # "  " was a term, and "hi" as x and as y used x (an attack)
        first = bad[0]
        raise InvalidInput(f"glossary[{first.line}]: {first.reason}",
                           field=f"glossary.{first.line}.{first.field}")  # fmt: skip
    chosen = desk(request, terms if body.glossary else None, body.candidates)
    done = model_work(
        request, lambda: chosen.translate(body.texts, body.source, body.target, html=body.html)
    )
    data = [
        TranslatedTextPublic.model_validate(
            {"text": r.text, "source": r.source, "engine": r.engine, "score": r.score,
             "checks": list(r.checks), "flagged": r.flagged,
             "verdict": r.verdict.as_dict() if r.verdict else None}
        )
        for r in done
    ]  # fmt: skip
    return TranslatedTextPage(data=data, count=len(data), limit=len(data))


@router.get("/translations")
def translations(
    db: DB,
    language: QueryLanguage = None,
    sku: str | None = None,
    flagged: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> TranslationPage:
    """The catalog's stored translations; `flagged=true` lists those waiting for review."""
    rows, total = product_translations(
        db, sku=sku, language=language, flagged=flagged, limit=limit, offset=offset
    )
    return _page(rows, total, limit, offset)


@router.put("/translations/{sku:path}/{language}/{field}", dependencies=[WriteAccess])
def correct(
    request: Request,
    db: DB,
    sku: str,
    language: str,
    field: TranslatedField,
    body: TranslationUpdate,
) -> TranslationPage:
    """A person's correction; it goes into the translation memory and wins next time."""
    language = language.strip().lower()  # "DE" as country and currency codes are taken
    correct_translation(db, sku, language, field, body.text, actor=acting(request))
    record(request, "translation.correct", f"{sku}/{language}/{field}")
    rows, total = product_translations(db, sku=sku, language=language)
    return _page(rows, total, 100, 0)
