"""`borderless risk`: score the shop's orders, train on review decisions, evaluate, edit rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from borderless.storage.risk import RiskDesk

risk_app = typer.Typer(help="Order risk: scores with reasons, rules, review.", no_args_is_help=True)
rules_app = typer.Typer(help="The seller's rules (allow / review / block).", no_args_is_help=True)
risk_app.add_typer(rules_app, name="rules")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _desk(ctx: typer.Context) -> RiskDesk:
    from borderless.cli.common import services_from
    from borderless.storage.risk import RiskDesk

    services = services_from(ctx)
    return RiskDesk(services.db, services.risk)


@risk_app.command("evaluate")
def evaluate(
    data: Annotated[Path, typer.Argument(help="CSV: numeric feature columns and a 0/1 label.")],
    label: Annotated[str, typer.Option(help="The label column (1 = fraud / risky).")],
    folds: Annotated[int, typer.Option(min=2, max=20, help="Cross-validation folds.")] = 5,
    as_json: JsonFlag = False,
) -> None:
    """Stratified k-fold cross-validation of the supervised model: AUPRC, AUROC, n."""
    from borderless.capabilities.risk.evaluate import cross_validate, read_labelled
    from borderless.capabilities.risk.model import RiskModel

    result = cross_validate(read_labelled(data, label), RiskModel, folds=folds, label=label)
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"AUPRC {result['auprc']:.4f}  AUROC {result['auroc']:.4f}  "
        f"n={result['n']} ({result['positives']} positive, {folds}-fold)"
    )


@risk_app.command("score")
def score(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Score every sale of the shop, apply the rules and store it all."""
    summary = _desk(ctx).score_all()
    if as_json:
        typer.echo(json.dumps(summary))
        return
    actions = ", ".join(f"{n:,} {a}" for a, n in summary["actions"].items())
    typer.echo(
        f"scored {summary['orders']:,} orders in {summary['seconds']} s "
        f"({summary['source']}): {actions}"
    )


