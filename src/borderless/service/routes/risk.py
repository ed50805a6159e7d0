"""Order risk API: an order's score with reasons, scoring a new order, the review queue and its
decisions, the seller's rules (versions, dry run), training. Staff only: orders are personal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from borderless.capabilities.catalog.markets import market
from borderless.capabilities.dates import check_date, naive_utc
from borderless.errors import NotFound
from borderless.service.modelwork import model_work
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess, acting, record
from borderless.service.schemas.risk import (
    RiskAssessmentPublic,
    RiskDecisionCreate,
    RiskDecisionPublic,
    RiskDryRunPublic,
    RiskOrderCreate,
    RiskPage,
    RiskPublic,
    RiskRulesPublic,
    RiskRulesUpdate,
    RiskScoringPublic,
    RiskTrainingPublic,
)
from borderless.storage import Database
from borderless.storage.risk import RiskDesk, current_rules, get_risk, review_queue

router = APIRouter(prefix="/v1", tags=["risk"], dependencies=[StaffAccess])


def _desk(request: Request, db: Database) -> RiskDesk:
    return RiskDesk(db, request.app.state.services.risk)


@router.get("/orders/{order_id}/risk")
def order_risk(request: Request, db: DB, order_id: str) -> RiskPublic:
    """An order's risk score, its top reasons in words, and the action the rules gave it."""
    found = get_risk(db, order_id)
    if found is None:
        from borderless.storage.sales import get_order

        get_order(db, order_id)  # no such order: 404 now, not a 503 while the models are busy
        found = model_work(request, lambda: _desk(request, db).order_risk(order_id))
    return RiskPublic(**found.as_dict())


@router.post("/risk/score")
def score_order(request: Request, db: DB, order: RiskOrderCreate) -> RiskAssessmentPublic:
    """Score a new order against the shop's history (nothing is stored)."""
    from borderless.capabilities.risk.features import Line, OrderRecord
    from borderless.storage.catalog import products_by_sku
    from borderless.storage.sales import get_customer

    country = market(order.country, "country").code  # names the markets there are
    prices = {p.sku: p.price for p in products_by_sku(db, [ln.sku for ln in order.lines])}
    # a made-up customer id scored lower than a guest, and a made-up SKU "allow" (an attack):
    # the order is scored against the shop's history, so both must be in it
    if missing := [ln.sku for ln in order.lines if ln.sku not in prices]:
        raise NotFound(f"lines: no product with SKU {missing[0]!r}", field="lines")
    if order.customer_id is not None:
        get_customer(db, order.customer_id)  # NotFound naming customer_id
    placed = naive_utc(order.placed_at or datetime.now(UTC))
    check_date(placed, "placed_at")
    record = OrderRecord(
        order.id, placed, country, order.customer_id,
        tuple(Line(ln.sku, ln.quantity, ln.unit_price,
                   float(p) if (p := prices.get(ln.sku)) is not None else None)
              for ln in order.lines),
    )  # fmt: skip
    result = model_work(request, lambda: _desk(request, db).assess_new(record))
    return RiskAssessmentPublic(**result)


@router.get("/risk/queue")
def queue(
    db: DB,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> RiskPage:
    """Orders the rules sent to review that nobody decided yet, riskiest first."""
    rows, total = review_queue(db, limit=limit, offset=offset)
    return RiskPage(data=[RiskPublic(**r.as_dict()) for r in rows], count=total, limit=limit,
                    offset=offset)  # fmt: skip


@router.post("/risk/decisions", status_code=201, dependencies=[WriteAccess])
def decide(request: Request, db: DB, body: RiskDecisionCreate) -> RiskDecisionPublic:
    """Approve or block an order; the decision is a label for the next training."""
    label = _desk(request, db).decide(body.order_id, body.decision, body.note, acting(request))
    record(request, "risk.decision", label.order_id, decision=label.decision)
    return RiskDecisionPublic(**label.__dict__)


@router.get("/risk/rules")
def rules(db: DB) -> RiskRulesPublic:
    """The rules in force (the defaults until a version is saved)."""
    from borderless.capabilities.risk.rules import DEFAULT_RULES

    saved = current_rules(db)
    return (
        RiskRulesPublic(**saved.__dict__)
        if saved
        else RiskRulesPublic(version=None, text=DEFAULT_RULES)
    )


@router.put("/risk/rules", dependencies=[WriteAccess])
def save_rules(request: Request, db: DB, body: RiskRulesUpdate) -> RiskRulesPublic:
    """Save rules as a new version (422 with line and position if one does not parse)."""
    saved = _desk(request, db).set_rules(body.text, body.note)
    record(request, "risk.rules", str(saved.version))
    return RiskRulesPublic(**saved.__dict__)


@router.post("/risk/rules/dry-run")
def dry_run(request: Request, db: DB, body: RiskRulesUpdate) -> RiskDryRunPublic:
    """How many scored past orders each rule would hit and decide; nothing is saved."""
    return RiskDryRunPublic.model_validate(_desk(request, db).dry_run(body.text))


@router.post("/risk/score-all", dependencies=[WriteAccess])
def score_all(request: Request, db: DB) -> RiskScoringPublic:
    """Score every sale again with the current model and rules (seconds on the demo shop)."""
    done = model_work(request, lambda: _desk(request, db).score_all())
    record(request, "risk.score_all", "orders")
    return RiskScoringPublic.model_validate(done)


@router.post("/risk/train", dependencies=[WriteAccess])
def train(request: Request, db: DB) -> RiskTrainingPublic:
    """Train on the review decisions so far, then score every sale with the new model."""
    done = model_work(request, lambda: _desk(request, db).train())
    record(request, "risk.train", "risk")
    return RiskTrainingPublic.model_validate(done)
