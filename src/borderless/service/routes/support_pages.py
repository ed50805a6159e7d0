"""Dashboard: the human queue, a conversation with a reply box, a chat to try the assistant."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.errors import InvalidInput
from borderless.service.routes.deps import DB, staff_redirect
from borderless.service.routes.pages import render
from borderless.service.routes.support import converse
from borderless.storage.sales import get_customer
from borderless.storage.support import (
    add_staff_reply,
    create_conversation,
    get_conversation,
    list_conversations,
)

router = APIRouter(include_in_schema=False)


def _text(value: str, field: str = "text", limit: int = 2000) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput("write a message first", field=field)
    if len(text) > limit:
        raise InvalidInput(f"the message is longer than {limit} characters", field=field)
    return text


@router.get("/support", response_class=HTMLResponse)
def queue_page(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return render(
        request,
        "support.html",
        {"queue": list_conversations(db, "handoff"), "recent": list_conversations(db, None, 30)},
    )


@router.get("/support/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation_page(request: Request, db: DB, conversation_id: str) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return render(request, "conversation.html", {"c": get_conversation(db, conversation_id)})


@router.post("/support/conversations/{conversation_id}/reply")
def reply_form(
    request: Request,
    db: DB,
    conversation_id: str,
    text: Annotated[str, Form()] = "",
    close: Annotated[str, Form()] = "",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    add_staff_reply(db, conversation_id, _text(text, limit=5000), close=bool(close))
    return RedirectResponse(f"/support/conversations/{conversation_id}", status_code=303)


@router.get("/support/chat", response_class=HTMLResponse)
def chat_start(request: Request) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return render(request, "chat.html", {"c": None})


@router.post("/support/chat")
def chat_new(
    request: Request,
    db: DB,
    text: Annotated[str, Form()] = "",
    customer_id: Annotated[str, Form()] = "",
) -> Response:
    """Staff try the assistant, optionally as one customer (to test order look-ups)."""
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    message = _text(text)
    customer = customer_id.strip() or None
    if customer:
        get_customer(db, customer)
    conversation_id, _ = create_conversation(db, customer)
    converse(request, db, conversation_id, message)
    return RedirectResponse(f"/support/chat/{conversation_id}", status_code=303)


@router.get("/support/chat/{conversation_id}", response_class=HTMLResponse)
def chat_page(request: Request, db: DB, conversation_id: str) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return render(request, "chat.html", {"c": get_conversation(db, conversation_id)})


@router.post("/support/chat/{conversation_id}")
def chat_message(
    request: Request, db: DB, conversation_id: str, text: Annotated[str, Form()] = ""
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    converse(request, db, conversation_id, _text(text))
    return RedirectResponse(f"/support/chat/{conversation_id}", status_code=303)
