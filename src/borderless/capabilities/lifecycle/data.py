"""What a model was trained on, in a form that identifies it later: a file's sha256, its row
count and the date range of its first date-like column; and the size of a model folder."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from pathlib import Path
from typing import Any

from borderless.errors import InvalidInput

__all__ = ["fingerprint", "folder_size"]

DATE_COLUMNS = ("date", "created_at", "placed_at", "invoicedate", "invoice_date", "timestamp", "ds")


def fingerprint(path: Path) -> dict[str, Any]:
    """{file, sha256, rows, date_from, date_to} of a CSV (plain or .gz) or any other file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the training data ({exc})", field="data") from exc
    found: dict[str, Any] = {"file": str(path.resolve()), "sha256": hashlib.sha256(raw).hexdigest()}
    text = gzip.decompress(raw) if path.suffix == ".gz" else raw
    try:
        reader = csv.reader(io.StringIO(text.decode("utf-8-sig")))
        header = [h.strip().lower() for h in next(reader, [])]
        dated = next((header.index(c) for c in DATE_COLUMNS if c in header), None)
        rows, first, last = 0, None, None
        for row in reader:
            if not row:
                continue
            rows += 1
            if dated is not None and dated < len(row) and row[dated].strip():
                value = row[dated].strip()[:10]
                first = value if first is None or value < first else first
                last = value if last is None or value > last else last
    except (UnicodeDecodeError, csv.Error, OSError):
        return found | {"rows": None}  # not a text table: the hash still identifies it
    return found | {"rows": rows, "date_from": first, "date_to": last}


def folder_size(path: Path) -> int:
    """Bytes of every file under `path` (or of `path` itself)."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
