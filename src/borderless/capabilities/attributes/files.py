"""The catalog file `borderless attributes extract` reads: `id,title[,description[,language]]`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from borderless.capabilities.catalog.checks import check_text
from borderless.capabilities.catalog.csvfiles import read_csv
from borderless.errors import BadRow, BadRows, InvalidInput
from borderless.languages import LANGUAGE_NAMES, known_codes

__all__ = ["CatalogRow", "read_catalog"]


@dataclass(frozen=True)
class CatalogRow:
    id: str
    title: str
    description: str = ""
    language: str | None = None


def read_catalog(path: Path) -> list[CatalogRow]:
    """Every row, checked as product writes are; BadRows (lines named) if any row is wrong."""
    _, rows = read_csv(path, ("id", "title"), optional=("description", "language"))
    out: list[CatalogRow] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            rid = check_text(row["id"].strip(), "id", 64, required=True)
            title = check_text(row["title"].strip(), "title", 500, required=True)
            description = check_text(row.get("description", ""), "description")
        except InvalidInput as exc:
            bad.append(BadRow(line, exc.message, exc.field))
            continue
        if rid in seen:
            bad.append(BadRow(line, f"id {rid!r} is already on line {seen[rid]}", "id"))
            continue
        seen[rid] = line
        # a language the extractor has no words for ("xx") was taken, and read as nothing
        language = row.get("language", "").strip().lower() or None
        if language is not None and language not in LANGUAGE_NAMES:
            bad.append(BadRow(line, f"unknown language {row['language'].strip()[:20]!r}: use "
                                    f"one of {known_codes()}", "language"))  # fmt: skip
            continue
        out.append(CatalogRow(rid, title, description, language))
    if bad:
        raise BadRows(str(path), bad)
    if not out:
        raise InvalidInput(f"{path}: no products in the file", field="path")
    return out
