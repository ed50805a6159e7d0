"""Support conversations, customer tokens, and the order look-up the assistant may use.

Tokens are random and shown once; only their SHA-256 is stored. The order book reads orders
with the customer id in the WHERE clause, so an order id alone never reaches another account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, cast

from sqlalchemy import case, delete, func, or_, select, update

from borderless.capabilities.support.assistant import (
    RECENT,
    ConversationState,
    OrderSummary,
    Reply,
    unshipped_late,
)
from borderless.errors import NotFound, Unauthorized
from borderless.storage import tables as t
from borderless.storage.cancellations import reversed_orders
from borderless.storage.database import Database
from borderless.storage.sales import get_customer
from borderless.storage.shipments import with_shipments

__all__ = [
    "HANDOFF_TASK",
    "Conversation",
    "ConversationStatus",
    "ConversationSummary",
    "Message",
    "Role",
    "ShopOrderBook",
    "add_staff_reply",
    "check_conversation_access",
    "conversation_state",
    "create_conversation",
    "customer_for_token",
    "discard_empty_conversation",
    "get_conversation",
    "issue_customer_token",
    "list_conversations",
    "new_conversation",
    "record_exchange",
    "revoke_conversation",
    "revoke_customer_tokens",
]


# A staff reply to a customer is kept as a labelled example of this task (collected only).
HANDOFF_TASK, HANDOFF_SOURCE = "handoff", "support.reply"

Role = Literal["customer", "assistant", "staff"]
ConversationStatus = Literal["open", "handoff", "closed"]


@dataclass(frozen=True)
class Message:
    """One message of a conversation; intent, confidence and citations are the assistant's."""

    seq: int
    role: Role
    text: str
    language: str | None
    intent: str | None
    confidence: float | None
    citations: list[dict[str, Any]]
    created_at: datetime
    review: tuple[str, ...] = ()  # the assistant's translations not sent, and why


@dataclass(frozen=True)
class ConversationSummary:
    """A conversation as a list shows it: its state and its last message."""

    id: str
    customer_id: str | None
    language: str | None
    status: ConversationStatus
    failures: int
    handoff_reason: str | None
    created_at: datetime
    updated_at: datetime
    revoked: bool
    last_message: str
    last_role: Role | None


@dataclass(frozen=True)
class Conversation:
    """A conversation with every message, oldest first."""

    id: str
    customer_id: str | None
    language: str | None
    status: ConversationStatus
    failures: int
    handoff_reason: str | None
    created_at: datetime
    updated_at: datetime
    revoked: bool
    messages: tuple[Message, ...]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# A customer token lasts as long as a shop's sign-in usually does; a conversation's token
# stops opening it after this long without a message.
CUSTOMER_TOKEN_DAYS = 30
CONVERSATION_IDLE_DAYS = 30


def issue_customer_token(db: Database, customer_id: str, days: float = CUSTOMER_TOKEN_DAYS) -> str:
    get_customer(db, customer_id)  # NotFound for an unknown customer
    token = "ct_" + secrets.token_urlsafe(24)
    now = _now()
    with db.engine.begin() as conn:
        conn.execute(
            t.customer_tokens.insert().values(
                token_hash=_hash(token), customer_id=customer_id, created_at=now, revoked=False,
                expires_at=now + timedelta(days=days),
            )
        )  # fmt: skip
    return token


def revoke_customer_tokens(db: Database, customer_id: str) -> int:
    """Revoke every token of a customer (signed out everywhere); how many were live. Their
    conversations' own tokens go too: a conversation started with a revoked token still read
    the customer's orders to whoever held it (an attack); staff still read them. NotFound
    for an unknown customer, as when issuing (it answered "revoked: 0": an attack)."""
    get_customer(db, customer_id)
    c = t.customer_tokens
    with db.engine.begin() as conn:
        done = conn.execute(
            update(c)
            .where(c.c.customer_id == customer_id, c.c.revoked.is_(False))
            .values(revoked=True)
        )
        conn.execute(
            update(t.support_conversations)
            .where(t.support_conversations.c.customer_id == customer_id)
            .values(revoked=True)
        )
    return int(done.rowcount)


def customer_for_token(db: Database, token: str) -> str:
    c = t.customer_tokens
    with db.engine.connect() as conn:
        row = conn.execute(
            select(c.c.customer_id).where(
                c.c.token_hash == _hash(token),
                c.c.revoked.is_(False),
                or_(c.c.expires_at.is_(None), c.c.expires_at > _now()),
            )
        ).first()
    if row is None:
        raise Unauthorized(
            "the customer token is unknown, expired or revoked", field="X-Customer-Token"
        )
    return str(row.customer_id)


