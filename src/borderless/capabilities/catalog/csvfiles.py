"""CSV reading and writing shared by the listing formats, plus value formats they agree on."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from borderless.errors import BadRow, InvalidInput

__all__ = ["format_money", "parse_int", "parse_money", "read_csv", "read_utf8", "write_csv"]


def read_utf8(path: Path) -> str:
    """A user's text file (a byte-order mark allowed); a clear error when missing or not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: no such file", field="path") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})", field="path") from exc


def read_csv(
    path: Path, required: Sequence[str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows (with their 1-based line numbers) of a UTF-8 CSV file."""
    reader = csv.DictReader(io.StringIO(read_utf8(path), newline=""))
    header = list(reader.fieldnames or [])
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(f"{path}: missing column(s) {', '.join(missing)}", field=missing[0])
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if None in row:
                raise InvalidInput(
                    f"{path}: line {reader.line_num} has more fields than the header", field=None
                )
            rows.append((reader.line_num, {k: v or "" for k, v in row.items()}))
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line {reader.line_num}: {exc}", field="path") from exc
    return header, rows


def write_csv(header: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def parse_money(value: str, line: int, column: str, bad: list[BadRow]) -> Decimal | None:
    if not value.strip():
        return None
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        bad.append(BadRow(line, f"{value!r} is not a number", column))
        return None
    if amount < 0 or not amount.is_finite():
        bad.append(BadRow(line, f"{value!r} is not a valid amount", column))
        return None
    return amount


def parse_int(value: str, line: int, column: str, bad: list[BadRow]) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        bad.append(BadRow(line, f"{value!r} is not a whole number", column))
        return None


def format_money(amount: Decimal | None) -> str:
    """Prices as shops write them: at least two decimals, more only when they carry value."""
    if amount is None:
        return ""
    text = format(amount.normalize(), "f")
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents.ljust(2, '0')}"
