"""Fulfilment planning: which warehouse and carrier ships each order, the cheapest way that
meets each market's delivery promise, within each lane's capacity."""

from borderless.capabilities.fulfilment.lanes import Lane, read_lanes_file, validate_lanes
from borderless.capabilities.fulfilment.plan import (
    Assignment,
    MarketPlan,
    OrderToShip,
    Plan,
    naive_plan,
    plan_fulfilment,
)

__all__ = [
    "Assignment",
    "Lane",
    "MarketPlan",
    "OrderToShip",
    "Plan",
    "naive_plan",
    "plan_fulfilment",
    "read_lanes_file",
    "validate_lanes",
]
