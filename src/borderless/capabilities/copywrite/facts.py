"""A product's facts: what copy may state, for the prompt and for the grounding check.

No evidence, no fact: a value counts only when the seller's data says it (title, description,
attributes the seller entered or confirmed). What the product *is*, read from its title
(type, pack size, pattern, audience), is a fact, so every product with a title can get copy.
Values the vocabulary only implies ("T-LIGHT HOLDER" -> glass) are not: imports before this
rule stored them as attributes, so a stored value that the title implies but never states is
dropped unless the seller confirmed it (attribute `confirmed`: names the seller checked).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from borderless.capabilities.catalog.attributes import (
    BOOKKEEPING,
    DESIGN,
    GROUPS,
    PRODUCT,
    Vocabulary,
    find_measures,
    find_numbers,
)
from borderless.capabilities.catalog.money import Rate, format_price, local_price, rule_for
from borderless.capabilities.catalog.records import Market, Product
from borderless.capabilities.catalog.units import find_sizes, localize_measures, size_equivalents
from borderless.errors import InvalidInput

__all__ = ["Facts", "facts_of"]

_RETRO = re.compile(r"retro", re.IGNORECASE)
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
    sizes: frozenset[tuple[str, str]] = frozenset()  # (system, size): stated, and equivalents

    def prompt_text(self) -> str:
        return "\n".join(f"- {label}: {value}" for label, value in self.lines)

    @property
    def mark(self) -> str:
        """A short fingerprint of what copy is written from (the prompt's facts): a draft
        whose mark differs from its product's today was written from earlier facts."""
        return hashlib.sha256(self.prompt_text().encode()).hexdigest()[:16]


def _words(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_words(v)}" for k, v in value.items())
    return str(value)


def facts_of(
    product: Product,
    vocabulary: Vocabulary,
    market: Market | None = None,
    brand: str = "",
    *,
    rates: Mapping[str, Rate] | None = None,
    language: str | None = None,
    kept: Iterable[str] = (),
) -> Facts:
    """The facts copy for `product` may state; InvalidInput when it has none to ground it.
    `kept`: names the seller's glossary keeps as they are in the copy's language ("Regency"):
    brands to copy, backed and never "left in English" (German ad text was flagged "left in
    en: Regency" with Regency in the glossary: a walk).

    For a `market`, measures and clothing sizes are given in its systems (90 cm as 35.4 in
    for the US, UK 10 as EU 38 for Germany) with numbers written for `language` (the copy's;
    the market's own by default), and the price in its currency through the seller's `rates`
    and rounding rule; without a rate for that currency the price is left out, never
    relabelled. What the rules derive is backed like the product's own values.
    """
    attributes = _backed(product, vocabulary)
    read = _read_from_text(product, vocabulary)
    attributes |= {k: v for k, v in read.items() if k not in attributes}
    if not attributes and not product.description.strip():
        raise InvalidInput(
            f"product {product.sku} has no attributes or description to ground copy in, and its "
            "title names no product type; add attributes (type, material, colour, ...) first",
            field="attributes",
        )
    lines: list[tuple[str, str]] = [("Product", _sentence_case(product.title.strip()))]
    if brand:
        lines.append(("Brand", brand))
    for key, value in sorted(attributes.items()):
        lines.append((key.replace("_", " ").capitalize(), _words(value)))
    if product.option_values:
        lines.append(("Options", ", ".join(product.option_values)))
    if product.weight_grams:
        lines.append(("Weight", f"{product.weight_grams} g"))
    if product.price is not None and (market is None or market.currency == product.currency):
        lines.append(("Price", f"{product.price} {product.currency}"))
    if product.description.strip():
        lines.append(("Description", " ".join(product.description.split())[:1200]))
    source = "\n".join(value for _, value in lines)  # the product's own data
    cldr = _cldr(language or (market.language if market is not None else "en"))
    # the product's own price as the copy's language writes it ("2,95 £" in German copy
    # with no market; it said "2.95 GBP", a walk); the source keeps the stored form
    lines = [(label, _own_price(product, cldr) if label == "Price" else value)
             for label, value in lines]  # fmt: skip
    if market is not None:
        lines = [(label, _in_market(value, market, cldr)) for label, value in lines]
        price = _market_price(product, market, rates or {}, cldr)
        if price:
            lines.insert(-1 if product.description.strip() else len(lines), ("Price", price))
    text = "\n".join(value for _, value in lines)
    both = f"{source}\n{text}"
    ids = vocabulary.ids(
        both, product.language or "en", implied=False, groups=(*GROUPS, PRODUCT, DESIGN)
    )
    if _RETRO.search(both):
        ids[DESIGN].add("vintage")  # "RETROSPOT" is a retro print: copy may say "retro"
    # what the product is (a teapot), and what copy may name beside it (a cup)
    ids[PRODUCT] |= {
        other for own in ids[PRODUCT] for other in vocabulary.product_with.get(own, ())
    }
    numbers = {value for value, _, _ in find_numbers(both)}
    measures = tuple(dict.fromkeys((m.dimension, m.value) for m in find_measures(both)))
    sizes = {same for system, size, _, _ in find_sizes(f"{source}\n{product.title}")
             for same in size_equivalents(system, size)}  # fmt: skip
    brands = {brand.lower()} if brand else set()
    brands |= {b.id.lower() for b in vocabulary.find_brands(text)}
    brands |= {name.strip().lower() for name in kept if name.strip()}
    return Facts(
        product.sku, product.title, tuple(lines), ids, frozenset(numbers), measures,
        frozenset(brands), product.language or "en", frozenset(sizes),
    )  # fmt: skip


def _sentence_case(title: str) -> str:
    """An upper-case retail title as a sentence ("Linen dress UK 10"): sizes keep their
    system's capitals, so they are still read as sizes."""
    out = title.capitalize()
    if len(out) != len(title):  # a letter whose case changes its length: leave it be
        return out
    for _, _, start, end in find_sizes(title):
        out = out[:start] + title[start:end] + out[end:]
    return out


def _cldr(language: str) -> str:
    """A locale Babel knows for `language` (Norwegian is written nb)."""
    return "nb" if language == "no" else language


def _in_market(value: str, market: Market, language: str) -> str:
    """`value` with its measures and sizes as `market` reads them; a size off the size
    table stays in its own system (still true, and the check backs it as written)."""
    try:
        return localize_measures(value, market.code, language)
    except InvalidInput:
        return value


def _own_price(product: Product, language: str) -> str:
    """The product's price in its own currency as CLDR writes it in `language`."""
    assert product.price is not None
    try:
        return format_price(product.price, product.currency, language)
    except InvalidInput:  # a currency CLDR does not know: as stored
        return f"{product.price} {product.currency}"


def _market_price(
    product: Product, market: Market, rates: Mapping[str, Rate], language: str
) -> str | None:
    """The price in the market's currency by the seller's rate and rounding rule, as CLDR
    writes it; None when the currency is the product's own (already listed) or has no rate."""
    if product.price is None or market.currency == product.currency:
        return None
    try:
        price = local_price(product.price, product.currency, market.currency, rates)
        rule = rule_for(product.currency, market.currency, rates)
        return format_price(price, market.currency, language, rule)
    except InvalidInput:
        return None


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
        if key in BOOKKEEPING or value in ("", [], None):
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
