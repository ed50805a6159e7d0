"""Search relevance clicks kept as labelled examples of the `search` task, in the same store
as staff corrections (so `borderless registry corrections search` exports them)."""

from __future__ import annotations

from borderless.capabilities.search.clicks import SOURCE, TASK, SearchClick, read_click
from borderless.errors import NotFound
from borderless.storage.catalog import products_by_sku
from borderless.storage.database import Database
from borderless.storage.registry import Correction, add_correction, corrections

__all__ = ["record_click", "search_clicks"]


def record_click(
    db: Database, click: SearchClick, *, actor: str, model_version: str | None = None
) -> Correction:
    """Store one click (NotFound naming `sku` when the clicked product does not exist)."""
    click.check_new()
    if not products_by_sku(db, [click.sku]):
        raise NotFound(f"no product with SKU {click.sku!r}", field="sku")
    for name, skus in (("above", list(click.above)), ("top", [click.top] if click.top else [])):
        known = {p.sku for p in products_by_sku(db, skus)}
        if missing := [s for s in skus if s not in known]:  # "NOPE" was stored (an attack)
            raise NotFound(f"{name}: no product with SKU {missing[0]!r}", field=name)
    return add_correction(
        db, TASK, click.query, click.sku, source=SOURCE, subject=click.subject(),
        predicted=click.predicted, model_version=model_version, actor=actor,
    )  # fmt: skip


def search_clicks(db: Database) -> list[SearchClick]:
    """Every stored click, oldest first."""
    return [
        read_click(c.input, c.label, c.subject) for c in corrections(db, TASK) if c.source == SOURCE
    ]
