from __future__ import annotations

from fastapi import APIRouter

from borderless._version import __version__
from borderless.capabilities.catalog.markets import MARKETS
from borderless.service.routes.deps import DB
from borderless.service.schemas import HealthPublic
from borderless.storage.sales import ShopStats, shop_stats

router = APIRouter(tags=["shop"])


@router.get("/health")
def health(db: DB) -> HealthPublic:
    """Liveness and the database in use."""
    with db.engine.connect():
        pass
    return HealthPublic(status="ok", version=__version__, database=db.dialect)


@router.get("/v1/stats")
def stats(db: DB) -> ShopStats:
    """Record counts of the shop."""
    return shop_stats(db)


@router.get("/v1/markets")
def markets() -> dict[str, object]:
    """Markets Borderless knows: country code, language, currency."""
    data = [m.__dict__ for m in MARKETS.values()]
    return {"data": data, "count": len(data)}
