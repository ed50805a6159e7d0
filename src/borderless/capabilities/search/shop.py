"""The shop's product search: a hybrid index over its merchandise, kept in step with the catalog."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from borderless.backends.base import Embedder
from borderless.capabilities.catalog.money import Rate, convert, has_rate
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.search.dense import VectorIndex
from borderless.capabilities.search.documents import SearchDocument, SearchHit
from borderless.capabilities.search.hybrid import HybridIndex, Translate
from borderless.capabilities.search.needs import Need
from borderless.capabilities.search.saved import SavedIndexes, fingerprint
from borderless.errors import BorderlessError, InvalidInput

__all__ = ["Found", "SearchFilter", "ShopSearch"]

log = logging.getLogger("borderless.search")

# (version, parameters, data, seconds this process took to build it, 0 when it loaded it)
Record = Callable[[str, dict[str, object], dict[str, object], float], None]


def _data(documents: Sequence[SearchDocument], key: str) -> dict[str, object]:
    languages = sorted({language for d in documents for language, _ in d.translations})
    return {
        "file": "products and translated titles (shop database)",
        "fingerprint": key,
        "documents": len(documents),
        "translated_titles": sum(len(d.translations) for d in documents),
        "languages": languages,
    }


@dataclass(frozen=True)
class Found:
    """What a shopper's sentence found in the shop: how it was read, the hits whose product is
    in the catalog, best first, and those products in the same order; `rates` are the
    seller's, which priced the sentence's bounds."""

    need: Need
    hits: list[SearchHit]
    products: list[Product]
    rates: Mapping[str, Rate]


@dataclass(frozen=True)
class SearchFilter:
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    skus: frozenset[str] | None = None  # e.g. the SKUs sold in a country
    category: str | None = None  # matches a category or any category below it
    # the prices' bounds are in `base`: a product priced in another currency is compared
    # through `rates` ("over 1000 pounds" found a ¥1,900 fan, an attack), or, without a rate,
    # not at all
    base: str = ""
    rates: Mapping[str, Rate] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise InvalidInput("min_price is above max_price", field="min_price")

    @property
    def constrains(self) -> bool:
        """Whether any document could fail it (an empty query lists what a filter accepts, and
        is an error without one)."""
        return any(v is not None for v in (self.min_price, self.max_price, self.in_stock,
                                           self.skus, self.category or None))  # fmt: skip

    def accepts(self, doc: SearchDocument) -> bool:
        if self.skus is not None and doc.id not in self.skus:
            return False
        if self.category and not any(
            c.strip().casefold().startswith(self.category.strip().casefold())
            for c in doc.category.split(",")
        ):
            return False
        price = self._price(doc)
        if self.min_price is not None and (price is None or price < self.min_price):
            return False
        if self.max_price is not None and (price is None or price > self.max_price):
            return False
        if self.in_stock is True and not (doc.stock or 0) > 0:
            return False
        return not (self.in_stock is False and (doc.stock or 0) > 0)

    def _price(self, doc: SearchDocument) -> Decimal | None:
        """The document's price in `base` (None when it has none or cannot be converted)."""
        if doc.price is None or not self.base or doc.currency in ("", self.base):
            return doc.price
        if not has_rate(doc.currency, self.rates) or not has_rate(self.base, self.rates):
            return None
        return convert(doc.price, doc.currency, self.base, self.rates)


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
        product.currency,
    )


