"""Shopify and WooCommerce product CSVs: byte-for-byte round trips and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from borderless.capabilities.catalog.records import Listing, Product
from borderless.capabilities.catalog.shopify import export_shopify, import_shopify
from borderless.capabilities.catalog.woocommerce import export_woocommerce, import_woocommerce
from borderless.errors import BadRows, InvalidInput
from borderless.storage import Database
from borderless.storage.catalog import get_product, update_product
from borderless.storage.imports import load_listings, save_listings

from .conftest import FIXTURES

Importer = Callable[[Path], tuple[list[Listing], list[Product]]]
Exporter = Callable[[list[tuple[Listing, list[Product]]]], str]
FORMATS = [
    pytest.param("shopify_products.csv", import_shopify, export_shopify, id="shopify"),
    pytest.param("woocommerce_products.csv", import_woocommerce, export_woocommerce, id="woo"),
]


def _grouped(
    listings: list[Listing], products: list[Product]
) -> list[tuple[Listing, list[Product]]]:
    return [(item, [p for p in products if p.listing_handle == item.handle]) for item in listings]


@pytest.mark.parametrize(("name", "read", "write"), FORMATS)
def test_round_trip_in_memory(name: str, read: Importer, write: Exporter) -> None:
    path = FIXTURES / name
    assert write(_grouped(*read(path))).encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize(("name", "read", "write"), FORMATS)
def test_round_trip_through_the_database(
    db: Database, name: str, read: Importer, write: Exporter
) -> None:
    path = FIXTURES / name
    save_listings(db, *read(path))
    assert write(load_listings(db)).encode("utf-8") == path.read_bytes()
    assert save_listings(db, *read(path)).changed == 0


def test_shopify_fields_are_modelled() -> None:
    listings, products = import_shopify(FIXTURES / "shopify_products.csv")
    bottle = next(item for item in listings if item.handle.startswith("knitted"))
    assert bottle.option_names == ["Colour", "Size"]
    assert [i.position for i in bottle.images] == [1, 2, 3, 4]
    red_large = next(p for p in products if p.sku == "84029G-RED-L")
    assert (str(red_large.price), str(red_large.compare_at_price)) == ("4.25", "4.95")
    assert red_large.option_values == ["Red", "Large"] and red_large.stock == 12
    assert "舒适" in bottle.body_html and '"cosy"' in bottle.body_html


def test_woocommerce_variations_belong_to_their_parent() -> None:
    listings, products = import_woocommerce(FIXTURES / "woocommerce_products.csv")
    parent = next(item for item in listings if item.extra["type"] == "variable")
    variations = [p for p in products if p.listing_handle == parent.handle]
    assert [p.sku for p in variations] == ["84029G-RED-S", "84029G-BLUE-L"]
    on_sale = variations[0]
    assert (str(on_sale.price), str(on_sale.compare_at_price)) == ("2.99", "3.39")
    assert variations[1].weight_grams == 950


def test_cross_format_export_reimports(tmp_path: Path) -> None:
    listings, products = import_shopify(FIXTURES / "shopify_products.csv")
    path = tmp_path / "woo.csv"
    path.write_text(export_woocommerce(_grouped(listings, products)), encoding="utf-8")
    again, again_products = import_woocommerce(path)
    assert sorted(p.sku for p in again_products) == sorted(p.sku for p in products)
    assert len(again) == len(listings)


def test_a_draft_stays_a_draft_in_the_other_format(tmp_path: Path) -> None:
    """An attack: a WooCommerce draft (Published -1) and a private product (0) came out of
    the Shopify export "active", and a Shopify draft out of the WooCommerce export with
    Published empty, which the import reads as published."""
    import csv
    import io

    text = (FIXTURES / "woocommerce_products.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = list(rows[0])
    wanted = {"22423": "-1", "85123A": "0"}
    for row in rows:
        row["Published"] = wanted.get(row["SKU"], row["Published"])
    woo = tmp_path / "woo.csv"
    with woo.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    listings, products = import_woocommerce(woo)
    out = list(csv.DictReader(io.StringIO(export_shopify(_grouped(listings, products)))))
    by_sku = {r["Variant SKU"]: r for r in out}
    shown = {sku: (by_sku[sku]["Status"], by_sku[sku]["Published"]) for sku in wanted}
    assert shown == {"22423": ("draft", "FALSE"), "85123A": ("archived", "FALSE")}, shown
    published = [r for r in out if r["Status"] == "active"]
    assert published and all(r["Published"] == "TRUE" for r in published)
    # and back: a Shopify draft is a WooCommerce draft
    listings, products = import_shopify(FIXTURES / "shopify_products.csv")
    drafted = [replace(item, status="draft") if n == 0 else item for n, item in enumerate(listings)]
    back = list(csv.DictReader(io.StringIO(export_woocommerce(_grouped(drafted, products)))))
    first = drafted[0].title
    assert {r["Published"] for r in back if r["Name"] == first} == {"-1"}
    assert {r["Published"] for r in back if r["Type"] != "variation"} >= {"1", "-1"}


def test_selling_when_out_of_stock_crosses_formats() -> None:
    """An attack: Shopify's "continue" (sell when out of stock) and WooCommerce's "Backorders
    allowed?" 1 were blank in the other platform's export."""
    import csv
    import io

    listings, products = import_shopify(FIXTURES / "shopify_products.csv")
    policy = {p.sku: p.extra["columns"].get("Variant Inventory Policy", "") for p in products}
    woo = list(csv.DictReader(io.StringIO(export_woocommerce(_grouped(listings, products)))))
    back = {r["SKU"]: r["Backorders allowed?"] for r in woo if r["SKU"] in policy}
    want = {"continue": "1", "deny": "0"}
    assert {sku: back[sku] for sku, said in policy.items() if said in want} == {
        sku: want[said] for sku, said in policy.items() if said in want
    }
    assert set(policy.values()) >= {"continue", "deny"}  # the fixture has both
    listings, products = import_woocommerce(FIXTURES / "woocommerce_products.csv")
    allowed = {p.sku: p.extra["columns"].get("Backorders allowed?", "") for p in products}
    shop = list(csv.DictReader(io.StringIO(export_shopify(_grouped(listings, products)))))
    told = {r["Variant SKU"]: r["Variant Inventory Policy"] for r in shop if r["Variant SKU"]}
    meant = {"1": "continue", "notify": "continue", "0": "deny"}
    assert {sku: told[sku] for sku, said in allowed.items() if said in meant} == {
        sku: meant[said] for sku, said in allowed.items() if said in meant
    }
    assert any(said in meant for said in allowed.values())


