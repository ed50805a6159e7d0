"""Dashboard: order risk. The review queue (approve / block become labels), the score
distribution and rule hits over time, and the rules editor with its dry run and versions."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from borderless.capabilities.catalog.markets import MARKETS
from borderless.capabilities.risk.plots import band_curve_chart, rule_hits_chart, score_histogram
from borderless.errors import InvalidInput
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, acting, record, staff_redirect
from borderless.service.routes.pages import (
    PAGE_SIZE,
    PageNumber,
    page_count,
    page_number,
    render,
    to_page,
)
from borderless.storage import Database
from borderless.storage.risk import (
    RiskDesk,
    action_counts,
    review_queue,
    rule_versions,
    scored_values,
)

router = APIRouter(include_in_schema=False)


def _chosen_band(card: dict[str, Any] | None) -> tuple[float, float] | None:
    """The review band (review_at, block_at) the serving model chose, if it chose one."""
    point = (card or {}).get("operating_point")
    return (point["chosen"]["review_at"], point["chosen"]["block_at"]) if point else None


def _desk(request: Request, db: Database) -> RiskDesk:
    return RiskDesk(db, request.app.state.services.risk)


@router.get("/risk", response_class=HTMLResponse)
def risk_page(request: Request, db: DB, page: PageNumber = "1") -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return _queue_page(request, db, page)


def _queue_page(
    request: Request, db: Database, page: str = "1", train_error: str | None = None
) -> Response:
    """The review queue; a failed "Train on my decisions" is said here, beside its button (it
    was shown on the rules page: a walk)."""
    number = page_number(page)
    rows, total = review_queue(db, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    if str(number) != page or number > page_count(total):
        return to_page(request, min(number, page_count(total)))
    desk = _desk(request, db)
    saved, rules = desk.rules()
    card = desk.risk.card()
    point = (card or {}).get("operating_point")
    band = _chosen_band(card)
    review_at = min(_thresholds(rules.text, band[0] if band else None), default=None)
    scores = [float(v["score"]) for _, _, v in scored_values(db)]
    months, hits = desk.hits_by_month()
    return render(
        request,
        "risk.html",
        {"queue": rows, "total": total, "page": number, "pages": page_count(total),
         "counts": action_counts(db), "scored": len(scores), "rules": rules, "saved": saved,
         "card": card, "markets": MARKETS, "band": point,
         "band_chart": Markup(band_curve_chart(point["curve"], *band)) if point and band else None,
         "histogram": Markup(score_histogram(scores, cut=review_at)) if scores else None,
         "hits": Markup(rule_hits_chart(months, hits)) if months and hits else None,
         "train_error": train_error},
        status_code=422 if train_error else 200,
    )  # fmt: skip


def _thresholds(text: str, review_at: float | None = None) -> list[float]:
    """Score thresholds of `review if score >= X` rules (X a number or `review_at`, the band's
    edge), to mark on the histogram."""
    import re

    from borderless.capabilities.risk.rules import BAND_NAMES

    pattern = r"^\s*review\s+if\s+score\s*>=?\s*([0-9.]+|review_at)\s*(?:#.*)?$"
    edge = BAND_NAMES["review_at"] if review_at is None else review_at
    return [edge if x == "review_at" else float(x) for x in re.findall(pattern, text, re.M)]


@router.post("/risk/orders/{order_id}/decision")
def decide(
    request: Request,
    db: DB,
    order_id: str,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
    page: Annotated[str, Form(max_length=12)] = "1",
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    label = _desk(request, db).decide(order_id, decision, note, acting(request))
    record(request, "risk.decision", label.order_id, decision=label.decision)
    # the page says what was decided and offers the other decision (a decision gave no word
    # and had no way back: a walk)
    said = urlencode({"page": page_number(page), "decided": label.order_id,
                      "decision": label.decision})  # fmt: skip
    return RedirectResponse(f"/risk?{said}#queue", status_code=303)


@router.post("/risk/score")
def score_all(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    model_work(request, lambda: _desk(request, db).score_all())
    record(request, "risk.score_all", "orders")
    return RedirectResponse("/risk", status_code=303)


@router.post("/risk/train", response_class=HTMLResponse)
def train(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        model_work(request, lambda: _desk(request, db).train())
    except InvalidInput as error:
        return _queue_page(request, db, train_error=error.message)
    record(request, "risk.train", "risk")
    return RedirectResponse("/risk", status_code=303)


def _rules_page(
    request: Request,
    db: Database,
    text: str | None,
    dry: dict[str, object] | None,
    error: InvalidInput | None = None,
    status_code: int = 200,
    note: str = "",
) -> HTMLResponse:
    """The rules editor; `note` is kept in its field across a dry run (it was wiped: a walk)."""
    desk = _desk(request, db)
    saved, rules = desk.rules()
    from borderless.capabilities.risk.features import FEATURES
    from borderless.capabilities.risk.rules import BAND_NAMES

    card = desk.risk.card()
    band = _chosen_band(card)
    edges = {"review_at": band[0], "block_at": band[1],
             "source": f"chosen for model v{(card or {}).get('version')}"} if band else \
        {**BAND_NAMES, "source": "the hand band: no trained model has chosen one"}  # fmt: skip
    return render(
        request,
        "risk_rules.html",
        {"text": rules.text if text is None else text, "saved": saved, "dry": dry,
         "error": error, "versions": rule_versions(db),
         "features": FEATURES, "edges": edges, "note": note},
        status_code=status_code,
    )  # fmt: skip


@router.get("/risk/rules", response_class=HTMLResponse)
def rules_page(request: Request, db: DB) -> Response:
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    return _rules_page(request, db, None, None)


@router.post("/risk/rules", response_class=HTMLResponse)
def rules_form(
    request: Request,
    db: DB,
    text: Annotated[str, Form(max_length=50_000)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
    action: Annotated[str, Form()] = "dry-run",
) -> Response:
    """`action=dry-run` shows what the rules would do; `action=save` stores a new version."""
    if (
        redirect := staff_redirect(request, "editor" if action == "save" else "viewer")
    ) is not None:
        return redirect
    desk = _desk(request, db)
    try:
        if action == "save":
            saved = desk.set_rules(text, note)
            record(request, "risk.rules", str(saved.version))
            model_work(request, lambda: desk.score_all())
            return RedirectResponse(f"/risk/rules?saved={saved.version}", status_code=303)
        return _rules_page(request, db, text, desk.dry_run(text), note=note)
    except InvalidInput as error:  # a rule that does not parse (line, position), or no scores
        return _rules_page(request, db, text, None, error=error, status_code=422, note=note)
