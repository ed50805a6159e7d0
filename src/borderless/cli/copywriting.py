"""`borderless copy`: write marketing copy for the catalog (a job), or for one product
(`generate`), and review it (`list`, `approve`, `reject`, `edit`)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer

copy_app = typer.Typer(
    help="Marketing copy from the product's facts: write, check, review.",
    invoke_without_command=True,
)

Kind = Annotated[
    str,
    typer.Option(help="description, bullets, seo_title, meta_description, ad_headline, "
                 "ad_text or social_post."),
]  # fmt: skip
Language = Annotated[str, typer.Option(help="ISO 639-1 code of the copy's language.")]
Market = Annotated[
    str | None, typer.Option(help="Market (country code, e.g. DE): its name and currency.")
]
Tone = Annotated[str, typer.Option(help="friendly, premium, technical, playful or neutral.")]
Length = Annotated[str, typer.Option(help="short, medium or long (kinds with a length).")]
Policy = Annotated[
    str, typer.Option(help="regenerate (then drop), drop or report unbacked statements.")
]


@copy_app.callback()
def catalog_job(
    ctx: typer.Context,
    kind: Kind = "description",
    language: Annotated[str | None, typer.Option(help="ISO 639-1 code (the job needs it).")] = None,
    market: Market = None,
    tone: Tone = "friendly",
    length: Length = "medium",
    policy: Policy = "regenerate",
    sku: Annotated[list[str] | None, typer.Option(help="Only these SKUs (repeatable).")] = None,
    country: Annotated[str | None, typer.Option(help="Only SKUs sold to this market.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many products.")] = None,
    batch: Annotated[int, typer.Option(min=1, max=256, help="Products per batch.")] = 4,
    ray_address: Annotated[
        str | None, typer.Option(help="Run the batches on this Ray cluster ('auto', ray://...).")
    ] = None,
) -> None:
    """Without a sub-command: write copy of one kind and language for every product (or the
    filtered ones) that has none yet. Each finished batch is stored; a rerun resumes."""
    if ctx.invoked_subcommand is not None:
        return
    from borderless.cli.common import progress_bar, services_from
    from borderless.copydesk import copy_request
    from borderless.errors import InvalidInput
    from borderless.jobs.catalog import copy_todo, write_catalog_copy

    if not language:
        raise InvalidInput("give --language (or a sub-command; see --help)", field="language")
    request = copy_request(language, market, kind=kind, tone=tone, length=length, policy=policy)
    services = services_from(ctx)
    todo = copy_todo(services.db, request, sku or (), country, limit)
    if not todo:
        typer.echo(f"nothing to do: every product already has {request.language} {request.kind}")
        return
    with progress_bar(f"Writing {request.kind} in {request.language}", total=len(todo)) as advance:
        run = write_catalog_copy(services, todo, request, batch=batch, ray_address=ray_address,
                                 advance=advance)  # fmt: skip
    skipped = len(todo) - run.stored
    typer.echo(
        f"wrote {run.stored} {request.kind} drafts in {request.language}; {run.needs_review} still "
        f"state unbacked facts; {skipped} products skipped (no attributes)"
    )


@copy_app.command("generate")
def generate(
    ctx: typer.Context,
    sku: Annotated[str, typer.Option(help="The product's SKU.")],
    kind: Kind = "description",
    language: Language = "en",
    market: Market = None,
    tone: Tone = "friendly",
    length: Length = "medium",
    temperature: Annotated[float, typer.Option(min=0.0, max=2.0)] = 0.7,
    top_p: Annotated[float, typer.Option(min=0.01, max=1.0)] = 0.9,
    max_tokens: Annotated[int | None, typer.Option(min=8, max=4096)] = None,
    seed: Annotated[int | None, typer.Option(help="Fixed seed: the same copy again.")] = None,
    variants: Annotated[int, typer.Option(min=1, max=8, help="How many variants.")] = 1,
    policy: Policy = "regenerate",
    save: Annotated[bool, typer.Option(help="Store the drafts for review.")] = True,
    stream: Annotated[bool, typer.Option(help="Print the text as it is generated.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Write copy for one product, checked against its facts."""
    from borderless.cli.common import services_from
    from borderless.copydesk import copy_request, facts_for
    from borderless.copydesk import generate as write
    from borderless.copydesk import stream as write_streaming

    request = copy_request(language, market, kind=kind, tone=tone, length=length,
                           temperature=temperature, top_p=top_p, max_tokens=max_tokens,
                           seed=seed, n=variants, policy=policy)  # fmt: skip
    services = services_from(ctx)
    db, writer = services.db, services.copywriter
    facts = facts_for(db, writer.vocabulary, sku, request.market, request.language)
    if stream:
        for event, payload in write_streaming(db, writer, facts, request):
            if event == "text" and not as_json:
                sys.stderr.write(payload)
                sys.stderr.flush()
            elif event == "draft":
                drafts = [payload]
        if not as_json:
            sys.stderr.write("\n")
    else:
        drafts = write(db, writer, facts, request, save=save)
    if as_json:
        typer.echo(json.dumps(drafts[0] | {"variants": drafts}, ensure_ascii=False))
        return
    for draft in drafts:
        typer.echo(_describe(draft))


