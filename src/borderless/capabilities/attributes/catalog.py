"""Attributes for a whole catalog: learn its brands and types from every title, then extract."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from borderless.capabilities.attributes.extract import AttributeExtractor, guess_language
from borderless.capabilities.attributes.files import CatalogRow
from borderless.capabilities.attributes.llm import LLMExtractor, merge
from borderless.capabilities.attributes.records import ProductAttributes
from borderless.capabilities.catalog.attributes import Vocabulary

__all__ = ["extract_catalog", "extract_product"]


def extract_catalog(
    rows: Sequence[CatalogRow], vocabulary: Vocabulary | None = None,
    advance: Callable[[int], None] | None = None, llm: LLMExtractor | None = None,
) -> list[ProductAttributes]:  # fmt: skip
    """One result per row, in order; the language is the row's, else read from its title.
    With `llm`, the model's values checked against the text join the rules' (llm.py)."""
    languages = [row.language or guess_language(row.title) for row in rows]
    extractor = AttributeExtractor(vocabulary).fit([r.title for r in rows], languages)
    out = []
    for row, language in zip(rows, languages, strict=True):
        found = extractor.extract(row.id, row.title, row.description, language)
        if llm is not None:
            found = merge(found, llm.read([row], [language])[0], llm.prefer, llm.fill)
        out.append(found)
        if advance:
            advance(1)
    return out


def extract_product(row: CatalogRow, catalog: Sequence[CatalogRow]) -> ProductAttributes:
    """One product read with what the catalog's titles teach (its brands and types): for a
    product added one at a time, without extracting the whole catalog again."""
    rows = [r for r in catalog if r.id != row.id] + [row]
    languages = [r.language or guess_language(r.title) for r in rows]
    extractor = AttributeExtractor().fit([r.title for r in rows], languages)
    return extractor.extract(row.id, row.title, row.description, languages[-1])
