from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request

from borderless.capabilities.catalog.records import Product
from borderless.service.routes.deps import DB, WriteAccess, record
from borderless.service.schemas import ProductCreate, ProductPage, ProductPublic, ProductUpdate
from borderless.service.schemas.common import QueryMarket, QueryPrice
from borderless.storage.catalog import (
    MAX_OFFSET,
    ProductFilter,
    create_product,
    get_product,
    list_products,
    update_product,
)

router = APIRouter(prefix="/v1/products", tags=["products"])
# A SKU may hold a slash ("TSHIRT/RED/M", as Shopify exports carry), so it is read with the
# path convertor; these routes are included after every other /v1/products/... route
# (images, attributes), which they would otherwise swallow as a SKU ending "/images".
by_sku = APIRouter(prefix="/v1/products", tags=["products"])

Sku = Annotated[str, Path(min_length=1, max_length=64, description="the product's SKU")]


def _public(p: Product) -> ProductPublic:
    return ProductPublic.model_validate(p, from_attributes=True)


@router.get("")
def products(
    db: DB,
    q: Annotated[
        str | None, Query(description="words that must all appear", max_length=200)
    ] = None,
    kind: Literal["merchandise", "charge", "voucher", "all"] = "merchandise",
    min_price: QueryPrice = None,
    max_price: QueryPrice = None,
    in_stock: bool | None = None,
    country: QueryMarket = None,
    listing: Annotated[str | None, Query(max_length=255)] = None,
    sort: Literal["sku", "title", "price", "-price"] = "sku",
    currency: Annotated[
        str | None,
        Query(
            max_length=3,
            description="the currency of min_price and max_price (default: the products' own "
            "when they share one, else the shop's base); prices in other currencies are "
            "compared through the exchange rates, and so are they sorted",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ProductPage:
    """List products, filtered, searched and paged."""
    f = ProductFilter(
        q,
        None if kind == "all" else kind,
        min_price,
        max_price,
        in_stock,
        country,
        listing,
        sort,
        currency,
    )
    found, total = list_products(db, f, limit=limit, offset=offset)
    return ProductPage(data=[_public(p) for p in found], count=total, limit=limit, offset=offset)


@by_sku.get("/{sku:path}")
def product(db: DB, sku: Sku) -> ProductPublic:
    """One product by SKU."""
    return _public(get_product(db, sku))


@router.post("", status_code=201, dependencies=[WriteAccess])
def add_product(request: Request, db: DB, body: ProductCreate) -> ProductPublic:
    """Create a product (needs the API key)."""
    product = create_product(db, Product(**body.model_dump()))
    record(request, "product.create", product.sku)
    request.app.state.services.search.changed([product])
    return _public(product)


@by_sku.patch("/{sku:path}", dependencies=[WriteAccess])
def change_product(request: Request, db: DB, sku: Sku, body: ProductUpdate) -> ProductPublic:
    """Change fields of a product (needs the API key)."""
    changes = body.model_dump(exclude_unset=True)
    product = update_product(db, sku, changes)
    record(request, "product.update", sku, fields=sorted(changes))
    request.app.state.services.search.changed([product])
    return _public(product)
