"""One contract for the vector indexes behind search: usearch in memory and pgvector."""

from __future__ import annotations

import pytest

from borderless.backends import Embedder, create_embedder
from borderless.capabilities.search.dense import DenseIndex, VectorIndex
from borderless.config import load_settings
from borderless.errors import InvalidInput
from borderless.storage import open_database

TITLES = {
    "71053": "WHITE METAL LANTERN",
    "22423": "REGENCY CAKESTAND 3 TIER",
    "23084": "RABBIT NIGHT LIGHT",
    "85099B": "JUMBO BAG RED RETROSPOT",
    "47566": "PARTY BUNTING",
}


@pytest.fixture
def embedder() -> Embedder:
    return create_embedder("fake", load_settings())


class VectorIndexContract:
    @pytest.fixture
    def index(self, embedder: Embedder) -> VectorIndex:
        raise NotImplementedError

    def test_nearest_first_and_at_most_k(self, index: VectorIndex) -> None:
        assert len(index) == 0 and index.search("lantern", 3) == []
        index.upsert(list(TITLES), list(TITLES.values()))
        assert len(index) == len(TITLES)
        found = index.search("white metal lantern", 3)
        assert found[0][0] == "71053" and len(found) == 3
        sims = [s for _, s in found]
        assert sims == sorted(sims, reverse=True) and sims[0] == pytest.approx(1.0, abs=1e-4)
        assert len(index.search("lantern", 50)) == len(TITLES)

    def test_replace_and_remove(self, index: VectorIndex) -> None:
        index.upsert(list(TITLES), list(TITLES.values()))
        index.upsert(["71053"], ["GLASS STAR CANDLE HOLDER"])
        assert len(index) == len(TITLES)
        assert index.search("glass star candle holder", 1)[0][0] == "71053"
        index.remove(["71053", "no-such-id"])
        assert "71053" not in {i for i, _ in index.search("glass star candle holder", 10)}
        assert len(index) == len(TITLES) - 1

    def test_vectors_must_match_ids(self, index: VectorIndex, embedder: Embedder) -> None:
        with pytest.raises(InvalidInput):
            index.add_vectors(["a", "b"], embedder.embed_batch(["only one"]))


class TestUsearchIndex(VectorIndexContract):
    @pytest.fixture
    def index(self, embedder: Embedder) -> VectorIndex:
        return DenseIndex(embedder)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
class TestPgVectorIndex(VectorIndexContract):
    @pytest.fixture
    def index(self, embedder: Embedder, database_url: str, tmp_path) -> VectorIndex:  # type: ignore[no-untyped-def]
        from borderless.storage.vectors import PgVectorIndex, pgvector_available

        db = open_database(load_settings(data_dir=tmp_path, database_url=database_url))
        assert pgvector_available(db.engine)
        return PgVectorIndex(db.engine, embedder)
