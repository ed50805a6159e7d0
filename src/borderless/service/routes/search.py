from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import StringConstraints

from borderless.capabilities.catalog.money import Rate
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.search.hybrid import check_has_words
from borderless.capabilities.search.shop import SearchFilter
from borderless.errors import InvalidInput
from borderless.service.routes.deps import DB, WriteAccess, acting
from borderless.service.schemas import ProductPublic
from borderless.service.schemas.common import QueryMarket, QueryPrice
from borderless.service.schemas.registry import CorrectionPublic
from borderless.service.schemas.search import (
    FACET_DEPTH,
    FacetValuePublic,
    MarketPricePublic,
    SearchClickCreate,
    SearchHitPublic,
    SearchPage,
)
from borderless.storage.attributes import (
    attribute_facets,
    skus_with_attributes,
    unheld_values,
)
from borderless.storage.catalog import skus_sold_in

router = APIRouter(prefix="/v1/search", tags=["search"])
# a value as long as a stored one (200), at most 20 of them: 100,000 characters were taken
# (an attack)
AttributeFilter = Annotated[
    list[Annotated[str, StringConstraints(max_length=200)]] | None,
    Query(max_length=20, description="an attribute value; repeat it for any of several"),
]


@router.get("")
def search(
    request: Request,
    db: DB,
    q: Annotated[
        str, Query(min_length=1, max_length=500, description="words or a sentence, any language")
    ],
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid",
    min_price: QueryPrice = None,
    max_price: QueryPrice = None,
    in_stock: bool | None = None,
    country: Annotated[QueryMarket, Query(description="sold in this market")] = None,
    category: Annotated[
        str | None, Query(max_length=200, description="e.g. Home & Garden > Decor")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    type_: Annotated[
        list[Annotated[str, StringConstraints(max_length=200)]] | None,
        Query(alias="type", max_length=20, description="product type, e.g. cake stand"),
    ] = None,
    brand: AttributeFilter = None,
    colour: AttributeFilter = None,
    material: AttributeFilter = None,
    pattern: AttributeFilter = None,
    audience: AttributeFilter = None,
    interpret: Annotated[
        bool, Query(description="read prices and stock out of the sentence")
    ] = True,
) -> SearchPage:
    """Hybrid product search: BM25 and multilingual embeddings, fused by reciprocal rank.

    With `interpret` (default), a sentence such as "a gift for my mother, under 20 pounds" is
    read into filters and a query; explicit filter parameters win over what was read.
    """
    wanted = {
        name: values
        for name, values in (("type", type_), ("brand", brand), ("colour", colour),
                             ("material", material), ("pattern", pattern), ("audience", audience))
        if values
    }  # fmt: skip
    check_has_words(q, "q")
    for name, values in wanted.items():
        if any(not v.strip() for v in values):  # "type=" found nothing, silently (a walk)
            raise InvalidInput(f"{name} is empty: give a value or leave it out", field=name)
    # "colour=octarine" answered none, with no word why (a walk), "type=box&type=zzzz" said
    # nothing of zzzz (an attack)
    notes = unheld_values(db, wanted)
    sold = skus_sold_in(db, country) if country else None
    skus = sold
    if wanted:
        having = skus_with_attributes(db, wanted)
        skus = having if skus is None else skus & having
    chosen = SearchFilter(min_price, max_price, in_stock, skus, category)
    try:  # a foreign price is converted, or refused; the filters given win over the read ones
        found = request.app.state.services.search_shop(
            q, max(limit, FACET_DEPTH), market=country, mode=mode, interpret=interpret,
            where=chosen,
        )  # fmt: skip
    except InvalidInput as exc:  # the index names its own argument; the shopper sent q
        raise InvalidInput(exc.message, field="q" if exc.field == "query" else exc.field) from exc
    need = found.need
    # the reading says what is applied: "price at most 4.26" was shown beside max_price=1
    bounds = ((max_price, need.max_price, "at most", "max_price"),
              (min_price, need.min_price, "at least", "min_price"))  # fmt: skip
    for given, read, words, name in bounds:
        if given is not None and read is not None and given != read:
            said = f"price {words} {read}"
            need.understood = [u for u in need.understood if u != said]
            need.understood.append(f"price {words} {given} ({name}, not the {said})")
        elif given is not None and read is None:  # a filter given alone was not said (an attack)
            need.understood.append(f"price {words} {given} ({name})")
    if country and not sold:
        # a market with no sales answered an empty list with no word why (a walk)
        need.understood.append(f"no product has sold in {country.upper()} yet")
    elif country and not found.hits:  # "mug" in Japan: none, and no word why (a walk)
        need.understood.append(f"none of the matches has sold in {country.upper()}")
    need.understood += notes
    facets = {
        name: [FacetValuePublic(value=v, count=n) for v, n in counted]
        for name, counted in attribute_facets(db, [h.id for h in found.hits]).items()
    }
    data = [
        SearchHitPublic(
            score=h.score,
            lexical_rank=h.lexical_rank,
            dense_rank=h.dense_rank,
            product=ProductPublic.model_validate(p, from_attributes=True),
            # a German shopper who typed "unter 5 Euro" was shown pound prices alone (a walk)
            market_price=_market_price(p, country, found.rates) if country else None,
        )
        for h, p in list(zip(found.hits, found.products, strict=True))[:limit]
    ]
    request.app.state.services.monitor.signal("search", "-", "zero_results", float(not data))
    return SearchPage(
        data=data, count=len(data), limit=limit, interpretation=need.understood, facets=facets
    )


def _market_price(product: Product, country: str, rates: Mapping[str, Rate]) -> MarketPricePublic:
    from borderless.capabilities.catalog.markets import market, price_in_market

    shown = price_in_market(product, market(country, "country"), rates)
    return MarketPricePublic(country=shown.market.code, currency=shown.market.currency,
                             amount=shown.amount, formatted=shown.formatted,
                             note=shown.note)  # fmt: skip


@router.post("/clicks", status_code=201, dependencies=[WriteAccess])
def search_click(request: Request, db: DB, body: SearchClickCreate) -> CorrectionPublic:
    """A storefront shopper opened a search result: kept as a labelled example of `search`."""
    from borderless.capabilities.search.clicks import SearchClick
    from borderless.storage.search_clicks import record_click

    click = SearchClick(body.query, body.sku, body.rank, tuple(body.above))
    version = request.app.state.services.loaded_versions().get("search")
    found = record_click(db, click, actor=acting(request), model_version=version)
    return CorrectionPublic(**found.public())
