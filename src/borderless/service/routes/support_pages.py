"""Dashboard: the human queue, a conversation with a reply box, a chat to try the assistant."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.language import detect_language
from borderless.errors import InvalidInput, ModelUnavailable, NotFound
from borderless.languages import LANGUAGE_NAMES
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, acting, record, staff_redirect
from borderless.service.routes.pages import render
from borderless.service.routes.support import converse
from borderless.service.routes.translate import desk
from borderless.storage.sales import get_customer, list_orders
from borderless.storage.support import (
    Conversation,
    add_staff_reply,
    get_conversation,
    list_conversations,
    new_conversation,
)

router = APIRouter(include_in_schema=False)


def _text(value: str, field: str = "text", limit: int = 2000) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput("write a message first", field=field)
    if len(text) > limit:
        raise InvalidInput(f"the message is longer than {limit} characters", field=field)
    return text


def chat_language(conversation: Conversation) -> str | None:
    """The language of everything the customer wrote, read together.

    The assistant decides per message and keeps its first guess when a message is too short
    to tell ("Hallo" reads as English), so a German chat could be filed under "en".
    """
    said = " ".join(m.text for m in conversation.messages if m.role == "customer")
    stored = conversation.language
    try:
        found = detect_language(said, fallback=stored or "en")
    except ModelUnavailable:
        return stored
    return found.code if found.score >= 0.5 else stored


@router.get("/support", response_class=HTMLResponse)
def queue_page(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    handed_over = [
        replace(c, language=chat_language(get_conversation(db, c.id)))
        for c in list_conversations(db, "handoff", 200)[0]
    ]
    # Handed over and answered by staff: the customer has the next word, nobody is waiting.
    return render(
        request,
        "support.html",
        {"queue": [c for c in handed_over if c.last_role != "staff"],
         "answered": [c for c in handed_over if c.last_role == "staff"],
         "recent": list_conversations(db, None, 30)[0]},
    )  # fmt: skip


@router.get("/support/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation_page(request: Request, db: DB, conversation_id: str) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    c = get_conversation(db, conversation_id)
    language = chat_language(c)
    orders, order_count = (
        list_orders(db, customer_id=c.customer_id, limit=8) if c.customer_id else ([], 0)
    )
    return render(
        request,
        "conversation.html",
        {
            "c": c,
            "language": language,
            "language_label": LANGUAGE_NAMES.get(language or "", ""),
            "orders": orders,
            "order_count": order_count,
        },
    )


@router.post("/support/conversations/{conversation_id}/reply")
def reply_form(
    request: Request,
    db: DB,
    conversation_id: str,
    text: Annotated[str, Form()] = "",
    close: Annotated[str, Form()] = "",
    translate_to: Annotated[str, Form(pattern=r"^([a-z]{2})?$")] = "",
) -> Response:
    """Staff reply; with `translate_to`, what staff wrote is sent in the customer's language."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    reply = _text(text, limit=5000)
    if translate_to:
        get_conversation(db, conversation_id)  # NotFound before any translating
        written = reply
        reply = model_work(
            request, lambda: desk(request).translate([written], "auto", translate_to)[0].text
        )
    add_staff_reply(db, conversation_id, reply, close=bool(close), actor=acting(request))
    record(request, "support.reply", conversation_id, closed=bool(close), language=translate_to)
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
        try:
            get_customer(db, customer)
        except NotFound as exc:  # the form again, with what was typed and why
            return render(request, "chat.html", {"c": None, "error": exc.message,
                                                 "text": text, "customer_id": customer_id},
                          status_code=404)  # fmt: skip
    with new_conversation(db, customer) as (conversation_id, _):
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
