"""`borderless language`: which language each line is in."""

from __future__ import annotations

import json
from typing import Annotated

import typer

language_app = typer.Typer(help="Language identification.", no_args_is_help=True)


@language_app.command("detect")
def detect(
    market: Annotated[
        str | None,
        typer.Option(help="The listings' market language (ISO 639-1): a prior for short lines."),
    ] = None,
    context: Annotated[
        bool,
        typer.Option(help="Read the lines as one catalog: the others inform each short line."),
    ] = True,
    languages: Annotated[
        str | None,
        typer.Option(help="Comma-separated candidate codes (default: the 14 market languages)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line: language and score.")
    ] = False,
) -> None:
    """Read lines from standard input; print one ISO 639-1 code per line, in order.

    A line without letters (empty, digits, emoji) gets the market's language, else the most
    common language of the input, else en.
    """
    from borderless.capabilities.language import detect_languages
    from borderless.cli.common import read_lines
    from borderless.errors import InvalidInput

    lines = read_lines()
    candidates = [c for c in languages.split(",") if c.strip()] if languages is not None else None
    if candidates == []:  # --languages '' was read as the default list, unsaid (an attack)
        raise InvalidInput("--languages: name at least one language code", field="languages")
    found = detect_languages(
        lines,
        market=market.strip().lower() if market else None,
        context=context,
        languages=candidates,
    )
    for detection in found:
        if as_json:
            typer.echo(json.dumps({"language": detection.code, "score": detection.score}))
        else:
            typer.echo(detection.code)
