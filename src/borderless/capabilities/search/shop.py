"""The shop's product search: a hybrid index over its merchandise, kept in step with the catalog."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from borderless.backends.base import Embedder
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.search.dense import VectorIndex
from borderless.capabilities.search.documents import SearchDocument, SearchHit
from borderless.capabilities.search.hybrid import HybridIndex, Translate
from borderless.errors import InvalidInput

__all__ = ["SearchFilter", "ShopSearch"]


@dataclass(frozen=True)
class SearchFilter:
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    skus: frozenset[str] | None = None  # e.g. the SKUs sold in a country
    category: str | None = None  # matches a category or any category below it

    def __post_init__(self) -> None:
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise InvalidInput("min_price is above max_price", field="min_price")

    def accepts(self, doc: SearchDocument) -> bool:
        if self.skus is not None and doc.id not in self.skus:
            return False
        if self.category and not any(
            c.strip().casefold().startswith(self.category.strip().casefold())
            for c in doc.category.split(",")
        ):
            return False
        if self.min_price is not None and (doc.price is None or doc.price < self.min_price):
            return False
        if self.max_price is not None and (doc.price is None or doc.price > self.max_price):
            return False
        if self.in_stock is True and not (doc.stock or 0) > 0:
            return False
        return not (self.in_stock is False and (doc.stock or 0) > 0)


Translations = Mapping[str, Sequence[tuple[str, str]]]  # sku -> [(language, title), ...]


def document(
    product: Product, category: str = "", translations: Sequence[tuple[str, str]] = ()
) -> SearchDocument:
    return SearchDocument(
        product.sku,
        product.title,
        product.description,
        product.price,
        product.stock,
        category,
        tuple(translations),
    )


class ShopSearch:
    """Built on first use from `load()`; `changed(products)` updates it incrementally.

    `translate(query, source, target)` puts foreign queries into the catalog's language
    (see HybridIndex); the shop passes a cached QueryTranslator over its translation desk.
    """

    def __init__(
        self,
        load: Callable[[], Iterable[tuple[Product, str]]],
        embedder: Embedder | None,
        vectors: VectorIndex | None = None,
        translations: Callable[[], Translations] | None = None,
        translate: Translate | None = None,
        crosslingual: Embedder | None = None,
    ) -> None:
        self._load = load
        self._crosslingual = crosslingual
        self._translations = translations
        self._translate = translate
        self._embedder = embedder
        self._vectors = vectors
        self._index: HybridIndex | None = None
        self._lock = threading.Lock()

    def _ready(self) -> HybridIndex:
        with self._lock:
            if self._index is None:
                index = HybridIndex(
                    self._embedder,
                    candidates=200,
                    vectors=self._vectors,
                    translate=self._translate,
                    crosslingual=self._crosslingual,
                )
                translated = self._translations() if self._translations else {}
                index.upsert(
                    [
                        document(p, c, translated.get(p.sku, ()))
                        for p, c in self._load()
                        if p.kind == "merchandise"
                    ]
                )
                self._index = index
            return self._index

    def warm(self) -> None:
        self._ready()

    def familiarity(self, text: str) -> float:
        """How much the catalog's words back `text` (HybridIndex.familiarity)."""
        return self._ready().familiarity(text)

    @property
    def vector_store(self) -> str:
        return "usearch" if self._vectors is None else type(self._vectors).__name__

    def refresh(self) -> None:
        """Forget the index; the next search rebuilds it from the catalog (after an import)."""
        with self._lock:
            self._index = None

    def search(
        self, query: str, k: int = 10, mode: str = "hybrid", where: SearchFilter | None = None
    ) -> list[SearchHit]:
        index = self._ready()
        return index.search(query, k, mode, where.accepts if where else None)

    def changed(self, products: Iterable[Product]) -> None:
        with self._lock:
            if self._index is None:
                return  # built from the database on first use, changes included
            keep = [p for p in products if p.kind == "merchandise"]
            gone = [p.sku for p in products if p.kind != "merchandise"]
            # A product write changes neither its category nor its stored translations.
            kept = [(p, self._index.get(p.sku)) for p in keep]
            self._index.upsert(
                [document(p, d.category, d.translations) if d else document(p) for p, d in kept]
            )
            self._index.remove(gone)
