"""Support conversations: tokens, messages, staff replies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page, Timestamp
from borderless.storage.support import ConversationStatus, Role

__all__ = [
    "CitationPublic",
    "ConversationCreate",
    "ConversationPage",
    "ConversationPublic",
    "ConversationRevocationPublic",
    "ConversationStartPublic",
    "ConversationSummaryPublic",
    "CustomerTokenCreate",
    "CustomerTokenPublic",
    "MessageCreate",
    "MessagePublic",
    "ReplyCreate",
    "ReplyPublic",
    "TokenRevocationPublic",
]


class CustomerTokenCreate(Body):
    customer_id: str = Field(min_length=1, max_length=64)


class MessageCreate(Body):
    text: str = Field(min_length=1, max_length=2000)


class ConversationCreate(Body):
    text: str | None = Field(default=None, min_length=1, max_length=2000)


class ReplyCreate(Body):
    text: str = Field(min_length=1, max_length=5000)
    close: bool = False


class MessagePublic(BaseModel):
    """One message; intent, confidence and citations are the assistant's."""

    seq: int
    role: Role
    text: str
    language: str | None
    intent: str | None
    confidence: float | None
    citations: list[dict[str, Any]]
    created_at: Timestamp
    review: list[str] = Field(
        default=[],
        description="the assistant's translations not sent, and why (staff reads only: the "
        "customer sees the reply in the language it went out in, `language`)",
    )


class ConversationPublic(BaseModel):
    """A conversation with every message, oldest first."""

    id: str
    customer_id: str | None
    language: str | None
    status: ConversationStatus
    failures: int
    handoff_reason: str | None
    created_at: Timestamp
    updated_at: Timestamp
    revoked: bool
    messages: list[MessagePublic]


class ConversationSummaryPublic(BaseModel):
    """A conversation in a list: its state and its last message."""

    id: str
    customer_id: str | None
    language: str | None
    status: ConversationStatus
    failures: int
    handoff_reason: str | None
    created_at: Timestamp
    updated_at: Timestamp
    revoked: bool
    last_message: str
    last_role: Role | None


class ConversationPage(Page[ConversationSummaryPublic]):
    """One page of conversations, newest first."""


class CustomerTokenPublic(BaseModel):
    """A customer token, shown only here (valid 30 days)."""

    customer_id: str
    token: str


class TokenRevocationPublic(BaseModel):
    revoked: int = Field(description="tokens revoked")


class CitationPublic(BaseModel):
    """A knowledge-base entry the reply is drawn from."""

    id: str
    question: str
    score: float


class ReplyPublic(BaseModel):
    """The assistant's reply to one customer message."""

    reply: str
    language: str
    intent: str
    confidence: float
    citations: list[CitationPublic]
    handoff: str | None = Field(description="why the conversation goes to a person, if it does")
    status: ConversationStatus
    products: list[str] = Field(
        default=[], description='SKUs of the products the reply lists ("do you sell ...?")'
    )


class ConversationStartPublic(BaseModel):
    """A new conversation; `first_reply` only when the request held a first message."""

    id: str
    access_token: str = Field(description="opens the conversation; shown only here")
    status: ConversationStatus
    first_reply: ReplyPublic | None = None


class ConversationRevocationPublic(BaseModel):
    id: str
    revoked: bool
