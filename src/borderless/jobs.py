"""Whole-catalog jobs: the translation desk built from settings, and batches on Ray.

On Ray every worker builds its own desk from the same settings (models load once per worker
process) and reads the translation memory from the same database, so a cluster needs a
database URL all workers reach (PostgreSQL); results come back to the caller, which stores
each finished batch in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from borderless.capabilities.localize.desk import TranslationDesk
from borderless.config import Settings
from borderless.errors import InvalidInput, ModelUnavailable

__all__ = ["desk_from_settings", "run_on_ray", "translate_fields", "worker_desk"]

Item = tuple[str, str, str]  # sku, field, source text


def desk_from_settings(settings: Settings, glossary: Path | None, quality: bool) -> TranslationDesk:
    from borderless.backends import create_embedder, create_translator
    from borderless.capabilities.localize.protect import read_glossary
    from borderless.storage import open_database
    from borderless.storage.localize import memory_lookup

    db = open_database(settings)
    return TranslationDesk(
        create_translator(settings.translator, settings),
        create_embedder(settings.embeddings, settings) if quality else None,
        lambda s, t, texts: memory_lookup(db, s, t, texts),
        read_glossary(glossary) if glossary else None,
    )


def translate_fields(
    desk: TranslationDesk, items: Sequence[Item], source: str, target: str
) -> list[Any]:
    from borderless.storage.localize import ProductTranslation

    done = desk.translate([text for _, _, text in items], source, target)
    return [
        ProductTranslation(sku, target, field, text, r.text, r.engine, r.score, r.checks, r.flagged)
        for (sku, field, text), r in zip(items, done, strict=True)
    ]


@cache
def worker_desk(config: str, glossary: Path | None) -> TranslationDesk:
    """One desk per worker process and configuration: engines load once, not per batch."""
    from borderless.config import load_settings

    return desk_from_settings(load_settings(**json.loads(config)), glossary, quality=True)


def run_on_ray(
    address: str,
    settings: Settings,
    batches: Sequence[Sequence[Item]],
    source: str,
    target: str,
    glossary: Path | None,
    in_flight: int = 8,
) -> Iterator[list[Any]]:
    """Finished batches as they complete (any order), at most `in_flight` submitted at once."""
    try:
        import ray
    except ImportError as exc:
        raise ModelUnavailable(
            "Ray jobs need ray: pip install 'borderless[ray]'", field="ray"
        ) from exc
    try:
        ray.init(address=None if address == "local" else address, ignore_reinit_error=True,
                 log_to_driver=False)  # fmt: skip
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise InvalidInput(
            f"cannot reach the Ray cluster at {address}: {exc}", field="ray_address"
        ) from exc
    config = settings.model_dump(mode="json")

    @ray.remote
    def work(items: Sequence[Item]) -> list[Any]:
        return translate_fields(worker_desk(json.dumps(config), glossary), items, source, target)

    waiting = list(batches)
    running: list[Any] = []
    while waiting or running:
        while waiting and len(running) < in_flight:
            running.append(work.remote(waiting.pop(0)))
        done, running = ray.wait(running, num_returns=1)
        yield ray.get(done[0])
