"""`borderless serve`: the API and dashboard."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated

import typer

from borderless.cli.common import progress_bar, services_from

if TYPE_CHECKING:
    from borderless.wiring import Services


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo shop first if the database has no orders.")
    ] = False,
) -> None:
    """Start the REST API and the dashboard."""
    import uvicorn

    from borderless.service import create_app
    from borderless.storage.sales import shop_stats

    services = services_from(ctx)
    settings, db = services.settings, services.db
    if demo and shop_stats(db).orders == 0:
        from borderless.capabilities.catalog.retail import parse_retail
        from borderless.cli.attributes import extract_after_import
        from borderless.storage.imports import save_retail

        typer.echo(f"Loading the demo shop from {settings.retail_file} ...")
        with progress_bar("Reading the retail file") as advance:
            data = parse_retail(settings.retail_file, advance)
        with progress_bar("Writing order lines", total=data.order_lines) as advance:
            save_retail(db, data, advance)
        extract_after_import(db)
    app = create_app(services=services)
    # Embedding the catalog for search takes a while the first time (cached afterwards).
    # So does the support assistant's default intent model (trained once, then stored).
    threading.Thread(target=_warm, args=(services,), daemon=True).start()
    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host
    typer.echo(f"Borderless is running at http://{shown}:{port}/  (API docs: /docs)")
    key_source = "BORDERLESS_API_KEY" if settings.api_key else str(settings.data_dir / "api-key")
    typer.echo(f"API key for write routes: {key_source}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _warm(services: Services) -> None:
    from borderless.errors import BorderlessError

    try:
        services.search.warm()
    except BorderlessError as error:  # e.g. the embedding model's package is missing
        typer.echo(f"product search is not available: {error.message}", err=True)
    try:
        services.assistant  # noqa: B018 (built now so the first chat does not wait)
    except BorderlessError as error:
        typer.echo(f"the support assistant is not available: {error.message}", err=True)
