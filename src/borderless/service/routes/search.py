from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from borderless.capabilities.catalog.checks import MAX_PRICE
from borderless.capabilities.search.needs import Need, read_need
from borderless.capabilities.search.shop import SearchFilter
from borderless.service.routes.deps import DB
from borderless.service.schemas import ProductPublic
from borderless.storage.catalog import products_by_sku, skus_sold_in

router = APIRouter(prefix="/v1/search", tags=["search"])


class SearchResult(BaseModel):
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    product: ProductPublic


class SearchPage(BaseModel):
    data: list[SearchResult]
    count: int
    interpretation: list[str]


@router.get("")
def search(
    request: Request,
    db: DB,
    q: Annotated[
        str, Query(min_length=1, max_length=500, description="words or a sentence, any language")
    ],
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid",
    min_price: Annotated[Decimal | None, Query(ge=0, le=MAX_PRICE)] = None,
    max_price: Annotated[Decimal | None, Query(ge=0, le=MAX_PRICE)] = None,
    in_stock: bool | None = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="sold in this market")
    ] = None,
    category: Annotated[
        str | None, Query(max_length=200, description="e.g. Home & Garden > Decor")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    interpret: Annotated[
        bool, Query(description="read prices and stock out of the sentence")
    ] = True,
) -> SearchPage:
    """Hybrid product search: BM25 and multilingual embeddings, fused by reciprocal rank.

    With `interpret` (default), a sentence such as "a gift for my mother, under 20 pounds" is
    read into filters and a query; explicit filter parameters win over what was read.
    """
    need = read_need(q) if interpret else Need(query=q, understood=[f"looking for: {q}"])
    where = SearchFilter(
        min_price if min_price is not None else need.min_price,
        max_price if max_price is not None else need.max_price,
        in_stock if in_stock is not None else need.in_stock,
        skus_sold_in(db, country) if country else None,
        category,
    )
    hits = request.app.state.services.search.search(need.query, k=limit, mode=mode, where=where)
    found = {p.sku: p for p in products_by_sku(db, [h.id for h in hits])}
    data = [
        SearchResult(
            score=h.score,
            lexical_rank=h.lexical_rank,
            dense_rank=h.dense_rank,
            product=ProductPublic.model_validate(found[h.id], from_attributes=True),
        )
        for h in hits
        if h.id in found
    ]
    request.app.state.services.monitor.signal("search", "-", "zero_results", float(not data))
    return SearchPage(data=data, count=len(data), interpretation=need.understood)
