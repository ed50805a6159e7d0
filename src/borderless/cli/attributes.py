"""`borderless attributes`: what each product is (type, brand, model, colour, ...)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

attributes_app = typer.Typer(
    help="Product attributes read from titles and descriptions, with evidence.",
    no_args_is_help=True,
)


@attributes_app.command("extract")
def extract(
    path: Annotated[Path, typer.Argument(help="CSV with id,title[,description[,language]].")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Extract attributes from a catalog file (learns brands and types from the whole file)."""
    from borderless.capabilities.attributes import read_catalog
    from borderless.capabilities.attributes.catalog import extract_catalog
    from borderless.cli.common import progress_bar

    rows = read_catalog(path)
    with progress_bar("Reading titles", total=len(rows)) as advance:
        results = extract_catalog(rows, advance=advance)
    for result in results:
        line = result.as_json()
        if as_json:
            typer.echo(json.dumps(line, ensure_ascii=False))
        else:
            shown = ", ".join(f"{k}={v}" for k, v in result.facts().items())
            typer.echo(f"{result.id}: {shown or '-'}")
