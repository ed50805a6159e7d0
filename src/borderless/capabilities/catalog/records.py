"""Plain records of the shop's data, shared by importers, storage and the service.

A *listing* is a product page (one Shopify product, one WooCommerce parent); a *product* is
one sellable SKU (a variant). Products from the retail file have no listing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

__all__ = ["Customer", "Image", "Listing", "Market", "Order", "OrderLine", "Product"]

JSON = dict[str, Any]


@dataclass(frozen=True)
class Market:
    """A country the shop sells to, with the language and currency used there."""

    code: str  # ISO 3166-1 alpha-2, or a user-assigned X* code where ISO has none
    name: str
    language: str  # ISO 639-1
    currency: str  # ISO 4217


@dataclass
class Image:
    src: str
    position: int
    alt: str = ""


@dataclass
class Listing:
    """A product page grouping one or more SKUs that differ by options (size, colour)."""

    handle: str
    title: str
    body_html: str = ""
    vendor: str = ""
    product_type: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "active"
    option_names: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    source_format: str = ""
    extra: JSON = field(default_factory=dict)  # format-specific fields kept for round trips


@dataclass
class Product:
    """One sellable SKU."""

    sku: str
    title: str
    description: str = ""
    attributes: JSON = field(default_factory=dict)
    price: Decimal | None = None
    currency: str = "GBP"
    stock: int | None = None
    language: str = "en"
    kind: str = "merchandise"  # merchandise | charge | voucher
    listing_handle: str | None = None
    position: int = 1
    option_values: list[str] = field(default_factory=list)
    compare_at_price: Decimal | None = None
    barcode: str = ""
    weight_grams: int | None = None
    image_src: str = ""
    aliases: list[str] = field(default_factory=list)
    extra: JSON = field(default_factory=dict)


@dataclass
class Customer:
    id: str
    country: str  # market code
    language: str


@dataclass
class OrderLine:
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal
    description: str = ""


@dataclass
class Order:
    id: str
    kind: str  # sale | cancellation
    placed_at: datetime
    country: str  # market code
    customer_id: str | None
    currency: str = "GBP"
    lines: list[OrderLine] = field(default_factory=list)
