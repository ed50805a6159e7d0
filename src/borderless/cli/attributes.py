"""`borderless attributes`: what each product is (type, brand, model, colour, ...)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from borderless.capabilities.attributes.llm import LLMExtractor
    from borderless.storage import Database

attributes_app = typer.Typer(
    help="Product attributes read from titles and descriptions, with evidence.",
    no_args_is_help=True,
)


def _llm_reader(ctx: typer.Context) -> LLMExtractor:
    from borderless.capabilities.attributes.llm import LLMExtractor
    from borderless.cli.common import services_from

    services = services_from(ctx, database=False)
    with services.backends.using():
        generator = services.backends.generator(services.settings.generator)
    return LLMExtractor(generator)


@attributes_app.command("extract")
def extract(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV with id,title[,description[,language]].")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    llm: Annotated[
        bool,
        typer.Option(
            "--llm",
            help="Also ask the configured generator (BORDERLESS_GENERATOR) per product; only "
            "values the title or description contains are kept. Slow with the local model.",
        ),
    ] = False,
) -> None:
    """Extract attributes from a catalog file (learns brands and types from the whole file)."""
    from borderless.capabilities.attributes import read_catalog
    from borderless.capabilities.attributes.catalog import extract_catalog
    from borderless.cli.common import progress_bar

    rows = read_catalog(path)
    reader = _llm_reader(ctx) if llm else None
    with progress_bar("Reading titles", total=len(rows)) as advance:
        results = extract_catalog(rows, advance=advance, llm=reader)
    if reader is not None:
        typer.echo(
            f"LLM: {reader.backed} values found in the text, {reader.unbacked} not (dropped)",
            err=True,
        )
    for result in results:
        line = result.as_json()
        if as_json:
            typer.echo(json.dumps(line, ensure_ascii=False))
        else:
            shown = ", ".join(f"{k}={v}" for k, v in result.facts().items())
            typer.echo(f"{result.id}: {shown or '-'}")


def extract_after_import(db: Database) -> dict[str, int]:
    """Every import ends here: attributes for the whole catalog, learnt from all its titles."""
    from borderless.cli.common import progress_bar
    from borderless.jobs.attributes import refresh_and_record

    with progress_bar("Reading what each product is") as advance:
        return refresh_and_record(db, advance)


@attributes_app.command("refresh")
def refresh(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Counts as one JSON object.")] = False,
) -> None:
    """Extract and store every product's attributes again; the seller's decisions stay."""
    from borderless.cli.common import database_from

    counts = extract_after_import(database_from(ctx))
    if as_json:
        typer.echo(json.dumps(counts))
    else:
        typer.echo(
            f"{counts['products']:,} products: {counts['stated']:,} values stated, "
            f"{counts['suggested']:,} suggested, {counts['kept']:,} seller decisions kept"
        )
