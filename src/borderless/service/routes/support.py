"""Support API: customers talk to the assistant; staff see the queue and reply.

Customers: POST /v1/support/conversations (optionally with X-Customer-Token, which binds the
conversation to that customer and lets the assistant read their orders), then post and read
messages with the conversation's own token (X-Conversation-Token). Staff (X-API-Key): issue
customer tokens, read any conversation, list the human queue, reply.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Header, Path, Query, Request

from borderless.capabilities.support.assistant import Assistant, checked_message
from borderless.errors import Busy
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import (
    DB,
    StaffAccess,
    WriteAccess,
    acting,
    record,
    require_api_key,
)
from borderless.service.schemas.support import (
    CitationPublic,
    ConversationCreate,
    ConversationPage,
    ConversationPublic,
    ConversationRevocationPublic,
    ConversationStartPublic,
    ConversationSummaryPublic,
    CustomerTokenCreate,
    CustomerTokenPublic,
    MessageCreate,
    ReplyCreate,
    ReplyPublic,
    TokenRevocationPublic,
)
from borderless.storage import Database
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.support import (
    Conversation,
    ConversationStatus,
    add_staff_reply,
    check_conversation_access,
    conversation_state,
    customer_for_token,
    get_conversation,
    issue_customer_token,
    list_conversations,
    new_conversation,
    record_exchange,
    revoke_conversation,
    revoke_customer_tokens,
)

router = APIRouter(prefix="/v1/support", tags=["support"])


CustomerId = Annotated[str, Path(min_length=1, max_length=64)]


def _public(found: Conversation) -> ConversationPublic:
    return ConversationPublic.model_validate(found, from_attributes=True)


# How long a customer is asked to wait while the assistant gets ready on a first start.
READY_RETRY_S = 30


def assistant(request: Request) -> Assistant:
    """The shared assistant (built on first use: the default intent model trains once). While
    the service's warm-up builds it, a message is answered at once with 503 and Retry-After:
    the walk's first message waited 286 s for the intent model with nothing said."""
    services = request.app.state.services
    if services.being_built("assistant"):
        raise Busy(
            "the support assistant is getting ready (on a first start its intent model trains "
            f"once, a few minutes); try again in {READY_RETRY_S} s",
            retry_after=READY_RETRY_S,
        )
    found: Assistant = services.assistant
    return found


def converse(request: Request, db: Database, conversation_id: str, text: str) -> ReplyPublic:
    """One customer message through the assistant, stored with the reply in one transaction."""
    received = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    state = conversation_state(db, conversation_id)
    checked_message(text)  # an empty message is a 422 while the assistant gets ready too
    helper = assistant(request)
    reply = model_work(request, lambda: helper.reply(state, text))
    record_exchange(db, conversation_id, text, reply, received)
    return ReplyPublic(
        reply=reply.text,
        language=reply.language,
        intent=reply.intent,
        confidence=reply.confidence,
        citations=[CitationPublic(id=c.id, question=c.question, score=c.score)
                   for c in reply.citations],
        handoff=reply.handoff,
        status=cast(ConversationStatus, reply.state.status),
        products=list(reply.products),
    )  # fmt: skip  # what the verdict held back is for staff (the conversation read with a key)


@router.post("/tokens", status_code=201, dependencies=[WriteAccess])
def new_customer_token(request: Request, db: DB, body: CustomerTokenCreate) -> CustomerTokenPublic:
    """Issue a customer token, valid 30 days (your shop's login hands it to the customer)."""
    token = issue_customer_token(db, body.customer_id)
    record(request, "support.token_issued", body.customer_id)
    return CustomerTokenPublic(customer_id=body.customer_id, token=token)


@router.delete("/tokens/{customer_id}", dependencies=[WriteAccess])
def revoke_tokens(request: Request, db: DB, customer_id: CustomerId) -> TokenRevocationPublic:
    """Revoke every token of a customer (signed out everywhere)."""
    revoked = revoke_customer_tokens(db, customer_id)
    record(request, "support.tokens_revoked", customer_id, revoked=revoked)
    return TokenRevocationPublic(revoked=revoked)


