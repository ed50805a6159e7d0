"""Catalog phrases: a foreign query is also read as the nearest phrase of the catalog's own
titles (by the cross-lingual embedder), and BM25 on that phrase joins hybrid search."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from borderless.backends.base import Purpose, Vectors
from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.search import HybridIndex, SearchDocument
from borderless.capabilities.search import phrases as phrases_module
from borderless.capabilities.search.hybrid import FusionWeights
from borderless.capabilities.search.phrases import CatalogPhrases, phrases_of, short_enough

# What a cross-lingual embedder knows, in miniature: these foreign words mean these phrases.
TWINS = {"wärmflasche": "hot water bottle", "duftkerze": "scented candle", "熱水袋": "hot water"}


class Twins(FakeEmbedder):
    """One axis per meaning: a foreign word shares its English twin's axis, nothing else does."""

    def __init__(self) -> None:
        super().__init__()
        self.axes: dict[str, int] = {}
        self.embedded: list[str] = []

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        self.embedded.extend(texts)
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for row, text in enumerate(texts):
            meaning = TWINS.get(text.strip().lower(), text.strip().lower())
            out[row, self.axes.setdefault(meaning, len(self.axes)) % 256] = 1.0
        return out


SHOP = [
    SearchDocument("bottle-flag", "KNITTED UNION FLAG HOT WATER BOTTLE"),
    SearchDocument("bottle-tea", "HOT WATER BOTTLE TEA AND SYMPATHY"),
    SearchDocument("candle-vanilla", "SET/3 VANILLA SCENTED CANDLE IN BOX"),
    SearchDocument("candle-lavender", "LAVENDER SCENTED CANDLE"),
    SearchDocument("flask", "RETROSPOT FLASK BOTTLE"),
    SearchDocument("lamp", "WHITE WATER LILY NIGHT LAMP"),
]


def test_phrases_are_runs_of_title_words_two_titles_share() -> None:
    found = phrases_of(d.title for d in SHOP)
    assert {"hot water bottle", "scented candle", "water bottle", "candle", "bottle"} <= set(found)
    # a phrase of one title is that title's own name, not a phrase of the catalog
    assert "union flag" not in found and "lily" not in found
    # edge words must carry meaning; digits are not words
    assert not any(p.split()[0] in {"set", "and", "in"} for p in found)
    assert not any(p.split()[-1] in {"set", "and", "in"} for p in found)
    assert all(not any(ch.isdigit() for ch in p) for p in found)
    # most shared first: "bottle" and "water" are in three titles
    assert found[:2] == ["bottle", "water"]


def test_the_catalog_keeps_its_most_shared_phrases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phrases_module, "MOST", 3)
    assert phrases_of(d.title for d in SHOP) == ["bottle", "water", "candle"]


def test_a_query_is_read_as_its_nearest_phrase() -> None:
    embedder = Twins()
    phrases = CatalogPhrases(embedder).fit(d.title for d in SHOP)
    assert phrases.nearest("Wärmflasche", "de") == ("hot water bottle", pytest.approx(1.0))
    assert phrases.nearest("duftkerze", "de") == ("scented candle", pytest.approx(1.0))
    assert phrases.nearest("熱水袋", "zh") == ("hot water", pytest.approx(1.0))
    # a sentence is not the name of a thing: no phrase
    long = "ich suche eine warme flasche für die kalten nächte im winter bitte"
    assert phrases.nearest(long, "de") is None
    assert phrases.nearest("我想找一个冬天用的热水袋", "zh") is None
    assert CatalogPhrases(embedder).nearest("Wärmflasche", "de") is None  # nothing fitted


def test_short_enough_counts_words_or_characters() -> None:
    assert short_enough("bougie parfumée", "fr")
    assert short_enough("five words make a query", "en")
    assert not short_enough("six words make a whole sentence", "en")
    assert short_enough("Teelichthalterkerzenständerset", "de")  # one long word is one word
    assert short_enough("香薰蜡烛", "zh") and not short_enough("香" * 11, "zh")
    # a sentence's final stop makes it a sentence, however short
    assert not short_enough("我很高兴。", "zh") and not short_enough("Where is it?", "en")
    assert not short_enough('"Hello."', "en") and not short_enough("هل تقبلون باي بال؟", "ar")


