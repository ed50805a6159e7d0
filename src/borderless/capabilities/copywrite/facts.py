"""A product's facts: what copy may state, for the prompt and for the grounding check."""

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
_SKIP = {"source"}  # attribute keys that describe where facts came from, not facts


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
    attributes = {
        k: v for k, v in product.attributes.items() if k not in _SKIP and v not in ("", [], None)
    }
    if not attributes and not product.description.strip():
        raise InvalidInput(
            f"product {product.sku} has no attributes or description to ground copy in; "
            "add attributes (material, colour, size, ...) first",
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
    found = vocabulary.ids(text, product.language or "en")
    ids = {g: found.get(g, set()) for g in GROUPS}
    numbers = {value for value, _, _ in find_numbers(text)}
    measures = tuple((m.dimension, m.value) for m in find_measures(text))
    brands = {brand.lower()} if brand else set()
    brands |= {b.id.lower() for b in vocabulary.find_brands(text)}
    return Facts(
        product.sku, product.title, tuple(lines), ids, frozenset(numbers), measures,
        frozenset(brands),
    )  # fmt: skip
