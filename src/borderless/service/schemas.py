"""Request and response shapes: XCreate / XUpdate / XPublic, lists as {data, count}."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="how many records match, over all pages")


class ProductBase(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    description: str = ""
    attributes: dict[str, Any] = Field(default_factory=dict)
    price: Decimal | None = Field(default=None, ge=0)
    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
    stock: int | None = None
    language: str = Field(default="en", pattern=r"^[a-z]{2}$")


class ProductCreate(ProductBase):
    model_config = ConfigDict(extra="forbid")
    sku: str = Field(min_length=1, max_length=64, pattern=r"^\S+$")


class ProductUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = None
    attributes: dict[str, Any] | None = None
    price: Decimal | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    stock: int | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")


class ProductPublic(ProductBase):
    sku: str
    kind: str
    listing_handle: str | None
    option_values: list[str]
    compare_at_price: Decimal | None
    aliases: list[str]


class CustomerPublic(BaseModel):
    id: str
    country: str
    language: str
    orders: int
    first_order_at: datetime | None
    last_order_at: datetime | None


class CustomerDetail(CustomerPublic):
    net_spend: Decimal


class OrderBase(BaseModel):
    id: str
    kind: str
    placed_at: datetime
    country: str
    customer_id: str | None
    currency: str
    total: Decimal


class OrderPublic(OrderBase):
    lines: int = Field(description="number of order lines")


class OrderLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal
    description: str


class OrderDetail(OrderBase):
    lines: list[OrderLinePublic]


class HealthPublic(BaseModel):
    status: str
    version: str
    database: str
    search_vectors: str = Field(
        description="where search keeps its vectors: usearch or PgVectorIndex"
    )
