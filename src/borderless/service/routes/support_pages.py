"""Dashboard: the human queue, a conversation with a reply box, a chat to try the assistant."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.language import detect_language
from borderless.capabilities.localize.readings import Readings
from borderless.capabilities.verdict import needs_review
from borderless.errors import BorderlessError, InvalidInput, ModelUnavailable, NotFound
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


def status_label(status: str, last_role: str | None) -> str:
    """A conversation's status as the support pages write it, the same on the list and the
    conversation's own page (the list said "answered" where the page said "handoff")."""
    if status == "handoff":
        return "handed over, answered" if last_role == "staff" else "handed over, waiting"
    return status


@router.get("/support", response_class=HTMLResponse)
def queue_page(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    handed_over, asked = [], {}
    for c in list_conversations(db, "handoff", 200)[0]:
        whole = get_conversation(db, c.id)
        handed_over.append(replace(c, language=chat_language(whole)))
        # what the customer last wrote: the last message was the assistant's holding line
        # ("A person will reply as soon as possible"), which told staff nothing (a walk)
        said = [m.text for m in whole.messages if m.role == "customer"]
        asked[c.id] = said[-1] if said else c.last_message
    # Handed over and answered by staff: the customer has the next word, nobody is waiting.
    return render(
        request,
        "support.html",
        {"queue": [c for c in handed_over if c.last_role != "staff"],
         "answered": [c for c in handed_over if c.last_role == "staff"],
         "asked": asked, "recent": list_conversations(db, None, 30, spoken=True)[0]},
    )  # fmt: skip


@router.get("/support/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation_page(
    request: Request,
    db: DB,
    conversation_id: str,
    english: Annotated[bool, Query(description="each message also in English")] = False,
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    c = get_conversation(db, conversation_id)
    if not english:
        return _conversation(request, db, c)
    try:
        glosses = _in_english(request, c)
    except BorderlessError as exc:  # no engine, or the model queue full: the page still opens
        return _conversation(request, db, c, error=f"not read in English: {exc.message}")
    return _conversation(request, db, c, glosses=glosses)


def _in_english(request: Request, c: Conversation) -> dict[int, Gloss]:
    """Each message written in another language than English, machine-translated into English
    for staff who cannot read it (an Arabic conversation was Arabic only on this page, the
    citations alone in English), by message number."""
    by_language: dict[str, list[int]] = {}
    for m in c.messages:
        if m.language and m.language != "en" and m.language in LANGUAGE_NAMES and m.text.strip():
            by_language.setdefault(m.language, []).append(m.seq)
    texts = {m.seq: m.text for m in c.messages}
    readings: Readings[Gloss] = request.app.state.readings  # each message read once (readings.py)
    found: dict[int, Gloss] = {}
    for language, seqs in by_language.items():
        reader = desk(request)
        engine = reader.engine_for(language, "en")
        known = readings.known(engine, language, "en", [texts[n] for n in seqs])
        todo = list(dict.fromkeys(texts[n] for n in seqs if texts[n] not in known))
        if todo:
            said = model_work(request, lambda: reader.translate(todo, language, "en"))  # noqa: B023 (called at once)
            read = {t: Gloss(done.text, done.engine, done.flagged)
                    for t, done in zip(todo, said, strict=True)}  # fmt: skip
            readings.keep(engine, language, "en", read)
            known |= read
        found |= {n: known[texts[n]] for n in seqs}
    return found


@dataclass(frozen=True)
class Gloss:
    """A message in English for staff: machine-translated, never sent to anyone."""

    text: str
    engine: str
    flagged: bool  # the engine's quality estimate is low or the verdict needs review


@dataclass(frozen=True)
class ReplyPreview:
    """A staff reply put into the customer's language before it is sent: what goes out, what
    the verdict says of it, and the same text translated back for staff who cannot read it."""

    text: str
    language: str
    source: str
    problems: list[str]
    back: str

    @property
    def language_label(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)

    @property
    def source_label(self) -> str:
        return LANGUAGE_NAMES.get(self.source, self.source)


def _conversation(
    request: Request,
    db: DB,
    c: Conversation,
    preview: ReplyPreview | None = None,
    typed: str = "",
    error: str = "",
    status_code: int = 200,
    glosses: dict[int, Gloss] | None = None,
) -> Response:
    """The conversation page; with `preview`, the staff reply as the customer would get it;
    with `glosses`, messages in English too."""
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
            "preview": preview,
            "typed": typed,
            "error": error,
            "glosses": glosses,
            "foreign": any(m.language not in (None, "en") for m in c.messages),
        },
        status_code=status_code,
    )


def _translated_reply(request: Request, written: str, target: str) -> tuple[str, str]:
    """(the reply in `target`, the language staff wrote it in)."""
    done = model_work(request, lambda: desk(request).translate([written], "auto", target)[0])
    return done.text, done.source


def _preview(request: Request, written: str, sent: str, source: str, target: str) -> ReplyPreview:
    # letter_endings off: a greeting and a name belong in a reply (a "[Your name]" does not,
    # and the placeholder check still sees it)
    problems = needs_review(sent, target, written, source, letter_endings=False)
    back = sent
    if source != target:
        back = model_work(request, lambda: desk(request).translate([sent], target, source)[0].text)
    return ReplyPreview(sent, target, source, problems, back)


@router.post("/support/conversations/{conversation_id}/reply")
def reply_form(
    request: Request,
    db: DB,
    conversation_id: str,
    text: Annotated[str, Form()] = "",
    close: Annotated[str, Form()] = "",
    translate_to: Annotated[str, Form(pattern=r"^([a-z]{2})?$")] = "",
    translated: Annotated[str, Form()] = "",
    source: Annotated[str, Form(pattern=r"^([a-z]{2})?$")] = "",
    override: Annotated[str, Form()] = "",
    action: Annotated[Literal["send", "preview"], Form()] = "send",
) -> Response:
    """Staff reply. With `translate_to` what staff wrote goes out in the customer's language,
    but only once the verdict passes or staff override it: a translation that needs review is
    shown first (`action=preview` shows any), with the verdict's reasons and the text
    translated back, and staff may correct it (`translated`) before it is sent."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    reply = _text(text, limit=5000)
    overridden = False
    if translate_to:
        c = get_conversation(db, conversation_id)  # NotFound before any translating
        if translated.strip() and action == "send":  # a previewed translation, maybe corrected
            sent = _text(translated, field="translated", limit=5000)
            written_in = source or detect_language(reply, fallback="en").code
        else:
            sent, written_in = _translated_reply(request, reply, translate_to)
        preview = _preview(request, reply, sent, written_in, translate_to)
        if action == "preview" or (preview.problems and not override):
            held = action == "send"  # asked to send, and held back for the verdict
            return _conversation(request, db, c, preview, reply, status_code=422 if held else 200)
        reply, overridden = preview.text, bool(preview.problems)
    elif action == "preview":
        error = ("tick 'Translate my reply' to preview a translation; without it the reply "
                 "goes out as written")  # fmt: skip
        c = get_conversation(db, conversation_id)
        return _conversation(request, db, c, typed=reply, error=error, status_code=422)
    add_staff_reply(db, conversation_id, reply, close=bool(close), actor=acting(request))
    record(request, "support.reply", conversation_id, closed=bool(close), language=translate_to,
           overridden=overridden)  # fmt: skip
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
