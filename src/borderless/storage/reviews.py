"""Reviews in the shop database: idempotent imports, filtered lists, stored sentiment.

A review's identity is its `review_key` (the file's review id, or a hash of product, customer,
date and text), so importing the same file twice changes nothing, and a corrected rating or
title updates the review in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from borderless.capabilities.catalog.markets import MARKETS
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.reviews.files import ReviewIn
from borderless.capabilities.reviews.painpoints import Complaint
from borderless.errors import BadRow, BadRows, InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database
from borderless.storage.rows import market_row, product_row
from borderless.storage.sync import SyncCount, sync_rows

__all__ = [
    "ReviewFilters",
    "StoredReview",
    "checked_filters",
    "complaints",
    "get_review",
    "list_reviews",
    "save_review_products",
    "save_reviews",
    "save_sentiment",
    "unknown_references",
    "unscored_reviews",
]

OWNED = ("rating", "title", "body", "language", "market", "customer_id", "sku")  # not source


@dataclass(frozen=True)
class StoredReview:
    id: int
    sku: str
    product_title: str
    customer_id: str | None
    rating: int | None
    title: str
    text: str
    language: str
    market: str | None
    created_at: datetime
    source: str
    sentiment: str | None
    sentiment_score: float | None
    aspects: list[dict[str, Any]] | None


@dataclass(frozen=True)
class ReviewFilters:
    sku: str | None = None
    language: str | None = None
    market: str | None = None
    rating: int | None = None
    sentiment: str | None = None
    customer_id: str | None = None
    aspect: str | None = None


def checked_filters(db: Database, filters: ReviewFilters) -> ReviewFilters:
    """`filters` checked as every way in checks them: a known language code, a known market
    (its code, or the country's name: "Japan" is JP), a product the shop has. Pain points for
    "--market Japan", "--sku NOPE" or "--language xx" had said "0 negative clauses" with exit
    0, where the review list refused them (a walk)."""
    from dataclasses import replace

    from borderless.capabilities.catalog.markets import market, market_for_country
    from borderless.languages import language_name

    language = filters.language.strip().lower() if filters.language else None
    if language:
        language_name(language, "language")
    code = filters.market.strip() if filters.market else None
    if code:
        named = market_for_country(code)
        code = named.code if named is not None else market(code).code
    sku = filters.sku.strip() if filters.sku else None
    if sku:
        with db.engine.connect() as conn:
            known = conn.execute(select(t.products.c.sku).where(t.products.c.sku == sku)).first()
        if known is None:
            raise NotFound(f"no product with SKU {sku!r}", field="sku")
    return replace(filters, sku=sku or None, language=language or None, market=code or None)


def _unknown(conn: Connection, reviews: Sequence[ReviewIn]) -> list[BadRow]:
    """A bad row for each review whose product or customer the shop does not have."""
    skus = {r.sku for r in reviews}
    customers = {r.customer_id for r in reviews if r.customer_id}
    known_skus = set(conn.scalars(select(t.products.c.sku).where(t.products.c.sku.in_(skus))))
    known_customers = set(
        conn.scalars(select(t.customers.c.id).where(t.customers.c.id.in_(customers)))
    )
    return [
        BadRow(r.line, f"unknown product {r.sku!r}", "sku")
        for r in reviews
        if r.sku not in known_skus
    ] + [
        BadRow(r.line, f"unknown customer {r.customer_id!r}", "customer_id")
        for r in reviews
        if r.customer_id and r.customer_id not in known_customers
    ]


def unknown_references(db: Database, reviews: Sequence[ReviewIn]) -> list[BadRow]:
    """The reviews naming a product or customer the shop does not have, as bad rows: a file's
    reader lists them with its other bad rows (they came only once the others were fixed)."""
    with db.engine.connect() as conn:
        return _unknown(conn, reviews)


def save_reviews(
    db: Database, reviews: Sequence[ReviewIn], path: str = "reviews"
) -> dict[str, Any]:
    """Write checked reviews in one transaction; unknown products or customers are bad rows
    (with their lines) and nothing is written."""
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with db.engine.begin() as conn:
        bad = _unknown(conn, reviews)
        if bad:
            raise BadRows(path, sorted(bad, key=lambda b: b.line))
        rv = t.reviews
        existing = {
            key: (rid, created, said)
            for key, rid, created, *said in conn.execute(
                select(rv.c.review_key, rv.c.id, rv.c.created_at, rv.c.title, rv.c.body,
                       rv.c.language).where(rv.c.review_key.in_([x.key for x in reviews]))
            )
        }  # fmt: skip
        count = SyncCount()
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        rewritten: list[int] = []
        for review in reviews:
            row = _row(review)
            old = existing.get(review.key)
            if old is None:
                inserts.append(row | {"created_at": review.created_at or now})
            else:
                updates.append(row | {"id": old[0], "created_at": review.created_at or old[1]})
                if list(old[2]) != [review.title, review.text, review.language]:
                    rewritten.append(old[0])
        if inserts:
            conn.execute(t.reviews.insert(), inserts)
        count.inserted = len(inserts)
        if updates:
            result = sync_rows(conn, t.reviews, updates, owned=(*OWNED, "created_at"))
            count.updated, count.unchanged = result.updated, result.unchanged
        for start in range(0, len(rewritten), 500):
            # a review whose words changed is scored again: "Top!" corrected to "Terrible,
            # ... tore" kept its positive 0.97 and its aspects, and "reviews score" found
            # nothing to score (a walk)
            conn.execute(
                rv.update()
                .where(rv.c.id.in_(rewritten[start : start + 500]))
                .values(sentiment=None, sentiment_score=None, aspects=None)
            )
    return {
        "reviews": count.as_dict(),
        "dated_on_import": sum(r.created_at is None for r in reviews),
        "languages_detected": sum(r.language_detected for r in reviews),
    }


def _row(review: ReviewIn) -> dict[str, Any]:
    return {
        "review_key": review.key,
        "sku": review.sku,
        "customer_id": review.customer_id,
        "rating": review.rating,
        "title": review.title,
        "body": review.text,
        "language": review.language,
        "market": review.market,
        "source": review.source,
    }


def save_review_products(db: Database, products: Sequence[Product]) -> SyncCount:
    """The demo review catalog's products (and the markets they are sold in)."""
    with db.engine.begin() as conn:
        sync_rows(conn, t.markets, [market_row(m) for m in MARKETS.values()])
        return sync_rows(conn, t.products, [product_row(p) for p in products])


def _query(filters: ReviewFilters) -> Any:
    r = t.reviews.c
    query = select(t.reviews, t.products.c.title.label("product_title")).join(
        t.products, t.products.c.sku == r.sku
    )
    for column, value in (
        (r.sku, filters.sku),
        (r.language, filters.language),
        (r.market, filters.market.upper() if filters.market else None),
        (r.rating, filters.rating),
        (r.sentiment, filters.sentiment),
        (r.customer_id, filters.customer_id),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


def _stored(row: Any) -> StoredReview:
    m = row._mapping
    return StoredReview(
        id=int(m["id"]),
        sku=m["sku"],
        product_title=m["product_title"],
        customer_id=m["customer_id"],
        rating=m["rating"],
        title=m["title"] or "",
        text=m["body"],
        language=m["language"],
        market=m["market"],
        created_at=m["created_at"],
        source=m["source"] or "",
        sentiment=m["sentiment"],
        sentiment_score=m["sentiment_score"],
        aspects=m["aspects"],
    )


def list_reviews(
    db: Database, filters: ReviewFilters, limit: int = 50, offset: int = 0
) -> tuple[list[StoredReview], int]:
    """Reviews matching every filter, newest first, and how many match in all."""
    if filters.sentiment is not None and filters.sentiment not in ("positive", "negative"):
        raise InvalidInput("sentiment is positive or negative", field="sentiment")
    if filters.rating is not None and not 1 <= filters.rating <= 5:
        raise InvalidInput("rating is a whole number 1-5", field="rating")
    query = _query(filters)
    with db.engine.connect() as conn:
        if filters.aspect:
            # Aspects are a small JSON list per review: filtered here, the same on both databases.
            rows = [
                _stored(row)
                for row in conn.execute(
                    query.order_by(t.reviews.c.created_at.desc(), t.reviews.c.id.desc())
                )
            ]
            rows = [
                r for r in rows if any(a.get("aspect") == filters.aspect for a in r.aspects or [])
            ]
            return rows[offset : offset + limit], len(rows)
        total = conn.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(t.reviews.c.created_at.desc(), t.reviews.c.id.desc())
        rows = [_stored(row) for row in conn.execute(page.limit(limit).offset(offset))]
    return rows, int(total)


def get_review(db: Database, review_id: int) -> StoredReview:
    with db.engine.connect() as conn:
        row = conn.execute(_query(ReviewFilters()).where(t.reviews.c.id == review_id)).first()
    if row is None:
        raise NotFound(f"no review {review_id}", field="review_id")
    return _stored(row)


def unscored_reviews(db: Database, *, every: bool = False) -> list[tuple[int, str, str]]:
    """(id, text, language) of reviews without a stored sentiment (or of all reviews)."""
    r = t.reviews.c
    query = select(r.id, r.body, r.language).order_by(r.id)
    if not every:
        query = query.where(r.sentiment.is_(None))
    with db.engine.connect() as conn:
        return [(int(i), str(b), str(lang)) for i, b, lang in conn.execute(query)]


def count_unscored(db: Database) -> int:
    """How many reviews have no stored sentiment yet."""
    query = select(func.count()).select_from(t.reviews).where(t.reviews.c.sentiment.is_(None))
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def save_sentiment(
    db: Database,
    scores: Sequence[tuple[int, str, float, list[dict[str, Any]] | None]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Store (id, label, P(positive), aspects) per review in one transaction."""
    statement = (
        t.reviews.update()
        .where(t.reviews.c.id == bindparam("k_id"))
        .values(
            sentiment=bindparam("label"),
            sentiment_score=bindparam("score"),
            aspects=bindparam("found"),
        )
    )
    with db.engine.begin() as conn:
        rows = [
            {"k_id": i, "label": label, "score": score, "found": aspects}
            for i, label, score, aspects in scores
        ]
        for start in range(0, len(rows), 5000):
            conn.execute(statement, rows[start : start + 5000])
            if progress:
                progress(len(rows[start : start + 5000]))
    return len(scores)


def complaints(db: Database, filters: ReviewFilters) -> list[Complaint]:
    """The stored negative clauses (with their aspect, if any) of the matching reviews."""
    query = _query(ReviewFilters(filters.sku, filters.language, filters.market, filters.rating))
    found: list[Complaint] = []
    with db.engine.connect() as conn:
        for row in conn.execute(query.where(t.reviews.c.aspects.is_not(None))):
            review = _stored(row)
            for item in review.aspects or []:
                if item.get("polarity") == "negative":
                    found.append(
                        Complaint(
                            review.id, str(item["clause"]), review.language, review.created_at,
                            review.sku, review.market, item.get("aspect"),
                        )
                    )  # fmt: skip
    return found
