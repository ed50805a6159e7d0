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

A foreign query also goes to the `crosslingual` embedder when there is one (the shop uses
USE multilingual v3: trained on translation pairs, it carries short product words across
languages better than the search embedder, 4-bit multilingual-e5-small: on the demo shop's
queries, dense MRR 0.55 vs 0.44 in German, 0.52 vs 0.37 in Chinese; but 0.80 vs 0.97 in
English, so English queries never use it).

With a `translate` function, a query that is not in the catalog's language is also read into
the catalog's language (the shop: a quick engine, else a dictionary gloss); the original
(dense; BM25 too where stored translated titles use its words), the cross-lingual list and the
reading (dense and BM25) are fused by weighted RRF, with BM25 on the catalog phrase nearest
the query by the cross-lingual embedder (phrases.py). The weights per kind of query
(`FusionWeights`) were chosen on validation splits only (the demo queries' even ids in all 13
other languages, under a Tatoeba bound, checked against FLORES sentences); the figures are in
benchmarks/RESULTS.md ("Search across languages").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from borderless.backends.base import Embedder, Vectors
from borderless.capabilities.search.dense import DenseIndex, VectorIndex
from borderless.capabilities.search.documents import SearchDocument, SearchHit
from borderless.capabilities.search.lexical import LexicalIndex, tokens
from borderless.capabilities.search.phrases import AT_LEAST as PHRASE_AT_LEAST
from borderless.capabilities.search.phrases import CatalogPhrases
from borderless.errors import InvalidInput

__all__ = [
    "FUSIONS",
    "MODES",
    "FusionWeights",
    "HybridIndex",
    "QueryReading",
    "check_has_words",
    "has_words",
]

MODES = ("hybrid", "lexical", "dense")
# A query is foreign when the languages the index holds have less than this probability (the
# catalog's language as prior): at 0.1, 6 of WANDS' 480 English furniture queries were called
# foreign ("ombre rug": 32 by the top language alone) and 307 of our 325 non-English short
# titles were; a query read as the catalog's language is searched as before.
READ_AT_LEAST = 0.1
# A query the detector calls foreign is still read in the catalog's language when at least this
# share of its words are used by the catalog's own titles and descriptions (stored translations
# not counted): "apple macbook 2.4 ghz intel core 2 duo silver notebook computer" reads as German
# to the detector, and 88 of Abt-Buy's 1,016 English queries did. Chosen on validation queries
# (benchmarks/bench_search_languages.py, "Search fusion weight": 0.6 to 0.8 scored the same,
# the highest is kept); no demo-shop query in another language reaches it but Polish
# "parasol", an English word too.
CATALOG_WORDS_AT_LEAST = 0.8
FUSIONS = ("rrf", "scores")
Ranked = list[tuple[str, float]]


def has_words(query: str) -> bool:
    """Whether `query` has a letter or a digit (in any script) to search for: emoji, symbols
    and control characters alone find nothing."""
    return any(ch.isalnum() for ch in query)


def check_has_words(query: str, field: str = "query") -> str:
    """`query` if it has something to search for; InvalidInput naming `field` when it is only
    punctuation, emoji or invisible characters ("!!!???", a zero-width space: a walk saw them
    answered 200 with no results, where white space alone was refused)."""
    if query.strip() and not has_words(query):
        raise InvalidInput("nothing to search for: the query has no letters or digits",
                           field=field)  # fmt: skip
    return query


FILTERED_DEPTH = 50  # how deep in the unfiltered ranking a filtered result may come from


@dataclass(frozen=True)
class FusionWeights:
    """Weight of each ranked list in reciprocal rank fusion; the dense list of the query as
    typed always weighs 1. Chosen on validation splits (benchmarks/bench_search_languages.py):
    the foreign-query weights on the even ids of the demo shop's queries in all 13 other
    languages (six of them alone had chosen weights that cost the other seven up to 0.05).

    A foreign query whose words a stored translated title uses also gets BM25 on it as typed,
    at `stored_lexical`, beside its reading. Chosen on the even ids of the demo shop's
    Portuguese and Spanish queries with its titles translated and stored (Bergamot, Apertium;
    RESULTS.md, "with stored translated titles"), against the rule before, which skipped the
    reading for such a query: machine-made titles such as "T-LIGHT TITULAR" read worse than
    the query's own reading."""

    lexical: float = 0.5  # BM25, query in the catalog's language
    # BM25 on a foreign query as typed that no stored translation's words match: accidental
    # matches ("Tom" in a Spanish sentence), which the validation queries weigh at nothing
    foreign_lexical: float = 0.0
    translated_dense: float = 1.5  # dense side, the query read into the catalog language
    translated_lexical: float = 3.0  # BM25, the query read into the catalog language
    crosslingual: float = 2.0  # the cross-lingual embedder's list, foreign queries only
    phrase_lexical: float = 2.0  # BM25 on the catalog phrase nearest a foreign query
    stored_lexical: float = 5.0  # BM25 on a foreign query whose words stored translations use


