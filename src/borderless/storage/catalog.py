"""Reading and editing the product catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, null, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from borderless.capabilities.catalog.checks import check_product, product_with_changes
from borderless.capabilities.catalog.money import check_currency, convert, no_rate
from borderless.capabilities.catalog.records import Product
from borderless.errors import Conflict, InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.catalog_state import catalog_changed
from borderless.storage.database import Database
from borderless.storage.markets import shop_currency_and_rates
from borderless.storage.rows import product_from_row, product_row

__all__ = [
    "MAX_OFFSET",
    "ProductFilter",
    "all_products",
    "case_twins",
    "catalog_language",
    "create_product",
    "get_product",
    "list_products",
    "products_by_sku",
    "products_with_categories",
    "refuse_case_twins",
    "skus_sold_in",
    "update_product",
]

MAX_OFFSET = 1_000_000_000  # past any real catalog, and far below what SQL integers hold
_LIKE_ESCAPE = "\\"

SORTS = {
    "sku": (t.products.c.sku,),
    "title": (t.products.c.title, t.products.c.sku),
    # Unknown prices last either way, on both databases (their NULL orders differ).
    "price": (t.products.c.price.asc().nulls_last(), t.products.c.sku),
    "-price": (t.products.c.price.desc().nulls_last(), t.products.c.sku),
}


@dataclass(frozen=True)
class ProductFilter:
    """Filters for the product list; every one is optional."""

    q: str | None = None
    kind: str | None = "merchandise"
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    country: str | None = None  # market code the SKU has sold to
    listing: str | None = None
    sort: str = "sku"
    # the currency min_price and max_price are in: by default the products' own when they
    # share one, else the shop's base currency (its exchange rates' base)
    currency: str | None = None


def _literal(term: str) -> str:
    """A search word as LIKE matches it literally: % and _ are letters here, not wildcards."""
    for char in (_LIKE_ESCAPE, "%", "_"):
        term = term.replace(char, _LIKE_ESCAPE + char)
    return term


def _conditions(f: ProductFilter) -> list[ColumnElement[bool]]:
    p = t.products.c
    found: list[ColumnElement[bool]] = []
    if f.q is not None:
        terms = f.q.split()
        if not terms:
            raise InvalidInput("search text is empty", field="q")
        for term in terms:
            like = f"%{_literal(term.lower())}%"
            found.append(
                or_(
                    func.lower(p.title).like(like, escape=_LIKE_ESCAPE),
                    func.lower(p.sku).like(like, escape=_LIKE_ESCAPE),
                    func.lower(p.description).like(like, escape=_LIKE_ESCAPE),
                )
            )
    if f.kind:
        found.append(p.kind == f.kind)
    if f.min_price is not None and f.max_price is not None and f.min_price > f.max_price:
        raise InvalidInput("min_price is above max_price", field="min_price")
    if f.in_stock is True:
        found.append(p.stock > 0)
    elif f.in_stock is False:
        found.append(or_(p.stock.is_(None), p.stock <= 0))
    if f.country:
        sold_there = (
            select(t.order_lines.c.sku)
            .join(t.orders, t.orders.c.id == t.order_lines.c.order_id)
            .where(and_(t.order_lines.c.sku == p.sku, t.orders.c.country == f.country.upper()))
        )
        found.append(exists(sold_there))
    if f.listing:
        found.append(p.listing_handle == f.listing)
    return found


def _priced(db: Database, f: ProductFilter) -> tuple[list[ColumnElement[bool]], Any]:
    """The price filter's conditions and the column prices sort by, across currencies.

    Prices were compared as bare numbers: with products in GBP and JPY, "max_price=10" kept
    every GBP product under £10 and no yen product, and "-price" led with yen (an attack).
    Where the products the other filters keep hold more than one currency (or the bounds are
    in another), each currency's products are compared with the bounds converted into it
    (exactly: £13 is €15.21 at 1.17, which a division in SQL missed by 2e-15) and sorted by
    their price in the shop's base currency (the rates' base; without rates, the currency most
    products use). A product in a currency without a rate sorts last; a price filter over one
    is refused, naming the currency, and so is a bound in a currency without a rate."""
    p = t.products.c
    bounded = f.min_price is not None or f.max_price is not None
    wanted = check_currency(f.currency) if f.currency else None
    if not bounded and f.sort not in ("price", "-price"):
        return [], p.price
    used = (
        select(p.currency, func.count())
        .where(and_(True, *_conditions(f)))
        .group_by(p.currency)
        .order_by(func.count().desc(), p.currency)
    )
    with db.engine.connect() as conn:
        held = [c for c, _ in conn.execute(used) if c]
    if not held or (len(held) == 1 and wanted in (None, *held)):
        price: Any = p.price  # one currency: the stored prices compare as they are
        low, high = f.min_price, f.max_price
        found = [] if low is None else [price >= low]
        return found if high is None else [*found, price <= high], price
    base, rates = shop_currency_and_rates(db, default=held[0])
    per_base = {c: Decimal(1) if c == base else rates[c].rate for c in held
                if c == base or c in rates}  # fmt: skip
    shown_in = wanted or base
    if bounded and shown_in != base and shown_in not in rates:
        raise no_rate(shown_in)  # the bound's own currency first (it named GBP's)
    if bounded and (missing := [c for c in held if c not in per_base]):
        raise InvalidInput(
            f"products priced in {', '.join(missing)} have no exchange rate to compare "
            f"their prices by: set one with `borderless markets rates set {missing[0]} RATE`",
            field="currency",
        )
    price = case(*[(p.currency == c, p.price / rate) for c, rate in per_base.items()],
                 else_=null())  # fmt: skip
    if not bounded:
        return [], price
    within = []
    for currency in per_base:
        there = [p.currency == currency]
        if f.min_price is not None:
            there.append(p.price >= convert(f.min_price, shown_in, currency, rates))
        if f.max_price is not None:
            there.append(p.price <= convert(f.max_price, shown_in, currency, rates))
        within.append(and_(*there))
    return [or_(*within)], price


def list_products(
    db: Database, f: ProductFilter, *, limit: int = 50, offset: int = 0
) -> tuple[list[Product], int]:
    """One page of products matching the filter, and how many match in all."""
    if f.sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}", field="sort")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(f"offset must lie between 0 and {MAX_OFFSET:,}", field="offset")
    if not 1 <= limit <= MAX_OFFSET:
        raise InvalidInput(f"limit must lie between 1 and {MAX_OFFSET:,}", field="limit")
    bounds, price = _priced(db, f)
    where = and_(*_conditions(f), *bounds)
    order = SORTS[f.sort]
    if f.sort in ("price", "-price"):  # unknown prices last either way
        first = price.asc() if f.sort == "price" else price.desc()
        order = (first.nulls_last(), t.products.c.sku)
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t.products).where(where)).scalar_one()
        rows = conn.execute(
            select(t.products).where(where).order_by(*order).limit(limit).offset(offset)
        )
        return [product_from_row(r) for r in rows], int(total)


def get_product(db: Database, sku: str) -> Product:
    with db.engine.connect() as conn:
        row = conn.execute(select(t.products).where(t.products.c.sku == sku)).first()
    if row is None:
        raise NotFound(f"no product with SKU {sku!r}", field="sku")
    return product_from_row(row)


def products_by_sku(db: Database, skus: Sequence[str]) -> list[Product]:
    """The products with these SKUs, in the order given, in one query (unknown SKUs left out)."""
    if not skus:
        return []
    with db.engine.connect() as conn:
        rows = conn.execute(select(t.products).where(t.products.c.sku.in_(set(skus))))
        found = {p.sku: p for p in map(product_from_row, rows)}
    return [found[sku] for sku in skus if sku in found]


def case_twins(conn: Connection, skus: Sequence[str]) -> list[tuple[str, str]]:
    """(sku, twin) for each of `skus` that another of them or a stored SKU spells in other
    capitals only ("85123a" beside "85123A"): the retail file's stock codes are one product
    in either case, and an API or listing import had made them two (an attack)."""
    spelled: dict[str, str] = {}
    twins = []
    for sku in skus:
        first = spelled.setdefault(_folded(sku), sku)
        if first != sku:
            twins.append((sku, first))
    # every stored SKU, compared here: the databases' upper() is ASCII's ("éclair" beside
    # "ÉCLAIR", "straße" beside "STRASSE" passed an SQL comparison: an attack); one column,
    # a fraction of a second for half a million products
    stored = {str(s) for (s,) in conn.execute(select(t.products.c.sku))}
    for other in stored:
        mine = spelled.get(_folded(other))
        # a SKU stored as written is the same product, whatever twin it has: two spellings
        # stored before this rule would refuse each other's every import (an attack)
        if mine is not None and mine != other and mine not in stored:
            twins.append((mine, other))
    return twins


def _folded(sku: str) -> str:
    """A SKU as the shop compares it: "85123a", "８５１２３A" and "85123A" are one."""
    import unicodedata

    return unicodedata.normalize("NFKC", sku).casefold()


def refuse_case_twins(conn: Connection, skus: Sequence[str]) -> None:
    """InvalidInput naming the first SKU that `case_twins` finds, if any."""
    twins = case_twins(conn, skus)
    if twins:
        sku, other = twins[0]
        raise InvalidInput(
            f"SKU {sku!r} differs from {other!r} only in capitals: the shop reads them as one "
            f"product; write it {other!r}",
            field="sku",
        )


def create_product(db: Database, product: Product) -> Product:
    """Add a product checked whole (InvalidInput naming the field); Conflict if the SKU exists."""
    check_product(product)
    try:
        with db.engine.begin() as conn:
            refuse_case_twins(conn, [product.sku])
            conn.execute(t.products.insert().values(product_row(product)))
            catalog_changed(conn)
    except IntegrityError as exc:
        raise Conflict(f"a product with SKU {product.sku!r} exists already", field="sku") from exc
    return get_product(db, product.sku)


def update_product(db: Database, sku: str, changes: dict[str, Any]) -> Product:
    """Change some fields of a product: the result is checked whole, then written, or nothing is."""
    allowed = set(product_row(Product(sku="", title=""))) - {"sku", "listing_handle"}
    unknown = set(changes) - allowed
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"field {name!r} cannot be changed", field=name)
    with db.engine.begin() as conn:
        # Locked (on PostgreSQL) from the read to the write: a concurrent change waits.
        query = select(t.products).where(t.products.c.sku == sku).with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"no product with SKU {sku!r}", field="sku")
        changed = product_row(product_with_changes(product_from_row(row), changes))
        conn.execute(
            t.products.update()
            .where(t.products.c.sku == sku)
            .values({name: changed[name] for name in changes})
        )
        if row.listing_handle is not None:
            _follow_in_listing(conn, row, changed)
        catalog_changed(conn)
    return get_product(db, sku)


# A variant's title and description are its listing's (Shopify's Title and Body (HTML)): an
# edit of them is the listing's too, and its other variants' where they said the same. The
# exports write the listing's: a corrected title never reached a Shopify upload (an attack).
_LISTING_FIELDS = {"title": "title", "description": "body_html"}


def _follow_in_listing(conn: Any, before: Any, changed: dict[str, Any]) -> None:
    listing = conn.execute(
        select(t.listings).where(t.listings.c.handle == before.listing_handle)
    ).first()
    if listing is None:
        return
    for field, column in _LISTING_FIELDS.items():
        old, new = getattr(before, field), changed[field]
        if new == old or getattr(listing, column) != old:
            continue  # unchanged, or the listing says something else
        conn.execute(
            t.listings.update().where(t.listings.c.handle == listing.handle).values({column: new})
        )
        conn.execute(
            t.products.update()
            .where(t.products.c.listing_handle == listing.handle, t.products.c[field] == old)
            .values({field: new})
        )


def all_products(db: Database, kind: str | None = None) -> list[Product]:
    """Every product (of one kind), in SKU order: what the search index is built from."""
    query = select(t.products).order_by(t.products.c.sku)
    if kind:
        query = query.where(t.products.c.kind == kind)
    with db.engine.connect() as conn:
        return [product_from_row(r) for r in conn.execute(query)]


def catalog_language(db: Database, default: str = "en") -> str:
    """The language most of the shop's merchandise is written in (`default` for an empty
    shop): the one a whole-catalog translation does not go into."""
    p = t.products
    query = (
        select(p.c.language)
        .where(p.c.kind == "merchandise")
        .group_by(p.c.language)
        .order_by(func.count().desc(), p.c.language)
        .limit(1)
    )
    with db.engine.connect() as conn:
        found = conn.execute(query).scalar()
    return str(found) if found else default


def some_titles(db: Database, most: int = 4000) -> list[str]:
    """Up to `most` product titles in SKU order: enough to tell the catalog's languages."""
    query = select(t.products.c.title).order_by(t.products.c.sku).limit(most)
    with db.engine.connect() as conn:
        return [str(r[0]) for r in conn.execute(query)]


