"""`borderless` command: serve, import, export, stats, models.

Errors from the one error tree become a message on stderr and an exit code:
2 bad input, 3 model unavailable, 4 model backend failed, 1 anything else.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from borderless._version import __version__
from borderless.errors import (
    BackendError,
    BorderlessError,
    Busy,
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    InvalidInput,
    ModelUnavailable,
    NotFound,
    Unauthorized,
)

app = typer.Typer(
    name="borderless",
    help="Offline-first AI platform for cross-border e-commerce.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# The first class an error is an instance of decides; anything else exits with 1.
EXIT_CODES: list[tuple[type[BorderlessError], int]] = [
    (InvalidInput, 2),
    (NotFound, 2),
    (Conflict, 2),
    (Unauthorized, 2),
    (Forbidden, 2),
    (ModelUnavailable, 3),
    (Busy, 4),
    (BackendError, 4),
    (DatabaseUnavailable, 4),
]


def exit_code(error: BorderlessError) -> int:
    return next((code for cls, code in EXIT_CODES if isinstance(error, cls)), 1)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"borderless {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    database_url: Annotated[
        str | None, typer.Option(help="Database URL (default: BORDERLESS_DATABASE_URL or SQLite).")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data folder (default: BORDERLESS_DATA_DIR).")
    ] = None,
) -> None:
    overrides: dict[str, Any] = {}
    if database_url:
        overrides["database_url"] = database_url
    if data_dir:
        overrides["data_dir"] = data_dir
    ctx.obj = overrides


def register() -> None:
    from borderless.cli import (
        attributes,
        catalog,
        copywriting,
        forecast,
        images,
        inventory,
        language,
        localize,
        markets,
        models,
        profiles,
        recommend,
        registry,
        reviews,
        risk,
        search,
        service,
        shipments,
        staff,
        support,
    )

    app.add_typer(catalog.import_app, name="import")
    app.add_typer(catalog.export_app, name="export")
    app.command("stats")(catalog.stats)
    app.command("migrate")(catalog.migrate)
    app.command("serve")(service.serve)
    app.add_typer(models.models_app, name="models")
    app.add_typer(search.search_app, name="search")
    app.add_typer(language.language_app, name="language")
    app.add_typer(recommend.recommend_app, name="recommend")
    app.command("translate")(localize.translate)
    app.command("localize")(localize.localize)
    app.add_typer(support.intents_app, name="intents")
    app.add_typer(support.support_app, name="support")
    app.add_typer(copywriting.copy_app, name="copy")
    app.add_typer(forecast.forecast_app, name="forecast")
    app.add_typer(inventory.inventory_app, name="inventory")
    app.add_typer(reviews.reviews_app, name="reviews")
    app.add_typer(profiles.profiles_app, name="profiles")
    app.add_typer(registry.registry_app, name="registry")
    app.command("retrain")(registry.retrain)
    app.add_typer(attributes.attributes_app, name="attributes")
    app.add_typer(risk.risk_app, name="risk")
    app.add_typer(staff.staff_app, name="staff")
    app.add_typer(shipments.shipments_app, name="shipments")
    app.add_typer(markets.markets_app, name="markets")
    app.add_typer(images.images_app, name="images")


# Typer carries its own Click (typer._click): its usage error is BadParameter's base class
_USAGE_ERROR: type[Any] = typer.BadParameter.__mro__[1]
_CLICK_ERROR: type[Any] = typer.BadParameter.__mro__[2]


def main() -> None:
    """Run the CLI; usage errors exit 2 with one line (Typer drew a box of several lines around
    "Invalid value for '--limit'": an attack), domain errors map through exit_code."""
    register()
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except _USAGE_ERROR as error:
        said = error.format_message()
        if not said.strip():  # no command given: the help was printed
            sys.exit(2)
        if re.fullmatch(r"No such option: -[0-9.]+", said):  # "shipments promise GB -1"
            said += " (a negative number is read as an option; none is valid here)"
        context = getattr(error, "ctx", None)
        command = context.command_path if context is not None else "borderless"
        typer.echo(f"error: {said} (see {command} --help)", err=True)
        sys.exit(2)
    except _CLICK_ERROR as error:
        typer.echo(f"error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except BorderlessError as error:
        typer.echo(f"error: {error.message}", err=True)
        sys.exit(exit_code(error))
    except Exception as error:
        if os.environ.get("BORDERLESS_DEBUG"):
            raise
        typer.echo(
            f"internal error: {type(error).__name__}: {error} (set BORDERLESS_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(1)
