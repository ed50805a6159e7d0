"""`borderless intents` (train, evaluate, list, use); `borderless support` (ask, token, queue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from borderless.cli.options import Holdout, Margin
from borderless.errors import NotFound

intents_app = typer.Typer(help="Intent models for the support assistant.", no_args_is_help=True)
support_app = typer.Typer(help="The support assistant and the human queue.", no_args_is_help=True)


@intents_app.command("train")
def train(
    ctx: typer.Context,
    examples: Annotated[
        Path, typer.Argument(help="CSV with columns text,label ('oos' = out of scope).")
    ],
    out: Annotated[
        Path | None, typer.Option(help="Folder for the model (default: a new stored version).")
    ] = None,
    embeddings: Annotated[
        str | None, typer.Option(help="Embedder specs, comma-separated (default: settings).")
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=0.99,
            help="Call a message out of scope below this confidence "
            "(default: chosen on held-out 'oos' examples; none without them).",
        ),
    ] = None,
    holdout: Holdout = None,
    margin: Margin = 0.0,
    validation: Annotated[
        Path | None,
        typer.Option(
            help="Labelled validation CSV with 'oos' rows: the out-of-scope threshold "
            "is chosen on it against --max-accuracy-loss (curve kept in the card)."
        ),
    ] = None,
    max_accuracy_loss: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=0.5,
            help="With --validation: in-scope accuracy may drop this much (0.01 = 1 "
            "point) below rejecting nothing.",
        ),
    ] = 0.01,
    promote: Annotated[
        str,
        typer.Option(
            help="auto (compare on --holdout if given, else promote), yes, no, if-better."
        ),
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Train an intent model on labelled messages; stored and recorded in the model registry
    (borderless registry list) unless --out is given."""
    from borderless.capabilities.support.examples import read_labelled
    from borderless.capabilities.support.intents import train_intents
    from borderless.capabilities.support.lifecycle import trained_intents
    from borderless.cli.common import services_from
    from borderless.errors import InvalidInput

    if promote not in ("auto", "yes", "no", "if-better"):
        raise InvalidInput("--promote is one of auto, yes, no, if-better", field="promote")
    services = services_from(ctx, database=out is None)
    data = read_labelled(examples)
    if validation is not None and min_confidence is not None:
        raise InvalidInput("give --min-confidence or --validation, not both", field="validation")
    model = train_intents(data, services.intent_embedders(embeddings), min_confidence)
    model.card["source"] = str(examples)
    if validation is not None:
        from borderless.capabilities.support.lifecycle import set_operating_point

        set_operating_point(model, read_labelled(validation), max_accuracy_loss)
    summary: dict[str, object] = {}
    if out is None:
        folder = services.intent_store.save(model, make_current=False)
        outcome = services.lifecycle.register(
            "intents", trained_intents(model, folder, examples), created_by="cli: intents train",
            promote=promote, holdout=holdout, margin=margin,  # type: ignore[arg-type]
        )  # fmt: skip
        summary["active"] = outcome.active
        if outcome.comparison is not None:
            summary["comparison"] = outcome.comparison.reason
        for warning in outcome.warnings:
            typer.echo(f"warning: {warning}", err=True)
    else:
        model.save(out)
        folder = out
    summary = {"model": str(folder), "version": model.card["version"]} | summary
    summary |= {k: v for k, v in model.card["training"].items() if k != "per_label"}
    summary["labels"] = len(model.labels)
    typer.echo(
        json.dumps(summary) if as_json else "\n".join(f"{k}: {v}" for k, v in summary.items())
    )


