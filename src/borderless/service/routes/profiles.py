"""Customer profiles and segments (staff only: personal data)."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import PlainTextResponse

from borderless.capabilities.profiles.profile import Profiles, segments_csv
from borderless.capabilities.profiles.rfm import segment_named
from borderless.errors import NotFound
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, StaffAccess
from borderless.service.schemas.profiles import (
    ProfilePublic,
    SegmentPage,
    SegmentPublic,
    TagPublic,
)
from borderless.wiring import Services

router = APIRouter(tags=["profiles"], dependencies=[StaffAccess])


def shop_profiles(request: Request) -> Profiles:
    """The shop's profiles; the first build (seconds) goes through the model-work queue."""
    services: Services = request.app.state.services
    if "profiles" in services.built():
        return services.profiles
    return model_work(request, lambda: services.profiles)


def profile_public(profiles: Profiles, customer_id: str) -> ProfilePublic:
    found = profiles.get(customer_id)
    if found is None:
        raise NotFound(f"no purchases by customer {customer_id!r} to profile", field="customer_id")
    return ProfilePublic(
        customer_id=customer_id,
        as_of=profiles.as_of.date().isoformat(),
        segment=found.rfm.segment,
        rfm=asdict(found.rfm),
        lifetime=asdict(found.lifetime) if found.lifetime else None,
        churn_risk=found.churn_risk,
        horizon_days=profiles.horizon_days,
        tags=[TagPublic(**asdict(t)) for t in found.tags],
    )


@router.get("/v1/customers/{customer_id}/profile")
def profile(
    request: Request, db: DB, customer_id: Annotated[str, Path(max_length=64)]
) -> ProfilePublic:
    """A customer's RFM segment, lifetime value, churn risk and interest tags with reasons."""
    from borderless.storage.sales import get_customer

    get_customer(db, customer_id)  # "no customer with id ..." before "no purchases" (a walk)
    return profile_public(shop_profiles(request), customer_id)


@router.get("/v1/segments")
def segments(request: Request) -> SegmentPage:
    """RFM segments with their sizes, biggest first (every segment on one page)."""
    profiles = shop_profiles(request)
    counts: dict[str, int] = {}
    for p in profiles.by_customer.values():
        counts[p.rfm.segment] = counts.get(p.rfm.segment, 0) + 1
    total = max(sum(counts.values()), 1)
    data = [
        SegmentPublic(segment=name, customers=n, share=round(n / total, 4))
        for name, n in sorted(counts.items(), key=lambda item: -item[1])
    ]
    return SegmentPage(data=data, count=len(data), limit=len(data))


@router.get(
    "/v1/segments/export",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def export(
    request: Request, segment: Annotated[str | None, Query(max_length=40)] = None
) -> PlainTextResponse:
    """Customers as CSV for e-mail and ads tools (optionally one segment, named as /v1/segments
    lists it, in any case: "loyal" and a segment there is none of answered an empty file)."""
    return segments_file(request, segment)


def segments_file(request: Request, segment: str | None) -> PlainTextResponse:
    """The CSV answer of the export route and of the dashboard's download link."""
    segment = None if segment is None else segment_named(segment)
    text = segments_csv(shop_profiles(request), segment)
    # Headers are Latin-1: the file name keeps ASCII letters and digits only.
    name = re.sub(r"[^a-z0-9]+", "-", (segment or "all").lower()).strip("-") or "segment"
    return PlainTextResponse(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="segment-{name}.csv"'},
    )
