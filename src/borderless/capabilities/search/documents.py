"""What the search indexes hold and return."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["SearchDocument", "SearchHit", "sentence_case"]

_SPACES = re.compile(r"\s+")


def sentence_case(title: str) -> str:
    """An ALL-CAPS title in sentence case ("LAVENDER SCENTED CANDLE" -> "Lavender scented
    candle"), spaces collapsed; any other title as written.

    Sentence encoders read capitals as rare tokens: the 4-bit multilingual E5 put "香薰蜡烛"
    (scented candle) at reciprocal rank 0.17 against the demo shop's capitalised titles and 1.0
    against the same titles in sentence case.
    """
    text = _SPACES.sub(" ", title).strip()
    if not text.isupper():
        return text  # mixed case is the seller's own writing ("iPhone", "Rosé"): keep it
    return text[:1].upper() + text[1:].lower()


@dataclass(frozen=True)
class SearchDocument:
    id: str
    title: str
    description: str = ""
    price: Decimal | None = None
    stock: int | None = None
    category: str = ""  # "Home & Garden > Decor", several separated by commas
    translations: tuple[tuple[str, str], ...] = ()  # (language, title) stored for the listing
    currency: str = ""  # the price's; "" when unknown (read as the shop's own)

    @property
    def text(self) -> str:
        return f"{self.title} {self.description}".strip()

    @property
    def dense_text(self) -> str:
        """What the dense index embeds: the title, normalised (see sentence_case)."""
        return sentence_case(self.title)

    @property
    def lexical_text(self) -> str:
        """Title, description and every stored translated title: what BM25 matches words in."""
        return " ".join([self.text, *(title for _, title in self.translations)]).strip()


@dataclass(frozen=True)
class SearchHit:
    id: str
    score: float
    lexical_rank: int | None = None  # 1-based; None when that index did not return it
    dense_rank: int | None = None
