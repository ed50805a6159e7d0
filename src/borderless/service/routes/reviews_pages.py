"""Dashboard: the review inbox (filters, translation on demand) and the pain-point chart."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.dates import every_month
from borderless.capabilities.reviews.aspects import ASPECTS, aspect_named
from borderless.errors import Conflict, InvalidInput
from borderless.languages import LANGUAGE_NAMES, language_name
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, record, staff_redirect
from borderless.service.routes.pages import (
    PAGE_SIZE,
    PageNumber,
    page_count,
    page_number,
    render,
    to_page,
)
from borderless.storage.catalog import products_by_sku
from borderless.storage.jobs import active_job
from borderless.storage.reviews import (
    ReviewFilters,
    checked_filters,
    complaints,
    count_unscored,
    get_review,
    list_reviews,
)
from borderless.web.charts import bar_chart
from borderless.wiring import Services

router = APIRouter(include_in_schema=False)

Code = Annotated[str, Query(pattern=r"^([A-Za-z]{2})?$")]
# a market's code or its country's name ("Japan" had shown "String should match pattern
# '^([A-Za-z]{2})?$'": a walk), checked by checked_filters
Market = Annotated[str, Query(max_length=60)]


def _filters(
    sku: str, language: str, market: str, rating: str, sentiment: str, aspect: str
) -> ReviewFilters:
    return ReviewFilters(
        sku=sku.strip() or None,
        language=language.lower() or None,
        market=market.upper() or None,
        rating=int(rating) if rating else None,
        sentiment=sentiment or None,
        aspect=aspect_named(aspect),
    )


@router.get("/reviews", response_class=HTMLResponse)
def reviews_page(
    request: Request,
    db: DB,
    sku: Annotated[str, Query(max_length=64)] = "",
    language: Code = "",
    market: Market = "",
    rating: Annotated[str, Query(pattern=r"^[1-5]?$")] = "",
    sentiment: Annotated[str, Query(pattern=r"^(positive|negative)?$")] = "",
    aspect: Annotated[str, Query(max_length=20)] = "",
    page: PageNumber = "1",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return _page(request, db, _filters(sku, language, market, rating, sentiment, aspect), page)


def _page(
    request: Request,
    db: DB,
    filters: ReviewFilters,
    page: str = "1",
    import_error: InvalidInput | None = None,
) -> Response:
    number = page_number(page)
    filters = checked_filters(db, filters)
    rows, total = list_reviews(db, filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    pages = page_count(total)
    if number > pages:
        return to_page(request, pages)
    return render(
        request,
        "reviews.html",
        {
            "reviews": rows,
            "total": total,
            "page": number,
            "pages": pages,
            "filters": filters,
            "aspects": sorted(ASPECTS),
            "languages": LANGUAGE_NAMES,
            "query": {k: v for k, v in request.query_params.items() if k != "page"},
            "unscored": count_unscored(db),
            # what each SKU is: the list showed codes alone (a walk)
            "titles": {p.sku: p.title for p in products_by_sku(db, sorted({r.sku for r in rows}))},
            # while a scoring job waits or runs, the page says so and offers no second one
            "scoring": active_job(db, "reviews"),
            "import_error": import_error,
        },
        status_code=422 if import_error else 200,
    )


@router.post("/reviews/import", response_class=HTMLResponse)
def import_reviews_form(
    request: Request, db: DB, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """A reviews file (CSV or JSON) from the dashboard, read and stored as `borderless import
    reviews` does (one transaction; a bad row named beside the form, nothing written), then
    scored in the background (a reviews job)."""
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    from borderless.jobs.reviews import import_reviews_file
    from borderless.service.routes.jobs import start_job
    from borderless.service.uploads import uploaded_file

    try:
        with uploaded_file(
            file, "reviews.csv", request.app.state.settings.max_upload_bytes
        ) as path:
            saved = import_reviews_file(db, path, path.name)
    except InvalidInput as error:
        return _page(request, db, ReviewFilters(), import_error=error)
    counts = saved["reviews"]
    record(request, "reviews.import", path.name, **counts)
    with suppress(Conflict):  # a scoring job is queued or running already: it takes these too
        start_job(request, "reviews", {})
    done = f"imported={counts.get('inserted', 0)}&updated={counts.get('updated', 0)}"
    return RedirectResponse(f"/reviews?{done}#import-reviews", status_code=303)


def _translate(request: Request, texts: list[str], target: str) -> list[str]:
    services: Services = request.app.state.services
    return model_work(request, lambda: services.translate_texts(texts, target))


@router.get("/reviews/painpoints", response_class=HTMLResponse)
def painpoints_page(
    request: Request,
    db: DB,
    sku: Annotated[str, Query(max_length=64)] = "",
    market: Market = "",
    translate: Code = "",
    smallest: Annotated[int, Query(ge=2, le=50)] = 5,
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    import numpy as np

    from borderless.capabilities.reviews.painpoints import pain_point_report

    services: Services = request.app.state.services
    filters = checked_filters(db, ReviewFilters(sku=sku, market=market))
    found = complaints(db, filters)
    target = translate.lower() or None
    if target:  # "?translate=xx" was taken silently (an attack)
        language_name(target, "translate")
    # Built on a model thread and kept until the complaints change (service/reports.py): the
    # page never waits minutes for it, it says it is being prepared and looks again.
    key = (target, smallest, len(found), hash(tuple(found)))
    if not found:
        # nothing to group: said at once. It had loaded the sentiment model on the model
        # thread for minutes, and customers' chat waited behind it (a walk)
        report = pain_point_report([], lambda texts: np.zeros((0, 1), np.float32))
    else:
        report = request.app.state.pain_point_reports.get(
            key,
            lambda: pain_point_report(
                found,
                services.sentiment_model().embed,
                translate=services.translate_texts if target else None,
                target=target,
                min_cluster_size=smallest,
            ),
        )
    if report is None:
        return render(
            request,
            "reviews_painpoints.html",
            {"report": None, "sku": sku, "market": market, "translate": target,
             "smallest": smallest},
        )  # fmt: skip
    points = report["pain_points"]
    chart = bar_chart(
        [((p["name_translation"] or p["name"])[:28], float(p["reviews"])) for p in points]
    )
    months = every_month(sorted({m for p in points for m in p["months"]}))
    trends = {
        p["name"]: bar_chart([(m, float(p["months"].get(m, 0))) for m in months]) for p in points
    }
    return render(
        request,
        "reviews_painpoints.html",
        {"report": report, "chart": chart, "trends": trends, "sku": sku, "market": market,
         "translate": target, "smallest": smallest},
    )  # fmt: skip


@router.get("/reviews/{review_id}", response_class=HTMLResponse)
def review_page(
    request: Request,
    db: DB,
    review_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    to: Annotated[str, Query(max_length=2)] = "",
) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    review = get_review(db, review_id)
    target = to.lower()
    translation = None
    if target and target != review.language:
        texts = [review.title, review.text] if review.title else [review.text]
        translation = _translate(request, texts, target)
    return render(
        request,
        "reviews_detail.html",
        {"review": review, "translation": translation, "target": target,
         "languages": LANGUAGE_NAMES},
    )  # fmt: skip
