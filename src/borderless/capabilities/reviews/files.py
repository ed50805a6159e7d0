"""Review files a seller brings: CSV or JSON, checked row by row before anything is written.

Columns (CSV header or JSON keys): `sku` (or `product`), `text` (or `body`, `review`), and
optionally `id`, `customer_id` (or `customer`), `rating` (1-5), `title`, `date` (ISO 8601),
`language` (ISO 639-1), `market` (country code or name).

What is not in the file is never guessed, except the language, which is detected from the
text when the column is missing or empty; a detection that is unsure, or names a language we
do not support, is reported like any other bad value. A review without a date is dated on
import and counted as such. A malformed file (a broken quote, a JSON syntax error) is an error
naming the file, line and column; every bad row is reported at once and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from borderless.capabilities.catalog.checks import customer_key, text_problem
from borderless.capabilities.catalog.csvfiles import (
    columns_known,
    columns_once,
    near_column,
    read_utf8,
)
from borderless.capabilities.catalog.markets import market_for_country
from borderless.capabilities.dates import date_problem, naive_utc
from borderless.capabilities.json_objects import KeyGivenTwice, keys_once
from borderless.errors import BadRow, BadRows, InvalidInput
from borderless.languages import LANGUAGE_NAMES

__all__ = ["ReviewIn", "csv_rows", "read_reviews", "review_key"]

ALIASES = {
    "sku": ("sku", "product", "product_sku"),
    "text": ("text", "body", "review", "comment"),
    "customer_id": ("customer_id", "customer"),
    "date": ("date", "created_at", "reviewed_at"),
    "market": ("market", "country"),
}
# Every column a review file may have, under any of its names: a near miss of one ("ratting",
# "langauge") is an error, not a column dropped unsaid (an attack).
COLUMNS = (*(a for names in ALIASES.values() for a in names), "id", "rating", "title", "language")
MAX_TEXT = 20_000
MAX_TITLE = 500
MIN_DETECTION_SCORE = 0.4  # below this the detector is guessing; we ask for a language column


@dataclass(frozen=True)
class ReviewIn:
    """One checked review from a file (`line` is where it starts, for later reports)."""

    key: str
    sku: str
    text: str
    line: int = 0
    customer_id: str | None = None
    rating: int | None = None
    title: str = ""
    language: str = "en"
    market: str | None = None
    created_at: datetime | None = None  # None: dated on import
    source: str = ""
    language_detected: bool = False


def review_key(given_id: str, sku: str, customer: str | None, when: str, text: str) -> str:
    """A stable key: the file's own review id when it has one, else a hash of what it says."""
    basis = f"id\x1f{given_id}" if given_id else f"{sku}\x1f{customer or ''}\x1f{when}\x1f{text}"
    return hashlib.sha256(basis.encode()).hexdigest()


