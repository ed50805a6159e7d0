"""Marketing copy API: write copy for a product (JSON, or server-sent events), list it,
review it (approve, reject, edit)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from borderless.capabilities.copywrite import CopyRequest, CopyWriter, Facts
from borderless.errors import BorderlessError
from borderless.service.modelwork import ModelWork, client_of, model_work
from borderless.service.routes.deps import DB, WriteAccess, acting, record
from borderless.service.schemas.common import QueryLanguage
from borderless.service.schemas.copywriting import (
    CopyCreate,
    CopyDraftPage,
    CopyDraftPublic,
    CopyUpdate,
    CopyVariantPage,
    CopyVariantPublic,
)
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.copy_drafts import DraftStatus, StoredDraft

router = APIRouter(prefix="/v1", tags=["copy"])


def _public(draft: StoredDraft, outdated: Mapping[int, str]) -> CopyDraftPublic:
    found = CopyDraftPublic.model_validate(draft, from_attributes=True)
    return found.model_copy(update={"outdated": draft.id in outdated})


def outdated_drafts(request: Request, db: Any, drafts: list[StoredDraft]) -> dict[int, str]:
    from borderless.capabilities.catalog.attributes import load_vocabulary
    from borderless.copydesk import outdated

    return outdated(db, load_vocabulary(request.app.state.settings.copy_vocabulary), drafts)


def copywriter(request: Request) -> CopyWriter:
    """The shared copywriter (the model loads once per process)."""
    writer: CopyWriter = request.app.state.services.copywriter
    return writer


def _events(db: Any, writer: CopyWriter, facts: Facts, request: CopyRequest) -> Iterator[str]:
    from borderless.copydesk import stream

    try:
        for event, payload in stream(db, writer, facts, request):
            data = payload if event != "retry" else {"violations": payload}
            yield f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    except BorderlessError as error:  # the status line is sent already: report in the stream
        body = {"error": error.message, "field": error.field}
        yield f"event: error\ndata: {json.dumps(body, ensure_ascii=False)}\n\n"


def _admitted(request: Request, events: Iterator[str]) -> Iterator[str]:
    """A stream holds a place in model work from its start (a 503/429 before) to its end."""
    gate: ModelWork = request.app.state.model_work
    gate.admit(client_of(request))

    def held() -> Iterator[str]:
        started = time.monotonic()
        try:
            yield from events
        finally:
            gate.release(time.monotonic() - started)

    return held()


@router.post(
    "/copy",
    dependencies=[WriteAccess],
    response_model=CopyVariantPage,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
def write_copy(request: Request, db: DB, body: CopyCreate) -> CopyVariantPage | StreamingResponse:
    """Write copy for one product, checked against its facts; stored as drafts.

    With `"stream": true` the answer is `text/event-stream`: `text` events carry pieces as
    they are generated, `retry` events the unbacked spans before a new attempt, and a last
    `draft` event the stored draft after the policy (its text can differ from the pieces).
    """
    from borderless.copydesk import copy_request, facts_for, generate

    options = copy_request(**body.model_dump(exclude={"sku", "stream"}))
    writer = copywriter(request)
    if body.stream and options.n != 1:
        from borderless.errors import InvalidInput

        raise InvalidInput("streaming writes one variant at a time (n=1)", field="n")
    # a 4xx before the stream, and before waiting for the model
    facts = facts_for(db, writer.vocabulary, body.sku, options.market, options.language)
    if body.stream:
        return StreamingResponse(
            _admitted(request, _events(db, writer, facts, options)),
            media_type="text/event-stream",
        )
    drafts = model_work(request, lambda: generate(db, writer, facts, options))
    data = [CopyVariantPublic.model_validate(d) for d in drafts]
    return CopyVariantPage(data=data, count=len(data), limit=len(data))


@router.get("/copy")
def list_copy(
    request: Request,
    db: DB,
    sku: str | None = None,
    kind: str | None = None,
    language: QueryLanguage = None,
    status: DraftStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> CopyDraftPage:
    """Stored copy, newest first; filter by product, kind, language or review status."""
    from borderless.capabilities.copywrite.kinds import copy_kind
    from borderless.storage.copy_drafts import list_drafts

    # an unknown kind or language is an error, as when writing ("?kind=poem" was an empty list;
    # QueryLanguage checks the language)
    if kind is not None:
        copy_kind(kind)

    rows, total = list_drafts(db, sku=sku, kind=kind, language=language, status=status, limit=limit,
                       offset=offset)  # fmt: skip
    old = outdated_drafts(request, db, rows)
    return CopyDraftPage(data=[_public(r, old) for r in rows], count=total, limit=limit,
                         offset=offset)  # fmt: skip


@router.get("/copy/{draft_id}")
def read_copy(
    request: Request, db: DB, draft_id: Annotated[int, Path(ge=1, le=2_147_483_647)]
) -> CopyDraftPublic:
    """One stored draft."""
    from borderless.storage.copy_drafts import get_draft

    found = get_draft(db, draft_id)
    return _public(found, outdated_drafts(request, db, [found]))


@router.patch("/copy/{draft_id}", dependencies=[WriteAccess])
def review_copy(
    request: Request,
    db: DB,
    draft_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    body: CopyUpdate,
) -> CopyDraftPublic:
    """Edit (a new version, checked again), then or else approve or reject a draft; a draft
    whose verdict needs review is approved only with `"override": true`."""
    from borderless.copydesk import edit_draft
    from borderless.errors import InvalidInput
    from borderless.storage.copy_drafts import get_draft, review_draft

    if body.text is None and body.status is None:
        raise InvalidInput("give a status, a text, or both", field="status")
    row = get_draft(db, draft_id)
    if body.text is not None:
        row = edit_draft(db, copywriter(request), draft_id, body.text, acting(request))
        record(request, "copy.edit", str(draft_id), new_id=row.id)
    if body.status is not None:
        old = outdated_drafts(request, db, [row]).get(row.id)
        row = review_draft(db, row.id, body.status, override=body.override, outdated=old)
        record(request, f"copy.{body.status}" + ("+override" if body.override else ""),
               str(row.id))  # fmt: skip
    return _public(row, outdated_drafts(request, db, [row]))
