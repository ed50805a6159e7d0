"""The demo shop import on the real UCI Online Retail file, against SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from sqlalchemy import func, select

from borderless.capabilities.catalog.retail import parse_retail
from borderless.errors import BadRows, InvalidInput
from borderless.storage import Database
from borderless.storage import tables as t
from borderless.storage.catalog import get_product, update_product
from borderless.storage.imports import save_retail
from borderless.storage.sales import shop_stats


def test_sample_import_accounts_for_every_line(db: Database, retail_sample: Path) -> None:
    data = parse_retail(retail_sample)
    kept, skipped = data.order_lines, sum(len(v) for v in data.skipped.values())
    assert data.lines_read == 20_000
    assert kept + skipped + len(data.bad_rows) == data.lines_read
    save_retail(db, data)
    stats = shop_stats(db)
    assert stats.order_lines == kept
    assert stats.orders == len({o.id for o in data.orders})
    assert stats.customers == len(data.customers)
    # "Unspecified" and "European Community" are no countries (the home page said 38: a walk)
    from borderless.capabilities.catalog.markets import NOT_COUNTRIES, market_for_country

    named = {m.code for c in data.countries if (m := market_for_country(c)) is not None}
    assert stats.countries == len(named - set(NOT_COUNTRIES))


def test_reimport_changes_nothing(db: Database, retail_sample: Path) -> None:
    data = parse_retail(retail_sample)
    first = save_retail(db, data)
    assert first.changed > 0
    before = shop_stats(db)
    second = save_retail(db, parse_retail(retail_sample))
    assert second.changed == 0
    assert shop_stats(db) == before


def test_reimport_keeps_what_the_seller_added(db: Database, retail_sample: Path) -> None:
    save_retail(db, parse_retail(retail_sample))
    update_product(db, "85123A", {"description": "Heart-shaped holder", "stock": 7})
    save_retail(db, parse_retail(retail_sample))
    product = get_product(db, "85123A")
    assert (product.description, product.stock) == ("Heart-shaped holder", 7)
    assert product.title == "WHITE HANGING HEART T-LIGHT HOLDER"


def test_bad_rows_are_reported_by_line(retail_sample: Path, tmp_path: Path) -> None:
    lines = retail_sample.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(",6.0,", ",six,", 1)  # file line 5
    lines[9] = lines[9].replace("United Kingdom", "Atlantis", 1)  # file line 10
    broken = tmp_path / "broken.csv"
    broken.write_text("".join(lines), encoding="utf-8")
    data = parse_retail(broken)
    assert [(r.line, r.field) for r in data.bad_rows] == [(5, "Quantity"), (10, "Country")]
    error = BadRows(str(broken), data.bad_rows)
    assert "line 5 (Quantity)" in error.message and "line 10 (Country)" in error.message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (",6.0,", ",\u0666,", "Quantity"),  # Arabic-Indic 6 was read as 6 (an attack)
        (",17850.0,", ",-17850,", "CustomerID"),  # stored as a customer "-17850"
        (",17850.0,", ",17850.5,", "CustomerID"),
        (",17850.0,", ",1" + "0" * 40 + ",", "CustomerID"),
    ],
)
def test_numbers_in_the_retail_file_are_plain_digits(
    retail_sample: Path, tmp_path: Path, old: str, new: str, field: str
) -> None:
    lines = retail_sample.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[4], lines[4]
    lines[4] = lines[4].replace(old, new, 1)
    broken = tmp_path / "broken.csv"
    broken.write_text("".join(lines), encoding="utf-8")
    assert [(r.line, r.field) for r in parse_retail(broken).bad_rows] == [(5, field)]


def test_a_failed_import_writes_nothing(db: Database, retail_sample: Path) -> None:
    data = parse_retail(retail_sample)
    data.orders[-1].lines[0].sku = "NO-SUCH-SKU"  # breaks a foreign key on the last table
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        save_retail(db, data)
    assert shop_stats(db).products == 0
    assert shop_stats(db).orders == 0


def test_wrong_file_is_a_clear_error(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("sku,title\n1,a\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing column"):
        parse_retail(other)
    with pytest.raises(InvalidInput, match="no such file"):
        parse_retail(tmp_path / "absent.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"InvoiceNo,StockCode\n\xff\xfe\x00bad")
    with pytest.raises(InvalidInput, match="UTF-8"):
        parse_retail(binary)


def test_a_retail_file_is_read_within_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An attack: "Country,Country" stored the second; a gzip of one 4 GiB line took 8.5 GB
    of memory, one of 2 GiB of newlines ran for minutes, and /dev/zero grew without end."""
    from borderless.capabilities.catalog import retail

    header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
    line = "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom"
    twice = tmp_path / "twice.csv"
    twice.write_text(f"{header},Country\n{line},France\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="'Country' is named twice"):
        parse_retail(twice)
    with pytest.raises(InvalidInput, match="not a regular file"):
        parse_retail(Path("/dev/zero"))
    long = tmp_path / "long.csv.gz"
    with gzip.open(long, "wt", encoding="utf-8") as f:
        f.write(header + "\n" + "x" * (retail.MAX_LINE + 5))
    with pytest.raises(InvalidInput, match="line 2 is longer than 100,000 characters"):
        parse_retail(long)
    # a date not written the ISO way says how to write it (an attack)
    spreadsheet = tmp_path / "spreadsheet.csv"
    spreadsheet.write_text(header + "\n" + line.replace("2010-12-01 08:26:00", "12/1/2010 8:26"),
                           encoding="utf-8")  # fmt: skip
    (told,) = parse_retail(spreadsheet).bad_rows
    assert "is not a date written YYYY-MM-DD HH:MM:SS (2010-12-01 08:26:00)" in told.reason
    monkeypatch.setattr(retail, "MAX_LINES", 5)
    many = tmp_path / "many.csv"
    many.write_text(header + "\n" * 10, encoding="utf-8")
    with pytest.raises(InvalidInput, match="more than 5 lines"):
        parse_retail(many)
    monkeypatch.undo()
    assert parse_retail(many).lines_read == 0  # blank lines are no rows


def _valid_order_customers(path: Path) -> tuple[set[str], set[str]]:
    """Independently of the importer: customer ids with a real sale, and all country names."""
    customers, countries = set(), set()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            countries.add(row["Country"])
            sale = row["InvoiceNo"][0].isdigit() and float(row["Quantity"]) > 0
            if sale and float(row["UnitPrice"]) > 0 and row["CustomerID"]:
                customers.add(str(int(float(row["CustomerID"]))))
    return customers, countries


@pytest.mark.slow  # 80 s a database: the browser tests' shop imports the same file by default
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_full_demo_shop_counts(db: Database, retail_file: Path) -> None:
    data = parse_retail(retail_file)
    assert data.bad_rows == []
    save_retail(db, data)
    stats = shop_stats(db)
    # The counts documented in docs/retail-import.md.
    assert stats.as_dict() == {
        "products": 3827,
        "customers": 4372,
        "orders": 23799,
        "order_lines": 539431,
        "countries": 36,  # and "Unspecified" and "European Community"
        "reviews": 0,
        "sales": 19963,
        "cancellations": 3836,
    }
    with db.engine.connect() as conn:
        kinds = dict(
            conn.execute(select(t.products.c.kind, func.count()).group_by(t.products.c.kind)).all()
        )
    # "Next Day Carriage" (23444) is a charge billed under a stock code, not merchandise
    assert kinds == {"merchandise": 3812, "charge": 10, "voucher": 5}
    assert {k: len(v) for k, v in data.skipped.items()} == {
        "stock_movement_without_sale": 1139,
        "stock_write_off": 1336,
        "bad_debt_adjustment": 3,
    }
    valid, countries = _valid_order_customers(retail_file)
    with db.engine.connect() as conn:
        stored = {r.id for r in conn.execute(select(t.customers.c.id))}
    assert valid <= stored
    # the file's 38 country values; "Unspecified" and "European Community" are no countries
    assert len(countries) == 38 and "Unspecified" in countries and "European Community" in countries
    assert stats.countries == 36
    assert save_retail(db, parse_retail(retail_file)).changed == 0


def test_retail_imports_at_once_wait_for_each_other(db: Database, retail_sample: Path) -> None:
    """An attack: three imports of the same file at once; all but one failed with a UNIQUE
    constraint on markets or products (exit 1, the SQL printed)."""
    from concurrent.futures import ThreadPoolExecutor

    data = parse_retail(retail_sample)
    with ThreadPoolExecutor(3) as pool:
        done = list(pool.map(lambda _: save_retail(db, data), range(3)))
    assert sum(s.changed > 0 for s in done) == 1, [s.changed for s in done]
    assert save_retail(db, data).changed == 0


def test_a_write_that_waits_too_long_on_sqlite_says_the_database_is_busy(tmp_path: Path) -> None:
    """A writer that cannot take SQLite's write lock within its timeout (an import holding it)
    is told the database is busy (503, exit 4), not an internal error."""
    import sqlite3

    from borderless.config import load_settings
    from borderless.errors import DatabaseUnavailable
    from borderless.storage import open_database

    settings = load_settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'shop.db'}")
    db = open_database(settings)
    holder = sqlite3.connect(tmp_path / "shop.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with (
            pytest.raises(DatabaseUnavailable, match="busy with another write"),
            db.writing("catalog import"),
        ):
            pass
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        db.dispose()