@dataclass(frozen=True)
class QueryReading:
    """How a query relates to the index: its language, and whether BM25 may read it."""

    language: str
    in_catalog_language: bool
    held: bool  # the catalog's language or a stored translation's has >= READ_AT_LEAST


Translate = Callable[[str, str, str], "str | None"]  # (query, source, target) -> translation


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
    translate: Translate | None = None  # foreign queries into catalog_language (rrf fusion)
    weights: FusionWeights = field(default_factory=FusionWeights)
    crosslingual: Embedder | None = None  # a second embedder for foreign queries (titles)
    phrase_at_least: float = PHRASE_AT_LEAST  # cosine a catalog phrase needs to read a query
    # share of a query's words the catalog's own text uses that makes it catalog-language
    catalog_words_at_least: float = CATALOG_WORDS_AT_LEAST

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
        self._across = DenseIndex(self.crosslingual) if self.crosslingual is not None else None
        self._phrases = CatalogPhrases(self.crosslingual) if self.crosslingual is not None else None
        self._lexical_stale = False
        self._phrases_stale = False
        self._languages: frozenset[str] | None = None
        self._translation_words: frozenset[str] = frozenset()
        self._translation_units: frozenset[str] | None = None  # words, CJK words as bigrams
        self._own_words: frozenset[str] = frozenset()  # words of titles and descriptions
        self._word_counts: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._docs)

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents; the dense index updates in place, BM25 on next search."""
        for doc in documents:
            self._docs[doc.id] = doc
        if self._dense is not None:
            self._dense.upsert([d.id for d in documents], [d.dense_text for d in documents])
        if self._across is not None:
            self._across.upsert([d.id for d in documents], [d.dense_text for d in documents])
        self._lexical_stale = True
        self._phrases_stale = True
        self._languages = None

    def add_with_vectors(self, documents: Sequence[SearchDocument], vectors: Vectors) -> None:
        """Like upsert, with the documents' vectors (of `dense_text`) given instead of computed."""
        if self._dense is None:
            raise InvalidInput("this index has no dense part", field="vectors")
        for doc in documents:
            self._docs[doc.id] = doc
        self._dense.add_vectors([d.id for d in documents], vectors)
        if self._across is not None:
            self._across.upsert([d.id for d in documents], [d.dense_text for d in documents])
        self._lexical_stale = True
        self._phrases_stale = True
        self._languages = None

    def save(self, folder: Path) -> None:
        """Write the documents, BM25 and the usearch graphs (not pgvector's, which lives in the
        database) to `folder`; `load` reads them back without embedding anything."""
        self._refit_lexical()
        folder.mkdir(parents=True, exist_ok=True)
        docs = [_document_row(d) for d in self._docs.values()]
        (folder / "documents.json").write_text(json.dumps(docs), encoding="utf-8")
        words = {
            "translation_words": sorted(self._translation_words),
            "own_words": sorted(self._own_words),
            "counts": self._word_counts,
            "catalog_language": self.catalog_language,
        }
        (folder / "words.json").write_text(json.dumps(words), encoding="utf-8")
        self._lexical.save(folder / "lexical")
        if isinstance(self._dense, DenseIndex):
            self._dense.save(folder, "dense")
        if self._across is not None:
            self._across.save(folder, "crosslingual")
        if self._phrases is not None:
            self._refit_phrases()
            self._phrases.save(folder / "phrases")

    def load(self, folder: Path) -> HybridIndex:
        """Replace what this index holds by what `save` wrote to `folder`: BM25's arrays and
        the usearch graphs are memory-mapped, so processes loading one folder share them."""
        rows = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
        docs = [_document_from_row(r) for r in rows]
        words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        lexical = LexicalIndex().load(folder / "lexical")
        if len(lexical) != len(docs):
            raise ValueError("the saved BM25 index and documents differ in size")
        if isinstance(self._dense, DenseIndex):
            self._dense = DenseIndex(self._dense.embedder).view(folder, "dense")
        if self._across is not None:
            self._across = DenseIndex(self._across.embedder).view(folder, "crosslingual")
        self._docs = {d.id: d for d in docs}
        self._lexical = lexical
        self._translation_words = frozenset(words["translation_words"])
        self._translation_units = None
        own = words.get("own_words")  # absent in an index saved before it was kept
        self._own_words = frozenset(own) if own is not None else _own_words(docs)
        self._word_counts = Counter(words["counts"])
        language = words.get("catalog_language")
        if language is None:  # saved before it was kept: read from the titles
            from borderless.capabilities.language import main_language

            language = main_language([d.title for d in docs])
        self.catalog_language = str(language)
        self._lexical_stale = False
        if self._phrases is not None:  # an index saved before phrases existed fits them later
            self._phrases = CatalogPhrases(self._phrases.embedder).load(folder / "phrases")
            self._phrases_stale = not self._phrases and bool(docs)
        self._languages = None
        return self

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
        if self._across is not None:
            self._across.remove(list(ids))
        self._lexical_stale = True
        self._phrases_stale = True
        self._languages = None

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        where: Callable[[SearchDocument], bool] | None = None,
    ) -> list[SearchHit]:
        """The best `k` documents for the query among those `where` accepts. An empty query
        with `where` ("under 5 euros": a price and no words) lists what it accepts, cheapest
        first; before, the words of the price were searched and "NUMBER TILE 5" came first."""
        if not query.strip() and where is not None:
            chosen = sorted((d for d in self._docs.values() if where(d)),
                            key=lambda d: (d.price is None, d.price or 0, d.id))  # fmt: skip
            return [SearchHit(d.id, 0.0) for d in chosen[:k]]
        if not query.strip():
            raise InvalidInput("the search query is empty", field="query")
        if mode not in MODES:
            raise InvalidInput(f"mode must be one of {', '.join(MODES)}", field="mode")
        if mode != "lexical" and self._dense is None:
            raise InvalidInput("dense search needs an embeddings backend", field="mode")
        if not has_words(query):  # the dense side answered "😀\u202e" with Next Day Carriage
            return []
        if mode == "lexical":
            hits = self._fuse([(1.0, self._lexical_hits(query))], [])
        elif mode == "dense":
            hits = self._fuse([], [(1.0, self._dense_hits(query))])
        else:
            hits = self._hybrid(query)
        if where is not None:
            # a filter picks among the related products, it does not fill the page: a hit
            # matches a word, or would be in the first FILTERED_DEPTH without the filter
            # ("mug" in Japan, where no mug sold, listed peg bags and money boxes: a walk)
            hits = [h for i, h in enumerate(hits) if where(self._docs[h.id])
                    and (h.lexical_rank is not None or i < FILTERED_DEPTH)]  # fmt: skip
        return hits[:k]

    def _hybrid(self, query: str) -> list[SearchHit]:
        reading = self.read_query(query)
        dense = [(1.0, self._dense_hits(query))]
        if reading.in_catalog_language:
            return self._fuse([(self.weights.lexical, self._lexical_hits(query))], dense)
        if self._across is not None:
            dense.append((self.weights.crosslingual, self._across.search(query, self.candidates)))
        lexical = []
        if reading.held:
            stored = self.matches_translation(query)
            weight = self.weights.stored_lexical if stored else self.weights.foreign_lexical
            if weight > 0:
                lexical.append((weight, self._lexical_hits(query)))
        translation = self._translation(query, reading)
        if translation is not None:
            dense.append((self.weights.translated_dense, self._dense_hits(translation)))
            lexical.append((self.weights.translated_lexical, self._lexical_hits(translation)))
        phrase = self.phrase_reading(query, reading)
        if phrase is not None:
            lexical.append((self.weights.phrase_lexical, self._lexical_hits(phrase)))
        return self._fuse(lexical, dense)

    def phrase_reading(self, query: str, reading: QueryReading | None = None) -> str | None:
        """The catalog phrase nearest a foreign query by the cross-lingual embedder, when at
        least `phrase_at_least` similar (see phrases.py); None for a query in the catalog's
        language, a sentence, or an index without a cross-lingual embedder."""
        if self.weights.phrase_lexical <= 0:
            return None
        found = self.nearest_phrase(query, reading)
        return found[0] if found and found[1] >= self.phrase_at_least else None

    def nearest_phrase(
        self, query: str, reading: QueryReading | None = None
    ) -> tuple[str, float] | None:
        """The catalog phrase nearest a foreign query and its similarity, however low."""
        if self._phrases is None or self.fusion != "rrf":
            return None
        reading = reading or self.read_query(query)
        if reading.in_catalog_language:
            return None
        self._refit_phrases()
        return self._phrases.nearest(query, reading.language)

    def _refit_phrases(self) -> None:
        if self._phrases is not None and self._phrases_stale:
            self._phrases.fit(d.title for d in self._docs.values())
            self._phrases_stale = False

    def _translation(self, query: str, reading: QueryReading) -> str | None:
        """The query read into the catalog's language (None without a translate function)."""
        if self.translate is None or self.fusion != "rrf":
            return None
        return self.translate(query, reading.language, self.catalog_language)

    def matches_translation(self, query: str) -> bool:
        """Whether a word of the query is a word of a stored translated title."""
        self._refit_lexical()
        if self._translation_units is None:
            self._translation_units = frozenset(
                u for w in self._translation_words for u in _units(w)
            )
        units = self._translation_units
        return any(u in units for w in _words(query) for u in _units(w))

    @property
    def languages(self) -> frozenset[str]:
        """The catalog's language and every language a stored translated title is in."""
        if self._languages is None:  # the stored translations' languages, kept until a write
            self._languages = frozenset(
                lang for doc in self._docs.values() for lang, _ in doc.translations
            )
        return self._languages | {self.catalog_language}  # it may be set after building

    def query_language(self, query: str) -> str:
        """The query's most likely language, with the catalog's language as prior."""
        return self.read_query(query).language

    def reads(self, query: str) -> bool:
        """Whether BM25 may hold the query's language (else hybrid search goes dense only)."""
        return self.read_query(query).held

    def read_query(self, query: str) -> QueryReading:
        """The query's language (the catalog's language as prior) and whether BM25 holds it."""
        from borderless.capabilities.language import (
            catalog_prior,
            language_probabilities,
            readable,
        )

        catalog = QueryReading(self.catalog_language, True, True)
        if not readable(query):
            return catalog
        prior = catalog_prior([], market=self.catalog_language)
        found = language_probabilities(query, prior)
        if not found:
            return catalog
        best = max(found, key=lambda c: (found[c], c == self.catalog_language))
        if best != self.catalog_language and self.catalog_words(query) >= (
            self.catalog_words_at_least
        ):
            return catalog
        held = sum(found.get(code, 0.0) for code in self.languages) >= READ_AT_LEAST
        return QueryReading(best, best == self.catalog_language, held)

    def _refit_lexical(self) -> None:
        if self._lexical_stale:
            ids = list(self._docs)
            self._lexical.fit(ids, [self._docs[i].lexical_text for i in ids])
            self._translation_units = None
            self._translation_words = frozenset(
                w for d in self._docs.values() for _, title in d.translations for w in _words(title)
            )
            self._own_words = _own_words(self._docs.values())
            self._word_counts = Counter(
                w for d in self._docs.values() for w in set(_words(d.lexical_text))
            )
            self._lexical_stale = False

    def catalog_words(self, text: str) -> float:
        """The share of the text's words that the catalog's own titles and descriptions use
        (stored translations not counted); 0 for a text without words."""
        self._refit_lexical()
        words = _words(text)
        return sum(1 for w in words if w in self._own_words) / len(words) if words else 0.0

    def familiarity(self, text: str) -> float:
        """How much the catalog's own words back `text`: the share of its words some document
        uses, plus a little for how many use them (a dictionary's candidate translations are
        ranked by it: the catalog says "holder" where the dictionary says "bracket" first)."""
        self._refit_lexical()
        words = _words(text)
        if not words:
            return 0.0
        counts = [self._word_counts.get(w, 0) for w in words]
        known = sum(1 for c in counts if c) / len(words)
        return known + min(sum(counts), 10_000) / 1e6

    def _lexical_hits(self, query: str) -> Ranked:
        if not tokens(query):
            return []  # only punctuation, symbols or emoji: no word for BM25 to match
        self._refit_lexical()
        return self._lexical.search(query, self.candidates)

    def crosslingual_hits(self, query: str, k: int | None = None) -> list[SearchHit]:
        """The cross-lingual embedder's nearest titles (none without one)."""
        if self._across is None:
            return []
        return [SearchHit(d, v, None, r) for r, (d, v) in
                enumerate(self._across.search(query, k or self.candidates), 1)]  # fmt: skip

    def _dense_hits(self, query: str) -> Ranked:
        if self._dense is None:
            return []
        return self._dense.search(query, self.candidates)

    def _fuse(
        self, lexical: list[tuple[float, Ranked]], dense: list[tuple[float, Ranked]]
    ) -> list[SearchHit]:
        """Weighted lists into one ranking; each side's rank reported is the best a hit has in
        any of that side's lists (only the first list's was: a hit found by the query's reading
        or the cross-lingual embedder alone showed no "found by": a walk)."""
        lexical = [(w, hits) for w, hits in lexical if w > 0 and hits]
        dense = [(w, hits) for w, hits in dense if w > 0 and hits]
        lexical_rank, dense_rank = _best_ranks(lexical), _best_ranks(dense)
        scores: dict[str, float] = {}
        if self.fusion == "rrf" or len(lexical) > 1 or len(dense) > 1:
            for weight, hits in [*lexical, *dense]:
                for rank, (doc_id, _) in enumerate(hits, 1):
                    scores[doc_id] = scores.get(doc_id, 0.0) + weight / (self.rrf_k + rank)
        else:
            lexical_weight = self.alpha if dense else 1.0
            dense_weight = 1.0 - self.alpha if lexical else 1.0
            for _, hits in lexical:
                top = hits[0][1]
                for doc_id, value in hits:
                    scores[doc_id] = scores.get(doc_id, 0.0) + lexical_weight * value / top
            for _, hits in dense:
                for doc_id, value in hits:
                    scores[doc_id] = scores.get(doc_id, 0.0) + dense_weight * value
        ordered = sorted(scores, key=lambda d: (-scores[d], d))
        return [
            SearchHit(d, scores[d], lexical_rank.get(d), dense_rank.get(d))
            for d in ordered
            if d in self._docs
        ]


