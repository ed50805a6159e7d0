"""Inventory policy: reorder points and order quantities from demand forecasts."""

from borderless.capabilities.inventory.policy import (
    Replenishment,
    StockPoint,
    demand_over,
    replenish,
)
from borderless.capabilities.inventory.stockfile import StockRow, read_stock_file

__all__ = ["Replenishment", "StockPoint", "StockRow", "demand_over", "read_stock_file", "replenish"]
