"""`borderless reviews` (train, evaluate, score, list, demo) and `borderless import reviews`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from borderless.cli.options import Holdout, Margin

reviews_app = typer.Typer(
    help="Review intelligence: sentiment in any language.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def import_reviews(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="Reviews as CSV or JSON (see docs/reviews.md).", show_default=False),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Load the demo review catalog: real reviews from the shared data."
        ),
    ] = False,
    per_category: Annotated[
        int, typer.Option(min=1, help="With --demo: reviews per category and label.")
    ] = 100,
    as_json: JsonFlag = False,
) -> None:
    """Import reviews (one transaction, idempotent; the language is detected when missing)."""
    from borderless.cli.common import database_from, progress_bar, settings_from
    from borderless.errors import InvalidInput
    from borderless.jobs.reviews import import_reviews_file
    from borderless.storage.reviews import save_review_products, save_reviews

    db = database_from(ctx)
    result: dict[str, Any]
    if demo:
        from borderless.capabilities.reviews.demo import demo_products, demo_reviews
        from borderless.capabilities.reviews.shared import chinese_reviews, uci_sentences

        shared = settings_from(ctx).shared_data_dir
        with progress_bar("Reading the shared review sets"):
            found = demo_reviews(chinese_reviews(shared) + uci_sentences(shared), per_category)
        products = save_review_products(db, demo_products())
        result = save_reviews(db, found, "demo reviews")
        result |= {"products": products.as_dict(), "read": len(found)}
        source = "demo"
    elif path is None:
        raise InvalidInput("give a reviews file, or --demo", field="path")
    else:
        with progress_bar(f"Reading {path.name}"):
            result = import_reviews_file(db, path)
        source = str(path)
    result["file"] = source
    if as_json:
        typer.echo(json.dumps(result))
        return
    counts = result["reviews"]
    typer.echo(
        f"Read {result['read']:,} reviews from {source}: {counts['inserted']:,} new, "
        f"{counts['updated']:,} changed, {counts['unchanged']:,} unchanged"
    )
    if result["languages_detected"]:
        typer.echo(f"  language detected for {result['languages_detected']:,}")
    if result["dated_on_import"]:
        typer.echo(f"  {result['dated_on_import']:,} without a date were dated today")


@reviews_app.command("train")
def train(
    ctx: typer.Context,
    examples: Annotated[
        Path, typer.Argument(help="CSV with columns text,label (positive/negative).")
    ],
    out: Annotated[
        Path | None, typer.Option(help="Folder for the model (default: a new stored version).")
    ] = None,
    embeddings: Annotated[
        str | None,
        typer.Option(help="Embedder specs, comma-separated (default: sentiment_embeddings)."),
    ] = None,
    holdout: Holdout = None,
    margin: Margin = 0.0,
    as_json: JsonFlag = False,
) -> None:
    """Train a sentiment model on your own labelled reviews; stored and registered (borderless
    registry list, promote, rollback) unless --out."""
    from borderless.capabilities.reviews.sentiment import read_labelled_reviews, train_sentiment
    from borderless.cli.common import progress_bar, services_from

    services = services_from(ctx, database=out is None)
    data = read_labelled_reviews(examples)
    embedders = services.intent_embedders(embeddings or services.settings.sentiment_embeddings)
    with progress_bar(f"Training on {len(data):,} reviews"):
        model = train_sentiment(data, embedders, str(examples))
    active: dict[str, object] = {}
    if out is not None:
        model.save(out)
        folder = out
    else:
        from borderless.capabilities.support.lifecycle import trained_intents

        folder = services.sentiment_store.save(model, make_current=False)
        outcome = services.lifecycle.register(
            "sentiment", trained_intents(model, folder, examples),  # the same two-head model
            created_by="cli: reviews train", holdout=holdout, margin=margin,
        )  # fmt: skip
        active["active"] = outcome.active
        if outcome.comparison is not None:
            active["comparison"] = outcome.comparison.reason
        for warning in outcome.warnings:
            typer.echo(f"warning: {warning}", err=True)
    result = {"model": str(folder), "version": model.card["version"]} | active
    result |= model.card["training"]
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"Trained on {len(data):,} reviews in {result['seconds']} s; saved to {folder}")


@reviews_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    examples: Annotated[
        Path, typer.Argument(help="CSV with columns text,label (positive/negative).")
    ],
    model: Annotated[
        Path | None, typer.Option(help="Model folder (default: the current or default model).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Accuracy of a sentiment model on labelled reviews, in any language."""
    from borderless.capabilities.reviews.sentiment import evaluate_sentiment, read_labelled_reviews
    from borderless.cli.common import progress_bar, services_from

    services = services_from(ctx, database=False)
    data = read_labelled_reviews(examples)
    chosen = services.load_sentiment_model(model) if model else services.sentiment_model()
    with progress_bar("Scoring", total=len(data)) as advance:
        result = evaluate_sentiment(chosen, data, advance)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo("\n".join(f"{k}: {v}" for k, v in result.items()))


