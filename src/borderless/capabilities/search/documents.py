"""What the search indexes hold and return."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["SearchDocument", "SearchHit"]


@dataclass(frozen=True)
class SearchDocument:
    id: str
    title: str
    description: str = ""
    price: Decimal | None = None
    stock: int | None = None
    category: str = ""  # "Home & Garden > Decor", several separated by commas
    translations: tuple[tuple[str, str], ...] = ()  # (language, title) stored for the listing

    @property
    def text(self) -> str:
        return f"{self.title} {self.description}".strip()

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
