"""`borderless profiles`: a customer's profile, segment sizes, segment export."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

profiles_app = typer.Typer(
    help="Customer profiles: RFM segments, lifetime value, interests.", no_args_is_help=True
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@profiles_app.command("show")
def show(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(help="Customer id.")],
    as_json: JsonFlag = False,
) -> None:
    """One customer's segment, lifetime value, churn risk and tags with their reasons."""
    from borderless.cli.common import progress_bar, services_from
    from borderless.errors import NotFound
    from borderless.storage.sales import get_customer

    services = services_from(ctx)
    get_customer(services.db, customer_id)  # "no customer with id ..." (was "no purchases")
    with progress_bar("Profiling the shop's customers"):
        profiles = services.profiles
    found = profiles.get(customer_id)
    if found is None:
        raise NotFound(f"no purchases by customer {customer_id!r} to profile", field="customer_id")
    data = asdict(found) | {"as_of": profiles.as_of.date().isoformat()}
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    r = found.rfm
    typer.echo(f"{customer_id}: {r.segment} (R{r.r} F{r.f} M{r.m}; {r.orders} orders, "
               f"{r.spend:,.2f} spent, last {r.recency_days} days ago)")  # fmt: skip
    if found.lifetime:
        life = found.lifetime
        typer.echo(
            f"  next {profiles.horizon_days} days: {life.purchases_next:.2f} purchases, "
            f"{life.value_next:,.2f} expected; churn risk {found.churn_risk:.0%}"
        )
    for tag in found.tags:
        typer.echo(f"  [{tag.kind}] {tag.name}: {tag.reason}")


@profiles_app.command("segments")
def segments(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """How many customers each RFM segment holds."""
    from collections import Counter

    from borderless.cli.common import progress_bar, services_from

    with progress_bar("Profiling the shop's customers"):
        profiles = services_from(ctx).profiles
    sizes = Counter(p.rfm.segment for p in profiles.by_customer.values())
    if as_json:
        typer.echo(json.dumps({"as_of": profiles.as_of.date().isoformat(), "segments": sizes}))
        return
    for name, n in sizes.most_common():
        typer.echo(f"{n:>6,}  {name}")


@profiles_app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="CSV file to write, or - for standard output.")],
    segment: Annotated[str | None, typer.Option(help="Only this segment, e.g. 'At risk'.")] = None,
) -> None:
    """Customers as CSV for e-mail and ads tools: segment, scores, value, churn risk, tags."""
    import sys

    from borderless.capabilities.profiles.profile import segments_csv
    from borderless.capabilities.profiles.rfm import segment_named
    from borderless.cli.common import progress_bar, services_from, write_output

    segment = None if segment is None else segment_named(segment)
    with progress_bar("Profiling the shop's customers"):
        text = segments_csv(services_from(ctx).profiles, segment)
    if str(out) == "-":
        sys.stdout.write(text)
    else:
        write_output(out, text, "out")
        typer.echo(f"Wrote {text.count(chr(10)) - 1:,} customers to {out}", err=True)
