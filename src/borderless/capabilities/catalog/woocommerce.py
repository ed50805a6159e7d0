"""WooCommerce product CSV (the built-in importer/exporter format): lossless round trips.

Simple products become a listing with one SKU; a `variable` parent becomes a listing whose
SKUs are its `variation` rows (linked by `Parent`: `id:N` or the parent's SKU). Columns not
modelled are kept verbatim per row and written back in the original column order.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from borderless.capabilities.catalog.checks import (
    MAX_PRICE,
    MAX_STOCK,
    check_listing,
    check_money,
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
from borderless.capabilities.dates import date_problem, naive_utc
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = ["COLUMNS", "export_woocommerce", "import_woocommerce"]

COLUMNS = [
    "ID", "Type", "SKU", "Name", "Published", "Is featured?", "Visibility in catalog",
    "Short description", "Description", "Date sale price starts", "Date sale price ends",
    "Tax status", "Tax class", "In stock?", "Stock", "Low stock amount", "Backorders allowed?",
    "Sold individually?", "Weight (kg)", "Length (cm)", "Width (cm)", "Height (cm)",
    "Allow customer reviews?", "Purchase note", "Sale price", "Regular price", "Categories",
    "Tags", "Shipping class", "Images", "Download limit", "Download expiry days", "Parent",
    "Grouped products", "Upsells", "Cross-sells", "External URL", "Button text", "Position",
    "Attribute 1 name", "Attribute 1 value(s)", "Attribute 1 visible", "Attribute 1 global",
    "Attribute 2 name", "Attribute 2 value(s)", "Attribute 2 visible", "Attribute 2 global",
]  # fmt: skip
MAX_ID = 2**63 - 1  # a WooCommerce ID is a post's number (MySQL BIGINT), 1 and up
_ATTR_NAMES = ["Attribute 1 name", "Attribute 2 name"]
_ATTR_VALUES = ["Attribute 1 value(s)", "Attribute 2 value(s)"]
_MAPPED = {
    "SKU", "Name", "Description", "Stock", "Weight (kg)", "Sale price", "Regular price",
    "Categories", "Tags", "Images",
}  # fmt: skip
_LISTING_TYPES = {"simple", "variable", "grouped", "external"}
# Where a record's field comes from, so a value the catalog refuses is reported by its column.
_LISTING_COLUMNS = {
    "handle": "ID", "title": "Name", "body_html": "Description", "category": "Categories",
    "tags": "Tags", "option_names": "Attribute 1 name", "images": "Images",
}  # fmt: skip
_PRODUCT_COLUMNS = {
    "sku": "SKU", "title": "Name", "description": "Description", "price": "Regular price",
    "compare_at_price": "Regular price", "stock": "Stock", "weight_grams": "Weight (kg)",
    "image_src": "Images", "option_values": "Attribute 1 value(s)", "listing_handle": "Parent",
}  # fmt: skip


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def import_woocommerce(path: Path) -> tuple[list[Listing], list[Product]]:
    """Listings and SKUs from a WooCommerce product CSV; raises BadRows listing every bad line."""
    header, rows = read_csv(path, ["Type", "SKU", "Name", "Regular price"], whole_rows=True)
    order = [c for c in header if c not in _MAPPED]
    listings: dict[str, Listing] = {}
    lines: dict[str, int] = {}  # handle -> its line
    by_ref: dict[str, str] = {}  # "id:N" and parent SKU -> handle
    products: list[Product] = []
    skus: dict[str, int] = {}
    bad: list[BadRow] = []
    for line, row in rows:
        kind = row["Type"].strip().lower()
        kept = {c: row.get(c, "") for c in order}
        sku = row["SKU"].strip()
        if sku and sku in skus:
            bad.append(BadRow(line, f"SKU {sku!r} repeats line {skus[sku]}", "SKU"))
            continue
        if sku:
            skus[sku] = line
        regular = parse_money(row.get("Regular price", ""), line, "Regular price", bad)
        sale = parse_money(row.get("Sale price", ""), line, "Sale price", bad)
        if sale is not None and regular is not None and sale > regular:
            bad.append(BadRow(line, f"Sale price {sale} is above the Regular price {regular}",
                              "Sale price"))  # fmt: skip
        _check_kept(row, line, bad)
        grams = _grams(row.get("Weight (kg)", ""), line, bad)
        stock = parse_int(row.get("Stock", ""), line, "Stock", bad, low=-MAX_STOCK)
        if kind in _LISTING_TYPES:
            if not row["Name"].strip():
                bad.append(BadRow(line, "product has no name", "Name"))
                continue
            ref = row.get("ID", "").strip()
            if ref and parse_int(ref, line, "ID", bad, low=1, high=MAX_ID) is None:
                continue  # "abc", -1 and 10^27 were taken as IDs (an attack)
            handle = f"woo-{ref}" if ref else f"woo-{sku or line}"
            if handle in listings:  # a second row with one ID replaced the first
                bad.append(BadRow(line, f"ID {ref} repeats line {lines[handle]}", "ID"))
                continue
            listing = Listing(
                handle=handle,
                title=row["Name"],
                body_html=row.get("Description", ""),
                category=row.get("Categories", ""),
                tags=_split(row.get("Tags", "")),
                option_names=[row.get(c, "") for c in _ATTR_NAMES if row.get(c, "")],
                images=[Image(src, n) for n, src in enumerate(_split(row.get("Images", "")), 1)],
                status=_STATUS.get(row.get("Published", "").strip(), ""),
                source_format="woocommerce",
                extra={"file_order": len(listings), "columns": kept, "column_order": order,
                       "sku": sku, "type": kind},
            )  # fmt: skip
            listings[handle] = listing
            lines[handle] = line
            check_row(check_listing, listing, line, _LISTING_COLUMNS, bad)
            if ref:
                by_ref[f"id:{ref}"] = handle
            if sku:
                by_ref[sku] = handle
            if kind in ("simple", "external"):
                # without a SKU it gets the internal one HANDLE#1, as a Shopify variant does
                # (it was a listing with nothing for sale); exported with its SKU empty again
                product = _product(sku or f"{handle}#1", listing, row, regular, sale, grams,
                                   stock, 1, kept={}, generated=not sku)  # fmt: skip
                if check_row(check_product, product, line, _PRODUCT_COLUMNS, bad):
                    products.append(product)
            continue
        if kind != "variation":
            bad.append(BadRow(line, f"unknown product type {row['Type']!r}", "Type"))
            continue
        parent = by_ref.get(row.get("Parent", "").strip())
        if parent is None:
            bad.append(BadRow(line, f"parent {row.get('Parent')!r} not found above", "Parent"))
            continue
        position = sum(p.listing_handle == parent for p in products) + 1
        product = _product(sku or f"{parent}#{position}", listings[parent], row, regular, sale,
                           grams, stock, position, kept, generated=not sku)  # fmt: skip
        if check_row(check_product, product, line, _PRODUCT_COLUMNS, bad):
            products.append(product)
    if bad:
        raise BadRows(str(path), bad)
    return list(listings.values()), products


def _grams(value: str, line: int, bad: list[BadRow]) -> int | None:
    if not value.strip():
        return None
    try:
        # A tonne at most, to the gram; MAX_PRICE kg would not fit the column in grams.
        kg = check_money(value, "Weight (kg)", high=MAX_PRICE / 1000)
    except InvalidInput as exc:
        bad.append(BadRow(line, exc.message, "Weight (kg)"))
        return None
    if kg is None:
        return None
    # The shop keeps whole grams, to the nearest: 0.0001 kg was stored as 0 g (an attack) and
    # 0.0019 kg as 1 g.
    grams = int((kg * 1000).quantize(Decimal(1), ROUND_HALF_UP))
    if kg > 0 and grams == 0:
        bad.append(BadRow(line, f"weight {value.strip()} kg is under half a gram: the shop "
                                "keeps whole grams", "Weight (kg)"))  # fmt: skip
        return None
    return grams


# Kept columns WooCommerce fills from a choice or as a date or length: "2025-02-30",
# "tomorrow", a length of nan or 1e309 and Published=maybe were kept and exported (an attack).
def _one_of(*values: str) -> tuple[frozenset[str], str]:
    return frozenset(values), f"one of {', '.join(sorted(values))}"


_WOO_CHOICES = {
    "Published": _one_of("1", "0", "-1"), "Is featured?": _one_of("1", "0"),
    "Visibility in catalog": _one_of("visible", "catalog", "search", "hidden"),
    "Tax status": _one_of("taxable", "shipping", "none"), "In stock?": _one_of("1", "0"),
    "Backorders allowed?": _one_of("1", "0", "notify"), "Sold individually?": _one_of("1", "0"),
}  # fmt: skip
_LENGTHS = ("Length (cm)", "Width (cm)", "Height (cm)")
_LENGTH = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,3})?")  # up to 999,999.999 cm
_DATES = ("Date sale price starts", "Date sale price ends")


def _check_kept(row: dict[str, str], line: int, bad: list[BadRow]) -> None:
    check_choices(row, line, _WOO_CHOICES, bad)
    for column in _LENGTHS:
        if (said := row.get(column, "").strip()) and not _LENGTH.fullmatch(said):
            bad.append(BadRow(line, f"{column} is a length in cm from 0 to 999,999, not "
                                    f"{said[:20]!r}", column))  # fmt: skip
    when: list[datetime] = []
    for column in _DATES:
        if not (said := row.get(column, "").strip()):
            continue
        try:
            found = datetime.fromisoformat(said)
        except ValueError:
            bad.append(BadRow(line, f"{column} {said[:30]!r} is not a date (2025-12-01)", column))
            continue
        if problem := date_problem(found := naive_utc(found)):
            bad.append(BadRow(line, f"{column}: {problem}", column))
            continue
        when.append(found)
    if len(when) == 2 and when[1] < when[0]:
        bad.append(BadRow(line, "the sale ends before it starts", _DATES[1]))


def _product(
    sku: str,
    listing: Listing,
    row: dict[str, str],
    regular: Decimal | None,
    sale: Decimal | None,
    grams: int | None,
    stock: int | None,
    position: int,
    kept: dict[str, str],
    generated: bool = False,
) -> Product:
    # A sale price is what the customer pays now; the regular price is the one struck out.
    return Product(
        sku=sku,
        title=row["Name"] or listing.title,
        description=row.get("Description", "") or listing.body_html,
        price=sale if sale is not None else regular,
        compare_at_price=regular if sale is not None else None,
        stock=stock,
        weight_grams=grams,
        option_values=[row.get(c, "") for c in _ATTR_VALUES if row.get(c, "")],
        image_src=row.get("Images", "") if kept else "",
        listing_handle=listing.handle,
        position=position,
        extra={"columns": kept, "name": row["Name"], "description": row.get("Description", "")}
        | ({"generated_sku": True} if generated else {}),
    )


# Published (1 published, 0 private, -1 draft) as a listing's status, Shopify's words: a
# WooCommerce draft exported to Shopify came out "active", and a Shopify draft exported to
# WooCommerce had Published empty, which its import reads as published (an attack)
_STATUS = {"1": "active", "0": "archived", "-1": "draft"}
_PUBLISHED = {status: published for published, status in _STATUS.items()}
_BACKORDERS = {"continue": "1", "deny": "0"}  # Shopify's inventory policy


def export_woocommerce(items: list[tuple[Listing, list[Product]]]) -> str:
    """A WooCommerce product CSV for the given listings and their SKUs."""
    header = list(COLUMNS)
    for listing, _ in items:
        for c in (
            listing.extra.get("column_order", []) if listing.source_format == "woocommerce" else []
        ):
            if c not in header:
                header.append(c)
    out: list[dict[str, str]] = []
    for listing, variants in items:
        backorders: dict[str, str] = {}
        if listing.source_format != "woocommerce":
            # Verbatim columns of another format mean nothing here: export the modelled fields,
            # and whether a variant sells when out of stock (Shopify's inventory policy: it
            # was lost on the way, an attack)
            said = {p.sku: str(p.extra.get("columns", {}).get("Variant Inventory Policy", ""))
                    for p in variants}  # fmt: skip
            backorders = {sku: _BACKORDERS[x] for sku, x in said.items() if x in _BACKORDERS}
            listing = replace(listing, extra={})
            variants = [replace(p, extra={}) for p in variants]
        # Listings from other formats: several SKUs make a variable product, one a simple one.
        kind = listing.extra.get("type") or ("variable" if len(variants) > 1 else "simple")
        row = dict.fromkeys(header, "")
        row.update(listing.extra.get("columns", {}))
        if listing.source_format != "woocommerce" and listing.status in _PUBLISHED:
            row["Published"] = _PUBLISHED[listing.status]
        row.update(
            {
                "Type": kind,
                "SKU": _parent_sku(listing, kind, variants),
                "Name": listing.title,
                "Description": listing.body_html,
                "Categories": listing.category,
                "Tags": ", ".join(listing.tags),
                "Images": ", ".join(
                    i.src for i in sorted(listing.images, key=lambda i: i.position)
                ),
            }
        )
        for n, (column, name) in enumerate(zip(_ATTR_NAMES, listing.option_names, strict=False)):
            row[column] = name
            if listing.source_format != "woocommerce" and kind == "variable":
                values = dict.fromkeys(
                    p.option_values[n] for p in variants if len(p.option_values) > n
                )
                row[_ATTR_VALUES[n]] = ", ".join(values)
        if kind != "variable" and variants:
            row.update(_variant_fields(variants[0]))
            if variants[0].sku in backorders:
                row["Backorders allowed?"] = backorders[variants[0].sku]
        out.append(row)
        if kind == "variable":
            for p in variants:
                vrow = dict.fromkeys(header, "")
                vrow.update(p.extra.get("columns", {}))
                vrow.update(
                    {"Type": "variation", "SKU": "" if p.extra.get("generated_sku") else p.sku,
                     "Name": p.extra.get("name", p.title),
                     "Description": p.extra.get("description", ""), "Images": p.image_src}
                )  # fmt: skip
                vrow.update(_variant_fields(p))
                if p.sku in backorders:
                    vrow["Backorders allowed?"] = backorders[p.sku]
                if listing.source_format != "woocommerce":
                    vrow["Parent"] = row["SKU"]
                for column, value in zip(_ATTR_VALUES, p.option_values, strict=False):
                    vrow[column] = value
                out.append(vrow)
    return write_csv(header, out)


def _parent_sku(listing: Listing, kind: str, variants: list[Product]) -> str:
    if listing.source_format == "woocommerce":
        return str(listing.extra.get("sku", ""))
    if kind == "variable":
        return listing.handle  # variations point at their parent by this SKU
    if not variants or variants[0].extra.get("generated_sku"):
        return ""  # a SKU made on import (HANDLE#1) goes out as it came in: empty
    return variants[0].sku


def _variant_fields(p: Product) -> dict[str, str]:
    on_sale = p.compare_at_price is not None
    grams = "" if p.weight_grams is None else format(Decimal(p.weight_grams) / 1000, "f")
    return {
        "Regular price": format_money(p.compare_at_price if on_sale else p.price),
        "Sale price": format_money(p.price) if on_sale else "",
        "Stock": "" if p.stock is None else str(p.stock),
        "Weight (kg)": _trim(grams),
    }


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number
