"""Support conversations: tokens, messages, staff replies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Page, Timestamp
from borderless.storage.support import ConversationStatus, Role

__all__ = [
    "ConversationCreate",
    "ConversationPage",
    "ConversationPublic",
    "ConversationSummaryPublic",
    "CustomerTokenCreate",
    "MessageCreate",
    "MessagePublic",
    "ReplyCreate",
]


class CustomerTokenCreate(BaseModel):
    customer_id: str = Field(min_length=1, max_length=64)


class MessageCreate(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class ConversationCreate(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=2000)


class ReplyCreate(BaseModel):
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
