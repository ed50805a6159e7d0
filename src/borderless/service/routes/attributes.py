"""Product attributes with evidence: read by anyone, edited by editors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from borderless.capabilities.attributes import ProductAttributes
from borderless.service.routes.deps import DB, WriteAccess, record
from borderless.service.schemas.attributes import AttributePage, AttributePublic, AttributesUpdate
from borderless.storage.attributes import product_attributes, set_attributes

router = APIRouter(prefix="/v1/products", tags=["attributes"])

Sku = Annotated[str, Path(min_length=1, max_length=64, description="the product's SKU")]


def _public(found: ProductAttributes) -> AttributePage:
    data = [AttributePublic(**vars(a)) for a in found.attributes]
    return AttributePage(
        sku=found.id,
        language=found.language,
        facts=found.facts(),
        data=data,
        count=len(data),
        limit=len(data),
    )


@router.get("/{sku:path}/attributes")
def attributes(db: DB, sku: Sku) -> AttributePage:
    """A product's attributes, each with the span of text that backs it."""
    return _public(product_attributes(db, sku))


@router.put("/{sku:path}/attributes", dependencies=[WriteAccess])
def edit_attributes(request: Request, db: DB, sku: Sku, body: AttributesUpdate) -> AttributePage:
    """Set the facts of the names given (confirms suggestions; needs an editor)."""
    from borderless.service.routes.deps import acting

    found = set_attributes(db, sku, body.attributes, acting(request))
    record(request, "attributes.update", sku, names=sorted(body.attributes))
    return _public(found)
