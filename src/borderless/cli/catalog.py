"""Commands for the shop's data: import, export, stats, migrate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from borderless.cli.attributes import extract_after_import
from borderless.cli.common import database_from, progress_bar, settings_from, write_output
from borderless.cli.reviews import import_reviews

if TYPE_CHECKING:
    from borderless.storage.imports import ImportSummary

import_app = typer.Typer(help="Import shop data.", no_args_is_help=True)
export_app = typer.Typer(help="Export listings.", no_args_is_help=True)

PathArg = Annotated[Path, typer.Argument(help="File to read.", show_default=False)]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@import_app.command("retail")
def import_retail(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="UCI Online Retail CSV (.csv or .csv.gz); default: the demo shop file."
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Write every skipped line number, by rule, to this JSON file."),
    ] = None,
    as_json: JsonFlag = False,
    score_risk: Annotated[
        bool, typer.Option(help="Score the orders' risk after an import that changed them.")
    ] = True,
) -> None:
    """Load the UCI Online Retail file into products, customers and orders (one transaction);
    then every sale is scored for risk (docs/risk.md)."""
    from borderless.capabilities.catalog.retail import parse_retail
    from borderless.errors import BadRows
    from borderless.storage.imports import save_retail

    settings = settings_from(ctx)
    source = path or settings.retail_file
    if report and (report.is_dir() or not report.parent.is_dir()):
        # Checked before the import, which would otherwise be written and its report lost.
        from borderless.errors import InvalidInput

        raise InvalidInput(f"{report}: cannot write the report there", field="report")
    db = database_from(ctx)
    with progress_bar(f"Reading {source.name}") as advance:
        data = parse_retail(source, advance)
    if data.bad_rows:
        raise BadRows(str(source), data.bad_rows)
    with progress_bar("Writing order lines", total=data.order_lines) as advance:
        summary = save_retail(db, data, advance)
    attributes = extract_after_import(db)
    risk = _score_risk(ctx, db) if summary.changed and score_risk else None
    skipped = {rule: len(lines) for rule, lines in data.skipped.items()}
    if report:
        write_output(report, json.dumps({"skipped_lines": data.skipped}, indent=1), "report")
    result = {
        "file": str(source),
        "lines_read": data.lines_read,
        "order_lines": data.order_lines,
        "skipped": skipped,
        "countries": len(data.countries),
        "changes": summary.as_dict(),
        "changed": summary.changed,
        "attributes": attributes,
        "risk": risk,
    }
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"Read {data.lines_read:,} lines from {source}")
    typer.echo(
        f"  {data.order_lines:,} order lines kept, {sum(skipped.values()):,} skipped by rule:"
    )
    for rule, n in sorted(skipped.items()):
        typer.echo(f"    {rule}: {n:,}")
    _echo_changes(summary)


def _echo_changes(summary: ImportSummary) -> None:
    """What an import did to each table: a listing file that changed products the shop
    already had (the retail import's, say) said only how many it read (an attack)."""
    for table, c in summary.tables.items():
        typer.echo(
            f"  {table}: {c.inserted:,} new, {c.updated:,} changed, {c.unchanged:,} unchanged"
        )


def _import_listings(ctx: typer.Context, path: Path, fmt: str, as_json: bool) -> None:
    from borderless.capabilities.catalog.shopify import import_shopify
    from borderless.capabilities.catalog.woocommerce import import_woocommerce
    from borderless.storage.imports import save_listings

    reader = import_shopify if fmt == "shopify" else import_woocommerce
    listings, products = reader(path)
    db = database_from(ctx)
    summary = save_listings(db, listings, products)
    result = {"listings": len(listings), "products": len(products), "changes": summary.as_dict(),
              "attributes": extract_after_import(db)}  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"Imported {len(listings)} listings with {len(products)} SKUs from {path}")
        _echo_changes(summary)


import_app.command("reviews")(import_reviews)


@import_app.command("shopify")
def import_shopify_cmd(ctx: typer.Context, path: PathArg, as_json: JsonFlag = False) -> None:
    """Import a Shopify product CSV."""
    _import_listings(ctx, path, "shopify", as_json)


