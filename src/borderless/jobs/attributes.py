"""Reading what every product is, and the run recorded in the model registry.

Every import ends here (and `borderless attributes refresh`): the extractor learns from all the
shop's titles, stores each product's values (the seller's decisions stay), and the run becomes a
version of task `attributes` (capabilities/attributes/runs.py says what it measures). A record
that fails does not undo the stored values: the registry is told, the values are the product.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderless.errors import BorderlessError

if TYPE_CHECKING:
    from borderless.capabilities.lifecycle.loop import Lifecycle
    from borderless.storage import Database

__all__ = ["read_product", "refresh_and_record"]

log = logging.getLogger(__name__)


def refresh_and_record(
    db: Database,
    advance: Callable[[int], None] | None = None,
    lifecycle: Lifecycle | None = None,
) -> dict[str, int]:
    """Extract and store every merchandise product's attributes; record the run."""
    from borderless.capabilities.attributes.catalog import extract_catalog
    from borderless.capabilities.attributes.runs import run_data, run_metrics, run_version
    from borderless.capabilities.lifecycle.loop import Lifecycle, Trained
    from borderless.storage.attributes import merchandise_rows, save_extracted, seller_decisions
    from borderless.storage.registry import ShopRegistry

    started = time.perf_counter()
    rows = merchandise_rows(db)
    results = extract_catalog(rows, advance=advance) if rows else []
    summary = save_extracted(db, results)
    if not rows:
        return summary.as_dict()
    data = run_data(rows)
    metrics: dict[str, Any] = run_metrics(results, seller_decisions(db))
    model = "catalog lexicon (brands and types learnt from the titles), vocabulary and rules"
    parameters = {"model": model, "stated": summary.stated, "suggested": summary.suggested}
    seconds = round(time.perf_counter() - started, 3)
    trained = Trained(
        run_version(data), Path("products (shop database)"), metrics, parameters, data, seconds
    )
    try:
        (lifecycle or Lifecycle(ShopRegistry(db), {})).record(
            "attributes", trained, "extract: attributes"
        )
    except BorderlessError as exc:  # the values are stored; only their record failed
        log.warning("attribute run not recorded in the registry: %s", exc.message)
    return summary.as_dict()


def read_product(db: Database, sku: str) -> int:
    """Read one product's title now (one added on the dashboard or by the API is read with
    the rest at the next import) and store its values, the seller's decisions kept; how many
    values it found. About 2 s on the demo shop's 3,800 titles, which teach the brands and
    types. Not a registry run: the shop's extraction is unchanged."""
    from borderless.capabilities.attributes.catalog import extract_product
    from borderless.storage.attributes import catalog_row, merchandise_rows, save_extracted

    found = extract_product(catalog_row(db, sku), merchandise_rows(db))
    summary = save_extracted(db, [found])
    return summary.stated + summary.suggested