@intents_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    examples: Annotated[Path, typer.Argument(help="CSV with columns text,label.")],
    model: Annotated[
        Path | None, typer.Option(help="Model folder (default: the current stored version).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Accuracy (an 'oos' prediction counts as wrong), out-of-scope recall and precision."""
    from borderless.capabilities.support.examples import read_labelled
    from borderless.capabilities.support.intents import evaluate_intents
    from borderless.capabilities.support.store import record_evaluation
    from borderless.cli.common import services_from
    from borderless.errors import InvalidInput

    services = services_from(ctx, database=False)
    folder = model or services.intent_store.current()
    if folder is None:
        raise InvalidInput("no intent model yet: train one or pass --model", field="model")
    data = read_labelled(examples)
    result = evaluate_intents(services.load_intent_model(folder), data)
    record_evaluation(folder, result, str(examples))
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo("\n".join(f"{k}: {v}" for k, v in result.items()))


@intents_app.command("list")
def versions(ctx: typer.Context) -> None:
    """Stored intent model versions; * marks the one the assistant uses."""
    from borderless.cli.common import services_from

    found = services_from(ctx, database=False).intent_store.versions()
    if not found:
        typer.echo("no stored intent models (the default one is trained on first use)")
    for v in found:
        mark = "*" if v["current"] else " "
        typer.echo(
            f"{mark} {v['version']}  labels={v['labels']} examples={v['examples']} "
            f"held-out accuracy={v['held_out_accuracy']} evaluations={v['evaluations']}"
        )


@intents_app.command("use")
def use(
    ctx: typer.Context, version: Annotated[str, typer.Argument(help="A stored version.")]
) -> None:
    """Make a stored version the one the assistant uses (a promotion in the model registry)."""
    from borderless.cli.common import services_from

    services = services_from(ctx)
    try:
        services.lifecycle.promote("intents", version)
    except NotFound:  # stored before the registry: register it first
        from borderless.capabilities.support.lifecycle import trained_intents

        folder = services.intent_store.root / version
        services.intent_store.use(version)  # NotFound when there is no such folder either
        model = services.load_intent_model(folder)
        services.lifecycle.adopt(
            "intents", trained_intents(model, folder, None), "cli: intents use"
        )
        services.lifecycle.promote("intents", version)
    typer.echo(f"intent model {version} is now current")


@support_app.command("ask")
def ask(
    ctx: typer.Context,
    message: Annotated[str, typer.Argument(help="What the customer writes.")],
    customer: Annotated[
        str | None, typer.Option(help="Answer as this customer (order look-ups use their orders).")
    ] = None,
) -> None:
    """One message through the assistant, in a new stored conversation; prints the reply as JSON."""
    from dataclasses import asdict

    from borderless.capabilities.support.assistant import checked_message
    from borderless.cli.common import services_from
    from borderless.storage.sales import get_customer
    from borderless.storage.support import conversation_state, new_conversation, record_exchange

    checked_message(message)  # an empty message is exit 2 before any model loads (it was 3)
    services = services_from(ctx)
    db = services.db
    if customer:
        get_customer(db, customer)
    assistant = services.assistant
    with new_conversation(db, customer) as (conversation_id, _):
        reply = assistant.reply(conversation_state(db, conversation_id), message)
        record_exchange(db, conversation_id, message, reply)
    out = {
        "conversation": conversation_id,
        "reply": reply.text,
        "language": reply.language,
        "intent": reply.intent,
        "confidence": reply.confidence,
        "citations": [asdict(c) for c in reply.citations],
        "handoff": reply.handoff,
        "orders": list(reply.orders),
        "review": list(reply.review),
    }
    typer.echo(json.dumps(out, ensure_ascii=False))


@support_app.command("token")
def token(
    ctx: typer.Context, customer: Annotated[str, typer.Argument(help="A customer id.")]
) -> None:
    """Issue a customer token for the support API (shown once)."""
    from borderless.cli.common import database_from
    from borderless.storage.support import issue_customer_token

    typer.echo(issue_customer_token(database_from(ctx), customer))


@support_app.command("queue")
def queue(ctx: typer.Context) -> None:
    """Conversations waiting for a person."""
    from borderless.cli.common import database_from
    from borderless.storage.support import list_conversations

    rows, _ = list_conversations(database_from(ctx), "handoff")
    if not rows:
        typer.echo("nobody is waiting")
    for r in rows:
        typer.echo(
            f"{r.id}  {r.customer_id or 'guest':<8} {r.handoff_reason}: {r.last_message[:60]}"
        )
