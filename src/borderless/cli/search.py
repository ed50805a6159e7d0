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
    from borderless.capabilities.language import main_language
    from borderless.capabilities.search import HybridIndex
    from borderless.capabilities.search.evaluate import evaluate_search, read_catalog, read_queries
    from borderless.capabilities.search.hybrid import MODES
    from borderless.errors import InvalidInput
    from borderless.wiring import Services

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
    # Foreign queries are searched as the shop searches them (hybrid only): the cross-lingual
    # embedder's list, the query read into the catalog's language (a quick engine, cached, else
    # the dictionaries) and the catalog phrase nearest the query.
    engines = Services(settings)  # its backend pool loads the translator once
    across = settings.search_crosslingual.strip()
    crosslingual = engines.backends.embedder(across) if across and mode == "hybrid" else None
    index = HybridIndex(embedder, fusion=fusion, crosslingual=crosslingual)
    # after the index, so a missing search extra is what is named first
    index.catalog_language = main_language([d.title for d in docs])
    index.translate = engines.query_translator(index.familiarity)
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


@search_app.command("products")
def search_products(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words or a sentence, in any language.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many results.")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, lexical or dense.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Search the shop's products, reading prices and stock out of the sentence."""
    from borderless.cli.common import services_from

    services = services_from(ctx)
    with progress_bar("Preparing the product index"):
        services.search.warm()
    # as the API reads prices: foreign ones converted
    found = services.search_shop(text, limit, mode=mode)
    need, hits, products = found.need, found.hits, found.products
    if as_json:
        data = [{"sku": p.sku, "title": p.title, "price": str(p.price), "score": round(h.score, 5)}
                for p, h in zip(products, hits, strict=True)]  # fmt: skip
        typer.echo(json.dumps({"interpretation": need.understood, "data": data}))
        return
    typer.echo("Understood: " + " · ".join(need.understood))
    for p in products:
        price = f"{p.currency} {p.price:.2f}" if p.price is not None else ""
        typer.echo(f"{p.sku:<10} {p.title:<50} {price}")
