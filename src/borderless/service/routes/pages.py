"""The dashboard pages, rendered on the server from the same storage calls as the API."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.catalog.markets import MARKETS, product_in_markets
from borderless.capabilities.catalog.records import Market, Product
from borderless.capabilities.search.hybrid import check_has_words
from borderless.capabilities.search.shop import SearchFilter
from borderless.errors import InvalidInput
from borderless.service.routes.deps import (
    DB,
    acting,
    filters_known,
    is_staff,
    product_path,
    staff_redirect,
)
from borderless.storage import Database
from borderless.storage.attributes import attribute_facets, skus_with_attributes, unheld_values
from borderless.storage.catalog import ProductFilter, get_product, list_products, products_by_sku
from borderless.storage.copy_drafts import list_drafts
from borderless.storage.localize import product_translations
from borderless.storage.markets import stored_rates
from borderless.storage.sales import (
    countries_of,
    get_customer,
    list_customers,
    list_orders,
    product_sales,
    revenue_by_country,
    shop_stats,
    top_products,
)
from borderless.web.charts import bar_chart

router = APIRouter(include_in_schema=False)
by_sku = APIRouter(include_in_schema=False)  # included last: see products.by_sku
PAGE_SIZE = 25
SEARCH_RESULTS = 50
# A page number as typed in the address bar: text, so `?page=0` or `?page=x` is not an error page.
PageNumber = Annotated[str, Query(max_length=12)]


def page_number(raw: str) -> int:
    """The page asked for; anything but a whole number from 1 up means page 1."""
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def to_page(request: Request, page: int) -> RedirectResponse:
    """The same list at another page: where `?page=0` or `?page=999` of 153 leads."""
    query = dict(request.query_params) | {"page": str(page)}
    return RedirectResponse(f"{request.url.path}?{urlencode(query)}", status_code=303)


def _with_products(db: Database, found: Sequence[tuple[str, float]]) -> list[tuple[Product, float]]:
    """(product, score) pairs for (SKU, score) results, in one query."""
    score = dict(found)
    return [(p, score[p.sku]) for p in products_by_sku(db, [sku for sku, _ in found])]


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    templates = request.app.state.templates
    page: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status_code)
    return page


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, db: DB) -> HTMLResponse:
    """The shop's figures for staff; signed out, what the AI does and the catalog's size (the
    revenue by country and the best sellers' takings were shown to anyone: a walk)."""
    # The products page lists merchandise; postage, fees and vouchers are counted apart.
    _, for_sale = list_products(db, ProductFilter(), limit=1)
    if not is_staff(request):
        top = top_products(db, limit=1)
        return render(request, "overview.html", {"stats": None, "for_sale": for_sale,
                      "example_sku": top[0]["sku"] if top else None})  # fmt: skip
    stats = shop_stats(db)
    by_country = revenue_by_country(db, limit=40)
    home = by_country[0] if by_country else None
    abroad = [r for r in by_country if home and r["code"] != home["code"]][:15]
    revenue = sum((r["revenue"] for r in by_country), Decimal(0))
    top = top_products(db, limit=10)
    return render(
        request,
        "overview.html",
        {
            "stats": stats,
            "for_sale": for_sale,
            "charges": stats.products - for_sale,
            "revenue": revenue,
            "home": home,
            "abroad_share": (revenue - home["revenue"]) / revenue if home and revenue else 0,
            "chart_all": bar_chart(
                [(r["name"], float(r["revenue"])) for r in by_country[:12]], "GBP"
            ),
            "chart_abroad": bar_chart([(r["name"], float(r["revenue"])) for r in abroad], "GBP"),
            "top": top,
            "example_sku": top[0]["sku"] if top else None,
        },
    )


# The facts a search on the products page can be narrowed by, as the API's filters.
FACET_NAMES = ("type", "colour", "material", "pattern", "audience", "brand")
FacetValues = Annotated[list[str] | None, Query()]


@router.get("/products", response_class=HTMLResponse, dependencies=[Depends(filters_known)])
def products_page(
    request: Request,
    db: DB,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: PageNumber = "1",
    type_: Annotated[list[str] | None, Query(alias="type")] = None,
    colour: FacetValues = None,
    material: FacetValues = None,
    pattern: FacetValues = None,
    audience: FacetValues = None,
    brand: FacetValues = None,
) -> Response:
    query = q.strip() if q and q.strip() else None
    number = page_number(page)
    given = dict(zip(FACET_NAMES, (type_, colour, material, pattern, audience, brand),
                     strict=True))  # fmt: skip
    for name, values in given.items():
        if any(len(v) > 200 for v in values or ()):
            raise InvalidInput(f"a {name} filter is at most 200 characters", field=name)
    chosen = {n: sorted({v.strip() for v in vs if v.strip()})[:10] for n, vs in given.items() if vs}
    chosen = {n: vs for n, vs in chosen.items() if vs}
    if query:
        check_has_words(query, "q")
        # Words and meaning, in any language: the shop's hybrid search, best 50, narrowed by
        # the chosen facts (the facets count those among the results).
        skus = skus_with_attributes(db, chosen) if chosen else None
        searched = request.app.state.services.search_shop(  # foreign prices: converted
            query, SEARCH_RESULTS, where=SearchFilter(skus=skus)
        )
        need, hits, found = searched.need, searched.hits, searched.products
        counted = attribute_facets(db, [p.sku for p in found], FACET_NAMES, top=8)
        facets = [
            (name, [(value, n, _facet_link(query, chosen, name, value)) for value, n in values])
            for name, values in counted.items()
            if values and name not in chosen
        ]
        active = [
            (name, value, _facet_link(query, chosen, name, value, remove=True))
            for name, values in chosen.items()
            for value in values
        ]
        # a value no product has is said, as the API says it (an attack: "colour=plaid" showed
        # "No products match" beside "looking for: heart" alone)
        understood = need.understood + unheld_values(db, chosen)
        context = {"products": found, "hits": hits, "total": len(found), "pages": 1,
                   "understood": understood, "facets": facets, "active": active}  # fmt: skip
        number, pages = 1, 1
    else:
        found, total = list_products(
            db, ProductFilter(sort="title"), limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        pages = page_count(total)
        context = {"products": found, "hits": None, "total": total, "pages": pages}
    if str(number) != page or number > pages:
        return to_page(request, min(number, pages))
    return render(request, "products.html", context | {"q": query or "", "page": number})


def _facet_link(
    query: str, chosen: dict[str, list[str]], name: str, value: str, remove: bool = False
) -> str:
    """The products page searching `query` with `name=value` added to (or taken from) the
    chosen facts."""
    wanted = {n: list(vs) for n, vs in chosen.items()}
    values = [v for v in wanted.get(name, []) if v != value]
    wanted[name] = values if remove else [*values, value]
    pairs = [("q", query)] + [(n, v) for n in FACET_NAMES for v in wanted.get(n, [])]
    return "/products?" + urlencode(pairs)


@router.post("/search/click")
def search_click(
    request: Request,
    db: DB,
    q: Annotated[str, Form(min_length=1, max_length=200)],
    sku: Annotated[str, Form(min_length=1, max_length=64)],
    rank: Annotated[int, Form(ge=1, le=SEARCH_RESULTS)],
    top: Annotated[str | None, Form(max_length=64)] = None,
) -> RedirectResponse:
    """A search result opened from the products page: kept as a labelled example of the
    `search` task (docs/lifecycle.md), then on to the product. A form post (with the page's
    token), not a link: a browser that prefetches links must not record clicks."""
    from borderless.capabilities.search.clicks import SearchClick
    from borderless.storage.search_clicks import record_click

    click = SearchClick(q, sku, rank, top=top)
    version = request.app.state.services.loaded_versions().get("search")
    record_click(db, click, actor=acting(request), model_version=version)
    return RedirectResponse(product_path(sku), status_code=303)


@by_sku.get("/products/{sku:path}", response_class=HTMLResponse)
def product_page(request: Request, db: DB, sku: str) -> HTMLResponse:
    from borderless.storage.supply import list_stock

    product = get_product(db, sku)
    sales = product_sales(db, sku)
    rows = [(MARKETS[r["country"]].name, float(r["revenue"])) for r in sales["by_country"][:12]]
    together = _with_products(db, request.app.state.services.recommendations.also_bought(sku, 6))
    abroad = product_in_markets(product, shop_markets(db), stored_rates(db))
    return render(
        request,
        "product.html",
        {"product": product, "sales": sales, "chart": bar_chart(rows, "GBP"), "markets": MARKETS,
         "together": together, "translations": product_translations(db, sku=sku, limit=200)[0],
         "drafts": list_drafts(db, sku=sku, limit=50)[0], "abroad": abroad,
         # stock per market from the Supply page: the product read "Stock: not tracked"
         # beside a stock import for it (a walk)
         "stocked": list_stock(db, sku=sku)},
    )  # fmt: skip


MARKETS_BY_NAME = tuple(sorted(MARKETS.values(), key=lambda m: m.name))  # for country filters


def filter_countries(db: Database, what: str, chosen: str) -> list[Market]:
    """A country filter's choices: the markets the shop's `what` ("orders", "customers") are
    in, by name, and the one chosen."""
    found = countries_of(db, what) | {chosen.upper()}
    return [m for m in MARKETS_BY_NAME if m.code in found]


# the market each of the 14 market languages is shown in when the shop reaches none that reads it
HOME_MARKETS = {"en": "GB", "zh": "CN", "es": "ES", "de": "DE", "fr": "FR", "ja": "JP",
                "pt": "PT", "it": "IT", "ko": "KR", "ar": "AE", "ru": "RU", "nl": "NL",
                "pl": "PL", "tr": "TR"}  # fmt: skip


def shop_markets(db: Database) -> list[str]:
    """The markets the shop has sold to, most revenue first, then those it prices for (a market
    whose currency the seller has given a rate: a KRW rate is for Korea, where the demo shop has
    not sold yet, and Korea was missing from the product and Markets pages), then one market
    for each market language none of those reads; every configured country while it has sold
    nowhere yet (the codes for "unspecified" and the EU as a whole left out)."""
    sold = [r["code"] for r in revenue_by_country(db, limit=len(MARKETS))]
    if not sold:
        return [c for c in MARKETS if c not in ("XX", "EU")]
    priced = {r.currency for r in stored_rates(db).values()}
    targets = sorted(c for c, m in MARKETS.items() if m.currency in priced and c not in sold)
    shown = [c for c in [*sold, *targets] if c in MARKETS and c not in ("XX", "EU")]
    # and a market for each of the 14 languages no market above reads: China, Korea, Turkey
    # and Russia were missing from both pages until a rate was set (a walk)
    read = {MARKETS[c].language for c in shown}
    return shown + [c for language, c in HOME_MARKETS.items() if language not in read]


@router.get("/customers", response_class=HTMLResponse, dependencies=[Depends(filters_known)])
def customers_page(
    request: Request,
    db: DB,
    # empty is every country: the pager's "Next" sent country= and got a 422 (a walk)
    country: Annotated[str | None, Query(pattern=r"^(?:[A-Za-z]{2})?$")] = None,
    q: Annotated[str, Query(max_length=64)] = "",
    page: PageNumber = "1",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    country, wanted = country or None, q.strip()
    number = page_number(page)
    rows, total = list_customers(
        db, country=country, id_prefix=wanted or None, limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )  # fmt: skip
    if str(number) != page or number > page_count(total):
        return to_page(request, min(number, page_count(total)))
    return render(
        request,
        "customers.html",
        {"customers": rows, "total": total, "page": number, "pages": page_count(total),
         "country": (country or "").upper(), "q": wanted, "markets": MARKETS,
         "countries": filter_countries(db, "customers", country or "")},
    )  # fmt: skip


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer_page(request: Request, db: DB, customer_id: str) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    customer = get_customer(db, customer_id)
    orders, order_count = list_orders(db, customer_id=customer_id, limit=10)
    picks = request.app.state.services.customer_picks(customer_id, 8)
    return render(
        request,
        "customer.html",
        {"customer": customer, "orders": orders, "order_count": order_count,
         "picks": _with_products(db, picks.items),
         "basis": picks.basis, "market": MARKETS.get(customer["country"])},
    )  # fmt: skip
