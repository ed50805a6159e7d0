"""The shop's own records: products, customers, orders, health and counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from borderless.capabilities.catalog.checks import (
    MAX_PRICE,
    MAX_STOCK,
    MAX_TEXT,
    check_attributes,
    check_money,
    check_sku,
    check_text,
)
from borderless.errors import InvalidInput
from borderless.service.schemas.common import Body, Page, Timestamp, as_validator

__all__ = [
    "CustomerDetailPublic",
    "CustomerPage",
    "CustomerPublic",
    "HealthPublic",
    "OrderDetailPublic",
    "OrderLinePublic",
    "OrderPage",
    "OrderPublic",
    "ProductCreate",
    "ProductPage",
    "ProductPublic",
    "ProductUpdate",
    "StatsPublic",
]


def _currency(code: str) -> str:
    from borderless.capabilities.catalog.money import check_currency

    return str(as_validator(check_currency)(code))


_attributes = as_validator(check_attributes)
_storable = as_validator(check_text, "text")


def _language(code: str) -> str:
    """An ISO 639-1 code CLDR knows ("xx" is none): a listing's language routes translation."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown language code {code!r} (ISO 639-1, such as en, de, zh)") from exc
    return code


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency)]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$"), AfterValidator(_language)]


# Bounds of the catalog's one check (capabilities.catalog.checks), stated here for the schema.
Price = Annotated[
    Decimal,
    BeforeValidator(as_validator(check_money, "price")),
    Field(ge=0, le=MAX_PRICE, allow_inf_nan=False, decimal_places=4),
]
Stock = Annotated[int, Field(ge=-MAX_STOCK, le=MAX_STOCK)]
Attributes = Annotated[
    dict[str, Any],
    AfterValidator(_attributes),
    Field(description="product facts: texts, numbers or lists of them, by name"),
]
Title = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_storable)]
Description = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_storable)]


class _ProductFields(BaseModel):
    """What a product's create body and its answer share."""

    title: Title
    description: Description = ""
    attributes: Attributes = Field(default_factory=dict)
    price: Price | None = None
    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
    stock: Stock | None = None
    language: str = Field(default="en", pattern=r"^[a-z]{2}$")


def _reachable(sku: str) -> str:
    """The SKU rules every way in shares (catalog/checks.py, check_sku)."""
    try:
        return check_sku(sku)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


class ProductCreate(_ProductFields, Body):
    # checked against CLDR here, on the way in only: an answer shows what is stored
    currency: Currency = "GBP"
    language: Language = "en"
    # check_sku's one rule: inner spaces as the imports take them ("BANK CHARGES"); the API
    # refused "QA R2" that a Shopify import stored (an attack)
    sku: Annotated[str, AfterValidator(_reachable)] = Field(min_length=1, max_length=64)


class ProductUpdate(Body):
    """Fields to change; price and stock may be null (unknown), the others may not."""

    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    description: Description | None = None
    attributes: Attributes | None = None
    price: Price | None = None
    currency: Currency | None = None
    stock: Stock | None = None
    language: Language | None = None

    @field_validator("title", "description", "attributes", "currency", "language")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for fields the client sent: a field left out stays unchanged.
        if value is None:
            raise ValueError("may not be null (leave the field out to keep it)")
        return value

    @model_validator(mode="after")
    def _something(self) -> ProductUpdate:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give at least one field")
        return self


class ProductPublic(_ProductFields):
    sku: str
    kind: Literal["merchandise", "charge", "voucher"]
    listing_handle: str | None
    option_values: list[str]
    compare_at_price: Decimal | None
    aliases: list[str]


class CustomerPublic(BaseModel):
    id: str
    country: str
    language: str
    orders: int = Field(description="the customer's sales (cancellations not counted)")
    cancellations: int = Field(description="the customer's cancellations")
    first_order_at: Timestamp | None = Field(description="the first sale")
    last_order_at: Timestamp | None = Field(description="the latest sale")


class CustomerDetailPublic(CustomerPublic):
    net_spend: Decimal


class _OrderFields(BaseModel):
    id: str
    kind: Literal["sale", "cancellation"]
    placed_at: Timestamp
    country: str
    customer_id: str | None
    currency: str
    total: Decimal


class OrderPublic(_OrderFields):
    lines: int = Field(description="number of order lines")


class OrderLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal
    description: str


class OrderDetailPublic(_OrderFields):
    lines: list[OrderLinePublic]


class HealthPublic(BaseModel):
    status: Literal["ok"]
    version: str
    database: str
    search_vectors: str = Field(
        description="where search keeps its vectors: usearch or PgVectorIndex"
    )


class StatsPublic(BaseModel):
    products: int
    customers: int
    orders: int = Field(description="sales and cancellations")
    order_lines: int
    countries: int
    reviews: int
    sales: int = Field(description="orders that are sales")
    cancellations: int = Field(description="orders that cancel a sale")


class ProductPage(Page[ProductPublic]):
    """One page of them."""


class CustomerPage(Page[CustomerPublic]):
    """One page of them."""


class OrderPage(Page[OrderPublic]):
    """One page of them."""
