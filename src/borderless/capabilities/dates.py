"""The dates a shop record may carry: 1970-01-01 to 2100-01-01, and none in the future for
things that have happened (an order placed, a review written).

A date outside these bounds is a typo or an attack, never a real record: 9999-12-31 as a scan
time made every shipment page fail later (its estimate overflowed), and an order "placed" in
9999 moved the fulfilment plan's window into that year. Refusing them at the door names the
field; accepting them breaks a page nobody connects to the input.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from borderless.errors import InvalidInput

__all__ = [
    "CLOCK_SLACK",
    "EARLIEST",
    "LATEST",
    "check_date",
    "date_problem",
    "every_month",
    "naive_utc",
]

EARLIEST = datetime(1970, 1, 1)
LATEST = datetime(2100, 1, 1)
# a record from a shop a few time zones east may carry tomorrow's date
CLOCK_SLACK = timedelta(days=1)


def naive_utc(value: datetime) -> datetime:
    """`value` as records keep time, naive UTC: an offset is applied ("2011-01-01T23:30-08:00"
    is 07:30 the next day; dropping it had scored a risk "placed at 23:00"). At the
    calendar's ends, where applying it overflows ("0001-01-01T00:00+01:00" made five imports
    and routes fail: an attack), the time is kept as written, which date_problem refuses."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return value.replace(tzinfo=None)


def date_problem(value: datetime, *, past: bool = False) -> str | None:
    """Why `value` (naive UTC) cannot stand in a record, or None when it can. `past`: the record
    says something happened, so it cannot be after now."""
    if not EARLIEST <= value <= LATEST:
        # isoformat: strftime writes the year 1 as "1" ("1-01-01")
        return f"{value.date().isoformat()} is not between {EARLIEST:%Y} and {LATEST:%Y}"
    if past and value > datetime.now(UTC).replace(tzinfo=None) + CLOCK_SLACK:
        return f"{value:%Y-%m-%d %H:%M} is in the future"
    return None


def check_date(value: datetime, field: str, *, past: bool = False) -> datetime:
    """`value` when it can stand in a record; InvalidInput naming `field` otherwise."""
    if problem := date_problem(value, past=past):
        raise InvalidInput(f"{field}: {problem}", field=field)
    return value


def every_month(months: list[str]) -> list[str]:
    """The months from the first to the last of sorted "YYYY-MM" labels ("2011-07" ...
    "2011-11"), none left out: a chart's axis without a quiet month read as one run (the pain
    points' bars; the risk rules' lines spaced July next to September: walks)."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= months[-1] and len(out) < 1_500:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
