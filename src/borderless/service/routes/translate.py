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
from borderless.storage.catalog import MAX_OFFSET, get_product
from borderless.storage.localize import (
    StoredTranslation,
    TranslatedField,
    checked_correction_text,
    correct_translation,
    product_translations,
)

router = APIRouter(prefix="/v1", tags=["translation"])
# An LLM translates about 10 tokens a second here: 20,000 characters is minutes of model time.
MAX_REQUEST_CHARS = 20_000


def _page(rows: list[StoredTranslation], total: int, limit: int, offset: int) -> TranslationPage:
    data = [TranslationPublic.model_validate(r, from_attributes=True) for r in rows]
    return TranslationPage(data=data, count=total, limit=limit, offset=offset)


def checked_correction(
    request: Request, db: DB, sku: str, language: str, field: str, text: str, override: bool
) -> None:
    """InvalidInput (at `text`) for a correction the verdict says needs review, unless the
    person says they checked it: saved unchanged, "ZŁOTY TŁUMACZEK Z CIEMNOŚCIĄ" and an
    English title saved as Japanese became reviewed, and the memory served them as perfect
    (a walk)."""
    language, text = checked_correction_text(language, field, text)
    if override:
        return
    stored, _ = product_translations(db, sku=sku, language=language)
    if not any(r.field == field for r in stored):
        return  # nothing to correct: correct_translation says so (404)
    product = get_product(db, sku)
    source_text = product.title if field == "title" else product.description
    verdict = desk(request).check_correction(source_text, text, product.language, language)
    if failing := [r.message for r in verdict.reasons if r.blocking]:
        raise InvalidInput(f"this correction needs review: {'; '.join(failing)}. Save it "
                           "anyway only if you checked it yourself (override)",
                           field="text")  # fmt: skip


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
    """A person's correction; it goes into the translation memory and wins next time. It is
    judged like the engine's answer: one that needs review is refused unless `override`."""
    language = language.strip().lower()  # "DE" as country and currency codes are taken
    checked_correction(request, db, sku, language, field, body.text, body.override)
    correct_translation(db, sku, language, field, body.text, actor=acting(request))
    record(request, "translation.correct", f"{sku}/{language}/{field}",
           **({"override": "true"} if body.override else {}))  # fmt: skip
    rows, total = product_translations(db, sku=sku, language=language)
    return _page(rows, total, 100, 0)
