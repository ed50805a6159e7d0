"""The one check of catalog values, shared by every write: API, dashboard, CLI imports.

A value that passes fits its table column and reads back as it was written: amounts are
finite with at most four decimals (the column keeps four) and within a documented bound, whole
numbers fit a 32-bit column, texts are valid Unicode without NUL (PostgreSQL refuses both) and
fit their column, attributes are a small JSON object of texts, numbers and lists of them.
Each check raises InvalidInput naming the field; storage checks a whole record before it
writes any of it, and the file readers turn the same errors into bad rows with line numbers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from borderless.capabilities.catalog.records import (
    Customer,
    Listing,
    Order,
    OrderLine,
    Product,
)
from borderless.errors import InvalidInput

__all__ = [
    "CONTROL",
    "KINDS",
    "MAX_GRAMS",
    "MAX_PRICE",
    "MAX_QUANTITY",
    "MAX_STOCK",
    "MAX_TEXT",
    "MAX_TITLE",
    "NUMBER_WRITTEN",
    "PAGE_WORDS",
    "check_attributes",
    "check_customer",
    "check_listing",
    "check_money",
    "check_order",
    "check_product",
    "check_sku",
    "check_text",
    "check_whole",
    "customer_key",
    "name_problem",
    "product_with_changes",
    "text_problem",
    "unreadable",
    "visible",
    "written_number",
]

MAX_PRICE = Decimal("1000000")  # a price, or the absolute value of an order line's unit price
PRICE_PLACES = 4  # the money columns keep four decimals
_CENT = Decimal(1).scaleb(-PRICE_PLACES)
MAX_STOCK = 1_000_000_000  # stock may be negative (oversold), within this bound either way
MAX_QUANTITY = 1_000_000  # units on one order line, either way (cancellations are negative)
MAX_GRAMS = 1_000_000_000  # a tonne
MAX_TEXT = 100_000  # characters of a description or any other unbounded text
MAX_TITLE = 500  # characters of a title (a product's, a listing's, a translated one)
KINDS = ("merchandise", "charge", "voucher")
_MAX_ATTRIBUTES = 100
_MAX_ATTRIBUTE_KEY = 100
_MAX_ATTRIBUTE_VALUE = 2_000
_MAX_ATTRIBUTE_LIST = 100
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates
# C0 controls but tab, line feed and carriage return, and DEL: never typed by a person; stored,
# they break CSV exports and pages ("\x01\x02" as a glossary term was stored as an empty one).
# The API's bodies refuse them (service/schemas/common.py), and so does every import here.
# So are the C1 controls (U+0085 split one text into two lines) and the left-to-right and
# right-to-left overrides (U+202D, U+202E), which show a text in another order than it is
# stored and read; the isolates and marks an Arabic text uses (U+2066-U+2069, U+200F) pass.
# And Unicode's noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF and the last two of every plane):
# U+FFFE is a byte-order mark read backwards, and "A\ufffeB" was stored (an attack).
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
              for plane in range(1, 17))
    + "]"
)  # fmt: skip
# a number as text: the digits 0-9 and at most one point, a sign; NaN and infinity pass for the
# caller to refuse by value (written_number; the API bodies' numbers: service/schemas/common.py)
NUMBER_WRITTEN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+|nan|inf|infinity)", re.I)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,4})?$")  # fits the 8-character column


def unreadable(ch: str) -> str:
    """How an error names a character CONTROL refuses: "a control character (U+0085)"."""
    code = ord(ch)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return f"{'a noncharacter' if noncharacter else 'a control character'} (U+{code:04X})"


def visible(text: str) -> bool:
    """Whether `text` shows anything: a letter, digit, punctuation mark or symbol (a zero-width
    space, a lone accent or white space shows nothing)."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def check_text(
    value: object, field: str, max_length: int = MAX_TEXT, *, required: bool = False
) -> str:
    """A text that fits its column and can be stored and sent as UTF-8."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text", field=field)
    if required and not visible(value):
        # a zero-width space or a lone accent is no title: such products led every search
        raise InvalidInput(f"{field} is empty (or only invisible characters)", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length:,} characters", field=field)
    bad = _UNSTORABLE.search(value)
    if bad:
        what = "a NUL character" if bad.group() == "\x00" else "a lone surrogate (not Unicode)"
        raise InvalidInput(f"{field} holds {what} at position {bad.start()}", field=field)
    if control := CONTROL.search(value):
        raise InvalidInput(f"{field} holds {unreadable(control.group())} at position "
                           f"{control.start()}", field=field)  # fmt: skip
    return value


def text_problem(value: str, field: str, max_length: int) -> str | None:
    """What `check_text` would refuse in `value`, as a message for a bad row; None if fine."""
    try:
        check_text(value, field, max_length)
    except InvalidInput as exc:
        return exc.message
    return None


def name_problem(value: str, field: str, max_length: int) -> str | None:
    """`text_problem`, and a name is one line: no tab or line break (a warehouse "UK1\nX" and
    a tracking number "T\nX" were stored where the glossary refuses them: an attack)."""
    if problem := text_problem(value, field, max_length):
        return problem
    if found := re.search(r"[\t\n\r]", value):
        return f"{field} holds a tab or a line break at position {found.start()}"
    return None


def written_number(value: str, field: str, example: str) -> str:
    """A number sent as text, stripped, if it is written with the digits 0-9 and at most one
    point (a sign, and the words NaN and infinity, pass for the caller to refuse by value).

    Decimal alone read "1_000" as 1000, Arabic-Indic and full-width digits as numbers and
    "1e3" as 1000; a comma is the decimal mark in most of our markets and groups thousands in
    others, so "12,50" is told to use a point and "1,250" (1250 or 1.25?) is refused. The one
    rule for prices, costs and exchange rates from the API, the dashboard and files."""
    text = value.strip()
    if re.fullmatch(r"[0-9]{1,3},[0-9]{3}", text):
        raise InvalidInput(f"{field}: {value!r} is not a number: {text.replace(',', '')} or "
                           f"{text.replace(',', '.')}? (write it with a point or none)",
                           field=field)  # fmt: skip
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", text):
        raise InvalidInput(f"{field}: {value!r} is not a number (write it without commas: "
                           f"{text.replace(',', '')})", field=field)  # fmt: skip
    if re.fullmatch(r"[0-9]+,[0-9]+", text):
        raise InvalidInput(f"{field}: {value!r} is not a number (write it with a point: "
                           f"{text.replace(',', '.')})", field=field)  # fmt: skip
    if not NUMBER_WRITTEN.fullmatch(text):
        raise InvalidInput(f"{field}: {value[:40]!r} is not a number written with the digits "
                           f"0-9 and a point ({example})", field=field)  # fmt: skip
    return text


def check_money(
    value: object, field: str, *, signed: bool = False, high: Decimal = MAX_PRICE
) -> Decimal | None:
    """An amount: finite, at most four decimals, 0..high (or -high..high when `signed`)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidInput(f"{field} must be a number", field=field)
    if isinstance(value, str):
        value = written_number(value, field, "12.50")
    if isinstance(value, Decimal):
        amount = value
    else:
        try:
            amount = Decimal(value if isinstance(value, str) else str(value))
        except InvalidOperation:
            raise InvalidInput(f"{field}: {_shown(value)} is not a number", field=field) from None
    if not amount.is_finite():
        raise InvalidInput(f"{field}: {_shown(value)} is not a finite number", field=field)
    if amount.is_zero():
        amount = amount.copy_abs()  # "-0" was shown as "-0,00 €" (a walk)
    low = -high if signed else Decimal(0)
    if not low <= amount <= high:
        bound = f"between {low} and {high}" if signed else f"between 0 and {high}"
        raise InvalidInput(f"{field}: {_shown(value)} is not {bound}", field=field)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PRICE_PLACES and amount != amount.quantize(_CENT):
        raise InvalidInput(
            f"{field}: {_shown(value)} has more than {PRICE_PLACES} decimals", field=field
        )
    return amount


