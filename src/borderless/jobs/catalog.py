"""The catalog runs that `borderless localize`, `borderless copy` and the service's background
jobs share: what is left to do, then batches run (here or on Ray) and each finished batch
stored in one transaction, so a stopped run resumes where it ended.

`advance(n)` reports progress after each stored batch; returning False stops the run before
its next batch (a cancelled job). `call(work)` runs one batch's model work: the service passes
its model thread, so a job's batches take turns with people's requests and the model never runs
two at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from borderless.errors import InvalidInput
from borderless.jobs.copy import copy_work, write_copy
from borderless.jobs.localize import Item, remembered, translate_fields, translation_work
from borderless.jobs.runner import batched, run_on_ray

if TYPE_CHECKING:
    from collections.abc import Iterator

    from borderless.capabilities.catalog.records import Product
    from borderless.capabilities.copywrite import CopyRequest
    from borderless.capabilities.localize.protect import Glossary
    from borderless.storage import Database
    from borderless.wiring import Services

__all__ = [
    "Advance",
    "CatalogRun",
    "check_languages",
    "copy_todo",
    "translate_catalog",
    "translation_todo",
    "write_catalog_copy",
]

T = TypeVar("T")
Advance = Callable[[int], bool | None]  # False: stop before the next batch
Call = Callable[[Callable[[], Any]], Any]


def _direct(work: Callable[[], T]) -> T:
    return work()


def _keep_going(n: int) -> bool:
    return True


@dataclass(frozen=True)
class CatalogRun:
    """What a run did: items handled (fields or products), rows stored, how many of those need
    a person (flagged translations, drafts still stating unbacked facts), and whether it was
    stopped before the end."""

    handled: int
    stored: int
    needs_review: int
    stopped: bool = False


def translation_todo(db: Database, language: str, limit: int | None = None) -> list[Item]:
    """(sku, field, text) of merchandise whose `language` translation is missing or stale."""
    from borderless.storage.localize import pending_fields

    return pending_fields(db, language)[:limit]


def check_languages(source: str, language: str, prefix: str = "") -> None:
    """InvalidInput unless the catalog's `source` and the target `language` are two known
    languages (fields `{prefix}source` and `{prefix}language`): `localize --source de
    --language de` stored every title as its own translation, scored 1.0 (an attack)."""
    from borderless.languages import language_name

    language_name(language, f"{prefix}language")
    language_name(source, f"{prefix}source")
    if source == language:
        raise InvalidInput(f"the catalog is in {source} already: choose another language",
                           field=f"{prefix}language")  # fmt: skip


def translate_catalog(
    services: Services,
    todo: Sequence[Item],
    source: str,
    language: str,
    *,
    glossary: Glossary | None = None,
    batch: int = 16,
    ray_address: str | None = None,
    advance: Advance = _keep_going,
    call: Call = _direct,
) -> CatalogRun:
    """Translate `todo` into `language`, storing each batch; `glossary` lies over the stored one."""
    from borderless.storage.localize import memory_lookup, save_product_translations

    db = services.db
    handled = flagged = 0
    results: Iterator[list[Any]]
    if ray_address:
        # Workers have no shop database: memory and stored glossary are applied here.
        known, rest = remembered(
            lambda s, t, texts: memory_lookup(db, s, t, texts), todo, source, language
        )
        if known:
            save_product_translations(db, known)
            handled += len(known)
            if advance(len(known)) is False:
                return CatalogRun(handled, handled, 0, stopped=True)
        work = translation_work(services.settings, services.glossary(glossary), source, language)
        results = run_on_ray(ray_address, work, batched(rest, batch))
    else:
        desk = services.desk(glossary, quality=True)
        results = (
            call(partial(translate_fields, desk, b, source, language)) for b in batched(todo, batch)
        )
    for rows in results:
        save_product_translations(db, rows)
        handled += len(rows)
        flagged += sum(r.flagged for r in rows)
        if advance(len(rows)) is False:
            return CatalogRun(handled, handled, flagged, stopped=True)
    return CatalogRun(handled, handled, flagged)


def copy_todo(
    db: Database,
    request: CopyRequest,
    skus: Sequence[str] = (),
    country: str | None = None,
    limit: int | None = None,
) -> list[tuple[Product, str]]:
    """(product, brand) of the products (all, or those named or sold to `country`) that have no
    copy of the request's kind and language yet."""
    from borderless.storage.catalog import ProductFilter, products_with_vendors
    from borderless.storage.copy_drafts import skus_with_copy

    done = skus_with_copy(db, request.kind, request.language)
    subjects = products_with_vendors(db, ProductFilter(country=country), skus)
    return [(p, brand) for p, brand in subjects if p.sku not in done][:limit]


def write_catalog_copy(
    services: Services,
    todo: Sequence[tuple[Product, str]],
    request: CopyRequest,
    *,
    batch: int = 4,
    ray_address: str | None = None,
    advance: Advance = _keep_going,
    call: Call = _direct,
) -> CatalogRun:
    """Write copy for `todo`, storing each batch's drafts (products without facts are skipped)."""
    from borderless.copydesk import kept_names
    from borderless.storage.copy_drafts import save_drafts
    from borderless.storage.markets import stored_rates

    db = services.db
    batches = batched(todo, batch)
    rates = stored_rates(db) if request.market is not None else {}
    kept = kept_names(db, request.language)
    results: Iterator[list[Any]]
    if ray_address:
        work = copy_work(services.settings, request, rates, kept)
        results = run_on_ray(ray_address, work, batches)
    else:
        writer = services.copywriter
        results = (call(partial(write_copy, writer, b, request, rates, kept)) for b in batches)
    handled = written = unbacked = 0
    for i, drafts in enumerate(results):
        save_drafts(db, drafts)
        written += len(drafts)
        unbacked += sum(not d.grounding.ok for d in drafts)
        # On Ray batches finish in any order: count drafts, not the batch they came from.
        step = len(drafts) if ray_address else len(batches[i])
        handled += step
        if advance(step) is False:
            return CatalogRun(handled, written, unbacked, stopped=True)
    return CatalogRun(handled, written, unbacked)
