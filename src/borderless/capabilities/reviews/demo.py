"""The demo review catalog: real review text from the shared data folder on a second, small
catalog of one product per review category.

What is real: every review's text and the category it was written about (the data sets'
own `cat` column, or the site it came from). What is assigned, by rule, never at random per
run: the product each review hangs on (one per category: SKU `RV-<CATEGORY>`), the market
(CN for the Chinese set; US for Amazon, Yelp and IMDb), and the date (spread over the demo
shop's year, 2010-12-01..2011-12-09, by a hash of the file and line, so re-imports agree).
Not assigned: star ratings (the sets have none; their positive/negative labels are kept out
of the reviews and used only to measure) and customers (no review is tied to a demo-shop
customer).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from borderless.capabilities.catalog.records import Product
from borderless.capabilities.reviews.files import ReviewIn, review_key
from borderless.capabilities.reviews.shared import LabelledReview, balanced_sample

__all__ = ["CATEGORIES", "demo_products", "demo_reviews"]

# data set category -> (SKU, English product title, market)
CATEGORIES: dict[str, tuple[str, str, str]] = {
    "书籍": ("RV-BOOKS", "Books (Chinese shopping reviews)", "CN"),
    "平板": ("RV-TABLETS", "Tablets (Chinese shopping reviews)", "CN"),
    "手机": ("RV-PHONES", "Mobile phones (Chinese shopping reviews)", "CN"),
    "水果": ("RV-FRUIT", "Fruit (Chinese shopping reviews)", "CN"),
    "洗发水": ("RV-SHAMPOO", "Shampoo (Chinese shopping reviews)", "CN"),
    "热水器": ("RV-WATER-HEATERS", "Water heaters (Chinese shopping reviews)", "CN"),
    "蒙牛": ("RV-MENGNIU-MILK", "Mengniu milk (Chinese shopping reviews)", "CN"),
    "衣服": ("RV-CLOTHES", "Clothes (Chinese shopping reviews)", "CN"),
    "计算机": ("RV-COMPUTERS", "Computers (Chinese shopping reviews)", "CN"),
    "酒店": ("RV-HOTELS", "Hotel stays (Chinese shopping reviews)", "CN"),
    "amazon_cells": ("RV-PHONE-ACCESSORIES", "Phones and accessories (Amazon reviews)", "US"),
    "yelp": ("RV-RESTAURANTS", "Restaurant meals (Yelp reviews)", "US"),
    "imdb": ("RV-FILMS", "Films (IMDb reviews)", "US"),
}
START = datetime(2010, 12, 1)
DAYS = 373  # to 2011-12-09, the demo shop's last day
SOURCE = "demo"


def demo_products() -> list[Product]:
    return [
        Product(
            sku=sku,
            title=title,
            description=f"Demo review catalog: real reviews from the category {category!r}.",
            attributes={},
            currency="USD" if market == "US" else "CNY",
            language="en",
            extra={"demo_reviews": category},
        )
        for category, (sku, title, market) in CATEGORIES.items()
    ]


def _day(review: LabelledReview) -> datetime:
    digest = hashlib.sha256(f"{review.file}:{review.line}".encode()).digest()
    return START + timedelta(days=int.from_bytes(digest[:4], "little") % DAYS)


def demo_reviews(reviews: list[LabelledReview], per_group: int) -> list[ReviewIn]:
    """Up to `per_group` reviews per category and label (seed 0), as importable reviews."""
    chosen = balanced_sample(reviews, per_group, seed=0)
    found = []
    for review in chosen:
        sku, _, market = CATEGORIES[review.category]
        when = _day(review)
        found.append(
            ReviewIn(
                key=review_key(f"{review.file}:{review.line}", sku, None, "", review.text),
                sku=sku,
                text=review.text,
                line=review.line,
                language=review.language,
                market=market,
                created_at=when,
                source=f"{SOURCE}:{review.file}:{review.line}"[:100],
            )
        )
    return found
