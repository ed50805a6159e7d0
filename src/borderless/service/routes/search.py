from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from borderless.capabilities.search.shop import SearchFilter
from borderless.service.routes.deps import DB
from borderless.service.schemas import Page, ProductPublic
from borderless.storage.catalog import get_product, skus_sold_in

router = APIRouter(prefix="/v1/search", tags=["search"])


class SearchResult(BaseModel):
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    product: ProductPublic


@router.get("")
def search(
    request: Request,
    db: DB,
    q: Annotated[
        str, Query(min_length=1, max_length=500, description="words or a description, any language")
    ],
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid",
    min_price: Annotated[Decimal | None, Query(ge=0)] = None,
    max_price: Annotated[Decimal | None, Query(ge=0)] = None,
    in_stock: bool | None = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="sold in this market")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Page[SearchResult]:
    """Hybrid product search: BM25 and multilingual embeddings, fused by reciprocal rank."""
    where = SearchFilter(
        min_price, max_price, in_stock, skus_sold_in(db, country) if country else None
    )
    hits = request.app.state.search.search(q, k=limit, mode=mode, where=where)
    data = [
        SearchResult(
            score=h.score,
            lexical_rank=h.lexical_rank,
            dense_rank=h.dense_rank,
            product=ProductPublic.model_validate(get_product(db, h.id), from_attributes=True),
        )
        for h in hits
    ]
    return Page[SearchResult](data=data, count=len(data))
