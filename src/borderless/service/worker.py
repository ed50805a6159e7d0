"""One process of `borderless serve --workers N`, and the warm-up every serving process runs.

With N > 1, uvicorn starts N processes that each call `create_worker_app`: settings come from
the environment (`serve` exports the database URL and data folder it was given), the schema is
not migrated again (the parent did it before the workers start), and each process builds its
own services. What is shared is what lives outside the process: the database, the embedding
cache, the product search index (saved in the data folder by the first process to build it,
memory-mapped by the others, followed through the catalog's generation in the database), the
trained intent model; what is not is the memory of the models each process loads (see
docs/operations.md), and model-work limits are per process.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from borderless.wiring import Services

__all__ = ["create_worker_app", "warm_in_background"]

log = logging.getLogger("borderless.service")


def _warm(services: Services) -> None:
    from borderless.errors import BorderlessError

    try:
        services.search.warm()
    except BorderlessError as error:  # e.g. the embedding model's package is missing
        log.warning("product search is not available: %s", error.message)
    try:
        dictionaries = services.lexicon
        if dictionaries is not None:  # the first start builds their lookup files (~30 s)
            dictionaries.prepare()
    except BorderlessError as error:
        log.warning("query glosses and the verdict's meaning check are not available: %s",
                    error.message)  # fmt: skip
    try:
        services.assistant  # noqa: B018 (built now so the first chat does not wait)
    except BorderlessError as error:
        log.warning("the support assistant is not available: %s", error.message)
    try:
        services.profiles  # noqa: B018 (the segments page's first visit took 22 s without this)
    except BorderlessError as error:
        log.warning("customer profiles are not available: %s", error.message)
    from borderless.capabilities.wordlists import word_lists

    word_lists()  # a short query's language reads them (built once per machine, then loaded)
    try:  # a customer page's picks: the first fit took 24 s on the demo shop without this
        services.recommendations.warm()
    except BorderlessError as error:
        log.warning("recommendations are not available: %s", error.message)


def warm_in_background(services: Services) -> None:
    """Build the search index, the support assistant, the customer profiles and the
    recommenders in a thread, so the first visitor does not wait for them (embedding the
    catalog takes a while the first time, cached after)."""
    threading.Thread(target=_warm, args=(services,), daemon=True).start()


def create_worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's factory)."""
    from borderless.config import load_settings
    from borderless.service import create_app
    from borderless.storage import open_database
    from borderless.wiring import Services

    settings = load_settings()
    services = Services(settings, open_database(settings, upgrade=False))
    app = create_app(services=services)
    warm_in_background(services)
    return app
