"""Support conversations: tokens, messages, staff replies."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = [
    "ConversationCreate",
    "CustomerTokenCreate",
    "MessageCreate",
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