class ShopSearch:
    """Built on first use from `load()`; `changed(products)` updates it incrementally.

    `translate(query, source, target)` puts foreign queries into the catalog's language
    (see HybridIndex); the shop passes a cached QueryTranslator over its translation desk.

    With `saved` (a folder), the index is saved there and processes on the same shop load it
    instead of building their own (see saved.py). With `generation` (the catalog's change
    counter in the shop database), a thread reads it every `check_every` seconds once the index
    is built, and a change made elsewhere (another worker, an import) reads the new catalog
    while the index in hand keeps answering.
    """

    def __init__(
        self,
        load: Callable[[], Iterable[tuple[Product, str]]],
        embedder: Embedder | None,
        vectors: VectorIndex | None = None,
        translations: Callable[[], Translations] | None = None,
        translate: Translate | None = None,
        crosslingual: Embedder | None = None,
        *,
        saved: Path | None = None,
        generation: Callable[[], int | None] | None = None,
        check_every: float = 1.0,
        record: Record | None = None,
    ) -> None:
        self._load = load
        self._crosslingual = crosslingual
        self._translations = translations
        self._translate = translate
        self._embedder = embedder
        self._vectors = vectors
        self._saved = SavedIndexes(saved) if saved is not None else None
        self._generation = generation
        self._record = record
        self.version: str | None = None  # the saved index's version in hand (see saved.py)
        self.check_every = check_every
        self._index: HybridIndex | None = None
        self._seen: int | None = None  # the catalog generation the index in hand was read at
        self._watcher: threading.Thread | None = None
        self._closed = False
        self._reloading = False
        self._pending: list[Product] = []  # written here while a reload was reading the catalog
        self._lock = threading.Lock()

    def _new(self) -> HybridIndex:
        return HybridIndex(
            self._embedder,
            candidates=200,
            vectors=self._vectors,
            translate=self._translate,
            crosslingual=self._crosslingual,
        )

    def _config(self) -> list[str]:
        names = [e.identity if e else "" for e in (self._embedder, self._crosslingual)]
        return [*names, self.vector_store]

    def _open(self) -> tuple[HybridIndex, int | None, str | None]:
        """The index of the catalog as it is now, the generation it was read at and, when
        saved, its version (`index-` and the start of its fingerprint)."""
        seen = self._generation() if self._generation else None
        translated = self._translations() if self._translations else {}
        documents = [
            document(p, c, translated.get(p.sku, ()))
            for p, c in self._load()
            if p.kind == "merchandise"
        ]
        # The language the titles are written in: a German shop's English shopper is the
        # foreign one. Taking every catalog for English had put hybrid below dense in 8 of 14
        # one-language catalogs (benchmarks/RESULTS.md, "every market language as the
        # catalog's"); read in their own language, hybrid is above dense in all 14. Read once
        # when the index is built; a saved index keeps it.
        from borderless.capabilities.language import main_language

        built: list[float] = []

        def fill(fresh: HybridIndex) -> None:
            started = time.perf_counter()
            fresh.catalog_language = main_language([d.title for d in documents])
            fresh.upsert(documents)
            built.append(time.perf_counter() - started)

        if self._saved is None:
            index = self._new()  # first, so a missing search extra is what is named
            fill(index)
            return index, seen, None
        key = fingerprint(documents, self._config())
        index = self._saved.open(key, self._new, fill)
        version = f"index-{key[:12]}"
        if self._record is not None:  # the registry keeps the first record of a version
            seconds = built[0] if built else 0.0
            self._record(version, self._parameters(index), _data(documents, key), seconds)
        return index, seen, version

    def _parameters(self, index: HybridIndex) -> dict[str, object]:
        return {
            "embedder": self._embedder.identity if self._embedder else None,
            "crosslingual": self._crosslingual.identity if self._crosslingual else None,
            "vector_store": self.vector_store,
            "catalog_language": index.catalog_language,
            "fusion": index.fusion,
            "weights": asdict(index.weights),
            "candidates": index.candidates,
        }

    def _ready(self) -> HybridIndex:
        with self._lock:
            if self._index is None:
                self._index, self._seen, self.version = self._open()
                if self._generation is not None and self._watcher is None:
                    self._watcher = threading.Thread(
                        target=_watch, args=(weakref.ref(self),), name="search-catalog", daemon=True
                    )
                    self._watcher.start()
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
        """Forget the index; the next search reads it from the catalog (after an import)."""
        with self._lock:
            self._index = None

    def search(
        self, query: str, k: int = 10, mode: str = "hybrid", where: SearchFilter | None = None
    ) -> list[SearchHit]:
        index = self._ready()
        return index.search(query, k, mode, where.accepts if where and where.constrains else None)

    def check(self) -> bool:
        """Read the catalog again if its generation moved since the index in hand was read;
        whether it did. A thread calls this every `check_every` seconds once the index is
        built, so searches never wait for it: the index in hand answers until the new one is
        in place."""
        if self._generation is None or self._index is None:
            return False
        current = self._generation()
        if current is None or current == self._seen:
            return False
        with self._lock:
            self._reloading, self._pending = True, []
        try:
            index, seen, version = self._open()
        except BorderlessError as error:
            log.warning("search keeps its index; reading the catalog failed: %s", error.message)
            return False
        finally:
            with self._lock:
                self._reloading = False
        with self._lock:
            if self._index is None:
                return False  # refreshed meanwhile: the next search reads the catalog
            self._index, self._seen, self.version = index, seen, version
            pending, self._pending = self._pending, []
            if pending:  # written here after the reload began: the read may predate them
                self._apply(index, pending)
        return True

    def close(self) -> None:
        """Stop following the catalog (the index in hand keeps answering)."""
        self._closed = True

    def changed(self, products: Iterable[Product]) -> None:
        products = list(products)
        with self._lock:
            if self._index is None:
                return  # built from the database on first use, changes included
            if self._reloading:
                self._pending.extend(products)
            self._apply(self._index, products)

    @staticmethod
    def _apply(index: HybridIndex, products: Sequence[Product]) -> None:
        keep = [p for p in products if p.kind == "merchandise"]
        gone = [p.sku for p in products if p.kind != "merchandise"]
        # A product write changes neither its category nor its stored translations.
        kept = [(p, index.get(p.sku)) for p in keep]
        index.upsert(
            [document(p, d.category, d.translations) if d else document(p) for p, d in kept]
        )
        index.remove(gone)


def _watch(search: weakref.ref[ShopSearch]) -> None:
    """Check the catalog's generation every `check_every` seconds while the search lives."""
    while True:
        found = search()
        if found is None or found._closed:
            return
        every = found.check_every
        try:
            found.check()
        except Exception:  # a bad moment (the database, the disk) must not end the watch
            log.exception("checking the catalog for changes failed")
        del found
        time.sleep(every)
