"""`borderless serve`: the API and dashboard."""

from __future__ import annotations

import threading
from typing import Annotated, Any

import typer

from borderless.cli.common import progress_bar, settings_from


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
    from borderless.storage import open_database
    from borderless.storage.sales import shop_stats

    settings = settings_from(ctx)
    db = open_database(settings)
    if demo and shop_stats(db).orders == 0:
        from borderless.capabilities.catalog.retail import parse_retail
        from borderless.storage.imports import save_retail

        typer.echo(f"Loading the demo shop from {settings.retail_file} ...")
        with progress_bar("Reading the retail file") as advance:
            data = parse_retail(settings.retail_file, advance)
        with progress_bar("Writing order lines", total=data.order_lines) as advance:
            save_retail(db, data, advance)
    app = create_app(settings, db)
    # Embedding the catalog for search takes a while the first time (cached afterwards).
    # So does the support assistant's default intent model (trained once, then stored).
    threading.Thread(target=_warm, args=(app.state,), daemon=True).start()
    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host
    typer.echo(f"Borderless is running at http://{shown}:{port}/  (API docs: /docs)")
    key_source = "BORDERLESS_API_KEY" if settings.api_key else str(settings.data_dir / "api-key")
    typer.echo(f"API key for write routes: {key_source}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _warm(state: Any) -> None:
    from borderless.errors import BorderlessError
    from borderless.service.routes.support import ensure_assistant

    try:
        state.search.warm()
    except BorderlessError as error:  # e.g. the embedding model's package is missing
        typer.echo(f"product search is not available: {error.message}", err=True)
    try:
        ensure_assistant(state)
    except BorderlessError as error:
        typer.echo(f"the support assistant is not available: {error.message}", err=True)
