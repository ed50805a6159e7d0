"""What the extractor finds: one attribute value with the span of text that backs it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "NAMES",
    "STATUSES",
    "Attribute",
    "AttributeField",
    "AttributeSource",
    "AttributeStatus",
    "ProductAttributes",
]

NAMES = ("type", "brand", "model", "colour", "material", "size", "quantity", "pattern",
         "audience")  # fmt: skip
AttributeStatus = Literal["stated", "suggested", "confirmed", "rejected"]
STATUSES: tuple[AttributeStatus, ...] = ("stated", "suggested", "confirmed", "rejected")
# Where a value was read: a text field of the product, or none when only the seller gave it.
AttributeField = Literal["title", "description", "seller"]
# What found it: the shipped vocabulary, the catalog's own lexicon, a pattern rule, a title's
# first word (a one-product brand), the LLM (its value found in the text), or the seller.
AttributeSource = Literal["vocabulary", "catalog", "rule", "position", "llm", "seller"]


@dataclass(frozen=True)
class Attribute:
    """One value: `stated` when the span says it, `suggested` when only implied ("candle" ->
    wax) and waiting for the seller, `confirmed` once the seller said so."""

    name: str
    value: str | int
    span: str
    start: int
    end: int
    field: AttributeField = "title"
    source: AttributeSource = "rule"
    status: AttributeStatus = "stated"


@dataclass
class ProductAttributes:
    id: str
    language: str
    attributes: list[Attribute] = field(default_factory=list)

    def values(self, name: str, statuses: tuple[str, ...] = ("stated", "confirmed")) -> list[Any]:
        out: list[Any] = []
        for a in self.attributes:
            if a.name == name and a.status in statuses and a.value not in out:
                out.append(a.value)
        return out

    def first(self, name: str) -> Any:
        found = self.values(name)
        return found[0] if found else None

    def facts(self) -> dict[str, Any]:
        """Backed values by name (one value, or a list when there are several)."""
        out: dict[str, Any] = {}
        for name in NAMES:
            found = self.values(name)
            if found:
                out[name] = found[0] if len(found) == 1 else found
        return out

    def as_json(self) -> dict[str, Any]:
        """The contract line: id, every name (first value or null), all values, evidence."""
        out: dict[str, Any] = {"id": self.id, "language": self.language}
        out |= {name: self.first(name) for name in NAMES}
        out["values"] = {n: self.values(n) for n in NAMES if self.values(n)}
        out["suggested"] = [asdict(a) for a in self.attributes if a.status == "suggested"]
        out["evidence"] = [asdict(a) for a in self.attributes if a.status != "suggested"]
        return out
