"""Whole-catalog jobs: translation desks and copywriters built from settings, and batches
on Ray.

On Ray every worker builds its own desk or copywriter from the same settings (models load
once per worker process). The translation desk reads the translation memory from the same
database, so a cluster needs a database URL all workers reach (PostgreSQL); copy batches
carry their products. Results come back to the caller, which stores each finished batch in
one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderless.capabilities.localize.desk import TranslationDesk
from borderless.config import Settings
from borderless.errors import InvalidInput, ModelUnavailable

if TYPE_CHECKING:
    from borderless.capabilities.catalog.records import Product
    from borderless.capabilities.copywrite import CopyDraft, CopyRequest, CopyWriter

__all__ = [
    "desk_from_settings",
    "run_on_ray",
    "translate_fields",
    "worker_desk",
    "write_copy",
]

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


def write_copy(
    writer: CopyWriter, items: Sequence[tuple[Product, str]], request: CopyRequest
) -> list[CopyDraft]:
    """Drafts for a batch of (product, brand); a product without facts is skipped."""
    from borderless.capabilities.copywrite import facts_of

    drafts = []
    for product, brand in items:
        try:
            facts = facts_of(product, writer.vocabulary, request.market, brand)
        except InvalidInput:
            continue
        drafts += writer.write(facts, request)
    return drafts


@cache
def _worker_writer(config: str) -> CopyWriter:
    from borderless.config import load_settings
    from borderless.copydesk import copywriter_from_settings

    return copywriter_from_settings(load_settings(**json.loads(config)))


def _copy_batch(config: str, request: CopyRequest, items: Sequence[Any]) -> list[Any]:
    return write_copy(_worker_writer(config), items, request)


def _translate_batch(
    config: str, glossary: Path | None, source: str, target: str, items: Sequence[Item]
) -> list[Any]:
    return translate_fields(worker_desk(config, glossary), items, source, target)


def translation_work(
    settings: Settings, glossary: Path | None, source: str, target: str
) -> Callable[[Sequence[Any]], list[Any]]:
    """What a Ray worker does with one batch of (sku, field, text)."""
    config = json.dumps(settings.model_dump(mode="json"))
    return partial(_translate_batch, config, glossary, source, target)


def copy_work(settings: Settings, request: CopyRequest) -> Callable[[Sequence[Any]], list[Any]]:
    """What a Ray worker does with one batch of (product, brand)."""
    return partial(_copy_batch, json.dumps(settings.model_dump(mode="json")), request)


@cache
def worker_desk(config: str, glossary: Path | None) -> TranslationDesk:
    """One desk per worker process and configuration: engines load once, not per batch."""
    from borderless.config import load_settings

    return desk_from_settings(load_settings(**json.loads(config)), glossary, quality=True)


def _call(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any]) -> list[Any]:
    return work(items)


def run_on_ray(
    address: str,
    work: Callable[[Sequence[Any]], list[Any]],
    batches: Sequence[Sequence[Any]],
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
    remote = ray.remote(_call)
    waiting = list(batches)
    running: list[Any] = []
    while waiting or running:
        while waiting and len(running) < in_flight:
            running.append(remote.remote(work, waiting.pop(0)))
        done, running = ray.wait(running, num_returns=1)
        yield ray.get(done[0])