def revoke_conversation(db: Database, conversation_id: str) -> None:
    """Its token no longer opens the conversation (staff still can)."""
    with db.engine.begin() as conn:
        _conversation_row(conn, conversation_id)
        conn.execute(
            update(t.support_conversations)
            .where(t.support_conversations.c.id == conversation_id)
            .values(revoked=True)
        )


def create_conversation(db: Database, customer_id: str | None) -> tuple[str, str]:
    """A new open conversation; returns its id and the access token its owner uses."""
    conversation_id = "cv_" + secrets.token_hex(12)
    access = "ca_" + secrets.token_urlsafe(24)
    now = _now()
    with db.engine.begin() as conn:
        conn.execute(
            t.support_conversations.insert().values(
                id=conversation_id,
                access_hash=_hash(access),
                customer_id=customer_id,
                status="open",
                failures=0,
                created_at=now,
                updated_at=now,
            )
        )
    return conversation_id, access


@contextmanager
def new_conversation(db: Database, customer_id: str | None) -> Iterator[tuple[str, str]]:
    """`create_conversation` for a conversation started with a message: when the block fails
    (the assistant busy or down), the conversation goes again, so it is written whole or not
    at all."""
    conversation_id, access = create_conversation(db, customer_id)
    try:
        yield conversation_id, access
    except BaseException:
        discard_empty_conversation(db, conversation_id)
        raise


def discard_empty_conversation(db: Database, conversation_id: str) -> None:
    """Remove a conversation that holds no message."""
    c, m = t.support_conversations, t.support_messages
    with db.engine.begin() as conn:
        if conn.execute(select(m.c.seq).where(m.c.conversation_id == conversation_id)).first():
            return
        conn.execute(delete(c).where(c.c.id == conversation_id))


def _conversation_row(conn: Any, conversation_id: str) -> Any:
    row = conn.execute(
        select(t.support_conversations).where(t.support_conversations.c.id == conversation_id)
    ).first()
    if row is None:
        raise NotFound(f"no conversation with id {conversation_id!r}", field="conversation_id")
    return row


def check_conversation_access(db: Database, conversation_id: str, access: str | None) -> None:
    """401 without a token (before saying whether the conversation exists), 404, 401."""
    if access is None:
        raise Unauthorized(
            "this conversation needs its access token in X-Conversation-Token",
            field="X-Conversation-Token",
        )
    with db.engine.connect() as conn:
        row = _conversation_row(conn, conversation_id)
    if not hmac.compare_digest(_hash(access), row.access_hash):
        raise Unauthorized("the conversation token is wrong", field="X-Conversation-Token")
    if row.revoked or row.updated_at <= _now() - timedelta(days=CONVERSATION_IDLE_DAYS):
        raise Unauthorized(
            "the conversation token was revoked or has expired; start a new conversation",
            field="X-Conversation-Token",
        )


def conversation_state(db: Database, conversation_id: str) -> ConversationState:
    with db.engine.connect() as conn:
        row = _conversation_row(conn, conversation_id)
        last = conn.execute(
            select(t.support_messages.c.text, t.support_messages.c.intent)
            .where(t.support_messages.c.conversation_id == conversation_id)
            .order_by(t.support_messages.c.seq.desc())
            .limit(2 * RECENT)  # a customer's message and the assistant's reply each time
        ).all()
    said = last[0] if last and last[0].intent is not None else None
    recent = tuple(m.intent for m in last if m.intent is not None)[:RECENT]
    return ConversationState(row.customer_id, row.language, row.failures, row.status,
                             row.order_id, said.text if said else None,
                             said.intent if said else None, recent)  # fmt: skip


def _messages_lock(conversation_id: str) -> str:
    """The write lock of a conversation's messages: whoever appends one holds it, since the
    next message number is read, then written."""
    return f"support:{conversation_id}"


def _append(conn: Any, conversation_id: str, messages: Sequence[dict[str, Any]]) -> None:
    last = conn.execute(
        select(func.max(t.support_messages.c.seq)).where(
            t.support_messages.c.conversation_id == conversation_id
        )
    ).scalar_one()
    seq = int(last or 0)
    for message in messages:
        seq += 1
        conn.execute(
            t.support_messages.insert().values(
                conversation_id=conversation_id,
                seq=seq,
                created_at=message.pop("created_at", None) or _now(),
                citations=message.pop("citations", []),
                **message,
            )
        )