def _shown(value: object) -> str:
    """A value as the sender wrote it: 0.0000001, not Decimal('1E-7'); text quoted."""
    if isinstance(value, float) and math.isfinite(value):
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and value.is_finite():
        written = format(value, "f")
        return written if len(written) <= 30 else f"{value:.2E}"  # not 1e308 in 309 digits
    return str(value) if isinstance(value, Decimal | float) else repr(value)


def check_whole(value: object, field: str, *, low: int, high: int) -> int | None:
    """A whole number low..high (a text of digits is read too); None passes."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        # the digits 0-9 only: "٣" (Arabic-Indic) was read as 3 (an attack)
        if len(text) > 20 or not re.fullmatch(r"[+-]?[0-9]+", text):
            raise InvalidInput(f"{field}: {value!r} is not a whole number", field=field)
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field} must be a whole number", field=field)
    if not low <= value <= high:
        raise InvalidInput(f"{field}: {value} is not between {low:,} and {high:,}", field=field)
    return value


def _attribute_value(value: object, field: str) -> object:
    if isinstance(value, str):
        # "" and a zero-width space were stored as a colour (an attack)
        return check_text(value, field, _MAX_ATTRIBUTE_VALUE, required=True)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return check_whole(value, field, low=-MAX_STOCK, high=MAX_STOCK)
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_STOCK:
            raise InvalidInput(f"{field}: {value!r} is not a finite, bounded number", field=field)
        return value
    raise InvalidInput(f"{field} must be text, a number or true/false", field=field)


def check_attributes(value: object, field: str = "attributes") -> dict[str, Any]:
    """Product facts: an object of texts, numbers or lists of them (never null or nested)."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{field} must be an object of names and values", field=field)
    if len(value) > _MAX_ATTRIBUTES:
        raise InvalidInput(f"{field} has more than {_MAX_ATTRIBUTES} entries", field=field)
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for key, item in value.items():
        # a zero-width space, " colour " beside "colour" and "Colour" were stored side by
        # side (an attack): a name shows something, has no spaces at its ends, and is one
        # name whatever its capitals
        if not isinstance(key, str) or not visible(key):
            raise InvalidInput(f"{field} names must be non-empty text", field=field)
        name = check_text(key, field, _MAX_ATTRIBUTE_KEY)
        where = f"{field}.{name}"
        if name != name.strip():
            raise InvalidInput(f"{where}: the name has spaces at its ends", field=where)
        if (other := seen.setdefault(name.casefold(), name)) != name:
            raise InvalidInput(f"{where} is {other!r} again (names are the same whatever "
                               "their capitals)", field=where)  # fmt: skip
        if isinstance(item, list):
            if len(item) > _MAX_ATTRIBUTE_LIST:
                raise InvalidInput(
                    f"{where} has more than {_MAX_ATTRIBUTE_LIST} values", field=where
                )
            out[name] = [_attribute_value(v, where) for v in item]
        else:
            out[name] = _attribute_value(item, where)
    return out


