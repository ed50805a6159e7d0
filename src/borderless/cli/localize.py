"""`borderless translate` (standard input to output, one segment per line) and
`borderless localize` (the whole catalog into one language, resumable, optionally on Ray)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer


def _desk(ctx: typer.Context, glossary: Path | None, quality: bool, candidates: int = 1) -> Any:
    from borderless.capabilities.localize.protect import read_glossary
    from borderless.cli.common import services_from

    terms = read_glossary(glossary) if glossary else None
    return services_from(ctx).desk(terms, quality=quality, candidates=candidates)


def translate(
    ctx: typer.Context,
    source: Annotated[str, typer.Option(help="ISO 639-1 code of the input, or 'auto'.")],
    target: Annotated[str, typer.Option(help="ISO 639-1 code to translate into.")],
    glossary: Annotated[
        Path | None,
        typer.Option(help="CSV source,target: terms to force (empty target = keep as is)."),
    ] = None,
    html: Annotated[
        bool, typer.Option("--html", help="Lines are HTML: translate text only.")
    ] = False,
    candidates: Annotated[
        int,
        typer.Option(
            min=1,
            max=5,
            help="Answers per line where the route uses an LLM: the engine's plus sampled "
            "ones; the best by quality estimate is kept (slower: one LLM call each).",
        ),
    ] = 1,
) -> None:
    """Translate UTF-8 lines from standard input; exactly one output line per input line."""
    from borderless.capabilities.catalog.checks import text_problem
    from borderless.errors import InvalidInput
    from borderless.languages import language_name

    language_name(target.strip(), "target")
    if source.strip().lower() != "auto":
        language_name(source.strip(), "source")
    from borderless.cli.common import read_lines

    lines = read_lines()
    if not any(line.strip() for line in lines):
        # two empty lines were "standard input is empty" (an attack)
        raise InvalidInput("standard input has no text: give one segment per line", field="stdin")
    # a control character the API refuses too (a NUL passed here: an attack); those that are
    # white space (a vertical tab, U+2028) stay text inside their line, as before
    for number, line in enumerate(lines, 1):
        spaced = "".join(" " if ch.isspace() else ch for ch in line)
        if problem := text_problem(spaced, f"line {number}", len(line)):
            raise InvalidInput(problem, field="stdin")
    desk = _desk(ctx, glossary, quality=candidates > 1, candidates=candidates)
    done = desk.translate(lines, source, target, html=html)
    sys.stdout.write("\n".join(" ".join(r.text.splitlines()) for r in done) + "\n")


def localize(
    ctx: typer.Context,
    language: Annotated[str, typer.Option(help="ISO 639-1 code to translate the catalog into.")],
    source: Annotated[str, typer.Option(help="The catalog's language.")] = "en",
    glossary: Annotated[
        Path | None,
        typer.Option(help="CSV source,target[,language], laid over the shop's stored glossary."),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many fields.")] = None,
    batch: Annotated[int, typer.Option(min=1, max=1000, help="Segments per batch.")] = 16,
    ray_address: Annotated[
        str | None, typer.Option(help="Run the batches on this Ray cluster ('auto', ray://...).")
    ] = None,
) -> None:
    """Translate every product's title and description; stored with engine and score.

    Finished batches are stored as they complete; running it again does only what is missing
    or whose source text changed, so a crash costs at most the batches in flight.
    """
    from borderless.capabilities.localize.protect import read_glossary
    from borderless.cli.common import progress_bar, services_from
    from borderless.jobs.catalog import check_languages, translate_catalog, translation_todo

    language, source = language.strip().lower(), source.strip().lower()
    check_languages(source, language)
    services = services_from(ctx)
    todo = translation_todo(services.db, language, limit)
    if not todo:
        typer.echo(f"nothing to do: every product already has its {language} translation")
        return
    terms = read_glossary(glossary) if glossary else None  # laid over the stored glossary
    with progress_bar(f"Translating into {language}", total=len(todo)) as advance:
        run = translate_catalog(services, todo, source, language, glossary=terms, batch=batch,
                                ray_address=ray_address, advance=advance)  # fmt: skip
    typer.echo(
        f"translated {len(todo)} fields into {language}; {run.needs_review} flagged for review"
    )
