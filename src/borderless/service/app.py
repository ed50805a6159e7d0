"""The FastAPI app factory. Building the app opens (and migrates) the database, nothing more."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from borderless._version import __version__
from borderless.capabilities.copywrite.kinds import kind_label
from borderless.capabilities.forecast.candidates import model_name
from borderless.capabilities.localize.readings import Readings
from borderless.capabilities.verdict.catches import measured_catch
from borderless.config import Settings, load_settings
from borderless.jobs.background import JobRunner
from borderless.languages import LANGUAGE_NAMES, text_direction
from borderless.service.docs import install_docs
from borderless.service.errors import install_error_handlers
from borderless.service.lockout import Lockout
from borderless.service.metrics import RequestMetrics
from borderless.service.middleware import (
    BodyLimit,
    CsrfCookie,
    JsonKeysOnce,
    SecurityHeaders,
    Utf8Query,
    megabytes,
)
from borderless.service.modelwork import ModelWork
from borderless.service.openapi import document_errors
from borderless.service.reports import KeptReports
from borderless.service.routes.deps import (
    csrf_field,
    csrf_protect,
    is_staff,
    known_parameters_only,
    may,
    single_values,
)
from borderless.storage import Database, open_database
from borderless.wiring import Services

__all__ = ["create_app", "resolve_api_key"]

WEB = Path(__file__).resolve().parent.parent / "web"


SHOP_CURRENCY = "GBP"  # what amounts are stored in unless a row says otherwise


def money(amount: object, currency: str | None = None, locale: str = "en_GB") -> str:
    """£1,234.50, -£77.00, €12.00: Babel's format for the currency (the shop's by default)."""
    from babel.numbers import format_currency

    code = currency or SHOP_CURRENCY
    value = Decimal(str(amount))
    if value == 0:  # a price stored as -0 reads "£0.00", not "-£0.00"
        value = Decimal(0)
    # A stored amount (a price keeps up to 4 decimals) is shown with every decimal it has: a
    # unit price of 0.005 read "£0.00", 1.5 yen "JP¥2". A computed one (an average, 28 digits
    # of a division) is rounded to the currency's own.
    # A stored yen price read "¥1,900.00" (its column keeps two decimals): the decimals it
    # needs, at least the currency's own.
    exponent = value.normalize().as_tuple().exponent
    stored = isinstance(exponent, int) and exponent >= -4
    if stored:
        from babel.numbers import get_currency_precision

        places = max(get_currency_precision(code), -min(int(exponent), 0))
        value = value.quantize(Decimal(1).scaleb(-places))
    return format_currency(value, code, locale=locale, decimal_quantization=not stored)


def counted(n: object, noun: str, plural: str | None = None) -> str:
    """ "1 order", "2 orders", "1,024 orders": a number and its noun, agreeing ("1 orders" and
    "4 shipment(s)" were on the pages)."""
    number = int(str(n))
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def chance(share: float) -> str:
    """A probability as a whole percent, never a certain "0%" or "100%" it is not (14646's
    churn risk of 0.04% read "0%": a walk)."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


