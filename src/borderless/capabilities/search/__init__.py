"""Product search: lexical (BM25), dense (multilingual embeddings) and their fusion."""

from borderless.capabilities.search.documents import SearchDocument, SearchHit
from borderless.capabilities.search.hybrid import HybridIndex

__all__ = ["HybridIndex", "SearchDocument", "SearchHit"]