def _texts(values: object, field: str, max_length: int) -> list[str]:
    if not isinstance(values, list):
        raise InvalidInput(f"{field} must be a list of texts", field=field)
    return [check_text(v, field, max_length) for v in values]


def _whole_in(amount: object, currency: str, field: str) -> None:
    """A price in a currency without minor units (JPY, KRW) is whole: "1500.55" yen was stored
    and shown as JP¥1,500.55 beside a market price of ￥1,501."""
    if not isinstance(amount, Decimal) or amount == amount.to_integral_value():
        return
    from babel.numbers import get_currency_precision

    try:
        digits = int(get_currency_precision(currency))
    except (KeyError, ValueError):
        return
    if digits == 0:
        whole = amount.to_integral_value()
        raise InvalidInput(f"{field}: {amount} {currency}: {currency} has no minor units (a "
                           f"whole number, such as {whole})", field=field)  # fmt: skip


# the pages and answers under a product's address (/products/SKU/translate, ...)
PAGE_WORDS = frozenset(
    {"attributes", "copy", "decide", "edit", "images", "photos", "similar-images", "translate"}
)


def check_sku(sku: object, *, generated: bool = False) -> str:
    """A SKU every way in accepts (the API, the dashboard, every import): storable, no white
    space at an edge, no invisible character, and reachable as part of its page's address
    (/products/SKU). A slash is fine inside it ("TSHIRT/RED/M": the routes read the rest of
    the path), but a backslash, '?', '#', '%', a part '.' or '..', an empty part or a part
    that names one of a product's pages ("X/edit") would be stored and never reached again:
    the imports took "../../etc" and "QA-3/attributes" that the API refused (an attack).
    `generated`: an import's own SKU for a variant that had none ("HANDLE#2", Shopify and
    WooCommerce), whose "#N" stays (the pages encode it)."""
    sku = check_text(sku, "sku", 64, required=True)
    if sku != sku.strip() or any(ch.isspace() and ch != " " for ch in sku):
        # Inner spaces are real ("BANK CHARGES" in the retail file); edges and tabs are not.
        where = "at an edge" if sku != sku.strip() else "other than spaces (a tab or a line break)"
        raise InvalidInput(f"sku {sku!r} has white space {where}", field="sku")
    if hidden := [ch for ch in sku if unicodedata.category(ch) in ("Cf", "Co", "Cn")]:
        # "ATK\u200bP1" looks like ATKP1 and is another product
        raise InvalidInput(f"sku holds an invisible character (U+{ord(hidden[0]):04X})",
                           field="sku")  # fmt: skip
    if sku != (composed := unicodedata.normalize("NFC", sku)):
        # "CAFE\u0301-1" and "CAF\u00c9-1" look alike and were two products (an attack)
        raise InvalidInput(f"sku {sku!r} writes an accent as a separate mark: write it "
                           f"composed (NFC), {composed!r}", field="sku")  # fmt: skip
    named = re.sub(r"#\d+$", "", sku) if generated else sku
    parts = named.split("/")
    if any(ch in named for ch in "\\?#%") or {".", ".."} & set(parts) or ".." in named:
        raise InvalidInput(f"sku {sku!r} may not hold \\ ? # % or '..' or be '.': its page "
                           "address would not reach it", field="sku")  # fmt: skip
    if "" in parts:
        raise InvalidInput(f"sku {sku!r} may not start or end with '/' or hold '//'", field="sku")
    if any(part.lower() in PAGE_WORDS for part in parts[1:]):
        raise InvalidInput(f"sku {sku!r}: a part after '/' may not be one of "
                           f"{', '.join(sorted(PAGE_WORDS))}: those are pages",
                           field="sku")  # fmt: skip
    return sku