@router.post("/conversations", status_code=201, response_model_exclude_unset=True)
def start(
    request: Request,
    db: DB,
    body: ConversationCreate | None = None,
    x_customer_token: Annotated[str | None, Header()] = None,
) -> ConversationStartPublic:
    """Start a conversation; its `access_token` is shown only here."""
    # an empty token is none of a customer's: it had started a guest's conversation
    customer = customer_for_token(db, x_customer_token) if x_customer_token is not None else None
    with new_conversation(db, customer) as (conversation_id, access):
        out = ConversationStartPublic(id=conversation_id, access_token=access, status="open")
        if body is not None and body.text:
            first = converse(request, db, conversation_id, body.text)
            out = out.model_copy(update={"first_reply": first, "status": first.status})
    return out


def owner_access(
    db: DB, conversation_id: str, x_conversation_token: Annotated[str | None, Header()] = None
) -> None:
    """The conversation's own token (checked before the body is read)."""
    check_conversation_access(db, conversation_id, x_conversation_token)


def owner_or_staff_access(
    request: Request,
    db: DB,
    conversation_id: str,
    x_conversation_token: Annotated[str | None, Header()] = None,
) -> None:
    """The conversation's own token, or the staff API key."""
    headers = request.headers
    if x_conversation_token is None and (headers.get("x-api-key") or headers.get("authorization")):
        require_api_key(request, headers.get("x-api-key"), headers.get("authorization"))
        get_conversation(db, conversation_id)  # 404 for an unknown id
        return
    check_conversation_access(db, conversation_id, x_conversation_token)


@router.post("/conversations/{conversation_id}/messages", dependencies=[Depends(owner_access)])
def post_message(
    request: Request, db: DB, conversation_id: str, body: MessageCreate
) -> ReplyPublic:
    """The customer's next message and the assistant's reply."""
    return converse(request, db, conversation_id, body.text)


@router.get("/conversations/{conversation_id}", dependencies=[Depends(owner_or_staff_access)])
def read(
    db: DB, conversation_id: str, x_conversation_token: Annotated[str | None, Header()] = None
) -> ConversationPublic:
    """The conversation with every message (for its owner or staff; what the verdict held
    back from a reply, `review`, for staff only: it quoted the rejected translation)."""
    found = _public(get_conversation(db, conversation_id))
    if x_conversation_token is not None:  # the customer's own token, not a staff key
        found.messages = [m.model_copy(update={"review": []}) for m in found.messages]
    return found


@router.get("/conversations", dependencies=[StaffAccess])
def conversations(
    db: DB,
    status: ConversationStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ConversationPage:
    """Conversations, newest first; `status=handoff` is the human queue (staff only)."""
    rows, total = list_conversations(db, status, limit, offset)
    data = [ConversationSummaryPublic.model_validate(r, from_attributes=True) for r in rows]
    return ConversationPage(data=data, count=total, limit=limit, offset=offset)


@router.post("/conversations/{conversation_id}/replies", dependencies=[WriteAccess])
def staff_reply(
    request: Request, db: DB, conversation_id: str, body: ReplyCreate
) -> ConversationPublic:
    """A person answers; `close` ends the conversation."""
    add_staff_reply(db, conversation_id, body.text.strip(), body.close, acting(request))
    record(request, "support.reply", conversation_id, closed=body.close)
    return _public(get_conversation(db, conversation_id))


@router.post("/conversations/{conversation_id}/revoke", dependencies=[WriteAccess])
def revoke(request: Request, db: DB, conversation_id: str) -> ConversationRevocationPublic:
    """The conversation's token stops opening it (staff still can)."""
    revoke_conversation(db, conversation_id)
    record(request, "support.conversation_revoked", conversation_id)
    return ConversationRevocationPublic(id=conversation_id, revoked=True)
