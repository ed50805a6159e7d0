"""Reads that span time leave out rows dated outside the calendar (capabilities/dates.py).

Dates are checked at every write now, but a shop written before that may hold an order of
9999-12-31: the segments page overflowed on "the day after the last purchase", and demand
forecasting filled every weekly series with zeros up to that year until the service ran out
of memory (18 GB). Such a row is shown where it is listed, never used to span time.
"""

from __future__ import annotations

from typing import Any

from borderless.capabilities.dates import EARLIEST, LATEST


def in_calendar(column: Any) -> Any:
    """The SQL condition: `column` lies within the dates a record may carry."""
    return column.between(EARLIEST, LATEST)
