"""Hybrid search: BM25 over title and description, embeddings over the title, fused.

Two documented fusions:
- ``rrf`` (default): reciprocal rank fusion (Cormack et al., 2009), sum over both indexes of
  1 / (60 + rank(d)). Ranks need no calibration between BM25 and cosine scores.
- ``scores``: alpha * bm25(d) / max bm25 + (1 - alpha) * cosine(d), alpha = 0.5. Better when one
  index is much stronger than the other (with the USE model on Abt-Buy, for instance).
Defaults were chosen on Abt-Buy's train-split queries only; benchmarks/RESULTS.md reports all.
The dense side embeds titles only: sentence encoders blur on long descriptions.

Queries in another language: BM25 also reads every stored translated title, so a German query
meets a German title by its words. A query in a language the index holds no text in
(detected with the catalog's language as the prior) is searched by meaning only: its words can
only match by accident ("regalo para mi madre" met MADRAS notebooks through the 3-grams of
"madre"), and with RRF those accidents pushed the dense side's right answers down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from borderless.backends.base import Embedder, Vectors
from borderless.capabilities.search.dense import DenseIndex, VectorIndex
from borderless.capabilities.search.documents import SearchDocument, SearchHit
from borderless.capabilities.search.lexical import LexicalIndex, tokens
from borderless.errors import InvalidInput

__all__ = ["FUSIONS", "MODES", "HybridIndex"]

MODES = ("hybrid", "lexical", "dense")
# A query is foreign when the languages the index holds have less than this probability (the
# catalog's language as prior): at 0.1, 6 of WANDS' 480 English furniture queries were called
# foreign ("ombre rug": 32 by the top language alone) and 307 of our 325 non-English short
# titles were; a query read as the catalog's language is searched as before.
READ_AT_LEAST = 0.1
FUSIONS = ("rrf", "scores")


@dataclass
class HybridIndex:
    """A catalog searchable by words, by meaning (in any language), or both."""

    embedder: Embedder | None = None
    fusion: str = "rrf"  # rrf | scores
    alpha: float = 0.5  # weight of BM25 in score fusion
    rrf_k: int = 60
    candidates: int = 100
    vectors: VectorIndex | None = None  # default: an in-memory usearch index over `embedder`
    catalog_language: str = "en"  # the language titles and descriptions are written in

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise InvalidInput(f"fusion must be one of {', '.join(FUSIONS)}", field="fusion")
        if not 0.0 <= self.alpha <= 1.0:
            raise InvalidInput("alpha must lie between 0 and 1", field="alpha")
        self._docs: dict[str, SearchDocument] = {}
        self._lexical = LexicalIndex()
        # An empty index has len() 0 and is falsy: compare with None, never rely on truth.
        self._dense: VectorIndex | None = self.vectors
        if self._dense is None and self.embedder is not None:
            self._dense = DenseIndex(self.embedder)
        self._lexical_stale = False
        self._languages: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self._docs)

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents; the dense index updates in place, BM25 on next search."""
        for doc in documents:
            self._docs[doc.id] = doc
        if self._dense is not None:
            self._dense.upsert([d.id for d in documents], [d.title for d in documents])
        self._lexical_stale = True
        self._languages = None

    def add_with_vectors(self, documents: Sequence[SearchDocument], vectors: Vectors) -> None:
        """Like upsert, with the documents' title vectors given instead of computed."""
        if self._dense is None:
            raise InvalidInput("this index has no dense part", field="vectors")
        for doc in documents:
            self._docs[doc.id] = doc
        self._dense.add_vectors([d.id for d in documents], vectors)
        self._lexical_stale = True
        self._languages = None

    def get(self, doc_id: str) -> SearchDocument | None:
        return self._docs.get(doc_id)

    def category_of(self, doc_id: str) -> str:
        doc = self._docs.get(doc_id)
        return doc.category if doc else ""

    def remove(self, ids: Sequence[str]) -> None:
        for doc_id in ids:
            self._docs.pop(doc_id, None)
        if self._dense is not None:
            self._dense.remove(list(ids))
        self._lexical_stale = True
        self._languages = None

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        where: Callable[[SearchDocument], bool] | None = None,
    ) -> list[SearchHit]:
        """The best `k` documents for the query among those `where` accepts."""
        if not query.strip():
            raise InvalidInput("the search query is empty", field="query")
        if mode not in MODES:
            raise InvalidInput(f"mode must be one of {', '.join(MODES)}", field="mode")
        if mode != "lexical" and self._dense is None:
            raise InvalidInput("dense search needs an embeddings backend", field="mode")
        foreign = mode == "hybrid" and self._dense is not None and not self.reads(query)
        lexical = self._lexical_hits(query) if mode != "dense" and not foreign else []
        dense = (
            self._dense.search(query, self.candidates)
            if mode != "lexical" and self._dense is not None
            else []
        )
        hits = self._fuse(lexical, dense)
        if where is not None:
            hits = [h for h in hits if where(self._docs[h.id])]
        return hits[:k]

    @property
    def languages(self) -> frozenset[str]:
        """The catalog's language and every language a stored translated title is in."""
        if self._languages is None:
            found = {lang for doc in self._docs.values() for lang, _ in doc.translations}
            self._languages = frozenset({self.catalog_language, *found})
        return self._languages

    def query_language(self, query: str) -> str:
        """The query's most likely language, with the catalog's language as prior."""
        from borderless.capabilities.language import catalog_prior, detect_language

        prior = catalog_prior([], market=self.catalog_language)
        return detect_language(query, self.catalog_language, prior=prior).code

    def reads(self, query: str) -> bool:
        """Whether BM25 may hold the query's language (else hybrid search goes dense only)."""
        from borderless.capabilities.language import catalog_prior, language_probabilities

        if sum(ch.isalpha() for ch in query) < 2:
            return True
        prior = catalog_prior([], market=self.catalog_language)
        found = language_probabilities(query, prior)
        return not found or sum(found.get(code, 0.0) for code in self.languages) >= READ_AT_LEAST

    def _lexical_hits(self, query: str) -> list[tuple[str, float]]:
        if not tokens(query):
            return []  # only punctuation, symbols or emoji: no word for BM25 to match
        if self._lexical_stale:
            ids = list(self._docs)
            self._lexical.fit(ids, [self._docs[i].lexical_text for i in ids])
            self._lexical_stale = False
        return self._lexical.search(query, self.candidates)

    def _fuse(
        self, lexical: list[tuple[str, float]], dense: list[tuple[str, float]]
    ) -> list[SearchHit]:
        scores: dict[str, float] = {}
        lexical_rank = {doc_id: r for r, (doc_id, _) in enumerate(lexical, 1)}
        dense_rank = {doc_id: r for r, (doc_id, _) in enumerate(dense, 1)}
        if self.fusion == "rrf":
            for ranks in (lexical_rank, dense_rank):
                for doc_id, rank in ranks.items():
                    scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (self.rrf_k + rank)
        else:
            lexical_weight = self.alpha if dense else 1.0
            dense_weight = 1.0 - self.alpha if lexical else 1.0
            top = lexical[0][1] if lexical else 1.0
            for doc_id, value in lexical:
                scores[doc_id] = scores.get(doc_id, 0.0) + lexical_weight * value / top
            for doc_id, value in dense:
                scores[doc_id] = scores.get(doc_id, 0.0) + dense_weight * value
        ordered = sorted(scores, key=lambda d: (-scores[d], d))
        return [
            SearchHit(d, scores[d], lexical_rank.get(d), dense_rank.get(d))
            for d in ordered
            if d in self._docs
        ]
