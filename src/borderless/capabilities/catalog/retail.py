"""Cleaning the UCI Online Retail file into the shop's products, customers and orders.

Each rule is documented in docs/retail-import.md; the rule names below appear in import
reports. Every line of the file ends up in exactly one place: an order line, a counted and
reported skip, or a bad row.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from borderless.capabilities.catalog.attributes import attributes_from_title
from borderless.capabilities.catalog.checks import MAX_QUANTITY, check_money, check_sku, check_text
from borderless.capabilities.catalog.csvfiles import check_file, columns_once
from borderless.capabilities.catalog.markets import MARKETS, market_for_country
from borderless.capabilities.catalog.records import Customer, Order, OrderLine, Product
from borderless.capabilities.dates import date_problem, naive_utc
from borderless.errors import BadRow, InvalidInput

__all__ = ["CHARGE_CODES", "RetailImport", "parse_retail"]

_DIGITS = re.compile(r"[+-]?[0-9]{1,12}(?:\.[0-9]{1,6})?")  # a quantity in the digits 0-9
_CUSTOMER = re.compile(r"[0-9]{1,20}(?:\.0+)?")

COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)

# Codes that bill a service or an accounting entry, not goods (rule "charge").
CHARGE_CODES = {
    "POST": "Postage",
    "DOT": "Dotcom postage",
    "C2": "Carriage",
    "M": "Manual",
    "D": "Discount",
    "S": "Samples",
    "BANK CHARGES": "Bank charges",
    "AMAZONFEE": "Amazon fee",
    "CRUK": "CRUK commission",
    "B": "Adjust bad debt",
    # next-day delivery billed under an ordinary stock code: as merchandise it was listed to a
    # customer asking the support chat for wall mirrors (bench_support_products.py)
    "23444": "Next Day Carriage",
}
_VOUCHER = re.compile(r"^gift_\d+_\d+$", re.IGNORECASE)


@dataclass
class RetailImport:
    """What the file holds after cleaning, and where every skipped line went."""

    products: list[Product] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    lines_read: int = 0
    skipped: dict[str, list[int]] = field(default_factory=dict)
    bad_rows: list[BadRow] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # distinct country names in the file

    @property
    def order_lines(self) -> int:
        return sum(len(o.lines) for o in self.orders)


@dataclass
class _Row:
    line: int
    invoice: str
    code: str
    description: str
    quantity: int
    placed_at: datetime
    price: Decimal
    customer: str | None
    country: str


# A line of the retail file is under 300 characters and the file 541,909 lines: a gzip "bomb"
# of one 4 GiB line took 8.5 GB of memory before csv refused its field, and one of 2 GiB of
# newlines ran for minutes (an attack). Lines are read with these bounds.
MAX_LINE = 100_000  # characters
MAX_LINES = 20_000_000


def _bounded_lines(handle: io.TextIOBase, path: Path) -> Iterator[str]:
    n = 0
    while line := handle.readline(MAX_LINE + 1):
        n += 1
        if len(line) > MAX_LINE:
            raise InvalidInput(f"{path}: line {n} is longer than {MAX_LINE:,} characters",
                               field="path")  # fmt: skip
        if n > MAX_LINES:
            raise InvalidInput(f"{path}: more than {MAX_LINES:,} lines (split the file)",
                               field="path")  # fmt: skip
        yield line


def _open_text(path: Path) -> io.TextIOBase:
    check_file(path)  # /dev/zero was read without end (an attack)
    try:
        if path.suffix == ".gz":
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
        return open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})", field="path") from exc


def _read_rows(
    path: Path, result: RetailImport, progress: Callable[[int], None] | None
) -> Iterator[_Row]:
    start = 1
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(_bounded_lines(handle, path), strict=True)
            columns_once(path, reader.fieldnames or [])  # "Country,Country": the last had won
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    f"{path}: missing column(s) {', '.join(missing)} of the retail format",
                    field=missing[0],
                )
            start = reader.line_num + 1
            for raw in reader:
                result.lines_read += 1
                if progress and result.lines_read % 5000 == 0:
                    progress(5000)
                row = _parse(reader.line_num, raw, result)
                if row is not None:
                    yield row
                start = reader.line_num + 1
            if progress:
                progress(result.lines_read % 5000)
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line {start}: {exc} (a broken quote?)", field="path") from exc
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as exc:
        raise InvalidInput(f"{path}: not a UTF-8 CSV file ({exc})", field="path") from exc
    except OSError as exc:  # read errors past the open, e.g. a gzip stream cut short
        raise InvalidInput(f"{path}: cannot be read ({exc})", field="path") from exc


def _parse(line: int, raw: dict[str, str | None], result: RetailImport) -> _Row | None:
    def bad(reason: str, column: str) -> _Row | None:
        result.bad_rows.append(BadRow(line, reason, column))
        return None

    invoice = (raw.get("InvoiceNo") or "").strip()
    code = (raw.get("StockCode") or "").strip()
    if not invoice:
        return bad("empty invoice number", "InvoiceNo")
    if len(invoice) > 32:
        return bad("invoice number longer than 32 characters", "InvoiceNo")
    if not code:
        return bad("empty stock code", "StockCode")
    description = (raw.get("Description") or "").strip()
    # a code no product page could have ("../../x") was refused only when saved, naming no
    # line or file (an attack)
    if problem := _sku_problem(code):
        return bad(problem, "StockCode")
    try:
        check_text(code, "StockCode", 64)
        check_text(description, "Description", 500)
        said = (raw.get("Quantity") or "").strip()
        if not _DIGITS.fullmatch(said):  # "٦" (Arabic-Indic) was read as 6 (an attack)
            return bad(f"quantity {raw.get('Quantity')!r} is not a whole number", "Quantity")
        q = Decimal(said)
        if not q.is_finite() or q != q.to_integral_value():
            return bad(f"quantity {raw.get('Quantity')!r} is not a whole number", "Quantity")
        if abs(q) > MAX_QUANTITY:
            return bad(f"quantity {q} is beyond {MAX_QUANTITY:,} either way", "Quantity")
        quantity = int(q)
    except InvalidOperation:
        return bad(f"quantity {raw.get('Quantity')!r} is not a number", "Quantity")
    except InvalidInput as exc:
        return bad(exc.message, exc.field or "")
    try:
        price = check_money(raw.get("UnitPrice") or "", "UnitPrice", signed=True)
    except InvalidInput as exc:
        return bad(exc.message, "UnitPrice")
    if price is None:
        return bad("empty unit price", "UnitPrice")
    try:
        placed_at = datetime.fromisoformat((raw.get("InvoiceDate") or "").strip())
    except ValueError:
        # the format asked for, said: "12/1/2010 8:26" (a spreadsheet's copy of the file) was
        # told only that it "is not a date" (an attack)
        return bad(f"invoice date {raw.get('InvoiceDate')!r} is not a date written "
                   "YYYY-MM-DD HH:MM:SS (2010-12-01 08:26:00)", "InvoiceDate")  # fmt: skip
    placed_at = naive_utc(placed_at)  # "...08:26:00Z" had failed comparing (an attack)
    if problem := date_problem(placed_at, past=True):
        return bad(f"invoice date {problem}", "InvoiceDate")
    country = (raw.get("Country") or "").strip()
    if market_for_country(country) is None:
        return bad(f"unknown country {country!r}", "Country")
    customer_raw = (raw.get("CustomerID") or "").strip()
    customer: str | None = None
    if customer_raw:
        # a customer number: digits, as the file writes them ("17850" or "17850.0"); -17850,
        # 17850.5 and a 41-digit number were stored (an attack)
        if not _CUSTOMER.fullmatch(customer_raw):
            return bad(f"customer id {customer_raw!r} is not a customer number (up to 20 digits)",
                       "CustomerID")  # fmt: skip
        customer = str(int(Decimal(customer_raw)))
    if country not in result.countries:
        result.countries.append(country)
    return _Row(
        line,
        invoice,
        code,
        description,
        quantity,
        placed_at,
        price,
        customer,
        country,
    )


@functools.lru_cache(maxsize=65_536)
def _sku_problem(code: str) -> str | None:
    """What `check_sku` says of a stock code, or None (cached: a file repeats its codes; 1.7 s
    of checks over the demo file's 540,000 lines without)."""
    try:
        check_sku(code)
    except InvalidInput as exc:
        return exc.message
    return None


def _skip(result: RetailImport, rule: str, line: int) -> None:
    result.skipped.setdefault(rule, []).append(line)


def _kind(code: str) -> str:
    if code.upper() in CHARGE_CODES:
        return "charge"
    if _VOUCHER.match(code):
        return "voucher"
    return "merchandise"


def _most_common(counter: Counter[str], order: dict[str, int]) -> str:
    # Ties go to the value seen last in the file: the shop's latest wording or price.
    return max(counter, key=lambda v: (counter[v], order[v]))


def parse_retail(path: Path, progress: Callable[[int], None] | None = None) -> RetailImport:
    """Read and clean a UCI Online Retail CSV (plain or gzip) into shop records."""
    result = RetailImport()
    orders: dict[str, Order] = {}
    titles: dict[str, Counter[str]] = defaultdict(Counter)
    title_seen: dict[str, dict[str, int]] = defaultdict(dict)
    prices: dict[str, Counter[str]] = defaultdict(Counter)
    price_seen: dict[str, dict[str, int]] = defaultdict(dict)
    customer_countries: dict[str, Counter[str]] = defaultdict(Counter)
    customer_country_seen: dict[str, dict[str, int]] = defaultdict(dict)
    codes: dict[str, str] = {}
    first_line: dict[str, int] = {}  # invoice -> its first line

    for row in _read_rows(path, result, progress):
        if row.invoice.startswith("A"):
            _skip(result, "bad_debt_adjustment", row.line)
            continue
        cancellation = row.invoice.startswith("C")
        if not cancellation and row.quantity <= 0:
            _skip(result, "stock_write_off", row.line)
            continue
        if row.quantity == 0:
            _skip(result, "zero_quantity", row.line)
            continue
        if not cancellation and row.price == 0 and row.customer is None:
            _skip(result, "stock_movement_without_sale", row.line)
            continue
        if row.price < 0:
            _skip(result, "negative_price", row.line)
            continue

        market = market_for_country(row.country)
        assert market is not None  # checked in _parse
        order = orders.get(row.invoice)
        if order is None:
            order = Order(
                id=row.invoice,
                kind="cancellation" if cancellation else "sale",
                placed_at=row.placed_at,
                country=market.code,
                customer_id=row.customer,
            )
            orders[row.invoice] = order
            first_line[row.invoice] = row.line
        elif (order.customer_id, order.country) != (row.customer, market.code):
            # one invoice is one customer's order to one country: a second customer's line was
            # merged into the first's order, silently (an attack)
            column, said = (("CustomerID", f"customer {order.customer_id or '(none)'}")
                            if order.customer_id != row.customer
                            else ("Country", f"country {order.country}"))  # fmt: skip
            result.bad_rows.append(BadRow(row.line, f"invoice {row.invoice} is for {said} on "
                                          f"line {first_line[row.invoice]}", column))  # fmt: skip
            continue
        else:
            order.placed_at = min(order.placed_at, row.placed_at)
        # SKUs are case-insensitive in this file ("m" and "M"); keep the first spelling.
        sku = codes.setdefault(row.code.upper(), row.code)
        order.lines.append(
            OrderLine(len(order.lines) + 1, sku, row.quantity, row.price, row.description)
        )
        if row.description:
            titles[sku][row.description] += 1
            title_seen[sku][row.description] = row.line
        if not cancellation:
            key = str(row.price)
            prices[sku][key] += 1
            price_seen[sku][key] = row.line
        if row.customer is not None:
            customer_countries[row.customer][market.code] += 1
            customer_country_seen[row.customer][market.code] = row.line

    for sku in codes.values():
        kind = _kind(sku)
        if titles[sku]:
            title = _most_common(titles[sku], title_seen[sku])
        else:
            title = CHARGE_CODES.get(sku.upper(), f"Item {sku}")  # rule "untitled_sku"
        price = Decimal(_most_common(prices[sku], price_seen[sku])) if prices[sku] else None
        aliases = sorted(t for t in titles[sku] if t != title)
        result.products.append(
            Product(
                sku=sku,
                title=title,
                price=price,
                kind=kind,
                aliases=aliases,
                attributes=attributes_from_title(title) if kind == "merchandise" else {},
            )
        )
    for cid, counts in customer_countries.items():
        code = _most_common(counts, customer_country_seen[cid])
        result.customers.append(Customer(id=cid, country=code, language=MARKETS[code].language))
    result.orders = list(orders.values())
    return result