def _best_ranks(lists: list[tuple[float, Ranked]]) -> dict[str, int]:
    """Each document's best 1-based rank over `lists`."""
    best: dict[str, int] = {}
    for _, hits in lists:
        for rank, (doc_id, _) in enumerate(hits, 1):
            best[doc_id] = min(rank, best.get(doc_id, rank))
    return best


def _document_row(doc: SearchDocument) -> dict[str, object]:
    return {
        "id": doc.id,
        "title": doc.title,
        "description": doc.description,
        "price": None if doc.price is None else str(doc.price),
        "stock": doc.stock,
        "category": doc.category,
        "translations": [list(pair) for pair in doc.translations],
        "currency": doc.currency,
    }


def _document_from_row(row: dict[str, Any]) -> SearchDocument:
    price = row["price"]
    return SearchDocument(
        str(row["id"]),
        row["title"],
        row["description"],
        None if price is None else Decimal(price),
        row["stock"],
        row["category"],
        tuple((str(lang), str(title)) for lang, title in row["translations"]),
        str(row.get("currency") or ""),
    )


# Kana, Han and Hangul: runs of these are matched by character pairs. Korean is written with
# spaces, but its words carry their particles ("물주머니를"), so a pair still meets the bare word.
_CHARACTER_PAIRED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _units(word: str) -> list[str]:
    """What a word is matched by: itself, or for text written without spaces (Chinese,
    Japanese, Korean runs) its character pairs: "金属灯笼" meets a stored "白色金属灯笼"."""
    if _CHARACTER_PAIRED.search(word) and len(word) > 2:
        return [word[i : i + 2] for i in range(len(word) - 1)]
    return [word]


def _own_words(docs: Iterable[SearchDocument]) -> frozenset[str]:
    return frozenset(w for d in docs for w in _words(d.text))


def _words(text: str) -> list[str]:
    return [w for w in tokens(text) if not w.startswith("#")]