@import_app.command("woocommerce")
def import_woocommerce_cmd(ctx: typer.Context, path: PathArg, as_json: JsonFlag = False) -> None:
    """Import a WooCommerce product CSV."""
    _import_listings(ctx, path, "woocommerce", as_json)


def _export_listings(
    ctx: typer.Context, path: Path, fmt: str, handles: list[str] | None, copy: str | None
) -> None:
    from borderless.capabilities.catalog.shopify import export_shopify
    from borderless.capabilities.catalog.woocommerce import export_woocommerce
    from borderless.errors import NotFound
    from borderless.languages import language_name
    from borderless.storage.imports import load_listings

    db = database_from(ctx)
    if copy:  # "--copy xx" exported the catalog without a word (an attack)
        language_name(copy.strip().lower(), "copy")
    items = load_listings(db, handles)
    if handles and (missing := sorted(set(handles) - {listing.handle for listing, _ in items})):
        raise NotFound(
            f"no listing with handle {missing[0]!r}", field="handle"
        )  # was empty, exit 0
    if copy:
        from borderless.capabilities.catalog.attributes import load_vocabulary
        from borderless.capabilities.copywrite.export import with_copy
        from borderless.copydesk import exportable_copy

        vocabulary = load_vocabulary(settings_from(ctx).copy_vocabulary)
        approved, stale = exportable_copy(db, vocabulary, copy.strip().lower())
        items = with_copy(items, approved)
        if stale:
            shown = ", ".join(map(str, stale[:10])) + (" ..." if len(stale) > 10 else "")
            typer.echo(
                f"Left out {len(stale)} approved copy draft(s) written from earlier facts of "
                f"their product ({shown}): edit them or write them again, or approve them "
                "with --override once checked",
                err=True,
            )
    text = (export_shopify if fmt == "shopify" else export_woocommerce)(items)
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        write_output(path, text, "path")
        typer.echo(f"Wrote {len(items)} listings to {path}", err=True)


HandleOpt = Annotated[
    list[str] | None, typer.Option("--handle", help="Only these listings (repeatable).")
]
OutArg = Annotated[Path, typer.Argument(help="File to write, or - for standard output.")]
CopyOpt = Annotated[
    str | None,
    typer.Option("--copy", help="Use approved marketing copy in this language (body, SEO)."),
]


@export_app.command("shopify")
def export_shopify_cmd(
    ctx: typer.Context, path: OutArg, handle: HandleOpt = None, copy: CopyOpt = None
) -> None:
    """Export listings as a Shopify product CSV."""
    _export_listings(ctx, path, "shopify", handle, copy)


@export_app.command("woocommerce")
def export_woocommerce_cmd(
    ctx: typer.Context, path: OutArg, handle: HandleOpt = None, copy: CopyOpt = None
) -> None:
    """Export listings as a WooCommerce product CSV."""
    _export_listings(ctx, path, "woocommerce", handle, copy)


def stats(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Count the shop's records."""
    from borderless.storage.sales import shop_stats

    counts = shop_stats(database_from(ctx)).as_dict()
    if as_json:
        typer.echo(json.dumps(counts))
    else:
        for name, value in counts.items():
            typer.echo(f"{name:>12}: {value:,}")


def migrate(ctx: typer.Context) -> None:
    """Create or upgrade the database schema."""
    db = database_from(ctx)
    typer.echo(f"Database is up to date ({db.dialect}).")


def _score_risk(ctx: typer.Context, db: Any) -> dict[str, Any] | None:
    """Risk scores of every sale after an import (about 40 s for the demo shop); without the
    `risk` extra, or with too few sales to score (a one-line file exited 2 after writing its
    order), the import still stands and says why its orders were not scored."""
    from borderless.cli.common import services_from
    from borderless.errors import InvalidInput, ModelUnavailable
    from borderless.storage.risk import RiskDesk

    try:
        with progress_bar("Scoring order risk"):
            return RiskDesk(db, services_from(ctx).risk).score_all()
    except (ModelUnavailable, InvalidInput) as error:
        typer.echo(f"orders not scored for risk: {error.message}", err=True)
        return None
