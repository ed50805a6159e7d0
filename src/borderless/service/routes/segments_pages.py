"""Dashboard: the segment explorer (RFM grid, lifetime-value distribution, export) and the
profile block on a customer's page."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from borderless.capabilities.profiles.profile import CustomerProfile
from borderless.capabilities.profiles.rfm import SEGMENTS, segment_of
from borderless.service.routes.deps import DB, staff_redirect
from borderless.service.routes.pages import render
from borderless.service.routes.profiles import segments_file, shop_profiles
from borderless.storage.markets import shop_currency_and_rates
from borderless.web.charts import bar_chart
from borderless.wiring import Services

router = APIRouter(include_in_schema=False)

VALUE_BINS = (0, 10, 50, 100, 250, 500, 1000, 2500, 5000)


def customer_profile(request: Request, customer_id: str) -> dict[str, Any]:
    """For the customer page: the profile when profiles are built, else why not (never
    blocks the page on a 30-second build)."""
    services: Services = request.app.state.services
    if "profiles" not in services.built():
        return {"ready": False, "profile": None}
    profiles = services.profiles  # once: each read looks whether the reviews changed
    found: CustomerProfile | None = profiles.get(customer_id)
    return {"ready": True, "profile": found, "horizon": profiles.horizon_days}


def _value_bins(values: list[float]) -> list[tuple[str, float]]:
    edges = [*VALUE_BINS, float("inf")]
    counts = Counter(
        next(i for i in range(len(edges) - 1) if edges[i] <= v < edges[i + 1])
        for v in values
        if v >= 0
    )
    labels = [
        f"{low:,.0f}+" if high == float("inf") else f"{low:,.0f}–{high:,.0f}"
        for low, high in itertools.pairwise(edges)
    ]
    return [(label, float(counts.get(i, 0))) for i, label in enumerate(labels)]


@router.get("/segments/export")
def segments_download(
    request: Request, segment: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    """The CSV for a signed-in seller: the page linked to the API route, which asks for an
    API key in a header, and a browser got a 401 (a walk)."""
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return segments_file(request, segment)


@router.get("/segments", response_class=HTMLResponse)
def segments_page(
    request: Request, db: DB, segment: Annotated[str, Query(max_length=40)] = ""
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    currency, _ = shop_currency_and_rates(db)  # spend had no currency beside it (a walk)
    profiles = shop_profiles(request)
    everyone = list(profiles.by_customer.values())
    grid = Counter((p.rfm.r, p.rfm.f) for p in everyone)
    top = max(grid.values(), default=1)
    cells = [
        {"r": r, "f": f, "n": grid.get((r, f), 0), "segment": segment_of(r, f),
         "shade": round(0.08 + 0.92 * grid.get((r, f), 0) / top, 3)}
        for r in range(5, 0, -1)
        for f in range(1, 6)
    ]  # fmt: skip
    sizes = Counter(p.rfm.segment for p in everyone)
    names = [name for _, name in SEGMENTS]
    chosen = segment if segment in names else ""
    members = sorted(
        (p for p in everyone if p.rfm.segment == chosen),
        key=lambda p: -(p.lifetime.value_next if p.lifetime else 0.0),
    )[:50]
    values = [p.lifetime.value_next for p in everyone if p.lifetime]
    return render(
        request,
        "segments.html",
        {
            "profiles": profiles,
            "cells": cells,
            "sizes": bar_chart([(n, float(c)) for n, c in sizes.most_common()]),
            "values": bar_chart(_value_bins(values)),
            "names": sorted(sizes),
            "segment": chosen,
            "members": members,
            "count": len(everyone),
            "currency": currency,
        },
    )
