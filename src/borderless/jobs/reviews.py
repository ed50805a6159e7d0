"""Importing the shop's reviews, and scoring them (sentiment, aspects, complaints) here or on Ray.

Batches of (text, language) go to workers that have no shop database: each worker builds the
sentiment model its settings name once (the stored current model in the data folder, which a
cluster's workers must share, as for every job; docs/jobs.md) and reads its batches. The caller
stores the readings in one transaction, so a job cut off half-way stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from borderless.jobs.runner import batched, run_on_ray, settings_config, worker_services

if TYPE_CHECKING:
    from pathlib import Path

    from borderless.capabilities.reviews.analysis import ReviewReading
    from borderless.storage.database import Database
    from borderless.wiring import Services

__all__ = ["import_reviews_file", "read_reviews", "store_readings"]


def _read_batch(config: str, items: Sequence[tuple[int, tuple[str, str]]]) -> list[Any]:
    from borderless.capabilities.reviews.analysis import read_reviews_text

    model = worker_services(config).sentiment_model()
    found = read_reviews_text(model, [review for _, review in items])
    return list(zip([index for index, _ in items], found, strict=True))


def import_reviews_file(db: Database, path: Path, source: str | None = None) -> dict[str, Any]:
    """Reviews from a CSV or JSON file, stored in one transaction (a bad row, named, writes
    nothing): `borderless import reviews` and the Reviews page's upload. `source` names the
    file in the import record (default: its path)."""
    from borderless.capabilities.reviews.files import read_reviews as read_file
    from borderless.storage.reviews import save_reviews, unknown_references

    found = read_file(path, refer=partial(unknown_references, db))
    return save_reviews(db, found, source or str(path)) | {"read": len(found)}


def store_readings(
    db: Database, todo: Sequence[tuple[int, str, str]], readings: Sequence[ReviewReading]
) -> int:
    """Store each (id, text, language) review's reading in one transaction; how many."""
    from borderless.storage.reviews import save_sentiment

    return save_sentiment(db, [(i, r.sentiment.label, r.sentiment.positive, r.aspects)
                               for (i, _, _), r in zip(todo, readings, strict=True)])  # fmt: skip


def read_reviews(
    services: Services,
    reviews: Sequence[tuple[str, str]],
    *,
    ray_address: str | None = None,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> list[ReviewReading]:
    """Readings of (text, language) reviews, in order; on Ray with `ray_address`."""
    from borderless.capabilities.reviews.analysis import read_reviews_text

    if ray_address is None:
        # here: the service's own model, already loaded
        return read_reviews_text(services.sentiment_model(), reviews, progress)
    services.sentiment_model()  # trained and stored here first, so every worker loads the same
    work = partial(_read_batch, settings_config(services.settings))
    indexed = list(enumerate(reviews))
    out: list[Any] = [None] * len(reviews)
    for finished in run_on_ray(ray_address, work, batched(indexed, batch)):
        for index, reading in finished:
            out[index] = reading
        if progress is not None:
            progress(len(finished))
    return out
