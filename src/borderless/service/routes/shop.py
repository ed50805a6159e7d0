from __future__ import annotations

from fastapi import APIRouter, Request

from borderless._version import __version__
from borderless.capabilities.catalog.markets import MARKETS
from borderless.service.routes.deps import DB, StaffAccess
from borderless.service.schemas import HealthPublic, StatsPublic
from borderless.service.schemas.markets import MarketPage, MarketPublic
from borderless.storage.sales import shop_stats

router = APIRouter(tags=["shop"])


@router.get("/health")
def health(request: Request, db: DB) -> HealthPublic:
    """Liveness, the database in use, and where search keeps its vectors."""
    with db.engine.connect():
        pass
    vectors = request.app.state.services.search.vector_store
    return HealthPublic(
        status="ok", version=__version__, database=db.dialect, search_vectors=vectors
    )


@router.get("/v1/stats", dependencies=[StaffAccess])
def stats(db: DB) -> StatsPublic:
    """Record counts of the shop (staff only: how many customers and sales a shop has is its
    own business, and the signed-out overview shows only the catalog's size)."""
    return StatsPublic(**shop_stats(db).as_dict())


@router.get("/v1/markets")
def markets() -> MarketPage:
    """Markets Borderless knows: country code, language, currency."""
    data = [MarketPublic(**m.__dict__) for m in MARKETS.values()]
    return MarketPage(data=data, count=len(data), limit=len(data))
