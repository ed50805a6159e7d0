"""`borderless search`: evaluate product search on a labelled catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from borderless.cli.common import progress_bar, settings_from

search_app = typer.Typer(help="Product search.", no_args_is_help=True)


@search_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    catalog: Annotated[Path, typer.Option(help="CSV with id,title[,description,price].")],
    queries: Annotated[Path, typer.Option(help="CSV with query,relevant_id (one row per match).")],
    mode: Annotated[str, typer.Option(help="hybrid, lexical or dense.")] = "hybrid",
    fusion: Annotated[str, typer.Option(help="rrf or scores (hybrid mode).")] = "rrf",
    embeddings: Annotated[
        str | None, typer.Option(help="Embedding backend (default: BORDERLESS_SEARCH_EMBEDDINGS).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Build a fresh index from the catalog and measure MRR, Recall@1/10 and nDCG@10."""
    from borderless.backends import create_embedder
    from borderless.capabilities.search import HybridIndex
    from borderless.capabilities.search.evaluate import evaluate_search, read_catalog, read_queries
    from borderless.capabilities.search.hybrid import MODES
    from borderless.errors import InvalidInput

    if mode not in MODES:
        raise InvalidInput(f"--mode must be one of {', '.join(MODES)}", field="mode")
    settings = settings_from(ctx)
    docs = read_catalog(catalog)
    labelled = read_queries(queries, {d.id for d in docs})
    embedder = (
        None
        if mode == "lexical"
        else create_embedder(embeddings or settings.search_embeddings, settings)
    )
    index = HybridIndex(embedder, fusion=fusion)
    with progress_bar("Indexing the catalog", total=len(docs)) as advance:
        for start in range(0, len(docs), 256):
            index.upsert(docs[start : start + 256])
            advance(len(docs[start : start + 256]))
    result = evaluate_search(index, labelled, mode)
    if as_json:
        typer.echo(json.dumps(result))
        return
    for name, value in result.items():
        typer.echo(f"{name:>10}: {value}")