def record_exchange(
    db: Database, conversation_id: str, message: str, reply: Reply,
    received_at: datetime | None = None,
) -> None:  # fmt: skip
    """The customer's message (stamped `received_at`, when it came: it was stamped when the
    reply was ready, up to a minute later), the assistant's reply and the new state: one
    transaction."""
    state = reply.state
    with db.writing(_messages_lock(conversation_id)) as conn:
        _conversation_row(conn, conversation_id)
        _append(
            conn,
            conversation_id,
            [
                {
                    "role": "customer",
                    "text": message,
                    "language": state.language,
                    "created_at": received_at,
                },
                {
                    "role": "assistant",
                    "text": reply.text,
                    "language": reply.language,
                    "intent": reply.intent,
                    "confidence": reply.confidence,
                    "citations": [asdict(c) for c in reply.citations],
                    "review": list(reply.review) or None,
                },
            ],
        )
        values: dict[str, Any] = {
            "language": state.language,
            "failures": state.failures,
            "status": state.status,
            "order_id": state.order_id,
            "updated_at": _now(),
        }
        if reply.handoff:
            values["handoff_reason"] = reply.handoff
        conn.execute(
            t.support_conversations.update()
            .where(t.support_conversations.c.id == conversation_id)
            .values(**values)
        )


def add_staff_reply(
    db: Database, conversation_id: str, text: str, close: bool = False, actor: str = "staff"
) -> None:
    """A person's reply and, in the same transaction, a labelled example of task `handoff`:
    text = the customer's messages since the last staff reply, label = this reply, predicted =
    the assistant's last answer to them. A reply with no customer message to answer (a
    follow-up) is no example."""
    from borderless.capabilities.catalog.checks import check_text
    from borderless.storage.registry import write_correction

    # an empty reply was refused as a correction with no label, naming a field this route has
    # not (an attack)
    text = check_text(text.strip(), "text", required=True)
    m = t.support_messages
    # one writer per conversation: the next message number is read, then written (four staff
    # replies at once got three UNIQUE-constraint 500s: an attack)
    with db.writing(_messages_lock(conversation_id)) as conn:
        _conversation_row(conn, conversation_id)
        since = conn.execute(
            select(m.c.seq, m.c.role, m.c.text)
            .where(m.c.conversation_id == conversation_id)
            .order_by(m.c.seq.desc())
        ).all()
        asked, answered = [], None
        for row in since:
            if row.role == "staff":
                break
            if row.role == "customer":
                asked.append(row.text)
            elif answered is None:
                answered = row.text
        _append(conn, conversation_id, [{"role": "staff", "text": text}])
        if asked:
            seq = int(since[0].seq) + 1 if since else 1
            write_correction(
                conn, HANDOFF_TASK, "\n".join(reversed(asked)), text, source=HANDOFF_SOURCE,
                subject=f"{conversation_id}:{seq}", predicted=answered, actor=actor,
            )  # fmt: skip
        conn.execute(
            t.support_conversations.update()
            .where(t.support_conversations.c.id == conversation_id)
            .values(status="closed" if close else "handoff", updated_at=_now())
        )


def get_conversation(db: Database, conversation_id: str) -> Conversation:
    m = t.support_messages
    with db.engine.connect() as conn:
        row = _conversation_row(conn, conversation_id)
        messages = tuple(
            Message(r.seq, cast(Role, r.role), r.text, r.language, r.intent, r.confidence,
                    list(r.citations or []), r.created_at, tuple(r.review or ()))
            for r in conn.execute(
                select(m).where(m.c.conversation_id == conversation_id).order_by(m.c.seq)
            )
        )  # fmt: skip
    return Conversation(
        row.id, row.customer_id, row.language, cast(ConversationStatus, row.status), row.failures,
        row.handoff_reason, row.created_at, row.updated_at, bool(row.revoked), messages,
    )  # fmt: skip


def list_conversations(
    db: Database, status: str | None = None, limit: int = 50, offset: int = 0,
    spoken: bool = False,
) -> tuple[list[ConversationSummary], int]:  # fmt: skip
    """Newest first, with the last message, and how many match over all pages;
    `status="handoff"` is the human queue; `spoken`: only those with a message (a
    conversation opened and never written in is no one's to read: the dashboard listed every
    such one as "no message yet", a walk)."""
    c, m = t.support_conversations, t.support_messages
    last_seq = (
        select(m.c.conversation_id, func.max(m.c.seq).label("seq"))
        .group_by(m.c.conversation_id)
        .subquery()
    )
    query = (
        select(
            *[col for col in c.c if col.name != "access_hash"],
            func.coalesce(m.c.text, "").label("last_message"),
            m.c.role.label("last_role"),
        )
        .outerjoin(last_seq, last_seq.c.conversation_id == c.c.id)
        .outerjoin(m, (m.c.conversation_id == c.c.id) & (m.c.seq == last_seq.c.seq))
        .order_by(c.c.updated_at.desc(), c.c.id)
        .limit(limit)
        .offset(offset)
    )
    counted = select(func.count()).select_from(c)
    if status:
        query = query.where(c.c.status == status)
        counted = counted.where(c.c.status == status)
    if spoken:
        any_m = m.alias("any_message")
        said = select(any_m.c.conversation_id).where(any_m.c.conversation_id == c.c.id).exists()
        query = query.where(said)
        counted = counted.where(said)
    with db.engine.connect() as conn:
        total = conn.execute(counted).scalar_one()
        rows = conn.execute(query).all()
    return [_summary(r) for r in rows], int(total)