def test_a_title_edited_on_a_product_is_its_listings_in_the_export(db: Database) -> None:
    """An attack: PATCH /v1/products/22423 {"title": "Edited Cakestand"} changed the price in
    the Shopify export but not the title: the listing's title is what the export writes."""
    save_listings(db, *import_shopify(FIXTURES / "shopify_products.csv"))
    product = next(p for _, ps in load_listings(db) for p in ps if len(ps) == 1)
    update_product(db, product.sku, {"title": "Edited Title", "description": "<p>New.</p>"})
    listing, (again,) = next((i, ps) for i, ps in load_listings(db) if ps[0].sku == product.sku)
    assert (listing.title, listing.body_html) == ("Edited Title", "<p>New.</p>")
    assert again.title == "Edited Title"
    exported = export_shopify(load_listings(db))
    assert "Edited Title" in exported and "<p>New.</p>" in exported
    # a listing's variants say its title (Shopify has no title per variant): they follow it
    many = next(ps for _, ps in load_listings(db) if len(ps) > 1)
    update_product(db, many[1].sku, {"title": "All Of Them"})
    listing, variants = next((i, ps) for i, ps in load_listings(db) if ps[0].sku == many[0].sku)
    assert {listing.title, *(v.title for v in variants)} == {"All Of Them"}


