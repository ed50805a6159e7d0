"""Exchange rates, and a price or text as a market reads it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page

__all__ = [
    "LocalizedPublic",
    "MarketPage",
    "MarketPublic",
    "RatePage",
    "RatePublic",
    "RateUpdate",
    "Rounding",
]


Rounding = Literal["exact", "whole", "99", "95", "100"]


class MarketPublic(BaseModel):
    """A country the shop can sell to, with the language and currency used there."""

    code: str = Field(description="ISO 3166-1 alpha-2, or a user-assigned X* code")
    name: str
    language: str = Field(description="ISO 639-1")
    currency: str = Field(description="ISO 4217")


class MarketPage(Page[MarketPublic]):
    """Every market Borderless knows (one page)."""


class RateUpdate(Body):
    # as sent, so the rate's own check (money.check_rate, field "rate") sees "1_0" and "1e3":
    # a Decimal field took them as 10 and 1000
    rate: Any = Field(
        description="units of the currency one unit of the base buys (a number, or digits "
        'with a point as text: "1.17")',
        json_schema_extra={"anyOf": [{"type": "number"}, {"type": "string"}]},
    )
    base: str = Field("GBP", description="the shop's base currency (ISO 4217)")
    rounding: Rounding = Field(
        "exact",
        description=(
            "exact, whole units, ending in .99 or .95, or up to a whole 100; never "
            "more than a tenth on the price (small prices end on the tenth or stay exact)"
        ),
    )


class RatePublic(BaseModel):
    currency: str
    base: str
    rate: str
    rounding: Rounding


class RatePage(Page[RatePublic]):
    """One page of RatePublic records."""


class LocalizedPublic(BaseModel):
    market: str
    language: str
    currency: str
    units: str
    sizes: str
    price: str | None = None
    formatted: str | None = None
    text: str | None = None
