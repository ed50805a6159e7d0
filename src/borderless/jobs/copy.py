"""Catalog copy as batches of (product, brand) -> drafts; a product without facts is skipped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from borderless.errors import InvalidInput
from borderless.jobs.runner import Work, settings_config, worker_services

if TYPE_CHECKING:
    from borderless.capabilities.catalog.money import Rate
    from borderless.capabilities.catalog.records import Product
    from borderless.capabilities.copywrite import CopyDraft, CopyRequest, CopyWriter
    from borderless.config import Settings

__all__ = ["copy_work", "write_copy"]


def write_copy(
    writer: CopyWriter,
    items: Sequence[tuple[Product, str]],
    request: CopyRequest,
    rates: Mapping[str, Rate] | None = None,
    kept: Sequence[str] = (),
) -> list[CopyDraft]:
    """Drafts for a batch of (product, brand); a product without facts is skipped. `rates`
    (the seller's) give the price in the request's market currency; `kept`: the glossary's
    names kept as they are (facts_of)."""
    from borderless.capabilities.copywrite import facts_of

    drafts = []
    for product, brand in items:
        try:
            facts = facts_of(product, writer.vocabulary, request.market, brand, rates=rates,
                             language=request.language, kept=kept)  # fmt: skip
        except InvalidInput:
            continue
        drafts += writer.write(facts, request)
    return drafts


def _copy_batch(
    config: str,
    request: CopyRequest,
    rates: Mapping[str, Rate] | None,
    kept: Sequence[str],
    items: Sequence[Any],
) -> list[Any]:
    return write_copy(worker_services(config).copywriter, items, request, rates, kept)


def copy_work(
    settings: Settings,
    request: CopyRequest,
    rates: Mapping[str, Rate] | None = None,
    kept: Sequence[str] = (),
) -> Work:
    """What a worker does with one batch of (product, brand)."""
    return partial(_copy_batch, settings_config(settings), request, rates, tuple(kept))