@risk_app.command("train")
def train(
    ctx: typer.Context,
    max_review: Annotated[
        float | None,
        typer.Option(
            help="Send at most this share of orders to review (0.05 = 5%; default: "
            "the active version's target, else 0.05)."
        ),
    ] = None,
    max_false_blocks: Annotated[
        float | None,
        typer.Option(help="Block at most this share of good (approved) orders (default 0.01)."),
    ] = None,
    min_caught: Annotated[
        float | None,
        typer.Option(
            help="Catch at least this share of fraud (blocked orders) in review or "
            "blocks, if the review budget allows."
        ),
    ] = None,
    validation: Annotated[
        Path | None,
        typer.Option(
            help="Decisions (order_id,decision) to choose the review band on; they are "
            "not trained on. Default: the decisions' out-of-fold scores."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Train the supervised model on the review decisions, choose its review band against the
    target, then score every order with it; the version is registered and made active
    (borderless registry list, promote, rollback)."""
    from borderless.capabilities.risk.band import BandTarget

    desk = _desk(ctx)
    target = None
    if (max_review, max_false_blocks, min_caught) != (None, None, None):
        base = desk.risk.target()
        target = BandTarget(
            base.max_review if max_review is None else max_review,
            base.max_false_blocks if max_false_blocks is None else max_false_blocks,
            base.min_caught if min_caught is None else min_caught,
        )
    held = None
    if validation is not None:
        from borderless.capabilities.risk.lifecycle import read_decisions

        held = read_decisions(validation)
    card = desk.train(target, held)
    if as_json:
        typer.echo(json.dumps(card))
        return
    typer.echo(
        f"model v{card['version']}: {card['labels']} decisions ({card['blocked']} blocked, "
        f"{card['approved']} approved), inner-fold AUPRC {card['inner_auprc']}; "
        f"{card['scored']['orders']:,} orders scored again"
    )
    point = card["operating_point"]
    chosen = point["chosen"]
    typer.echo(
        f"review band {chosen['review_at']:.4f}..{chosen['block_at']:.4f}, chosen on "
        f"{point['validation']} {point['chosen_on']} to {point['target_text']}: "
        f"{_percent(chosen['review_rate'])} of orders to review, "
        f"{_percent(chosen['caught'])} of fraud caught, "
        f"{_percent(chosen['false_blocks'])} of good orders blocked"
    )
    missed = [k for k, ok in point["met"].items() if not ok]
    if missed:
        typer.echo(f"target missed: {', '.join(missed)} (the review budget wins)")


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:.1f}%"


@risk_app.command("order")
def order(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="An order number.")],
    as_json: JsonFlag = False,
) -> None:
    """One order's score, reasons and action."""
    record = _desk(ctx).order_risk(order_id)
    if as_json:
        typer.echo(json.dumps(record.as_dict(), default=str))
        return
    rule = f" (rule {record.rule})" if record.rule else ""
    typer.echo(f"order {record.order_id}: {record.score:.4f} by {record.source}, "
               f"{record.action}{rule}")  # fmt: skip
    for reason in record.reasons:
        typer.echo(f"  - {reason['text']}")


@risk_app.command("decide")
def decide(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="An order number.")],
    decision: Annotated[str, typer.Argument(help="approve or block.")],
    note: Annotated[str, typer.Option(help="Why (kept with the decision).")] = "",
) -> None:
    """Record a review decision; it is a label for the next `borderless risk train`."""
    label = _desk(ctx).decide(order_id, decision, note)
    typer.echo(f"order {label.order_id}: {label.decision} (label {label.label})")


@rules_app.command("show")
def rules_show(ctx: typer.Context) -> None:
    """Print the rules in force (the defaults until some are saved)."""
    from borderless.capabilities.risk.rules import DEFAULT_RULES
    from borderless.cli.common import database_from
    from borderless.storage.risk import current_rules

    saved = current_rules(database_from(ctx))
    typer.echo(f"# version {saved.version}" if saved else "# defaults (no version saved)")
    typer.echo((saved.text if saved else DEFAULT_RULES).rstrip("\n"))


def _read(path: Path) -> str:
    if str(path) == "-":
        from borderless.cli.common import read_stdin

        return read_stdin()
    from borderless.capabilities.catalog.csvfiles import read_utf8

    # a byte-order mark (Notepad's UTF-8) is allowed; /dev/zero is refused, not read without
    # end (an attack)
    return read_utf8(path)


@rules_app.command("set")
def rules_set(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A rules file ('-' for standard input).")],
    note: Annotated[str, typer.Option(help="What changed.")] = "",
    rescore: Annotated[bool, typer.Option(help="Apply them to every order now.")] = True,
) -> None:
    """Save the rules as a new version (refused with line and position if one does not parse)."""
    desk = _desk(ctx)
    version = desk.set_rules(_read(path), note)
    typer.echo(f"rules version {version.version} saved")
    if rescore:
        summary = desk.score_all()
        actions = ", ".join(f"{n:,} {a}" for a, n in summary["actions"].items())
        typer.echo(f"{summary['orders']:,} orders: {actions}")


@rules_app.command("dry-run")
def rules_dry_run(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A rules file ('-' for standard input).")],
    as_json: JsonFlag = False,
) -> None:
    """How many scored past orders each rule would hit and decide; nothing is saved."""
    result = _desk(ctx).dry_run(_read(path))
    if as_json:
        typer.echo(json.dumps(result))
        return
    for rule in result["rules"]:
        typer.echo(f"{rule['rule']:>3}. {rule['hits']:>7,} hit  {rule['decides']:>7,} decided  "
                   f"{rule['text']}")  # fmt: skip
    totals = ", ".join(f"{n:,} {a}" for a, n in result["actions"].items())
    typer.echo(f"over {result['orders']:,} orders: {totals}")
