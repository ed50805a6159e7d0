"""Helpers shared by the commands: settings from the root options, standard input, progress
bars."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from borderless.config import Settings, load_settings
from borderless.storage import Database, open_database

if TYPE_CHECKING:
    from borderless.wiring import Services


def write_output(path: Path, text: str, field: str) -> None:
    """Write a user's output file; a folder or an unwritable path is their error, not a crash."""
    from borderless.errors import InvalidInput

    try:
        path.write_text(text, encoding="utf-8", newline="")
    except IsADirectoryError as exc:
        raise InvalidInput(f"{path}: is a folder, not a file", field=field) from exc
    except OSError as exc:
        raise InvalidInput(
            f"{path}: cannot be written ({exc.strerror or exc})", field=field
        ) from exc


def read_stdin() -> str:
    """Standard input as UTF-8 text (a byte-order mark dropped); other bytes are bad input
    (exit 2 naming the byte), never a traceback."""
    import sys

    from borderless.errors import InvalidInput

    if sys.stdin is None:  # started with standard input closed (`<&-`)
        raise InvalidInput("standard input is closed: give the text on it", field="stdin")
    raw = sys.stdin.buffer.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"standard input is not UTF-8 (byte {exc.start}: {exc.reason})", field="stdin"
        ) from exc


def read_lines() -> list[str]:
    """Standard input's lines, split at line feeds only (a CR before one dropped): one output
    line per input line, where str.splitlines() also split at \x0b, \x0c, \x1c-\x1e, \x85,
    U+2028 and U+2029 and so gave more answers than lines."""
    lines = read_stdin().split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line starts no new one
    return [line.removesuffix("\r") for line in lines]


def settings_from(ctx: typer.Context) -> Settings:
    overrides: dict[str, Any] = ctx.find_root().obj or {}
    return load_settings(**overrides)


def database_from(ctx: typer.Context) -> Database:
    return open_database(settings_from(ctx))


def services_from(ctx: typer.Context, *, database: bool = True) -> Services:
    """The command's services (models load once, on first use); `database=False` for commands
    that need models but not the shop."""
    from borderless.wiring import Services

    settings = settings_from(ctx)
    return Services(settings, open_database(settings) if database else None)


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Any]:
    """A rich progress bar on stderr; `advance(n)` moves it. Quiet when stderr is no terminal."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=total)

        def advance(n: int) -> None:
            progress.advance(task, n)

        yield advance
