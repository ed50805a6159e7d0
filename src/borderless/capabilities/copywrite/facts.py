"""A product's facts: what copy may state, for the prompt and for the grounding check.

No evidence, no fact: a value counts only when the seller's data says it (title, description,
attributes the seller entered or confirmed). What the product *is*, read from its title
(type, pack size, pattern, audience), is a fact, so every product with a title can get copy.
Values the vocabulary only implies ("T-LIGHT HOLDER" -> glass) are not: imports before this
rule stored them as attributes, so a stored value that the title implies but never states is
dropped unless the seller confirmed it (attribute `confirmed`: names the seller checked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from borderless.capabilities.catalog.attributes import (
    GROUPS,
    UNITS,
    Vocabulary,
    find_measures,
    find_numbers,
)
from borderless.capabilities.catalog.records import Market, Product
from borderless.errors import InvalidInput

__all__ = ["Facts", "facts_of"]

IMPERIAL_MARKETS = {"US", "LR", "MM"}
_SKIP = {"source", "confirmed"}  # keys about where facts came from, not facts
_EXTRACTED = ("type", "quantity", "pattern", "audience", "brand", "model")


@dataclass(frozen=True)
class Facts:
    """What is known about one product, in English, and the ids and numbers it backs."""

    sku: str
    title: str
    lines: tuple[tuple[str, str], ...]  # (label, value) as the prompt shows them
    ids: dict[str, set[str]] = field(default_factory=dict)  # group -> backed canonical ids
    numbers: frozenset[Decimal] = frozenset()
    measures: tuple[tuple[str, Decimal], ...] = ()  # (dimension, base value)
    brands: frozenset[str] = frozenset()  # lower case
    language: str = "en"  # the language of the title (what copy must not leave standing)

    def prompt_text(self) -> str:
        return "\n".join(f"- {label}: {value}" for label, value in self.lines)


def _words(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_words(v)}" for k, v in value.items())
    return str(value)


def _imperial(measures: list[str]) -> list[str]:
    """Metric measures with their imperial equivalents, for markets that use inches."""
    out = []
    for text in measures:
        found = find_measures(text)
        if found and found[0].dimension == "length":
            inches = (found[0].value / UNITS["in"][1]).quantize(Decimal("0.1"))
            out.append(f"{text} ({inches} in)")
        else:
            out.append(text)
    return out


def facts_of(
    product: Product, vocabulary: Vocabulary, market: Market | None = None, brand: str = ""
) -> Facts:
    """The facts copy for `product` may state; InvalidInput when it has none to ground it."""
    attributes = _backed(product, vocabulary)
    read = _read_from_text(product, vocabulary)
    attributes |= {k: v for k, v in read.items() if k not in attributes}
    if not attributes and not product.description.strip():
        raise InvalidInput(
            f"product {product.sku} has no attributes or description to ground copy in, and its "
            "title names no product type; add attributes (type, material, colour, ...) first",
            field="attributes",
        )
    lines: list[tuple[str, str]] = [("Product", product.title.strip().capitalize())]
    if brand:
        lines.append(("Brand", brand))
    for key, value in sorted(attributes.items()):
        shown = _words(value)
        if key == "measures" and market is not None and market.code in IMPERIAL_MARKETS:
            shown = ", ".join(_imperial([str(v) for v in value]))
        lines.append((key.replace("_", " ").capitalize(), shown))
    if product.option_values:
        lines.append(("Options", ", ".join(product.option_values)))
    if product.weight_grams:
        lines.append(("Weight", f"{product.weight_grams} g"))
    if product.price is not None and (market is None or market.currency == product.currency):
        lines.append(("Price", f"{product.price} {product.currency}"))
    if product.description.strip():
        lines.append(("Description", " ".join(product.description.split())[:1200]))
    text = "\n".join(value for _, value in lines)
    found = vocabulary.ids(text, product.language or "en", implied=False)
    ids = {g: found.get(g, set()) for g in GROUPS}
    numbers = {value for value, _, _ in find_numbers(text)}
    measures = tuple((m.dimension, m.value) for m in find_measures(text))
    brands = {brand.lower()} if brand else set()
    brands |= {b.id.lower() for b in vocabulary.find_brands(text)}
    return Facts(
        product.sku, product.title, tuple(lines), ids, frozenset(numbers), measures,
        frozenset(brands), product.language or "en",
    )  # fmt: skip


def _backed(product: Product, vocabulary: Vocabulary) -> dict[str, Any]:
    """Stored attributes, less vocabulary values the title only implies (unless confirmed)."""
    confirmed = product.attributes.get("confirmed", [])
    confirmed = set(confirmed if isinstance(confirmed, list) else [confirmed])
    seller_text = product.title + "\n" + product.description
    language = product.language or "en"
    stated = vocabulary.ids(seller_text, language, implied=False)
    implied = vocabulary.ids(product.title, language)
    out: dict[str, Any] = {}
    for key, value in product.attributes.items():
        if key in _SKIP or value in ("", [], None):
            continue
        if key in GROUPS and key not in confirmed:
            values = value if isinstance(value, list) else [value]
            kept = [
                v for v in values
                if not (str(v) in implied[key] and str(v) not in stated[key])
            ]  # fmt: skip
            if not kept:
                continue
            value = kept if isinstance(value, list) else kept[0]
        out[key] = value
    return out


def _read_from_text(product: Product, vocabulary: Vocabulary) -> dict[str, Any]:
    """What the title and description say the product is, by the attribute rules."""
    from borderless.capabilities.attributes import AttributeExtractor

    read = AttributeExtractor(vocabulary, suggest=False).extract(
        product.sku, product.title, product.description, product.language or None
    )
    return {k: v for k, v in read.facts().items() if k in _EXTRACTED}
