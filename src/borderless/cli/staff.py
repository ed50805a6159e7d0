"""`borderless staff`: accounts with their own keys and roles, and the audit log."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from borderless.cli.common import database_from

staff_app = typer.Typer(help="Staff accounts (viewer, editor, admin) and the audit log.",
                        no_args_is_help=True)  # fmt: skip


@staff_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name: letters, digits, . _ -")],
    role: Annotated[str, typer.Option(help="viewer (reads), editor (acts), admin.")] = "editor",
) -> None:
    """Create an account and print its key (shown once; only its hash is stored)."""
    from borderless.storage.staff import add_account

    key = add_account(database_from(ctx), name, role)
    typer.echo(key)
    typer.echo(
        f"{name} ({role}): keep this key; it signs in to the dashboard and the API.", err=True
    )


@staff_app.command("list")
def list_staff(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Accounts and their roles (the shop's own API key is 'owner', an admin)."""
    from borderless.storage.staff import list_accounts

    members = list_accounts(database_from(ctx))
    if as_json:
        typer.echo(json.dumps({"data": [{"name": m.name, "role": m.role} for m in members],
                               "count": len(members)}))  # fmt: skip
        return
    for m in members:
        typer.echo(f"{m.name:<24} {m.role}")


@staff_app.command("remove")
def remove(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Remove an account; its key stops working and its sessions end."""
    from borderless.storage.staff import remove_account

    remove_account(database_from(ctx), name)
    typer.echo(f"removed {name}")


@staff_app.command("audit")
def audit(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who approved, corrected, replied or changed what, newest first."""
    from borderless.storage.staff import audit_entries

    entries, total = audit_entries(database_from(ctx), limit)
    if as_json:
        rows = [{"at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action,
                 "subject": e.subject, "detail": e.detail} for e in entries]  # fmt: skip
        typer.echo(json.dumps({"data": rows, "count": total}, ensure_ascii=False))
        return
    for e in entries:
        typer.echo(f"{e.at:%Y-%m-%d %H:%M}  {e.actor:<16} {e.action:<26} {e.subject}")
