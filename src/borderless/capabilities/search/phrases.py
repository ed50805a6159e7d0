"""Catalog phrases: a foreign query read as the nearest phrase of the catalog's own titles.

Dictionaries leave many shopping words unread (Korean has none installed, Russian a 1,700-word
one; "bouillotte", "tirelire" are in no French file), so those queries were searched by
meaning only. The catalog itself says how its products are named: every run of one to three
title words that at least two titles share ("alarm clock", "hot water bottle", "apron") is a
phrase, embedded once by the cross-lingual embedder (USE multilingual, trained on translation
pairs). A foreign query's nearest phrase is a reading in the catalog's words: "알람 시계" ->
"alarm clock", "진주 목걸이" -> "pearl necklace", "тарелка" -> "plate"; it can also be wrong
("도마", a chopping board, -> "madras"), so hybrid search fuses BM25 on it with a weight
chosen on validation queries (`FusionWeights.phrase_lexical`), beside every other list, and
only when the phrase is at least AT_LEAST similar.

Measured on the demo shop's 54 queries per language (benchmarks/RESULTS.md, "Search across
languages"): when the weight was chosen on the even ids of de, fr, es, zh, ja, it, the seven
languages written later (pt ko ar ru nl pl tr) gained without taking part in the choice
(Russian 0.50 -> 0.60, Arabic 0.46 -> 0.54, Polish 0.51 -> 0.56); the weights are now chosen
on the even ids of all 13 (Arabic 0.49 -> 0.59, Italian 0.47 -> 0.59 with it). Only the
nearest phrase's BM25 list is used: its dense list did no better on the validation half. A
demo-shop catalog has 4,200 phrases, about 2.5 s to embed with USE on two cores, done once
and saved with the index; a query costs one matrix product.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from borderless.backends.base import Embedder
from borderless.languages import UNSPACED, is_sentence

__all__ = ["AT_LEAST", "CatalogPhrases", "phrases_of", "short_enough"]

LONGEST = 3  # words in the longest phrase
SHARED_BY = 2  # titles that must share a phrase (a phrase of one title is its own name)
MOST = 20_000  # phrases kept, most shared first: a 500k-listing catalog embeds no more
# Longer queries are sentences (2 * QUERY_WORDS characters where words have no spaces): with 8,
# a FLORES sentence of 8 Turkish words was read as "clothing" and lost its English twin's first
# place; the demo shop's queries have at most 4 words (10 characters in Japanese).
QUERY_WORDS = 5
# The similarity a phrase needs to read a query, chosen with the fusion weights on the demo
# queries' validation half (benchmarks/bench_search_languages.py: 0 to 0.4 scored the same,
# the highest of those is kept). On a 10-title catalog the phrases are accidents ("holder",
# "white") and the nearest one is far (0.16-0.45).
AT_LEAST = 0.4
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# An edge word must carry meaning: "set of", "of cake", "bag w" are not names of a thing.
_EDGE_STOPWORDS = frozenset({"and", "for", "the", "with", "set", "pack", "box", "of", "in"})


def _edge_ok(word: str) -> bool:
    return len(word) >= 3 and word not in _EDGE_STOPWORDS


def phrases_of(titles: Iterable[str]) -> list[str]:
    """The catalog's phrases: runs of 1 to LONGEST title words (letters only) that at least
    SHARED_BY titles use, with a meaningful first and last word, most shared first."""
    shared: Counter[str] = Counter()
    for title in titles:
        words = _WORD.findall(title.lower())
        found = set()
        for n in range(1, LONGEST + 1):
            for i in range(len(words) - n + 1):
                run = words[i : i + n]
                if _edge_ok(run[0]) and _edge_ok(run[-1]):
                    found.add(" ".join(run))
        shared.update(found)
    ranked = sorted((p for p, c in shared.items() if c >= SHARED_BY), key=lambda p: (-shared[p], p))
    return ranked[:MOST]


def short_enough(query: str, language: str) -> bool:
    """A query short enough to name a thing, not a sentence: at most QUERY_WORDS words (in
    Chinese and Japanese, written without spaces, 2 * QUERY_WORDS characters), without a
    sentence's final stop."""
    text = query.strip()
    if is_sentence(text):
        return False
    if language in UNSPACED:
        return len(text) <= 2 * QUERY_WORDS
    return len(text.split()) <= QUERY_WORDS


class CatalogPhrases:
    """The catalog's phrases and their vectors by `embedder`; `nearest` reads a query.

    Phrases and vectors change together, as one tuple: a search thread reading them while
    another refits never pairs a phrase with another phrase's vector."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._table: tuple[list[str], np.ndarray] = ([], _empty())

    def __len__(self) -> int:
        return len(self._table[0])

    def fit(self, titles: Iterable[str]) -> CatalogPhrases:
        """Collect the titles' phrases; only phrases not held already are embedded."""
        old_phrases, old_vectors = self._table
        phrases = phrases_of(titles)
        held = {p: i for i, p in enumerate(old_phrases)}
        kept = [p for p in phrases if p in held]
        new = [p for p in phrases if p not in held]
        parts = [np.asarray(old_vectors[[held[p] for p in kept]])] if kept else []
        if new:
            parts.append(_unit(self.embedder.embed_batch(new)))
        vectors = np.vstack(parts).astype(np.float32) if parts else _empty()
        self._table = (kept + new, vectors)
        return self

    def nearest(self, query: str, language: str) -> tuple[str, float] | None:
        """The phrase nearest the query (in `language`) and its cosine similarity; None for a
        sentence or an empty catalog."""
        phrases, vectors = self._table
        if not phrases or not short_enough(query, language):
            return None
        vector = _unit(self.embedder.embed_batch([query], purpose="query"))[0]
        similarity = vectors @ vector
        best = int(np.argmax(similarity))
        return phrases[best], float(similarity[best])

    def save(self, folder: Path) -> None:
        phrases, vectors = self._table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "phrases.json").write_text(json.dumps(phrases), encoding="utf-8")
        np.save(folder / "phrases.npy", vectors)

    def load(self, folder: Path) -> CatalogPhrases:
        """What `save` wrote, the vectors memory-mapped; a folder saved before phrases existed
        leaves this one empty. Phrases and vectors that disagree are an error."""
        names = folder / "phrases.json"
        if names.exists():
            phrases = json.loads(names.read_text(encoding="utf-8"))
            vectors = np.load(folder / "phrases.npy", mmap_mode="r")
            if not isinstance(phrases, list) or len(phrases) != len(vectors):
                raise ValueError("the saved phrases and their vectors differ in number")
            self._table = (phrases, vectors)
        return self


def _unit(vectors: object) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms > 0, norms, 1.0)


def _empty() -> np.ndarray:
    return np.zeros((0, 0), dtype=np.float32)