def _summary(r: Any) -> ConversationSummary:
    return ConversationSummary(
        r.id, r.customer_id, r.language, cast(ConversationStatus, r.status), r.failures,
        r.handoff_reason, r.created_at, r.updated_at, bool(r.revoked), r.last_message,
        cast(Role | None, r.last_role),
    )  # fmt: skip


class ShopOrderBook:
    """The assistant's only way to orders: always filtered by the conversation's customer.
    `now` (tests) is the clock an unshipped order is judged late by: in a shop that records
    shipments, an order without one past the dispatch promise goes to a person."""

    def __init__(self, db: Database, now: datetime | None = None) -> None:
        self.db = db
        self.now = now

    def language_of(self, customer_id: str) -> str | None:
        """The customer's language (their market's), None for a customer the shop lacks."""
        return self._customer(customer_id, t.customers.c.language)

    def market_of(self, customer_id: str) -> str | None:
        """The customer's market (country code), None for a customer the shop lacks."""
        return self._customer(customer_id, t.customers.c.country)

    def _customer(self, customer_id: str, column: Any) -> str | None:
        with self.db.engine.connect() as conn:
            found = conn.execute(
                select(column).where(t.customers.c.id == customer_id)
            ).scalar_one_or_none()
        return None if found is None else str(found)

    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]:
        value = t.order_lines.c.quantity * t.order_lines.c.unit_price
        # items are goods: a postage or fee line is in the total, not the count ("340 items",
        # two of them POSTAGE: a walk)
        goods = case((t.products.c.kind == "charge", 0), else_=t.order_lines.c.quantity)
        query = (
            select(
                t.orders.c.id,
                t.orders.c.placed_at,
                t.orders.c.kind,
                t.orders.c.currency,
                func.coalesce(func.sum(goods), 0).label("items"),
                func.coalesce(func.sum(value), 0).label("total"),
            )
            .select_from(t.orders)
            .outerjoin(t.order_lines, t.order_lines.c.order_id == t.orders.c.id)
            .outerjoin(t.products, t.products.c.sku == t.order_lines.c.sku)
            .where(t.orders.c.customer_id == customer_id)
            .group_by(t.orders.c.id, t.orders.c.placed_at, t.orders.c.kind, t.orders.c.currency)
            .order_by(t.orders.c.placed_at.desc(), t.orders.c.id.desc())
            .limit(20)
        )
        if order_id is not None:
            query = query.where(t.orders.c.id == order_id)
        with self.db.engine.connect() as conn:
            rows = conn.execute(query).all()
            reversed_ = _reversed(conn, customer_id, rows)
            tracked = conn.execute(select(t.shipments.c.order_id).limit(1)).first() is not None
        orders = [
            OrderSummary(
                id=r.id,
                placed_at=r.placed_at,
                items=abs(int(r.items)),
                total=abs(Decimal(str(r.total))).quantize(Decimal("0.01")),
                currency=r.currency,
                cancelled=r.kind == "cancellation" or r.id in reversed_,
                reversal=r.kind == "cancellation",
            )
            for r in rows
        ]
        now = self.now or datetime.now(UTC).replace(tzinfo=None)
        orders = with_shipments(self.db, orders, now=now)
        if not tracked:  # the shop records no shipments: none for this order says nothing
            return orders
        return [
            replace(o, unshipped_late=unshipped_late(o.placed_at, now))
            if o.shipment_status is None and not o.cancelled
            else o
            for o in orders
        ]


def _reversed(conn: Any, customer_id: str, rows: Sequence[Any]) -> set[str]:
    """The orders among `rows` that a later cancellation of the customer reverses whole
    (cancellations.py says when)."""
    sales = {r.id for r in rows if r.kind != "cancellation"}
    return reversed_orders(conn, customer_id) & sales if sales else set()
