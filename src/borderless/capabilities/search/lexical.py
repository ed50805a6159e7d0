"""BM25 over words and character n-grams (bm25s), so typos and split model numbers still match."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from borderless.optional import require

__all__ = ["LexicalIndex", "tokens"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str, ngram: int = 3) -> list[str]:
    """Lower-case words, plus the character n-grams of the text with spaces and dashes removed.

    The n-grams let `dscw120p` meet `dsc-w120p` and `camra` meet `camera`; Chinese and Japanese
    text (no spaces) is covered by the n-grams too. Text is read in its compatibility form
    (NFKC): the full-width "ｍｕｇ" a Japanese keyboard types is "mug" (it found only a product
    titled so, none of the shop's mugs: an attack), "é" is one letter however it was typed.
    """
    lowered = unicodedata.normalize("NFKC", text).lower()
    words = _WORD.findall(lowered)
    joined = "".join(words)
    grams = [f"#{joined[i : i + ngram]}" for i in range(max(0, len(joined) - ngram + 1))]
    return words + grams


class LexicalIndex:
    """An immutable BM25 index; rebuild it (it is fast) when the catalog changes."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._bm25s = require("bm25s", "search", feature="product search")
        self._ids: list[str] = []
        self._model: Any = None

    def fit(self, ids: Sequence[str], texts: Sequence[str]) -> LexicalIndex:
        self._ids = list(ids)
        self._model = self._bm25s.BM25(k1=self.k1, b=self.b)
        if self._ids:  # bm25s cannot index an empty catalog; search answers nothing for it
            self._model.index([tokens(t) for t in texts], show_progress=False)
        return self

    def __len__(self) -> int:
        return len(self._ids)

    def save(self, folder: Path) -> None:
        """Write the fitted index to `folder` (bm25s's arrays and vocabulary, and the ids)."""
        folder.mkdir(parents=True, exist_ok=True)
        if self._ids:
            self._model.save(str(folder / "bm25"))
        (folder / "ids.json").write_text(json.dumps(self._ids), encoding="utf-8")

    def load(self, folder: Path) -> LexicalIndex:
        """The index saved in `folder`, its score arrays memory-mapped (processes share them)."""
        self._ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        self._model = self._bm25s.BM25(k1=self.k1, b=self.b)
        if self._ids:
            self._model = self._bm25s.BM25.load(str(folder / "bm25"), mmap=True)
        return self

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if not self._ids:
            return []
        scores = np.asarray(self._model.get_scores(tokens(query)), dtype=np.float32)
        k = min(k, len(self._ids))
        top = np.argpartition(-scores, k - 1)[:k]
        ordered = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in ordered if scores[i] > 0]
