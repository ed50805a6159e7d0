"""Shapes every area shares: the list page and a moment with its offset."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from borderless.capabilities.catalog.checks import (
    CONTROL,
    MAX_PRICE,
    NUMBER_WRITTEN,
    unreadable,
    visible,
)
from borderless.capabilities.catalog.markets import market
from borderless.errors import InvalidInput
from borderless.languages import language_name

__all__ = [
    "Body",
    "Page",
    "QueryLanguage",
    "QueryMarket",
    "QueryPrice",
    "Timestamp",
    "as_validator",
]

T = TypeVar("T")


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# A moment in an answer, always with its offset: the shop stores UTC without one (order times of
# the demo data have none either and are read as UTC), and OpenAPI's date-time requires one.
Timestamp = Annotated[datetime, AfterValidator(_utc)]


def _digits(value: Any) -> Any:
    """A number in a query string written with the digits 0-9: Decimal read "١" (Arabic-Indic)
    and "１" (full width) as 1 where a body's price refuses them (an attack)."""
    if isinstance(value, str) and not re.fullmatch(
        r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)\s*", value
    ):
        raise ValueError("write the number with the digits 0-9 and a point, such as 12.50")
    return value


# A price bound in a query string (min_price, max_price)
QueryPrice = Annotated[Decimal | None, Query(ge=0, le=MAX_PRICE), BeforeValidator(_digits)]


def as_validator(check: Callable[..., Any], *args: str) -> Callable[[Any], Any]:
    """One of the catalog's checks as a pydantic validator: its InvalidInput as a ValueError
    with the same words (less the field name the API puts in front itself)."""

    def run(value: Any) -> Any:
        try:
            return check(value, *args)
        except InvalidInput as exc:
            said = exc.message
            if args:
                said = said.removeprefix(f"{args[0]}: ").removeprefix(f"{args[0]} ")
            raise ValueError(said) from exc

    return run


def _optional(check: Callable[..., Any], *args: str) -> Callable[[str | None], str | None]:
    """`check` on a query filter when it is given (as_validator); the filter as it came:
    "ZZ", "xx" and "jp" answered an empty list, as if nothing matched (walks, an attack)."""

    def run(code: str | None) -> str | None:
        if code:
            as_validator(check, *args)(code)
        return code

    return run


def _small(code: str | None) -> str | None:
    return code.lower() if code else code


# A language filter in a query string (language=de; DE too, as every write takes it: "DE"
# was refused here, "write it de", where POST /v1/translate took "EN": an attack)
QueryLanguage = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z]{2}$"),
    AfterValidator(_small),
    AfterValidator(_optional(language_name, "language")),
]

# A market filter in a query string (country=DE, market=DE)
QueryMarket = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2}$"), AfterValidator(_optional(market))
]


class Page(BaseModel, Generic[T]):
    """Every list answer: one page of records, how many match in all, and where it starts."""

    data: list[T]
    count: int = Field(description="how many records match, over all pages")
    limit: int = Field(description="the most records one page holds")
    offset: int = Field(default=0, description="records skipped before this page")


def _kinds(annotation: Any) -> set[Any]:
    """The plain types an annotation admits: int | None -> {int, NoneType}; Annotated and
    unions are looked through."""
    args = get_args(annotation)
    if not args:
        return {annotation}
    if get_origin(annotation) is Annotated:
        return _kinds(args[0])
    if get_origin(annotation) in (Union, UnionType):
        return set().union(*(_kinds(a) for a in args))
    return {get_origin(annotation)}


def _surrogate(value: str) -> bool:
    """A lone surrogate is no Unicode: each route names it with its item ("texts.0")."""
    return any("\ud800" <= ch <= "\udfff" for ch in value)


def _no_control(value: Any) -> Any:
    if isinstance(value, str):
        if bad := CONTROL.search(value):  # capabilities/catalog/checks.py: one definition
            raise ValueError(f"holds {unreadable(bad.group())} at position "
                             f"{bad.start()}")  # fmt: skip
        if value and not value.isspace() and not visible(value) and not _surrogate(value):
            # a zero-width space was a staff reply, an approved copy draft, a carrier and a
            # shipment id (an attack); white space alone is each field's own rule
            raise ValueError("is empty (or only invisible characters)")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            try:
                _no_control(item)
            except ValueError as exc:  # which item: "texts: holds ..." named none (an attack)
                raise ValueError(f"item {i}: {exc}") from None
    return value


class Body(BaseModel):
    """Every request body: an unknown field is refused (a misspelt option must not be silently
    ignored), no number is NaN or infinite (a temperature of "NaN" was told "should be less
    than or equal to 2") and no text holds a control character."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_truth(cls, value: Any, info: ValidationInfo) -> Any:
        """true and false only where a yes or no is asked, and only there: `"stock": true`
        was stored as 1 and `"close": "yes"` closed a conversation (an attack)."""
        kinds = _kinds(cls.model_fields[info.field_name or ""].annotation)
        if bool in kinds and not isinstance(value, bool) and value is not None:
            raise ValueError("must be true or false")
        if isinstance(value, bool) and bool not in kinds and kinds & {int, float, Decimal}:
            raise ValueError("must be a number, not true or false")
        if (
            isinstance(value, str)
            and not kinds & {str, Decimal}
            and kinds & {int, float}
            and not NUMBER_WRITTEN.fullmatch(value.strip())  # NaN: the model's "finite" says it
        ):
            # "1_000" was stored as 1000 and "٤" as 4 where another route refused them (an
            # attack): a number sent as text is written with the digits 0-9 and a point (an
            # amount, a Decimal, says more on its own: check_money)
            raise ValueError(f"{value[:40]!r} is not a number written with the digits 0-9")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return _no_control(value)
