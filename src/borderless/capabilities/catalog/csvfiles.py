"""CSV reading and writing shared by the listing formats, plus value formats they agree on."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from borderless.capabilities.catalog.checks import MAX_STOCK, check_money, check_whole
from borderless.errors import BadRow, InvalidInput

__all__ = [
    "check_choices",
    "check_file",
    "check_row",
    "columns_known",
    "columns_once",
    "format_money",
    "guarded",
    "near_column",
    "parse_int",
    "parse_money",
    "read_csv",
    "read_table",
    "read_utf8",
    "write_csv",
]

T = TypeVar("T")


def check_file(path: Path) -> None:
    """InvalidInput unless `path` is a regular file: /dev/zero was read until memory ran out
    (an attack), and a pipe would wait for ever."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such file", field="path")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file", field="path")
    if not path.is_file():
        raise InvalidInput(f"{path}: not a regular file (a device or a pipe?)", field="path")


def read_utf8(path: Path) -> str:
    """A user's text file (a byte-order mark allowed); a clear error if unreadable or not UTF-8.
    Only a regular file is read (`check_file`)."""
    try:
        check_file(path)
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})", field="path") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})", field="path") from exc


def read_csv(
    path: Path,
    required: Sequence[str],
    *,
    whole_rows: bool = False,
    optional: Sequence[str] | None = None,
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows (with their 1-based first line numbers) of a UTF-8 CSV file.

    Parsing is strict: a stray or unclosed quote, or a file cut off inside a quoted field, is an
    error naming the line where the broken record starts, never a row of run-together fields.
    With `whole_rows` (a platform's export, which writes every field), a row with fewer fields
    than the header is one too: a Shopify row cut after its fifth field was stored as a listing
    with no SKU and no price (an attack). With `optional` (the other columns the caller
    reads), a near miss of one is an error (`columns_known`).
    """
    reader = csv.DictReader(io.StringIO(read_utf8(path), newline=""), strict=True)
    start = 1
    try:
        header = list(reader.fieldnames or [])
        columns_once(path, header)
        if optional is not None:
            columns_known(path, header, [*required, *optional])
        missing = [c for c in required if c not in header]
        if missing:
            raise InvalidInput(f"{path}: missing column(s) {', '.join(missing)}", field=missing[0])
        rows: list[tuple[int, dict[str, str]]] = []
        start = reader.line_num + 1
        for row in reader:
            if None in row:
                raise InvalidInput(
                    f"{path}: line {start} has more fields than the header", field=None
                )
            if whole_rows and None in row.values():
                given = sum(v is not None for v in row.values())
                raise InvalidInput(f"{path}: line {start} has {given} of the header's "
                                   f"{len(header)} fields", field=None)  # fmt: skip
            rows.append((start, {k: _unguarded(v or "") for k, v in row.items()}))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line {start}: {_csv_problem(exc)}", field="path") from exc
    return header, rows


def read_table(
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a small table a seller keeps (stock levels, carrier lanes, shipment scans), each
    with its line number: header names case-insensitive, values stripped. Read like every
    other file (UTF-8, strict quotes): a Latin-1 file, a folder or a 2 MB field were a
    traceback here. These are our own formats: a column that is neither `required` nor
    `optional` is an error ("lead_tme_days" was dropped without a word: an attack)."""
    reader = csv.DictReader(io.StringIO(read_utf8(path), newline=""), strict=True)
    line = 1
    try:
        header = [h.strip().lower() for h in reader.fieldnames or []]
        columns_once(path, header)
        columns_known(path, header, [*required, *optional], strict=True)
        missing = [c for c in required if c not in header]
        if missing:
            raise InvalidInput(
                f"{path}: the header needs {', '.join(required)}; missing {', '.join(missing)}",
                field=missing[0],
            )
        reader.fieldnames = header
        rows = []
        line = reader.line_num + 1
        for raw in reader:
            if extra := raw.get(None):  # DictReader's restkey: values past the header
                # "22423,GB,5,7,8,9" under a 5-column header: which value meant what?
                said = len(header) + len(extra)
                raise InvalidInput(f"{path}: line {line} has {said} values for the header's "
                                   f"{len(header)} columns", field="path")  # fmt: skip
            rows.append((line, {k: (v or "").strip() for k, v in raw.items() if k}))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line {line}: {_csv_problem(exc)}", field="path") from exc
    return rows


def columns_known(
    path: Path, header: Sequence[str], accepted: Sequence[str], *, strict: bool = False
) -> None:
    """A column the file's reader does not take is an error when it is a near miss of one it
    does ("ratting" for rating: the ratings were dropped, the import said nothing), or, with
    `strict` (our own formats), whatever it is. Other columns of a file exported elsewhere
    (a marketplace's helpful_votes) are let be."""
    for name in header:
        if not name or name in accepted:
            continue
        near = near_column(name, accepted, header)
        if near or strict:
            hint = f"; did you mean {near!r}?" if near else ""
            raise InvalidInput(f"{path}: line 1: unknown column {name[:40]!r}{hint} (the "
                               f"columns are {', '.join(accepted)})", field=name[:40])  # fmt: skip


def near_column(name: str, accepted: Sequence[str], given: Collection[str]) -> str | None:
    """The accepted column `name` misspells, among those not `given` ("ratting" -> rating)."""
    missing = [a for a in accepted if a not in given]
    near = difflib.get_close_matches(name.lower(), missing, n=1, cutoff=0.8)
    return near[0] if near else None


def columns_once(path: Path, header: Sequence[str]) -> None:
    """A column named twice: the last one silently won ("on_hand,on_hand" stored the second)."""
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise InvalidInput(f"{path}: the column {name!r} is named twice", field=name)
        seen.add(name)


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "a quoted field opened in this record is never closed (the file ends inside it)"
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    if "expected after" in text:
        return f"a quote closes a field but more text follows it ({text})"
    return text


# A cell a spreadsheet reads as a formula ("=HYPERLINK(...)", "@SUM(...)"): a file we write
# puts "'" before it (OWASP's advice on CSV injection) and our readers take it off again, so
# a glossary exported and imported keeps its terms. A number ("-5", "+44") is left alone.
_FORMULA = re.compile(r"[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def guarded(value: object) -> object:
    """A cell to write: text a spreadsheet would run as a formula gets a leading "'". So does
    text that already starts with apostrophes before such a character ("'=lit"), so that
    reading the file back (`_unguarded`) takes off only the one added here."""
    if (
        isinstance(value, str)
        and _FORMULA.match(value.lstrip("'"))
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def _unguarded(value: str) -> str:
    """A cell read: the "'" a spreadsheet (or `guarded`) put before a formula character, off."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value.lstrip("'")) else value


def write_csv(header: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: guarded(v) for k, v in row.items()})
    return out.getvalue()


def parse_money(value: str, line: int, column: str, bad: list[BadRow]) -> Decimal | None:
    """An amount from a cell, checked as every write checks it; a bad row when it fails."""
    if not value.strip():
        return None
    try:
        return check_money(value, column)
    except InvalidInput as exc:
        bad.append(BadRow(line, exc.message, column))
        return None


def check_choices(
    row: Mapping[str, str], line: int, choices: Mapping[str, tuple[Collection[str], str]],
    bad: list[BadRow],
) -> None:  # fmt: skip
    """Columns a platform fills from a fixed set (any case; empty passes): each `choices`
    entry is the allowed values in small letters and how they are said in the message."""
    for column, (allowed, shown) in choices.items():
        if (said := row.get(column, "").strip()) and said.lower() not in allowed:
            bad.append(BadRow(line, f"{column} is {shown}, not {said[:20]!r}", column))


def parse_int(
    value: str, line: int, column: str, bad: list[BadRow], *, low: int = 0, high: int = MAX_STOCK
) -> int | None:
    """A whole number from a cell, within low..high; a bad row when it is not one."""
    if not value.strip():
        return None
    try:
        return check_whole(value, column, low=low, high=high)
    except InvalidInput as exc:
        bad.append(BadRow(line, exc.message, column))
        return None


def check_row(
    check: Callable[[T], T], record: T, line: int, columns: Mapping[str, str], bad: list[BadRow]
) -> bool:
    """Whether `record` passes the catalog check; a bad row naming the file's column if not."""
    try:
        check(record)
    except InvalidInput as exc:
        column = columns.get(exc.field or "", exc.field)
        bad.append(BadRow(line, exc.message, column))
        return False
    return True


def format_money(amount: Decimal | None) -> str:
    """Prices as shops write them: at least two decimals, more only when they carry value."""
    if amount is None:
        return ""
    text = format(amount.normalize(), "f")
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents.ljust(2, '0')}"