def _describe(draft: dict[str, Any]) -> str:
    grounding = draft["grounding"]
    head = (
        f"[{draft.get('id', '-')}] {draft['kind']} {draft['language']} v{draft.get('version', '-')}"
    )
    lines = [head, draft["text"], ""]
    for violation in grounding["violations"]:
        lines.append(f"  unbacked {violation['kind']}: {violation['span']!r}")
    for action in grounding.get("actions", []):
        lines.append(f"  {action}")
    return "\n".join(lines)


@copy_app.command("list")
def list_copy(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option()] = None,
    status: Annotated[
        str | None, typer.Option(help="draft, approved, rejected, superseded")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stored copy, newest first."""
    from borderless.cli.common import database_from
    from borderless.storage.copy_drafts import list_drafts

    rows, total = list_drafts(database_from(ctx), sku=sku, kind=kind, language=language,
                              status=status, limit=limit)  # fmt: skip
    if as_json:
        page = {"data": [asdict(r) for r in rows], "count": total, "limit": limit, "offset": 0}
        typer.echo(json.dumps(page, default=str, ensure_ascii=False))
        return
    for row in rows:
        flag = "" if not row.grounding.get("violations") else "  (unbacked facts)"
        typer.echo(
            f"{row.id:>6} {row.sku:<10} {row.kind:<16} {row.language} "
            f"v{row.version} {row.status:<10}{flag}  {row.text[:60]!r}"
        )


def _review(ctx: typer.Context, draft_id: int, status: str, override: bool = False) -> None:
    from borderless.capabilities.catalog.attributes import load_vocabulary
    from borderless.cli.common import database_from, settings_from
    from borderless.copydesk import outdated
    from borderless.storage.copy_drafts import get_draft, review_draft

    db = database_from(ctx)
    vocabulary = load_vocabulary(settings_from(ctx).copy_vocabulary)
    old = outdated(db, vocabulary, [get_draft(db, draft_id)]) if status == "approved" else {}
    row = review_draft(db, draft_id, status, override=override, outdated=old.get(draft_id))
    typer.echo(f"copy {row.id} ({row.sku} {row.kind} {row.language}): {row.status}")


@copy_app.command("approve")
def approve(
    ctx: typer.Context,
    draft_id: Annotated[int, typer.Argument(help="Draft id.")],
    override: Annotated[
        bool,
        typer.Option(
            "--override",
            help="Approve a draft whose verdict needs review, or one written from earlier "
            "facts of its product, once you have checked it yourself (recorded).",
        ),
    ] = False,
) -> None:
    """Approve a draft (exports use it); refused while it states unbacked facts, and without
    --override while its verdict needs review or its product's facts changed since."""
    _review(ctx, draft_id, "approved", override)


@copy_app.command("reject")
def reject(ctx: typer.Context, draft_id: Annotated[int, typer.Argument(help="Draft id.")]) -> None:
    """Reject a draft."""
    _review(ctx, draft_id, "rejected")


@copy_app.command("edit")
def edit(
    ctx: typer.Context,
    draft_id: Annotated[int, typer.Argument(help="Draft id.")],
    text: Annotated[str, typer.Option(help="The corrected text ('-' reads standard input).")],
) -> None:
    """Store a person's edit as a new version, checked against the product's facts."""
    from borderless.cli.common import read_stdin, services_from
    from borderless.copydesk import edit_draft

    body = read_stdin() if text == "-" else text
    services = services_from(ctx)
    row = edit_draft(services.db, services.copywriter, draft_id, body, "cli")
    typer.echo(_describe(asdict(row)))