def test_a_refit_embeds_only_new_phrases() -> None:
    embedder = Twins()
    phrases = CatalogPhrases(embedder).fit(d.title for d in SHOP)
    first = len(embedder.embedded)
    assert first == len(phrases)
    phrases.fit([*(d.title for d in SHOP), "PINK PAPER NAPKINS", "BLUE PAPER NAPKINS"])
    assert sorted(embedder.embedded[first:]) == ["napkins", "paper", "paper napkins"]
    assert phrases.nearest("Wärmflasche", "de") == ("hot water bottle", pytest.approx(1.0))
    phrases.fit(["PINK PAPER NAPKINS", "BLUE PAPER NAPKINS"])  # phrases of removed titles go
    assert len(phrases) == 3
    assert phrases.nearest("Wärmflasche", "de") != ("hot water bottle", pytest.approx(1.0))


def test_hybrid_search_fuses_bm25_on_the_phrase_for_foreign_queries_only() -> None:
    # the fake embedders rank titles at random: let the phrase's list outweigh them
    weights = FusionWeights(crosslingual=0.5, phrase_lexical=3.0)
    index = HybridIndex(FakeEmbedder(), crosslingual=Twins(), weights=weights)
    index.upsert(SHOP)
    assert index.phrase_reading("Wärmflasche") == "hot water bottle"
    hits = index.search("Wärmflasche", k=3)
    # the phrase's BM25 is the only lexical list: it puts a hot-water bottle first
    assert hits[0].id in {"bottle-flag", "bottle-tea"} and hits[0].lexical_rank in {1, 2}
    # an English query is read as it is
    assert index.phrase_reading("hot water bottle") is None
    # no cross-lingual embedder, or a zero weight: no phrase
    plain = HybridIndex(FakeEmbedder())
    plain.upsert(SHOP)
    assert plain.phrase_reading("Wärmflasche") is None
    off = HybridIndex(
        FakeEmbedder(), crosslingual=Twins(), weights=FusionWeights(phrase_lexical=0.0)
    )
    off.upsert(SHOP)
    assert off.phrase_reading("Wärmflasche") is None
    assert all(h.lexical_rank is None for h in off.search("Wärmflasche", k=3))


def test_an_upsert_or_removal_refreshes_the_phrases() -> None:
    index = HybridIndex(FakeEmbedder(), crosslingual=Twins())
    index.upsert(SHOP)
    assert index.phrase_reading("Duftkerze") == "scented candle"
    index.remove(["candle-vanilla"])  # "scented candle" is in one title now
    assert index.phrase_reading("Duftkerze") != "scented candle"
    index.upsert([SearchDocument("candle-rose", "ROSE SCENTED CANDLE")])
    assert index.phrase_reading("Duftkerze") == "scented candle"


def test_saved_phrases_load_without_embedding(tmp_path: Path) -> None:
    built = HybridIndex(FakeEmbedder(), crosslingual=Twins())
    built.upsert(SHOP)
    built.save(tmp_path / "index")
    reader = Twins()
    loaded = HybridIndex(FakeEmbedder(), crosslingual=reader).load(tmp_path / "index")
    reader.axes = dict(built.crosslingual.axes)  # type: ignore[union-attr]
    assert loaded.phrase_reading("Wärmflasche") == "hot water bottle"
    assert reader.embedded == ["Wärmflasche"]  # the query only: the phrases were read back


def test_an_index_saved_before_phrases_fits_them_on_first_use(tmp_path: Path) -> None:
    built = HybridIndex(FakeEmbedder(), crosslingual=Twins())
    built.upsert(SHOP)
    built.save(tmp_path / "index")
    for name in ("phrases.json", "phrases.npy"):
        (tmp_path / "index" / "phrases" / name).unlink()
    loaded = HybridIndex(FakeEmbedder(), crosslingual=Twins()).load(tmp_path / "index")
    assert loaded.phrase_reading("Wärmflasche") == "hot water bottle"


def test_saved_phrases_that_disagree_with_their_vectors_are_refused(tmp_path: Path) -> None:
    CatalogPhrases(Twins()).fit(d.title for d in SHOP).save(tmp_path)
    (tmp_path / "phrases.json").write_text('["only one"]', encoding="utf-8")
    with pytest.raises(ValueError, match="differ"):
        CatalogPhrases(Twins()).load(tmp_path)


def test_a_far_phrase_does_not_read_the_query() -> None:
    index = HybridIndex(FakeEmbedder(), crosslingual=Twins())
    index.upsert(SHOP)
    # "Regenschirm" (umbrella) has no twin among the phrases: the nearest is far (cosine 0)
    nearest = index.nearest_phrase("Regenschirm")
    assert nearest is not None and nearest[1] < index.phrase_at_least
    assert index.phrase_reading("Regenschirm") is None
    assert all(h.lexical_rank is None for h in index.search("Regenschirm", k=3))
