"""`borderless serve`: the API and dashboard."""

from __future__ import annotations

from typing import Annotated

import typer

from borderless.cli.common import progress_bar, services_from


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo shop first if the database has no orders.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Processes that answer requests. Each loads its own models; the database and "
            "the caches on disk are shared.",
        ),
    ] = 1,
) -> None:
    """Start the REST API and the dashboard."""
    import os

    import uvicorn

    from borderless.service import create_app
    from borderless.service.worker import warm_in_background
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
        from borderless.jobs.background import check_parameters
        from borderless.storage.jobs import create_job

        # the Supply page then opens on forecasts, not on an empty table (about a minute)
        create_job(db, "forecast", check_parameters("forecast", {}), "demo")
        typer.echo("Demand forecasts of every SKU x market: a background job (see /jobs)")
    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host
    typer.echo(f"Borderless is running at http://{shown}:{port}/  (API docs: /docs)")
    key_source = "BORDERLESS_API_KEY" if settings.api_key else str(settings.data_dir / "api-key")
    typer.echo(f"API key for write routes: {key_source}")
    if workers > 1:
        # The workers read their settings from the environment: hand on what this command was
        # given. The schema is migrated (above); the workers do not migrate again.
        os.environ["BORDERLESS_DATABASE_URL"] = settings.resolved_database_url
        os.environ["BORDERLESS_DATA_DIR"] = str(settings.data_dir)
        services.close()
        db.dispose()
        typer.echo(f"{workers} worker processes")
        uvicorn.run(
            "borderless.service.worker:create_worker_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            # A worker busy warming its models (embedding, loading dictionaries) on a small
            # machine can miss uvicorn's default 5 s health ping and be killed mid-request
            # ("Server disconnected" in the slow multi-worker test, 2 runs in 5); give it 60 s.
            timeout_worker_healthcheck=60,
        )
        return
    app = create_app(services=services)
    warm_in_background(services)
    uvicorn.run(app, host=host, port=port, log_level="warning")
