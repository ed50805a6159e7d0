"""The warehouse/carrier table: `warehouse,carrier,country,cost_per_order,cost_per_kg,
lead_time_days[,capacity]`, one line per lane (a warehouse shipping with a carrier to a market).

Capacity is orders per day for the warehouse and carrier together, over all the markets it
serves; blank means no limit. Every bad line is reported with its number, nothing is written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from borderless.capabilities.catalog.checks import name_problem, visible
from borderless.capabilities.catalog.csvfiles import read_table
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = ["Lane", "read_lanes_file", "validate_lanes"]

MAX_COST = 100_000  # per order or per kg, in the shop currency
MAX_CAPACITY = 10_000_000  # orders per day
REQUIRED = ("warehouse", "carrier", "country", "cost_per_order", "cost_per_kg", "lead_time_days")


@dataclass(frozen=True)
class Lane:
    warehouse: str
    carrier: str
    country: str
    cost_per_order: float
    cost_per_kg: float
    lead_time_days: int
    capacity: int | None = None  # orders per day for warehouse + carrier; None: no limit
    line: int = 0

    @property
    def name(self) -> str:
        return f"{self.warehouse}/{self.carrier}"

    @property
    def name_key(self) -> tuple[str, str]:
        return (self.warehouse, self.carrier)

    def cost(self, weight_kg: float) -> float:
        return self.cost_per_order + self.cost_per_kg * weight_kg


# the slash and the characters that look like one
_SLASHES = frozenset("/\u2215\u2044\uff0f\u29f8\u0338\u2571")


def validate_lanes(lanes: Sequence[Lane]) -> list[BadRow]:
    bad: list[BadRow] = []
    seen: set[tuple[str, str, str]] = set()
    capacity: dict[tuple[str, str], int | None] = {}
    for lane in lanes:
        key = (lane.warehouse, lane.carrier, lane.country)
        named = [(n, p) for n in ("warehouse", "carrier")
                 if (p := name_problem(getattr(lane, n), n, 64))]  # fmt: skip
        if not visible(lane.warehouse) or not visible(lane.carrier):
            # white space alone was a warehouse through the API (an attack)
            field = "carrier" if visible(lane.warehouse) else "warehouse"
            bad.append(BadRow(lane.line, "empty warehouse or carrier", field))
        elif named:  # a 100-character warehouse was stored (its column holds 64)
            bad.append(BadRow(lane.line, named[0][1], named[0][0]))
        elif slash := next((ch for ch in lane.warehouse if ch in _SLASHES), None):
            # a lane is named warehouse/carrier: "UK/1" + "DHL" and "UK" + "1/DHL" were both
            # shown as "UK/1/DHL" (an attack), and "UK∕1" (U+2215) looks the same; a carrier
            # may hold one ("DHL/Express")
            said = "'/'" if slash == "/" else f"'{slash}' (U+{ord(slash):04X}, a slash)"
            bad.append(BadRow(lane.line, f"warehouse {lane.warehouse!r} may not hold {said}: a "
                              "lane is named warehouse/carrier", "warehouse"))  # fmt: skip
        elif len(lane.country) != 2 or not lane.country.isalpha():
            bad.append(BadRow(lane.line, f"country {lane.country!r} is not a 2-letter code",
                              "country"))  # fmt: skip
        elif key in seen:
            bad.append(BadRow(lane.line, f"{lane.name} to {lane.country} appears twice",
                              "country"))  # fmt: skip
        elif problem := _cost_problem(lane):
            bad.append(BadRow(lane.line, *problem))
        elif not 1 <= lane.lead_time_days <= 90:
            bad.append(BadRow(lane.line, f"lead time {lane.lead_time_days} is outside 1-90 days",
                              "lead_time_days"))  # fmt: skip
        elif lane.capacity is not None and not 0 <= lane.capacity <= MAX_CAPACITY:
            bad.append(BadRow(lane.line, f"capacity {lane.capacity} is outside 0-{MAX_CAPACITY:,} "
                                         "orders a day", "capacity"))  # fmt: skip
        elif capacity.setdefault(lane.name_key, lane.capacity) != lane.capacity:
            bad.append(BadRow(lane.line, f"capacity of {lane.name} differs from an earlier line "
                                         f"({capacity[lane.name_key]}): it is shared by all "
                                         "its markets", "capacity"))  # fmt: skip
        seen.add(key)
    return bad


def _cost_problem(lane: Lane) -> tuple[str, str] | None:
    for field in ("cost_per_order", "cost_per_kg"):
        value = getattr(lane, field)
        if not math.isfinite(value) or not 0 <= value <= MAX_COST:
            return f"{field} {value} is outside 0-{MAX_COST:,}", field
    return None


def _number(text: str, field: str, line: int, bad: list[BadRow]) -> float | None:
    # the digits 0-9: "٢" was read as 2 days, and "1_000" or "1e3" as numbers (an attack);
    # "-0" is 0 (it was told it "is below 0")
    written = re.sub(r"^-(?=0*(?:\.0*)?$)", "", text.strip())
    value = float(written) if re.fullmatch(r"[0-9]{1,12}(?:\.[0-9]{1,6})?", written) else math.nan
    if not math.isfinite(value):
        # "-1" was told it "is not a number" (a walk)
        below = re.fullmatch(r"-[0-9]+(?:\.[0-9]+)?", text.strip())
        # 20 digits were "not a number written with the digits 0-9" (an attack)
        large = re.fullmatch(r"[0-9]{13,}(?:\.[0-9]+)?", text.strip())
        said = ("is below 0" if below else "is too large" if large
                else "is not a number written with the digits 0-9")  # fmt: skip
        bad.append(BadRow(line, f"{field} {text!r} {said}", field))
        return None
    return value


def read_lanes_file(path: Path) -> list[Lane]:
    lanes: list[Lane] = []
    bad: list[BadRow] = []
    for line, row in read_table(path, REQUIRED, ("capacity",)):
        per_order = _number(row["cost_per_order"], "cost_per_order", line, bad)
        per_kg = _number(row["cost_per_kg"], "cost_per_kg", line, bad)
        lead = _number(row["lead_time_days"], "lead_time_days", line, bad)
        cap_text = row.get("capacity") or ""
        cap = _number(cap_text, "capacity", line, bad) if cap_text else None
        if per_order is None or per_kg is None or lead is None or (cap_text and cap is None):
            continue
        # each told as itself: a capacity of 2.5 blamed the lead time (an attack)
        fractions = [(name, value) for name, value in (("lead_time_days", lead), ("capacity", cap))
                     if value is not None and value != int(value)]  # fmt: skip
        for name, value in fractions:
            bad.append(BadRow(line, f"{name} {value:g} is not a whole number", name))
        if fractions:
            continue
        lanes.append(Lane(row["warehouse"], row["carrier"], row["country"].upper(), per_order,
                          per_kg, int(lead), None if cap is None else int(cap), line))  # fmt: skip
    bad += validate_lanes(lanes)
    if bad:
        raise BadRows(str(path), sorted(bad, key=lambda b: b.line))
    if not lanes:
        raise InvalidInput(f"{path} holds no lanes", field="file")
    return lanes
