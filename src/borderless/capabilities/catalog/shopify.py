"""Shopify product CSV: import and export, lossless in a round trip.

Layout as Shopify documents and exports it: one row per variant, the first row of a handle
also carrying the product fields; image N sits on row N of its handle, extra images on rows
of their own. Columns Borderless does not model are kept verbatim and written back.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from borderless.capabilities.catalog.checks import (
    MAX_GRAMS,
    MAX_QUANTITY,
    MAX_STOCK,
    check_listing,
    check_product,
)
from borderless.capabilities.catalog.csvfiles import (
    check_choices,
    check_row,
    format_money,
    parse_int,
    parse_money,
    read_csv,
    write_csv,
)
from borderless.capabilities.catalog.records import Image, Listing, Product
from borderless.errors import BadRow, BadRows

__all__ = ["COLUMNS", "export_shopify", "import_shopify"]

COLUMNS = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
    "Option3 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker",
    "Variant Inventory Qty", "Variant Inventory Policy", "Variant Fulfillment Service",
    "Variant Price", "Variant Compare At Price", "Variant Requires Shipping", "Variant Taxable",
    "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card", "SEO Title",
    "SEO Description", "Variant Image", "Variant Weight Unit", "Variant Tax Code",
    "Cost per item", "Status",
]  # fmt: skip
_OPTION_NAMES = ["Option1 Name", "Option2 Name", "Option3 Name"]
_OPTION_VALUES = ["Option1 Value", "Option2 Value", "Option3 Value"]
_VARIANT = {
    "Variant SKU", "Variant Grams", "Variant Inventory Qty", "Variant Price",
    "Variant Compare At Price", "Variant Barcode", "Variant Image", *_OPTION_VALUES,
}  # fmt: skip
_IMAGE = {"Image Src", "Image Position", "Image Alt Text"}
# Product-level columns kept verbatim from a handle's first row.
_LISTING_KEPT = {"Published", "Gift Card", "SEO Title", "SEO Description"}
_YES_NO = (frozenset({"true", "false"}), "TRUE or FALSE")  # or left empty
_CHOICES: dict[str, tuple[frozenset[str], str]] = {
    "Published": _YES_NO, "Gift Card": _YES_NO, "Variant Requires Shipping": _YES_NO,
    "Variant Taxable": _YES_NO,
    "Status": (frozenset({"active", "draft", "archived"}), "active or archived or draft"),
    "Variant Weight Unit": (frozenset({"g", "kg", "lb", "oz"}), "g or kg or lb or oz"),
    "Variant Inventory Policy": (frozenset({"deny", "continue"}), "continue or deny"),
}  # fmt: skip
_VARIANT_PREFIXES = ("Variant ", "Cost per item")
# Where a record's field comes from, so a value the catalog refuses is reported by its column.
_LISTING_COLUMNS = {
    "handle": "Handle", "title": "Title", "body_html": "Body (HTML)", "vendor": "Vendor",
    "category": "Product Category", "product_type": "Type", "tags": "Tags", "status": "Status",
    "option_names": "Option1 Name", "images": "Image Src",
}  # fmt: skip
_PRODUCT_COLUMNS = {
    "sku": "Variant SKU", "title": "Title", "description": "Body (HTML)",
    "price": "Variant Price", "compare_at_price": "Variant Compare At Price",
    "stock": "Variant Inventory Qty", "barcode": "Variant Barcode", "weight_grams": "Variant Grams",
    "image_src": "Variant Image", "option_values": "Option1 Value", "listing_handle": "Handle",
}  # fmt: skip


def _is_variant_row(row: dict[str, str]) -> bool:
    return any(row.get(c, "") for c in _VARIANT)


def import_shopify(path: Path) -> tuple[list[Listing], list[Product]]:
    """Listings and SKUs from a Shopify product CSV; raises BadRows listing every bad line."""
    header, rows = read_csv(
        path, ["Handle", "Title", "Variant SKU", "Variant Price"], whole_rows=True
    )
    extra_columns = [c for c in header if c not in COLUMNS]
    listings: dict[str, Listing] = {}
    products: list[Product] = []
    skus: dict[str, int] = {}
    bad: list[BadRow] = []
    for line, row in rows:
        # a column of Shopify's choices holds one of them: "maybe", "weird" and "furlong" were
        # kept and exported again (attacks), as was a cost of inf
        check_choices(row, line, _CHOICES, bad)
        parse_money(row.get("Cost per item", ""), line, "Cost per item", bad)
        handle = row["Handle"].strip()
        if not handle:
            bad.append(BadRow(line, "empty handle", "Handle"))
            continue
        listing = listings.get(handle)
        if listing is None:
            if not row["Title"].strip():
                bad.append(BadRow(line, "first row of a product has no title", "Title"))
                continue
            listing = Listing(
                handle=handle,
                title=row["Title"],
                body_html=row.get("Body (HTML)", ""),
                vendor=row.get("Vendor", ""),
                category=row.get("Product Category", ""),
                product_type=row.get("Type", ""),
                tags=[t.strip() for t in row.get("Tags", "").split(",") if t.strip()],
                status=row.get("Status", ""),
                option_names=[row.get(c, "") for c in _OPTION_NAMES if row.get(c, "")],
                source_format="shopify",
                extra={
                    "file_order": len(listings),
                    "columns": {c: row.get(c, "") for c in sorted(_LISTING_KEPT)},
                    "extra_columns": extra_columns,
                },
            )
            listings[handle] = listing
            check_row(check_listing, listing, line, _LISTING_COLUMNS, bad)
        if row.get("Image Src", ""):
            position = parse_int(
                row.get("Image Position", ""), line, "Image Position", bad, high=MAX_QUANTITY
            )
            listing.images.append(
                Image(
                    row["Image Src"],
                    position or len(listing.images) + 1,
                    row.get("Image Alt Text", ""),
                )
            )
        if not _is_variant_row(row):
            continue
        sku = row["Variant SKU"].strip()
        if sku in skus:
            bad.append(BadRow(line, f"SKU {sku!r} repeats line {skus[sku]}", "Variant SKU"))
            continue
        generated = not sku
        if generated:
            sku = f"{handle}#{sum(p.listing_handle == handle for p in products) + 1}"
        skus[sku] = line
        kept = {
            c: row.get(c, "")
            for c in header
            if c.startswith(_VARIANT_PREFIXES) and c not in _VARIANT
        }
        kept |= {c: row.get(c, "") for c in extra_columns}
        product = Product(
            sku=sku,
            title=listing.title,
            description=listing.body_html,
            price=parse_money(row.get("Variant Price", ""), line, "Variant Price", bad),
            compare_at_price=parse_money(
                row.get("Variant Compare At Price", ""), line, "Variant Compare At Price", bad
            ),
            stock=parse_int(
                row.get("Variant Inventory Qty", ""),
                line,
                "Variant Inventory Qty",
                bad,
                low=-MAX_STOCK,
            ),
            weight_grams=parse_int(
                row.get("Variant Grams", ""), line, "Variant Grams", bad, high=MAX_GRAMS
            ),
            barcode=row.get("Variant Barcode", ""),
            image_src=row.get("Variant Image", ""),
            option_values=[row.get(c, "") for c in _OPTION_VALUES if row.get(c, "")],
            listing_handle=handle,
            position=sum(p.listing_handle == handle for p in products) + 1,
            extra={"columns": kept, "generated_sku": generated},
        )
        if check_row(check_product, product, line, _PRODUCT_COLUMNS, bad):
            products.append(product)
    if bad:
        raise BadRows(str(path), bad)
    return list(listings.values()), products


def export_shopify(items: list[tuple[Listing, list[Product]]]) -> str:
    """A Shopify product CSV for the given listings and their SKUs."""
    extra_columns: list[str] = []
    for listing, _ in items:
        for c in (
            listing.extra.get("extra_columns", []) if listing.source_format == "shopify" else []
        ):
            if c not in extra_columns:
                extra_columns.append(c)
    header = COLUMNS + extra_columns
    out: list[dict[str, str]] = []
    for listing, variants in items:
        if listing.source_format != "shopify":
            # Verbatim columns of another format mean nothing here: export the modelled fields.
            # Whether it is on sale is one of them: a WooCommerce draft came out "active"
            # with Published empty, live on the next upload (an attack)
            published = {"active": "TRUE", "draft": "FALSE", "archived": "FALSE"}
            shown = {"Published": published[listing.status]} if listing.status in published else {}
            listing = replace(listing, extra={"columns": shown})
            # and whether a variant sells when out of stock (WooCommerce "Backorders allowed?")
            variants = [replace(p, extra={"columns": _policy_of(p)}) for p in variants]
        images = sorted(listing.images, key=lambda i: i.position)
        for n in range(max(len(variants), len(images), 1)):
            row = dict.fromkeys(header, "")
            row["Handle"] = listing.handle
            if n == 0:
                row.update(_listing_fields(listing))
            if n < len(variants):
                row.update(_variant_fields(variants[n]))
            if n < len(images):
                image = images[n]
                row.update(
                    {"Image Src": image.src, "Image Position": str(image.position),
                     "Image Alt Text": image.alt}
                )  # fmt: skip
            out.append(row)
    return write_csv(header, out)


def _listing_fields(listing: Listing) -> dict[str, str]:
    fields = {
        "Title": listing.title,
        "Body (HTML)": listing.body_html,
        "Vendor": listing.vendor,
        "Product Category": listing.category,
        "Type": listing.product_type,
        "Tags": ", ".join(listing.tags),
        "Status": listing.status,
    }
    for column, name in zip(_OPTION_NAMES, listing.option_names, strict=False):
        fields[column] = name
    fields.update(listing.extra.get("columns", {}))
    return fields


# WooCommerce's backorders as Shopify's inventory policy ("notify" sells too, and tells)
_POLICY = {"1": "continue", "notify": "continue", "0": "deny"}


def _policy_of(p: Product) -> dict[str, str]:
    said = str(p.extra.get("columns", {}).get("Backorders allowed?", "")).strip()
    return {"Variant Inventory Policy": _POLICY[said]} if said in _POLICY else {}


def _variant_fields(p: Product) -> dict[str, str]:
    fields = {
        "Variant SKU": "" if p.extra.get("generated_sku") else p.sku,
        "Variant Price": format_money(p.price),
        "Variant Compare At Price": format_money(p.compare_at_price),
        "Variant Inventory Qty": "" if p.stock is None else str(p.stock),
        "Variant Grams": "" if p.weight_grams is None else str(p.weight_grams),
        "Variant Barcode": p.barcode,
        "Variant Image": p.image_src,
    }
    for column, value in zip(_OPTION_VALUES, p.option_values, strict=False):
        fields[column] = value
    fields.update(p.extra.get("columns", {}))
    return fields