def csv_rows(
    path: Path, text: str | None = None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (line, row) pairs of a strict CSV parse; a malformed record names its line
    and column (the 1-based field number and its header name)."""
    content = read_utf8(path) if text is None else text
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise InvalidInput(f"{path}: line 1, column 1: {exc}", field="path") from exc
    if not any(header):
        raise InvalidInput(f"{path}: line 1: the file is empty (no header)", field="path")
    columns_once(path, header)  # "sku,text,text" was misread as a language problem (an attack)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        start = reader.line_num + 1
        lines = content.splitlines()
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                broken = "\n".join(lines[start - 1 : max(reader.line_num, start)])
                parsed = next(csv.reader(io.StringIO(broken), strict=False), [])
                column = max(len(parsed), 1)
                name = header[column - 1] if column <= len(header) else "?"
                raise InvalidInput(
                    f"{path}: line {start}, column {column} ({name}): {_problem(exc)}",
                    field=name,
                ) from exc
            if len(cells) > len(header):
                raise InvalidInput(
                    f"{path}: line {start}, column {len(header) + 1}: more fields than the header",
                    field="path",
                )
            if any(c.strip() for c in cells):
                yield start, dict(zip(header, cells, strict=False))
            start = reader.line_num + 1

    return header, rows()


def _problem(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "a quoted field opened here is never closed (the file ends inside it)"
    if "expected after" in text:
        return f"a quote closes a field but more text follows it ({text})"
    return text


def _json_rows(path: Path, bad: list[BadRow]) -> Iterator[tuple[int, dict[str, str]]]:
    content = read_utf8(path)
    try:
        # a number with a point or an exponent is kept as written: 1e309 was told as 'inf'
        data = json.loads(content, object_pairs_hook=keys_once, parse_float=str)
    except KeyGivenTwice as given:
        raise InvalidInput(f"{path}: {given.key[:80]!r} is given twice in one JSON object: give "
                           "each key once", field=given.key[:80]) from given  # fmt: skip
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}", field="path"
        ) from exc
    except RecursionError as exc:  # "[[[[...]]]]" 5,000 deep was an internal error (an attack)
        raise InvalidInput(
            f"{path}: the JSON is nested too deeply to be reviews", field="path"
        ) from exc
    except ValueError as exc:  # a number of 4,300 digits or more (an attack)
        raise InvalidInput(f"{path}: a number in it has thousands of digits", field="path") from exc
    if isinstance(data, dict) and isinstance(data.get("reviews"), list):
        data = data["reviews"]
    if not isinstance(data, list):
        raise InvalidInput(
            f'{path}: expected a list of reviews (or {{"reviews": [...]}})', field="path"
        )
    # JSON has no line per record: a record's position, 1-based (read_reviews says "record").
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise InvalidInput(f"{path}: record {number} is not an object", field="path")
        odd = [(str(k), v) for k, v in item.items() if isinstance(v, bool | list | dict)]
        for key, value in odd:  # was stored as Python's text of it ("['Nice']")
            kind = {bool: "true or false", list: "a list", dict: "an object"}[type(value)]
            bad.append(BadRow(number, f"{key} is {kind}, not a text or a number", key))
        for key in (str(k) for k in item if k not in COLUMNS):
            if near := near_column(key, COLUMNS, [str(k) for k in item]):
                bad.append(BadRow(number, f"unknown key {key[:40]!r}; did you mean {near!r}?",
                                  key[:40]))  # fmt: skip
        if twice := _twice_named(str(k) for k in item):
            bad.append(BadRow(number, twice[1], twice[0]))
        elif not odd:
            yield number, {str(k): "" if v is None else str(v) for k, v in item.items()}


def _twice_named(keys: Iterable[str]) -> tuple[str, str] | None:
    """Two columns (or keys) that give one thing ("sku" and "product"): (the thing, what to
    say); None when none. The first was read and the other dropped unsaid (an attack)."""
    given = set(keys)
    for name, aliases in ALIASES.items():
        if len(found := [a for a in aliases if a in given]) > 1:
            return name, f"{' and '.join(repr(a) for a in found)} both give the {name}: keep one"
    return None


def _pick(row: Mapping[str, str], name: str) -> tuple[str, str]:
    """The value of a column under any of its names, and the name the file used."""
    for alias in ALIASES.get(name, (name,)):
        if alias in row:
            return row[alias].strip(), alias
    return "", name


def _date(value: str) -> datetime:
    text = value.strip().replace("Z", "+00:00")
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        found = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return naive_utc(found)


Detector = Callable[[str], tuple[str, float]]


def _default_detector(text: str) -> tuple[str, float]:
    from borderless.capabilities.language import detect_language

    found = detect_language(text, fallback="und")
    return found.code, found.score


def read_reviews(
    path: Path,
    *,
    source: str | None = None,
    detect: Detector | None = None,
    refer: Callable[[Sequence[ReviewIn]], list[BadRow]] | None = None,
) -> list[ReviewIn]:
    """Every review of a CSV or JSON file, checked; BadRows (nothing read) if any row is bad.
    `refer` gives the bad rows among the well-formed ones the shop cannot place (an unknown
    product or customer), so that one answer lists every bad row."""
    detect = detect or _default_detector
    bad: list[BadRow] = []
    if path.suffix.lower() == ".json":
        rows: Iterator[tuple[int, dict[str, str]]] = _json_rows(path, bad)
        where = "record"
    else:
        header, rows = csv_rows(path)
        if twice := _twice_named(header):
            raise InvalidInput(f"{path}: line 1: {twice[1]}", field=twice[0])
        columns_known(path, header, COLUMNS)
        for needed in ("sku", "text"):
            if not any(a in header for a in ALIASES[needed]):
                raise InvalidInput(
                    f"{path}: line 1: missing column {needed!r} "
                    f"(accepted names: {', '.join(ALIASES[needed])})",
                    field=needed,
                )
        where = "line"
    found: list[ReviewIn] = []
    keys: dict[str, int] = {}
    for line, row in rows:
        review = _checked(row, line, bad, detect, source or path.name)
        if review is None:
            continue
        if review.key in keys:
            bad.append(BadRow(line, f"same review as {where} {keys[review.key]}", "id"))
            continue
        keys[review.key] = line
        found.append(review)
    if bad and refer is not None and found:
        bad += refer(found)
    if bad:
        counted = [replace(b, unit=where) for b in bad]  # "record 3" in a JSON file
        raise BadRows(str(path), sorted(counted, key=lambda b: b.line))
    if not found:
        raise InvalidInput(f"{path}: no reviews", field="text")
    return found


def _checked(
    row: Mapping[str, str], line: int, bad: list[BadRow], detect: Detector, source: str
) -> ReviewIn | None:
    before = len(bad)
    sku, sku_col = _pick(row, "sku")
    text, text_col = _pick(row, "text")
    text = " ".join(text.split())
    if not sku:
        bad.append(BadRow(line, "no product (sku)", sku_col))
    if not text:
        bad.append(BadRow(line, "empty review text", text_col))
    elif len(text) > MAX_TEXT:
        bad.append(BadRow(line, f"text longer than {MAX_TEXT:,} characters", text_col))
    # a NUL or an escape sequence was stored and shown raw on the reviews page (an attack)
    for said, column in ((text, text_col), _pick(row, "title"), _pick(row, "id"),
                         _pick(row, "customer_id")):  # fmt: skip
        if problem := text_problem(said, column, len(said)):  # lengths: each column's rule
            bad.append(BadRow(line, problem, column))
    said_title, title_col = _pick(row, "title")
    if len(" ".join(said_title.split())) > MAX_TITLE:  # it was cut to 500 unsaid (an attack)
        bad.append(BadRow(line, f"title longer than {MAX_TITLE} characters", title_col))
    given_id, id_col = _pick(row, "id")
    if not given_id and row.get(id_col, ""):
        # white space was read as no id, and the review keyed by its text (an attack)
        bad.append(BadRow(line, "id is only white space: give one or leave it empty", id_col))
    rating: int | None = None
    raw_rating, rating_col = _pick(row, "rating")
    if raw_rating:
        # the digits 0-9: "٥" was read as 5 (an attack)
        written = re.fullmatch(r"[0-9]+(?:\.0*)?", raw_rating)
        value = float(raw_rating) if written else -1.0
        if not value.is_integer() or not 1 <= value <= 5:
            bad.append(BadRow(line, f"rating {raw_rating!r} is not a whole number 1-5", rating_col))
        else:
            rating = int(value)
    when: datetime | None = None
    raw_date, date_col = _pick(row, "date")
    if raw_date:
        try:
            when = _date(raw_date)
        except ValueError:
            bad.append(BadRow(line, f"date {raw_date!r} is not ISO 8601 (2024-05-31)", date_col))
        else:
            if problem := date_problem(when, past=True):
                bad.append(BadRow(line, f"review date {problem}", date_col))
                when = None
    market: str | None = None
    raw_market, market_col = _pick(row, "market")
    if raw_market:
        known = market_for_country(raw_market)
        if known is None:
            bad.append(BadRow(line, f"unknown market {raw_market!r}", market_col))
        else:
            market = known.code
    language, detected = _language(row, text, line, bad, detect)
    if len(bad) > before:
        return None
    customer = customer_key(_pick(row, "customer_id")[0]) or None
    title = " ".join(_pick(row, "title")[0].split())
    return ReviewIn(
        key=review_key(given_id, sku, customer, raw_date, text),
        sku=sku,
        text=text,
        line=line,
        customer_id=customer,
        rating=rating,
        title=title,
        language=language,
        market=market,
        created_at=when,
        source=source[:100],
        language_detected=detected,
    )


def _language(
    row: Mapping[str, str], text: str, line: int, bad: list[BadRow], detect: Detector
) -> tuple[str, bool]:
    given = _pick(row, "language")[0].lower()
    if given:
        if given not in LANGUAGE_NAMES:
            bad.append(BadRow(line, f"unknown language code {given!r} (use ISO 639-1)", "language"))
        return given, False
    if not text:
        return "", False
    code, score = detect(text)
    if code not in LANGUAGE_NAMES:
        bad.append(
            BadRow(
                line,
                f"detected language {code!r} is not one we support; give a language column",
                "language",
            )
        )
    elif score < MIN_DETECTION_SCORE:
        bad.append(
            BadRow(
                line,
                f"language unclear (best guess {code}, score {score:.2f}); give a language column",
                "language",
            )
        )
    return code, True