def test_bad_rows_name_lines_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    text = (FIXTURES / "shopify_products.csv").read_text(encoding="utf-8")
    text = text.replace(",3.39,,TRUE", ",three,,TRUE", 1).replace("84029G-BLUE-S", "84029G-RED-S")
    broken = tmp_path / "broken.csv"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(BadRows) as caught:
        import_shopify(broken)
    reasons = {(r.line, r.field) for r in caught.value.rows}
    assert (5, "Variant Price") in reasons
    assert any(field == "Variant SKU" for _, field in reasons)
    with pytest.raises(Exception):  # noqa: B017
        get_product(db, "84029G-RED-S")


def test_unreadable_files_are_clear_errors(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("Handle,Title,Variant SKU,Variant Price\nx,Caf\xe9,1,2\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        import_shopify(latin)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Handle,Title\nx,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="Variant SKU") as caught:
        import_shopify(wrong)
    assert caught.value.field == "Variant SKU"
    with pytest.raises(InvalidInput, match="Type"):
        import_woocommerce(wrong)


def test_woocommerce_rows_that_would_be_lost_are_named_or_kept(tmp_path: Path) -> None:
    """A second row with the same ID replaced the first listing (now a bad line), and a simple
    product without a SKU was imported as a listing with nothing for sale: it now gets the
    internal SKU HANDLE#1, as a Shopify variant without SKU does, and a variation without one
    PARENT#N (it was refused); both go out with the SKU empty again."""
    text = (FIXTURES / "woocommerce_products.csv").read_text(encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text(text.replace("\n105,simple,85123A", "\n101,simple,85123A"), encoding="utf-8")
    with pytest.raises(BadRows) as caught:
        import_woocommerce(twice)
    assert [(r.field, r.reason) for r in caught.value.rows] == [("ID", "ID 101 repeats line 2")]
    no_sku = tmp_path / "no_sku.csv"
    no_sku.write_text(
        text.replace("\n105,simple,85123A,", "\n105,simple,,").replace(
            "\n104,variation,84029G-BLUE-L,", "\n104,variation,,"
        ),
        encoding="utf-8",
    )
    listings, products = import_woocommerce(no_sku)
    skus = {p.sku: p for p in products}
    assert "woo-105#1" in skus and skus["woo-105#1"].price == Decimal("2.55")
    assert "woo-102#2" in skus  # the second variation of listing woo-102
    again = tmp_path / "again.csv"
    again.write_text(export_woocommerce(_grouped(listings, products)), encoding="utf-8")
    out = again.read_text(encoding="utf-8")
    assert "#1" not in out and "#2" not in out
    _, reread = import_woocommerce(again)
    assert sorted(p.sku for p in reread) == sorted(skus)


@pytest.mark.parametrize("ref", ["abc", "-1", "0", "1" + "0" * 27])
def test_a_woocommerce_id_is_a_whole_number_from_one(tmp_path: Path, ref: str) -> None:
    """ "abc", -1 and 10^27 were taken as IDs (an attack): a WooCommerce ID is a post number."""
    text = (FIXTURES / "woocommerce_products.csv").read_text(encoding="utf-8")
    odd = tmp_path / "odd.csv"
    odd.write_text(text.replace("\n105,simple,85123A", f"\n{ref},simple,85123A"), encoding="utf-8")
    with pytest.raises(BadRows) as caught:
        import_woocommerce(odd)
    assert [r.field for r in caught.value.rows] == ["ID"]


def test_a_woocommerce_weight_is_rounded_to_the_gram(tmp_path: Path) -> None:
    """0.0001 kg was stored as 0 g and 0.0019 kg as 1 g (an attack): the nearest gram, and a
    weight under half a gram is refused (above)."""
    text = (FIXTURES / "woocommerce_products.csv").read_text(encoding="utf-8")
    path = tmp_path / "grams.csv"
    path.write_text(text.replace("1,25,3,0,0,1.9,", "1,25,3,0,0,0.0019,", 1), encoding="utf-8")
    _, products = import_woocommerce(path)
    assert next(p for p in products if p.sku == "22423").weight_grams == 2


def test_shopify_yes_no_columns_are_true_or_false(tmp_path: Path) -> None:
    """Published=maybe was kept and written out again (an attack); Shopify writes TRUE/FALSE."""
    text = (FIXTURES / "shopify_products.csv").read_text(encoding="utf-8")
    assert 'hearts, white",TRUE,' in text
    odd = tmp_path / "odd.csv"
    odd.write_text(text.replace('hearts, white",TRUE,', 'hearts, white",maybe,'), encoding="utf-8")
    with pytest.raises(BadRows) as caught:
        import_shopify(odd)
    assert [(r.field, r.reason) for r in caught.value.rows] == [
        ("Published", "Published is TRUE or FALSE, not 'maybe'")
    ]
    lower = tmp_path / "lower.csv"
    lower.write_text(text.replace('hearts, white",TRUE,', 'hearts, white",false,'), "utf-8")
    assert import_shopify(lower)


def _refused(importer: Importer, text: str, tmp_path: Path) -> list[str]:
    odd = tmp_path / "odd.csv"
    odd.write_text(text, encoding="utf-8")
    with pytest.raises(BadRows) as caught:
        importer(odd)
    return [r.field or "" for r in caught.value.rows]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("1,25,3,0,0,1.9,30,30,35,", "1,25,3,0,0,1.9,nan,30,35,", "Length (cm)"),
        ("1,25,3,0,0,1.9,30,30,35,", "1,25,3,0,0,1.9,30,1e309,35,", "Width (cm)"),
        ("1,25,3,0,0,1.9,30,30,35,", "1,25,3,0,0,1.9,30,30,-3,", "Height (cm)"),
        (",,taxable,,1,25", ",2025-02-30,taxable,,1,25", "Date sale price ends"),
        (",,taxable,,1,25", "tomorrow,,taxable,,1,25", "Date sale price starts"),
        (",,taxable,,1,25", "2025-12-24,2025-12-01,taxable,,1,25", "Date sale price ends"),
        ("101,simple,22423,Regency Cakestand 3 Tier,1,", "101,simple,22423,Regency Cakestand 3 "
         "Tier,maybe,", "Published"),
        ("Thank you for your order!,,12.75,", "Thank you for your order!,99,12.75,", "Sale price"),
        ("1,25,3,0,0,1.9,30,30,35,", "1,25,3,0,0,0.0001,30,30,35,", "Weight (kg)"),
    ],
)  # fmt: skip
def test_woocommerce_kept_columns_are_checked(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    """Dates such as 2025-02-30 and "tomorrow", lengths of nan and 1e309, Published=maybe and a
    sale price above the regular one were kept and exported again (an attack)."""
    text = (FIXTURES / "woocommerce_products.csv").read_text(encoding="utf-8")
    assert old in text
    assert _refused(import_woocommerce, text.replace(old, new, 1), tmp_path) == [field]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (",1.10,active,", ",1.10,weird,", "Status"),
        (",1.10,active,", ",inf,active,", "Cost per item"),
        (",,g,,1.10,", ",,furlong,,1.10,", "Variant Weight Unit"),
        ("2.55,2.95,TRUE,TRUE,", "2.55,2.95,perhaps,TRUE,", "Variant Requires Shipping"),
    ],
)
def test_shopify_choice_columns_are_checked(tmp_path: Path, old: str, new: str, field: str) -> None:
    """Status=weird, Requires Shipping=perhaps, Weight Unit=furlong and a cost of inf were
    kept and exported again (an attack)."""
    text = (FIXTURES / "shopify_products.csv").read_text(encoding="utf-8")
    assert old in text
    assert _refused(import_shopify, text.replace(old, new, 1), tmp_path) == [field]


def test_a_row_cut_short_is_refused(tmp_path: Path) -> None:
    """A Shopify row cut after its fifth field was stored as a listing with no SKU or price."""
    lines = (FIXTURES / "shopify_products.csv").read_text(encoding="utf-8").rstrip("\n")
    cut = lines + "\nextra-handle,Extra,,Regency Gifts,Home\n"
    odd = tmp_path / "cut.csv"
    odd.write_text(cut, encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"line \d+ has 5 of the header's \d+ fields"):
        import_shopify(odd)
