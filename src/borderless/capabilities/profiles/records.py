"""What profiles are built from: one row per merchandise line of a sale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Purchase"]


@dataclass(frozen=True)
class Purchase:
    customer_id: str
    order_id: str
    placed_at: datetime
    sku: str
    title: str
    quantity: int
    unit_price: float
    country: str  # market code
    language: str

    @property
    def value(self) -> float:
        return self.quantity * self.unit_price