def products_with_categories(db: Database) -> list[tuple[Product, str]]:
    """Merchandise with the category of its listing ("" for products without a listing)."""
    query = (
        select(t.products, t.listings.c.category.label("listing_category"))
        .outerjoin(t.listings, t.listings.c.handle == t.products.c.listing_handle)
        .where(t.products.c.kind == "merchandise")
        .order_by(t.products.c.sku)
    )
    with db.engine.connect() as conn:
        return [(product_from_row(r), r.listing_category or "") for r in conn.execute(query)]


def products_with_vendors(
    db: Database, f: ProductFilter, skus: Sequence[str] = ()
) -> list[tuple[Product, str]]:
    """Products matching the filter (or these SKUs) with their listing's vendor (brand)."""
    query = (
        select(t.products, t.listings.c.vendor.label("listing_vendor"))
        .outerjoin(t.listings, t.listings.c.handle == t.products.c.listing_handle)
        .where(and_(True, *_conditions(f), *_priced(db, f)[0]))
        .order_by(t.products.c.sku)
    )
    if skus:
        query = query.where(t.products.c.sku.in_(set(skus)))
    with db.engine.connect() as conn:
        return [(product_from_row(r), r.listing_vendor or "") for r in conn.execute(query)]


def skus_sold_in(db: Database, country: str) -> frozenset[str]:
    """SKUs with at least one order line in the market `country`."""
    query = (
        select(t.order_lines.c.sku)
        .join(t.orders, t.orders.c.id == t.order_lines.c.order_id)
        .where(t.orders.c.country == country.upper())
        .distinct()
    )
    with db.engine.connect() as conn:
        return frozenset(r.sku for r in conn.execute(query))
