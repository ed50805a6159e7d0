"""The LLM as an optional extractor, every value it gives checked against the product's text.

Asked for one JSON object per product (type, colour, material, size, quantity, pattern,
audience; not brand or model, see ASKED), a local or remote model may read what the rules miss:
the product in a title that ends with a design name ("PAPERWEIGHT KINGS CHOICE" is a
paperweight), an abbreviation ("NECKL" a necklace). Nothing it says is taken on trust: a value
counts only where the title or the description contains it as words (case aside; an English
plural "s"/"es" either way), and a quantity only where that number stands in the text. Its
evidence span is that place, so a seller sees where each value came from, as for every other
source (`llm`).

For the names in `prefer` (by default the product type, the rules' weakest attribute) the
model's backed value replaces the rules'; the rest stays as the rules found it. Measured on the
hand-labelled titles (benchmarks/RESULTS.md, "Product attributes: the LLM as a checked
extractor", Qwen2.5-Coder-1.5B): the type rose from 70% to 84% right in English and fell from
88% to 78% in German and 92% to 90% in Chinese; letting the model also fill names the rules left
empty (`fill`) dropped colour from 98% to 73% precise and pattern from 100% to 54% in English
(title words it calls a colour or a pattern are in the text, so the check keeps them), so
`fill` is off by default. Anything the text does not back is dropped and counted (`unbacked`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from borderless.backends.base import GenerationRequest, Generator
from borderless.capabilities.attributes.files import CatalogRow
from borderless.capabilities.attributes.patterns import WIDE
from borderless.capabilities.attributes.records import (
    Attribute,
    AttributeField,
    ProductAttributes,
)
from borderless.capabilities.attributes.tokens import singular

__all__ = ["LLMExtractor", "LLMRead", "merge"]

# Brand and model are left to the rules, which learn them from the whole catalog: asked for
# them, Qwen2.5-Coder-1.5B named title words as both ("PAPERWEIGHT KINGS CHOICE": brand
# "PAPERWEIGHT KINGS", model "CHOICE"), which the text check cannot catch: the words are there.
ASKED = ("type", "colour", "material", "size", "quantity", "pattern", "audience")
SYSTEM = (
    "You read product listings for an online shop. Reply with one JSON object only, with the "
    f"keys {', '.join(ASKED)}. Copy each value word for word from the listing; use null when "
    "the listing does not say it. type: the kind of product (a noun or noun phrase, for example "
    "'cake stand'), not its design or theme name. quantity: how many items are in the pack, as "
    "a number. audience: who it is for (for example children)."
)
_JSON = re.compile(r"\{.*\}", re.DOTALL)


@dataclass(frozen=True)
class LLMRead:
    """What the model said for one product: the backed values, and the names it gave values
    for that the text does not contain."""

    attributes: tuple[Attribute, ...] = ()
    unbacked: tuple[str, ...] = ()


class LLMExtractor:
    """One chat request per product, answered at temperature 0."""

    def __init__(
        self,
        generator: Generator,
        prefer: Sequence[str] = ("type",),
        fill: bool = False,
        max_tokens: int = 120,
    ) -> None:
        self.generator = generator
        self.prefer = tuple(prefer)
        self.fill = fill
        self.max_tokens = max_tokens
        self.backed = 0  # values read so far that the text contains
        self.unbacked = 0  # values read so far that it does not (dropped)

    def read(self, rows: Sequence[CatalogRow], languages: Sequence[str]) -> list[LLMRead]:
        requests = [
            GenerationRequest.from_prompt(
                f"Title: {row.title}" + (f"\nDescription: {row.description}" if row.description
                                         else ""),
                SYSTEM, temperature=0.0, max_tokens=self.max_tokens, seed=0,
            )
            for row in rows
        ]  # fmt: skip
        answers = self.generator.generate_batch(requests) if requests else []
        out = [
            _backed(_parse(answer.text), row, language)
            for answer, row, language in zip(answers, rows, languages, strict=True)
        ]
        self.backed += sum(len(r.attributes) for r in out)
        self.unbacked += sum(len(r.unbacked) for r in out)
        return out


def merge(
    found: ProductAttributes, read: LLMRead, prefer: Sequence[str], fill: bool = False
) -> ProductAttributes:
    """The rules' values with the model's backed ones: the names in `prefer` replaced, and with
    `fill` the names the rules left empty. Suggestions stay as they are."""
    stated = {a.name for a in found.attributes if a.status == "stated"}
    taken = {a.name for a in read.attributes if a.name in prefer or (fill and a.name not in stated)}
    kept = [a for a in found.attributes if a.name not in taken or a.status != "stated"]
    added = [a for a in read.attributes if a.name in taken]
    return replace(found, attributes=kept + added)


def _parse(text: str) -> dict[str, object]:
    match = _JSON.search(text)
    if not match:
        return {}
    try:
        data = json.loads(match.group(0))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _backed(data: dict[str, object], row: CatalogRow, language: str) -> LLMRead:
    out: list[Attribute] = []
    unbacked: list[str] = []
    for name in ASKED:
        value = data.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if (
            value is None
            or isinstance(value, bool)
            or str(value).strip().lower() in ("", "null", "none")
        ):
            continue  # fmt: skip
        found = _evidence(name, str(value).strip(), row, language)
        if found is None:
            unbacked.append(name)
        else:
            out.append(found)
    return LLMRead(tuple(out), tuple(unbacked))


def _evidence(name: str, value: str, row: CatalogRow, language: str) -> Attribute | None:
    if name == "quantity":
        number = re.fullmatch(r"\d{1,7}", value)
        if not number or int(value) < 1:
            return None
        pattern = rf"(?<!\d)0*{int(value)}(?!\d)"
    else:
        if language == "en":  # "tissue boxes" for "TISSUE BOX", "pencil" for "PENCILS"
            *lead, last = value.split()
            value = " ".join([*lead, singular(last.lower(), language)])
        words = re.escape(value)
        plural = r"(?:s|es)?" if language == "en" else ""
        pattern = words if language in WIDE else rf"(?<!\w){words}{plural}(?!\w)"
    fields: tuple[tuple[AttributeField, str], ...] = (
        ("title", row.title),
        ("description", row.description),
    )
    for field_name, text in fields:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            span = m.group(0)
            kept: str | int = (
                int(value) if name == "quantity"
                else span if name in ("brand", "model")  # as written, as the rules keep them
                else span.lower()
            )  # fmt: skip
            if name == "type" and isinstance(kept, str):
                head = kept.split()
                head[-1] = singular(head[-1], language)
                kept = " ".join(head)
            return Attribute(name, kept, span, m.start(), m.end(), field_name, "llm")
    return None
