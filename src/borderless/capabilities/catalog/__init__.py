"""The shop's catalog: products, listings, customers, orders, and their file formats."""

from borderless.capabilities.catalog.records import (
    Customer,
    Image,
    Listing,
    Market,
    Order,
    OrderLine,
    Product,
)

__all__ = ["Customer", "Image", "Listing", "Market", "Order", "OrderLine", "Product"]
