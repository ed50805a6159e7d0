"""Product attributes with the span of text that backs each."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from borderless.capabilities.attributes import AttributeField, AttributeSource, AttributeStatus
from borderless.service.schemas.common import Body, Page

__all__ = [
    "AttributePage",
    "AttributePublic",
    "AttributesUpdate",
]


class AttributePublic(BaseModel):
    name: str
    value: str | int
    span: str = Field(description="the text the value was read from ('' when the seller set it)")
    start: int
    end: int
    field: AttributeField = Field(description="where the value was read ('seller': nowhere)")
    source: AttributeSource = Field(description="what found it")
    status: AttributeStatus = Field(
        description="stated: the text says it; suggested: only implied, waiting for the seller"
    )


class AttributePage(Page[AttributePublic]):
    """A product's attributes, with the facts they add up to."""

    sku: str
    language: str
    facts: dict[str, Any] = Field(description="what copy may state and search filters match")


class AttributesUpdate(Body):
    attributes: dict[str, Any] = Field(
        description='the facts per name, e.g. {"colour": ["red"], "quantity": 3}; a name given '
        "with [] removes its facts; names not given stay as they are"
    )
