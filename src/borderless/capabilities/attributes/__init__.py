"""Product understanding: what a product is, read from its title and description.

Public names: `AttributeExtractor` (fit on a catalog, extract per product), `Attribute`,
`ProductAttributes`, `CatalogLexicon`, `read_catalog` (the `id,title[,description]` file).
"""

from borderless.capabilities.attributes.extract import AttributeExtractor, guess_language
from borderless.capabilities.attributes.files import read_catalog
from borderless.capabilities.attributes.induce import CatalogLexicon
from borderless.capabilities.attributes.records import (
    NAMES,
    STATUSES,
    Attribute,
    AttributeField,
    AttributeSource,
    AttributeStatus,
    ProductAttributes,
)

__all__ = [
    "NAMES",
    "STATUSES",
    "Attribute",
    "AttributeExtractor",
    "AttributeField",
    "AttributeSource",
    "AttributeStatus",
    "CatalogLexicon",
    "ProductAttributes",
    "guess_language",
    "read_catalog",
]
