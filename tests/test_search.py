"""Product search: tokens, metrics, hybrid index behaviour, cross-lingual queries, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from borderless.backends import create_embedder
from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.search import HybridIndex, SearchDocument
from borderless.capabilities.search.evaluate import read_catalog, read_queries
from borderless.capabilities.search.lexical import tokens
from borderless.capabilities.search.metrics import ndcg_at, recall_at, reciprocal_rank
from borderless.config import load_settings
from borderless.errors import BadRows, InvalidInput

from .conftest import run

# Real titles from the demo shop.
TITLES = {
    "85123A": "WHITE HANGING HEART T-LIGHT HOLDER",
    "71053": "WHITE METAL LANTERN",
    "84029G": "KNITTED UNION FLAG HOT WATER BOTTLE",
    "22423": "REGENCY CAKESTAND 3 TIER",
    "47566": "PARTY BUNTING",
    "85099B": "JUMBO BAG RED RETROSPOT",
    "23084": "RABBIT NIGHT LIGHT",
    "22086": "PAPER CHAIN KIT 50'S CHRISTMAS",
    "21212": "PACK OF 72 RETROSPOT CAKE CASES",
    "22197": "POPCORN HOLDER",
}


def _docs() -> list[SearchDocument]:
    return [SearchDocument(sku, title) for sku, title in TITLES.items()]


def test_tokens_carry_words_and_ngrams() -> None:
    assert tokens("DSC-W120P camera")[:3] == ["dsc", "w120p", "camera"]
    assert "#w12" in tokens("dscw120p") and "#w12" in tokens("DSC-W120P")
    assert "#灯笼" not in tokens("红色灯笼")[:1] and "#色灯笼" in tokens("红色灯笼")
    # full-width letters (a Japanese keyboard's "ｍｕｇ") and a combining accent read as typed
    # the usual way: the full-width query found none of the shop's mugs (an attack)
    assert tokens("ｍｕｇ ｃｕｐ") == tokens("mug cup")
    assert tokens("CAFE\u0301") == tokens("CAFÉ")


def test_metrics_follow_their_definitions() -> None:
    ranked = ["a", "b", "c", "d"]
    assert reciprocal_rank(ranked, {"c"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, {"z"}) == 0.0
    assert recall_at(ranked, {"a", "d", "z"}, 2) == pytest.approx(1 / 3)
    assert ndcg_at(ranked, {"a"}, 10) == 1.0
    assert ndcg_at(ranked, {"b"}, 10) == pytest.approx(1 / 1.5849625, rel=1e-6)


def test_lexical_search_tolerates_typos() -> None:
    index = HybridIndex()
    index.upsert(_docs())
    assert index.search("lantern", mode="lexical")[0].id == "71053"
    assert index.search("latern metl", mode="lexical")[0].id == "71053"
    assert index.search("cakstand", mode="lexical")[0].id == "22423"


def test_updates_are_incremental() -> None:
    index = HybridIndex(create_embedder("fake", load_settings()))
    index.upsert(_docs())
    index.upsert([SearchDocument("71053", "GLASS STAR CANDLE LANTERN")])
    assert len(index) == len(TITLES)
    assert index.search("glass star", mode="lexical")[0].id == "71053"
    assert index.search("glass star", mode="dense")[0].id == "71053"
    index.remove(["71053"])
    assert all(hit.id != "71053" for hit in index.search("lantern", mode="hybrid"))


def test_a_filter_picks_among_related_products_it_does_not_fill_the_page() -> None:
    """ "mug" in Japan, where no mug sold, listed peg bags and money boxes (a walk)."""
    from borderless.capabilities.search.hybrid import FILTERED_DEPTH

    index = HybridIndex(create_embedder("fake", load_settings()))
    filler = [SearchDocument(f"X{i}", f"PAPER ITEM NUMBER {i}") for i in range(FILTERED_DEPTH + 20)]
    index.upsert([*_docs(), *filler])
    everything = [h.id for h in index.search("lantern", k=200, mode="dense")]
    deep = everything[FILTERED_DEPTH + 5]
    assert index.search("lantern", mode="dense", where=lambda d: d.id == deep) == []
    shallow = everything[3]
    assert [
        h.id for h in index.search("lantern", mode="dense", where=lambda d: d.id == shallow)
    ] == [shallow]
    # a product that matches a word is kept however deep
    hit = index.search("lantern", mode="hybrid", where=lambda d: d.id == "71053")
    assert [h.id for h in hit] == ["71053"]


def test_bad_search_input() -> None:
    index = HybridIndex()
    index.upsert(_docs())
    with pytest.raises(InvalidInput) as caught:
        index.search("   ")
    assert caught.value.field == "query"
    with pytest.raises(InvalidInput, match="embeddings backend"):
        index.search("lantern", mode="dense")
    with pytest.raises(InvalidInput, match="mode"):
        index.search("lantern", mode="fuzzy")
    with pytest.raises(InvalidInput, match="fusion"):
        HybridIndex(fusion="max")
    # emoji, a right-to-left override and a combining mark: nothing to search for (the dense
    # side of the walk's service answered it with "Next Day Carriage")
    dense = HybridIndex(embedder=FakeEmbedder())
    dense.upsert(_docs())
    assert dense.search("\U0001f600\u202e\u0301") == []
    assert dense.search("lantern \U0001f600")  # words beside an emoji are searched


@pytest.mark.parametrize("spec", ["use:multilingual-v3", "e5:multilingual-small"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kuchenständer mit drei Etagen", "22423"),  # German
        ("兔子夜灯", "23084"),  # Chinese: rabbit night light
        ("lanterne en métal blanc", "71053"),  # French
        ("bolsa grande roja de lunares", "85099B"),  # Spanish
    ],
)
def test_cross_lingual_queries_find_english_listings(spec: str, query: str, expected: str) -> None:
    index = HybridIndex(create_embedder(spec, load_settings()))
    index.upsert(_docs())
    top3 = [hit.id for hit in index.search(query, k=3, mode="hybrid")]
    assert expected in top3


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_catalog_and_query_files_are_validated(tmp_path: Path) -> None:
    dup = _write(tmp_path / "dup.csv", "id,title\n1,Lantern\n2,Teapot\n1,Heart\n")
    with pytest.raises(BadRows) as caught:
        read_catalog(dup)
    assert caught.value.rows[0].line == 4 and "duplicate id '1'" in caught.value.message
    with pytest.raises(InvalidInput, match="no rows"):
        read_catalog(_write(tmp_path / "empty.csv", "id,title\n"))
    with pytest.raises(InvalidInput, match="title"):
        read_catalog(_write(tmp_path / "cols.csv", "id,name\n1,x\n"))
    queries = _write(tmp_path / "q.csv", "query,relevant_id\nlantern,1\n,2\nteapot,9\n")
    with pytest.raises(BadRows) as caught:
        read_queries(queries, {"1", "2"})
    assert [(r.line, r.field) for r in caught.value.rows] == [(3, "query"), (4, "relevant_id")]


def test_evaluate_command_contract(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.csv"
    lines = ["id,title,description,price"] + [f'{k},"{v}",,1.50' for k, v in TITLES.items()]
    catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    queries = _write(
        tmp_path / "queries.csv",
        "query,relevant_id\nmetal lantern,71053\nheart holder,85123A\nchristmas,22086\n"
        "retrospot,85099B\nretrospot,21212\n",
    )
    env = {"BORDERLESS_DATA_DIR": str(tmp_path), "BORDERLESS_SEARCH_EMBEDDINGS": "fake"}
    result = run(
        "search",
        "evaluate",
        "--catalog",
        str(catalog),
        "--queries",
        str(queries),
        "--json",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert {"mrr", "recall@1", "recall@10", "ndcg@10", "n_queries"} <= set(body)
    assert body["n_queries"] == 4 and body["recall@10"] == 1.0
    bad = run("search", "evaluate", "--catalog", str(queries), "--queries", str(queries), env=env)
    assert bad.returncode == 2 and "missing column" in bad.stderr and "Traceback" not in bad.stderr


def test_documents_can_come_with_their_vectors() -> None:
    embedder = create_embedder("fake", load_settings())
    index = HybridIndex(embedder)
    docs = _docs()
    index.add_with_vectors(docs, embedder.embed_batch([d.title for d in docs]))
    assert index.search("white metal lantern", mode="dense")[0].id == "71053"
    assert index.search("white metal lantern", mode="lexical")[0].id == "71053"
    with pytest.raises(InvalidInput, match="one vector per id"):
        index.add_with_vectors(docs, embedder.embed_batch(["only one"]))
    with pytest.raises(InvalidInput, match="no dense part"):
        HybridIndex().add_with_vectors(docs, embedder.embed_batch([d.title for d in docs]))
