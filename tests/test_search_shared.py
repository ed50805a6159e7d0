"""Processes on one shop share one saved search index and follow each other's catalog writes.

Two ShopSearch instances on one data folder and one shop database stand for two workers of
`borderless serve --workers 2` (tests/test_serve_workers.py runs the real processes).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from borderless.backends.base import Embedder, Purpose, Vectors
from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.search.shop import ShopSearch
from borderless.storage import Database
from borderless.storage.catalog import create_product, products_with_categories, update_product
from borderless.storage.catalog_state import catalog_generation, watched_generation
from borderless.storage.localize import (
    ProductTranslation,
    save_product_translations,
    translated_titles,
)

from .test_search import TITLES as ALL_TITLES

TITLES = dict(list(ALL_TITLES.items())[:5])  # five real demo-shop titles


class CountingEmbedder(Embedder):
    """The fake embedder, counting the catalog texts it embeds (queries are not counted)."""

    name = "fake"

    def __init__(self) -> None:
        self.inner = FakeEmbedder()
        self.documents = 0

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        if purpose == "document":
            self.documents += len(texts)
        return self.inner.embed_batch(texts, purpose)


def _shop(db: Database) -> None:
    for sku, title in TITLES.items():
        create_product(db, Product(sku=sku, title=title, price=Decimal("3.50"), stock=5))


def _search(db: Database, folder: Path, embedder: Embedder) -> ShopSearch:
    return ShopSearch(
        lambda: products_with_categories(db),
        embedder,
        translations=lambda: translated_titles(db),
        crosslingual=CountingEmbedder(),
        saved=folder,
        generation=lambda: watched_generation(db),
        check_every=0.2,
    )


def _top(search: ShopSearch, query: str) -> str | None:
    hits = search.search(query, k=3)
    return hits[0].id if hits else None


def _eventually(search: ShopSearch, query: str, sku: str, within: float = 5.0) -> float:
    """Seconds until `sku` tops `search`'s results for `query` (fails after `within`)."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if _top(search, query) == sku:
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{sku} not found for {query!r} within {within} s")


def test_the_second_process_maps_the_saved_index_without_embedding(
    db: Database, tmp_path: Path
) -> None:
    _shop(db)
    folder = tmp_path / "cache" / "search"
    first, second = CountingEmbedder(), CountingEmbedder()
    one = _search(db, folder, first)
    assert _top(one, "metal lantern") == "71053"
    assert first.documents == len(TITLES)
    saved = [p for p in folder.iterdir() if p.is_dir()]
    assert len(saved) == 1 and (saved[0] / "meta.json").exists()

    two = _search(db, folder, second)
    assert [h.id for h in two.search("hot water bottle")] == [
        h.id for h in one.search("hot water bottle")
    ]
    assert second.documents == 0  # loaded, not embedded
    mapped = Path("/proc/self/maps").read_text()
    assert str(saved[0] / "dense.usearch") in mapped
    assert str(saved[0] / "lexical" / "bm25" / "data.csc.index.npy") in mapped


def test_a_write_through_one_process_reaches_the_other_within_a_second_or_so(
    db: Database, tmp_path: Path
) -> None:
    _shop(db)
    folder = tmp_path / "cache" / "search"
    one = _search(db, folder, CountingEmbedder())
    two = _search(db, folder, CountingEmbedder())
    assert _top(one, "party bunting") == _top(two, "party bunting") == "47566"
    before = catalog_generation(db)

    changed = update_product(db, "47566", {"title": "COPPER KETTLE"})
    one.changed([changed])  # what the API route does in the worker that wrote
    assert catalog_generation(db) == before + 1
    assert _top(one, "copper kettle") == "47566"  # at once where it was written
    took = _eventually(two, "copper kettle", "47566")
    assert took < 3.0  # checked every 0.2 s here (1 s in the service), then loaded

    added = create_product(db, Product(sku="W-1", title="LINEN TEA TOWEL", price=Decimal("4")))
    one.changed([added])
    _eventually(two, "linen tea towel", "W-1")
    _eventually(one, "linen tea towel", "W-1")
    # both follow the same saved index again; old ones beyond the newest three are removed
    assert 1 <= len([p for p in folder.iterdir() if p.is_dir()]) <= 3


def test_translated_titles_written_elsewhere_reach_search(db: Database, tmp_path: Path) -> None:
    _shop(db)
    search = _search(db, tmp_path / "search", CountingEmbedder())
    assert _top(search, "金属灯笼") != "71053"
    row = ProductTranslation(
        "71053", "zh", "title", TITLES["71053"], "白色金属灯笼", "fake", None, (), False
    )
    save_product_translations(db, [row])  # a translation job, say: not through this process
    _eventually(search, "金属灯笼", "71053")


def test_two_processes_starting_together_embed_the_catalog_once(
    db: Database, tmp_path: Path
) -> None:
    _shop(db)
    folder = tmp_path / "search"
    embedders = [CountingEmbedder() for _ in range(3)]
    searches = [_search(db, folder, e) for e in embedders]
    threads = [threading.Thread(target=s.warm) for s in searches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(e.documents for e in embedders) == len(TITLES)  # the lock: one built, two loaded
    assert {_top(s, "regency cakestand") for s in searches} == {"22423"}


@pytest.mark.parametrize(
    "damage",
    ["dense.usearch cut short", "bm25 scores overwritten", "meta.json missing", "documents.json"],
)
def test_a_damaged_saved_index_is_built_again(db: Database, tmp_path: Path, damage: str) -> None:
    _shop(db)
    folder = tmp_path / "search"
    _search(db, folder, CountingEmbedder()).warm()
    (saved,) = [p for p in folder.iterdir() if p.is_dir()]
    if damage == "dense.usearch cut short":
        file = saved / "dense.usearch"
        file.write_bytes(file.read_bytes()[:100])
    elif damage == "bm25 scores overwritten":
        file = saved / "lexical" / "bm25" / "data.csc.index.npy"
        file.write_bytes(b"\0" * file.stat().st_size)
    elif damage == "meta.json missing":  # a build that died before its rename leaves this
        (saved / "meta.json").unlink()
    else:
        (saved / "documents.json").write_text("[]")
    (folder / ".building-0123-99999").mkdir()  # and a crashed build's leftovers

    embedder = CountingEmbedder()
    again = _search(db, folder, embedder)
    assert _top(again, "white metal lantern") == "71053"
    assert embedder.documents == len(TITLES)  # built again, not served damaged
    assert not (folder / ".building-0123-99999").exists()
    fresh = CountingEmbedder()
    assert _top(_search(db, folder, fresh), "white metal lantern") == "71053"
    assert fresh.documents == 0  # and the rebuilt one is what the next process maps


def test_a_database_that_does_not_answer_leaves_search_serving(
    db: Database, tmp_path: Path
) -> None:
    _shop(db)
    calls: list[int] = []

    def generation() -> int | None:  # answers once, then is down (watched_generation's None)
        calls.append(1)
        return None if len(calls) > 1 else 0

    search = ShopSearch(
        lambda: products_with_categories(db),
        CountingEmbedder(),
        saved=tmp_path / "search",
        generation=generation,
        check_every=0.05,
    )
    assert _top(search, "party bunting") == "47566"
    time.sleep(0.3)
    assert len(calls) >= 3  # checked in the background, not by the searches
    assert _top(search, "party bunting") == "47566"
    search.close()
