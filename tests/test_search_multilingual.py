"""Search across languages: stored translations are searchable by their words, and a query in a
language the index holds no text in is not dragged down by accidental word matches."""

from __future__ import annotations

from decimal import Decimal

from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.search import HybridIndex, SearchDocument
from borderless.capabilities.search.shop import ShopSearch
from borderless.storage.database import Database
from borderless.storage.localize import (
    ProductTranslation,
    save_product_translations,
    translated_titles,
)

CATALOG = [
    SearchDocument("madras-m", "MADRAS NOTEBOOK MEDIUM"),
    SearchDocument("madras-l", "MADRAS NOTEBOOK LARGE"),
    SearchDocument("gift-bag", "GIFT BAG BIRTHDAY"),
    SearchDocument(
        "candle", "LAVENDER SCENTED CANDLE", translations=(("de", "Duftkerze Lavendel"),)
    ),
    SearchDocument("mug", "RED SPOTTY MUG"),
]


def index() -> HybridIndex:
    built = HybridIndex(FakeEmbedder())
    built.upsert(CATALOG)
    return built


def test_a_stored_translation_matches_its_language_by_words() -> None:
    built = index()
    assert built.languages == {"en", "de"}
    assert built.search("Duftkerze", k=3, mode="lexical")[0].id == "candle"
    hit = built.search("Duftkerze", k=3)[0]
    assert hit.id == "candle" and hit.lexical_rank == 1


def test_a_foreign_query_without_translations_is_searched_by_meaning_only() -> None:
    built = index()
    # BM25 alone puts the MADRAS notebooks first (3-grams of "madre").
    assert built.search("regalo para mi madre", k=2, mode="lexical")[0].id.startswith("madras")
    assert built.query_language("regalo para mi madre") == "es"
    hybrid = built.search("regalo para mi madre", k=5)
    dense = built.search("regalo para mi madre", k=5, mode="dense")
    assert [h.id for h in hybrid] == [h.id for h in dense]
    assert all(h.lexical_rank is None for h in hybrid)


def test_english_queries_keep_both_sides() -> None:
    built = index()
    hit = built.search("candle", k=1)[0]
    assert hit.id == "candle" and hit.lexical_rank == 1 and hit.dense_rank is not None
    # No letters: nothing for BM25, the dense side still answers.
    assert built.search("22423", k=1)


def test_shop_search_indexes_stored_translations(db: Database) -> None:
    from borderless.storage.catalog import create_product

    products = [
        Product(sku="84029E", title="RED WOOLLY HOTTIE WHITE HEART.", price=Decimal("3.75")),
        Product(sku="21733", title="RED HANGING HEART T-LIGHT HOLDER", price=Decimal("2.95")),
    ]
    for product in products:
        create_product(db, product)
    save_product_translations(
        db,
        [
            ProductTranslation("84029E", "de", "title", products[0].title,
                               "Rote Wärmflasche mit weißem Herz", "fake", 0.9, (), False),
            ProductTranslation("21733", "fr", "title", products[1].title,
                               "Porte-bougie coeur rouge à suspendre", "fake", 0.9, (), False),
        ],
    )  # fmt: skip
    assert translated_titles(db) == {
        "84029E": [("de", "Rote Wärmflasche mit weißem Herz")],
        "21733": [("fr", "Porte-bougie coeur rouge à suspendre")],
    }
    search = ShopSearch(
        lambda: [(p, "") for p in products], FakeEmbedder(), None, lambda: translated_titles(db)
    )
    assert search.search("Wärmflasche", k=1)[0].id == "84029E"
    assert search.search("porte-bougie", k=1)[0].id == "21733"
    # A product edit keeps the listing's translations in the index.
    search.changed([Product(sku="84029E", title="RED WOOLLY HOTTIE", price=Decimal("3.95"))])
    assert search.search("Wärmflasche", k=1)[0].id == "84029E"
