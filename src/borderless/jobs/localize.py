"""Catalog translation as batches of (sku, field, source text) -> ProductTranslation rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from borderless.jobs.runner import Work, settings_config, worker_services

if TYPE_CHECKING:
    from borderless.capabilities.localize.desk import TranslationDesk
    from borderless.capabilities.localize.protect import Glossary
    from borderless.config import Settings
    from borderless.storage.localize import ProductTranslation

__all__ = ["Item", "remembered", "translate_fields", "translation_work"]

Item = tuple[str, str, str]  # sku, field, source text
Memory = Callable[[str, str, Sequence[str]], dict[str, str]]


def translate_fields(
    desk: TranslationDesk, items: Sequence[Item], source: str, target: str
) -> list[ProductTranslation]:
    from borderless.storage.localize import ProductTranslation

    done = desk.translate([text for _, _, text in items], source, target)
    return [
        ProductTranslation(sku, target, field, text, r.text, r.engine, r.score, r.checks, r.flagged)
        for (sku, field, text), r in zip(items, done, strict=True)
    ]


def remembered(
    memory: Memory, items: Sequence[Item], source: str, target: str
) -> tuple[list[ProductTranslation], list[Item]]:
    """Rows the translation memory already answers, and the items left for the engines.

    Workers on a cluster have no shop database, so the caller applies the memory first.
    """
    from borderless.storage.localize import ProductTranslation

    found = memory(source, target, [text for _, _, text in items])
    rows = [
        ProductTranslation(sku, target, field, text, found[text], "memory", 1.0, (), False)
        for sku, field, text in items
        if text in found
    ]
    return rows, [item for item in items if item[2] not in found]


def _translate_batch(
    config: str, glossary: Glossary | None, source: str, target: str, items: Sequence[Item]
) -> list[Any]:
    services = worker_services(config)
    return translate_fields(services.desk(glossary, memory=False), items, source, target)


def translation_work(
    settings: Settings, glossary: Glossary | None, source: str, target: str
) -> Work:
    """What a worker does with one batch of (sku, field, text); workers have no shop database,
    so `glossary` is the whole one (the caller merges the stored glossary in)."""
    return partial(_translate_batch, settings_config(settings), glossary, source, target)