def check_product(p: Product) -> Product:
    """The product if every field is storable; InvalidInput naming the first that is not."""
    check_sku(p.sku, generated=isinstance(p.extra, dict) and bool(p.extra.get("generated_sku")))
    check_text(p.title, "title", MAX_TITLE, required=True)
    if problem := name_problem(p.title, "title", MAX_TITLE):  # a title is one line (an attack)
        raise InvalidInput(problem, field="title")
    check_text(p.description, "description")
    check_attributes(p.attributes)
    check_money(p.price, "price")
    check_money(p.compare_at_price, "compare_at_price")
    if not isinstance(p.currency, str) or not _CURRENCY.match(p.currency):
        raise InvalidInput("currency must be three capital letters (ISO 4217)", field="currency")
    _whole_in(p.price, p.currency, "price")
    _whole_in(p.compare_at_price, p.currency, "compare_at_price")
    check_whole(p.stock, "stock", low=-MAX_STOCK, high=MAX_STOCK)
    if not isinstance(p.language, str) or not _LANGUAGE.match(p.language):
        raise InvalidInput("language must be a language code such as en or pt-BR", field="language")
    if p.kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
    if p.listing_handle is not None:
        check_text(p.listing_handle, "listing_handle", 255, required=True)
    check_whole(p.position, "position", low=0, high=MAX_QUANTITY)
    _texts(p.option_values, "option_values", 255)
    check_text(p.barcode, "barcode", 64)
    check_whole(p.weight_grams, "weight_grams", low=0, high=MAX_GRAMS)
    check_text(p.image_src, "image_src", 2_000)
    _texts(p.aliases, "aliases", 500)
    if not isinstance(p.extra, dict):
        raise InvalidInput("extra must be an object", field="extra")
    return p


def product_with_changes(product: Product, changes: dict[str, Any]) -> Product:
    """The product with `changes` applied, checked whole: a partial update that passes or fails."""
    if not changes:
        raise InvalidInput("nothing to change: give at least one field", field=None)
    known = {f.name for f in fields(Product)}
    for name in changes:
        if name not in known:
            raise InvalidInput(f"field {name!r} cannot be changed", field=name)
    return check_product(replace(product, **changes))


def check_listing(item: Listing) -> Listing:
    """The listing if every field fits its column; InvalidInput naming the first that does not."""
    check_text(item.handle, "handle", 255, required=True)
    check_text(item.title, "title", MAX_TITLE, required=True)
    check_text(item.body_html, "body_html")
    for name, limit in (("vendor", 255), ("product_type", 255), ("category", 500),
                        ("status", 32), ("source_format", 32)):  # fmt: skip
        check_text(getattr(item, name), name, limit)
    _texts(item.tags, "tags", 255)
    _texts(item.option_names, "option_names", 255)
    for image in item.images:
        check_text(image.src, "images", 2_000)
        check_text(image.alt, "images", 2_000)
        check_whole(image.position, "images", low=0, high=MAX_QUANTITY)
    return item


_SPREADSHEET_NUMBER = re.compile(r"([0-9]{1,20})\.0+")


def customer_key(written: str) -> str:
    """A customer id as the shop keys it: a number a spreadsheet wrote as "17850.0" is
    "17850", as the retail import stores it (reviews refused "17850.0" as an unknown customer);
    any other id as given."""
    whole = _SPREADSHEET_NUMBER.fullmatch(written)
    return whole.group(1) if whole else written


def check_customer(c: Customer) -> Customer:
    check_text(c.id, "customer_id", 64, required=True)
    return c


def check_line(line: OrderLine) -> OrderLine:
    check_text(line.sku, "sku", 64, required=True)
    check_whole(line.quantity, "quantity", low=-MAX_QUANTITY, high=MAX_QUANTITY)
    if check_money(line.unit_price, "unit_price", signed=True) is None:
        raise InvalidInput("unit_price is missing", field="unit_price")
    check_text(line.description, "description", 500)
    return line


def check_order(o: Order) -> Order:
    """The order and its lines if every value fits; InvalidInput naming the first that does not."""
    check_text(o.id, "order_id", 32, required=True)
    if o.customer_id is not None:
        check_text(o.customer_id, "customer_id", 64, required=True)
    for line in o.lines:
        check_line(line)
    return o