@reviews_app.command("score")
def score(
    ctx: typer.Context,
    every: Annotated[bool, typer.Option("--all", help="Score every review again.")] = False,
    ray_address: Annotated[
        str | None, typer.Option(help="Score the batches on this Ray cluster ('local' starts one).")
    ] = None,
    batch: Annotated[int, typer.Option(min=1, max=100_000, help="Reviews per batch.")] = 500,
    as_json: JsonFlag = False,
) -> None:
    """Store each review's sentiment, aspects with polarity and negative clauses (one
    transaction at the end: a run cut off stores nothing)."""
    from borderless.cli.common import progress_bar, services_from
    from borderless.jobs.reviews import read_reviews, store_readings
    from borderless.storage.reviews import unscored_reviews

    services = services_from(ctx)
    todo = unscored_reviews(services.db, every=every)
    with progress_bar("Reading reviews", total=len(todo)) as advance:
        found = read_reviews(
            services, [(text, lang) for _, text, lang in todo], ray_address=ray_address,
            batch=batch, progress=advance,
        )  # fmt: skip
    store_readings(services.db, todo, found)
    result = {
        "ray": ray_address is not None,
        "scored": len(found),
        "positive": sum(r.sentiment.label == "positive" for r in found),
        "negative": sum(r.sentiment.label == "negative" for r in found),
        "aspect_mentions": sum(sum(a["aspect"] is not None for a in r.aspects) for r in found),
    }
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(
            f"Scored {result['scored']:,} reviews: {result['positive']:,} positive, "
            f"{result['negative']:,} negative; {result['aspect_mentions']:,} aspect mentions"
        )


@reviews_app.command("painpoints")
def painpoints(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Option(help="Only this product.")] = None,
    market: Annotated[str | None, typer.Option(help="Only this market (country code).")] = None,
    language: Annotated[str | None, typer.Option(help="Only reviews in this language.")] = None,
    translate: Annotated[
        str | None, typer.Option(help="Translate the example quotes into this language.")
    ] = None,
    min_cluster_size: Annotated[int, typer.Option(min=2, help="Smallest pain point.")] = 5,
    top: Annotated[int, typer.Option(min=1, help="How many pain points to show.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """What customers complain about: negative clauses clustered across languages (HDBSCAN)."""
    from borderless.capabilities.reviews.painpoints import pain_point_report
    from borderless.cli.common import services_from
    from borderless.storage.reviews import ReviewFilters, checked_filters, complaints

    services = services_from(ctx)
    filters = checked_filters(services.db, ReviewFilters(sku=sku, language=language, market=market))
    found = complaints(services.db, filters)
    report = pain_point_report(
        found,
        services.sentiment_model().embed,
        translate=services.translate_texts if translate else None,
        target=translate,
        min_cluster_size=min_cluster_size,
        top=top,
    )
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    typer.echo(f"{report['complaints']:,} negative clauses in {report['reviews']:,} reviews")
    for point in report["pain_points"]:
        typer.echo(f"- {point['name']}: {point['reviews']} reviews {point['languages']}")
        for quote in point["examples"]:
            shown = f"  ({quote['translation']})" if quote.get("translation") else ""
            typer.echo(f'    "{quote["clause"]}"{shown}')


@reviews_app.command("list")
def list_cmd(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Option(help="Only this product.")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language (ISO 639-1).")] = None,
    market: Annotated[str | None, typer.Option(help="Only this market (country code).")] = None,
    sentiment: Annotated[str | None, typer.Option(help="positive or negative.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: JsonFlag = False,
) -> None:
    """The shop's reviews, newest first."""
    from dataclasses import asdict

    from borderless.cli.common import database_from
    from borderless.storage.reviews import ReviewFilters, checked_filters, list_reviews

    # filters are checked as the API's are ("--language xx" listed nothing: an attack)
    db = database_from(ctx)
    asked = ReviewFilters(sku=sku, language=language, market=market, sentiment=sentiment)
    rows, total = list_reviews(db, checked_filters(db, asked), limit=limit)
    if as_json:
        data = [asdict(r) | {"created_at": r.created_at.isoformat()} for r in rows]
        typer.echo(json.dumps({"data": data, "count": total}, ensure_ascii=False))
        return
    for r in rows:
        mood = r.sentiment or "-"
        stars = f"{r.rating}*" if r.rating else "  "
        typer.echo(f"{r.id:>6} {r.sku:<20} {r.language} {stars} {mood:<8} {r.text[:70]}")
    typer.echo(f"{len(rows)} of {total:,}")
