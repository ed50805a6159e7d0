"""The FastAPI app factory. Building the app opens (and migrates) the database, nothing more."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from borderless._version import __version__
from borderless.capabilities.recommend.shop import ShopRecommendations
from borderless.capabilities.search.shop import ShopSearch
from borderless.config import Settings, load_settings
from borderless.service.docs import install_docs
from borderless.service.errors import install_error_handlers
from borderless.service.routes.deps import known_parameters_only
from borderless.storage import Database, open_database

__all__ = ["create_app", "resolve_api_key"]

WEB = Path(__file__).resolve().parent.parent / "web"


def money(amount: object, symbol: str = "£") -> str:
    """£1,234.50 and -£77.00: the sign before the currency symbol."""
    value = Decimal(str(amount))
    return f"-{symbol}{-value:,.2f}" if value < 0 else f"{symbol}{value:,.2f}"


def resolve_api_key(settings: Settings) -> str:
    """The configured key, or one generated once into the data folder (mode 600)."""
    if settings.api_key:
        return settings.api_key
    path = settings.data_dir / "api-key"
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(24)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def shop_search(settings: Settings, db: Database) -> ShopSearch:
    """The shop's product search; embeddings are cached in the data folder across restarts."""
    from borderless.backends import create_embedder
    from borderless.backends.cache import CachedEmbedder
    from borderless.storage.catalog import products_with_categories
    from borderless.storage.vectors import PgVectorIndex, pgvector_available

    inner = create_embedder(settings.search_embeddings, settings)
    embedder = CachedEmbedder(inner, settings.data_dir / "cache" / "embeddings.sqlite")
    vectors = PgVectorIndex(db.engine, embedder) if pgvector_available(db.engine) else None
    return ShopSearch(lambda: products_with_categories(db), embedder, vectors)


def shop_recommendations(db: Database) -> ShopRecommendations:
    """Recommendations from the shop's sales; out-of-stock SKUs are never offered."""
    from borderless.storage.sales import out_of_stock, purchase_pairs

    def sellable() -> Callable[[str], bool]:
        gone = out_of_stock(db)
        return lambda sku: sku not in gone

    return ShopRecommendations(lambda: purchase_pairs(db), sellable)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """A ready app for the configured shop; pass `database` to share one (tests do)."""
    from borderless.service.routes import (
        copy_pages,
        copywriting,
        customers,
        orders,
        pages,
        products,
        recommendations,
        search,
        shop,
        staff,
        support,
        support_pages,
        translate,
        translate_pages,
    )

    settings = settings or load_settings()
    app = FastAPI(
        title="Borderless",
        version=__version__,
        description="Offline-first AI platform for cross-border e-commerce.",
        docs_url=None,  # served offline by install_docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = database or open_database(settings)
    app.state.api_key = resolve_api_key(settings)
    app.state.templates = Jinja2Templates(directory=str(WEB / "templates"))
    app.state.templates.env.filters["money"] = money
    install_error_handlers(app)
    install_docs(app)
    app.state.search = shop_search(settings, app.state.db)
    app.state.recommendations = shop_recommendations(app.state.db)
    for module in (
        shop, products, search, recommendations, customers, orders, support, translate,
        copywriting,
    ):  # fmt: skip
        app.include_router(module.router, dependencies=[Depends(known_parameters_only)])
    app.include_router(pages.router)  # pages tolerate extra parameters (?utm_source=...)
    app.include_router(staff.router)
    app.include_router(support_pages.router)
    app.include_router(translate_pages.router)
    app.include_router(copy_pages.router)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    return app
