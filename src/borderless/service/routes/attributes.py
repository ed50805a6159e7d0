"""Product attributes with evidence: read by anyone, edited by editors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from borderless.capabilities.attributes import ProductAttributes
from borderless.service.routes.deps import DB, WriteAccess, record
from borderless.storage.attributes import product_attributes, set_attributes

router = APIRouter(prefix="/v1/products", tags=["attributes"])

Sku = Annotated[str, Path(min_length=1, max_length=64, description="the product's SKU")]


class AttributePublic(BaseModel):
    name: str
    value: str | int
    span: str = Field(description="the text the value was read from ('' when the seller set it)")
    start: int
    end: int
    field: str = Field(description="title | description | seller")
    source: str = Field(description="vocabulary | catalog | rule | position | seller")
    status: str = Field(description="stated | suggested | confirmed | rejected")


class AttributesPublic(BaseModel):
    sku: str
    language: str
    facts: dict[str, Any] = Field(description="what copy may state and search filters match")
    data: list[AttributePublic]
    count: int
    limit: int
    offset: int = 0


class AttributesUpdate(BaseModel):
    attributes: dict[str, Any] = Field(
        description='the facts per name, e.g. {"colour": ["red"], "quantity": 3}; a name given '
        "with [] removes its facts; names not given stay as they are"
    )


def _public(found: ProductAttributes) -> AttributesPublic:
    data = [AttributePublic(**vars(a)) for a in found.attributes]
    return AttributesPublic(
        sku=found.id,
        language=found.language,
        facts=found.facts(),
        data=data,
        count=len(data),
        limit=len(data),
    )


@router.get("/{sku}/attributes")
def attributes(db: DB, sku: Sku) -> AttributesPublic:
    """A product's attributes, each with the span of text that backs it."""
    return _public(product_attributes(db, sku))


@router.put("/{sku}/attributes", dependencies=[WriteAccess])
def edit_attributes(request: Request, db: DB, sku: Sku, body: AttributesUpdate) -> AttributesPublic:
    """Set the facts of the names given (confirms suggestions; needs an editor)."""
    from borderless.service.routes.deps import acting

    found = set_attributes(db, sku, body.attributes, acting(request))
    record(request, "attributes.update", sku, names=sorted(body.attributes))
    return _public(found)