def shortened(text: str, width: int = 80) -> str:
    """`text` cut to `width` columns as a screen shows them, with "…": a Chinese or Japanese
    character takes two (cut at 80 characters, their previews ran twice as long as the
    others on the support list: a walk)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used > width:
            cut = text[:i]
            if not text[i].isspace() and " " in cut[len(cut) // 2 :]:
                cut = cut.rsplit(" ", 1)[0]  # a spaced language is cut between words
            return cut.rstrip() + "…"
    return text


def time_left(seconds: int) -> str:
    """ "about 4 h 10 min left", "about 3 min left", "under a minute left": a job's estimate
    in the words a seller reads (rounded: it is a pace, not a promise)."""
    if seconds < 60:
        return "under a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    hours, minutes = divmod(round(minutes / 10) * 10, 60)
    return f"about {hours} h {minutes} min left" if minutes else f"about {hours} h left"


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


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    services: Services | None = None,
) -> FastAPI:
    """A ready app for the configured shop; pass `database` or `services` to share them."""
    from borderless.service.routes import (
        attributes,
        attributes_pages,
        copy_pages,
        copywriting,
        customers,
        fulfilment,
        glossary_pages,
        images,
        jobs,
        jobs_pages,
        markets,
        markets_pages,
        order_pages,
        orders,
        pages,
        photos_pages,
        product_pages,
        products,
        profiles,
        recommendations,
        registry,
        registry_pages,
        reviews,
        reviews_pages,
        risk,
        risk_pages,
        search,
        segments_pages,
        shipments,
        shop,
        staff,
        supply,
        supply_pages,
        support,
        support_pages,
        translate,
        translate_pages,
    )

    if services is None:
        settings = settings or load_settings()
        services = Services(settings, database or open_database(settings))
    settings = services.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.model_work.open()
        app.state.jobs.start()
        yield
        app.state.jobs.stop()
        app.state.model_work.close()
        services.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Borderless",
        version=__version__,
        description="Offline-first AI platform for cross-border e-commerce.",
        docs_url=None,  # served offline by install_docs
        redoc_url=None,
        dependencies=[Depends(csrf_protect)],  # dashboard forms; the API uses keys, not cookies
    )
    app.state.services = services
    app.state.model_work = ModelWork(
        settings.model_workers, settings.model_queue, settings.model_rate_per_minute
    )
    app.state.jobs = JobRunner(services, call=app.state.model_work.background)
    app.state.settings = settings
    app.state.db = services.db
    app.state.api_key = resolve_api_key(settings)
    app.state.templates = Jinja2Templates(directory=str(WEB / "templates"))
    app.state.templates.env.filters["money"] = money
    app.state.templates.env.filters["direction"] = text_direction
    app.state.templates.env.filters["catch"] = measured_catch
    app.state.templates.env.filters["counted"] = counted
    app.state.templates.env.filters["shortened"] = shortened
    app.state.templates.env.filters["chance"] = chance
    app.state.templates.env.filters["copy_kind"] = kind_label
    app.state.templates.env.filters["forecast_model"] = model_name
    app.state.templates.env.filters["time_left"] = time_left
    # "German" where a page showed "de" (the glossary's For column: a walk)
    app.state.templates.env.filters["language"] = lambda code: LANGUAGE_NAMES.get(code, code)
    app.state.templates.env.globals["conversation_status"] = support_pages.status_label
    app.state.templates.env.globals["is_staff"] = is_staff
    app.state.templates.env.globals["may"] = may
    app.state.templates.env.globals["customer_profile"] = segments_pages.customer_profile
    app.state.templates.env.globals["csrf_field"] = csrf_field
    app.state.templates.env.globals["max_upload_bytes"] = settings.max_upload_bytes
    app.state.templates.env.globals["upload_limit"] = megabytes(settings.max_upload_bytes)
    app.state.templates.env.globals["product_attributes"] = attributes_pages.attributes_block
    app.state.templates.env.globals["product_photos"] = photos_pages.photos_block
    app.state.lockout = Lockout()
    app.state.readings = Readings()  # messages read in English for staff (support_pages)
    app.state.pain_point_reports = KeptReports(app.state.model_work.submit)  # reviews_pages
    install_error_handlers(app)
    app.add_middleware(JsonKeysOnce)  # inside BodyLimit: reads a bounded body
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, upload=settings.max_upload_bytes)
    app.add_middleware(Utf8Query)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CsrfCookie)
    if settings.monitoring:
        app.add_middleware(RequestMetrics, services=services)
    install_docs(app)
    api = [Depends(known_parameters_only)]  # a misspelt or repeated filter is an error
    page = [Depends(single_values)]  # pages tolerate extra parameters (?utm_source=...)
    for module in (
        shop, products, search, recommendations, customers, orders, support, translate,
        copywriting, reviews, profiles, risk, registry, attributes, shipments, fulfilment,
        images, jobs, markets,
    ):  # fmt: skip
        app.include_router(module.router, dependencies=api)
    app.include_router(product_pages.router, dependencies=page)  # first: /products/new
    for module in (
        pages, staff, support_pages, translate_pages, copy_pages, order_pages,
    ):  # fmt: skip
        app.include_router(module.router, dependencies=page)
    app.include_router(supply.router, dependencies=api)
    for module in (
        supply_pages, risk_pages, reviews_pages, segments_pages, attributes_pages, photos_pages,
        registry_pages, jobs_pages, glossary_pages, markets_pages,
    ):  # fmt: skip
        app.include_router(module.router, dependencies=page)
    app.include_router(products.by_sku, dependencies=api)
    app.include_router(pages.by_sku, dependencies=page)  # last: a SKU may hold "/"
    document_errors(app)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    return app
