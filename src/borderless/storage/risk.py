"""Order risk in the shop database: scores and their actions, review decisions, rule versions."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import Connection, and_, delete, func, insert, select

from borderless.capabilities.catalog.checks import check_text
from borderless.capabilities.dates import every_month
from borderless.capabilities.risk.band import HAND_BAND, BandTarget
from borderless.capabilities.risk.features import FEATURE_NAMES, Line, OrderRecord
from borderless.capabilities.risk.rules import ACTIONS, DEFAULT_RULES, Action, RuleSet, parse_rules
from borderless.capabilities.risk.shop import Assessment, ShopRisk
from borderless.errors import InvalidInput, ModelUnavailable, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database
from borderless.storage.registry import add_correction

__all__ = [
    "DECISIONS",
    "Action",
    "Decision",
    "RiskDesk",
    "RiskLabel",
    "RiskRecord",
    "RuleVersion",
    "action_counts",
    "check_sale",
    "current_rules",
    "get_risk",
    "label_map",
    "load_order_records",
    "review_queue",
    "rule_versions",
    "save_assessments",
    "save_label",
    "save_rules",
    "scored_values",
    "top_risky",
]

# A seller's review decision and the label it trains with.
Decision = Literal["approve", "block"]
DECISIONS: dict[Decision, int] = {"approve": 0, "block": 1}
_CHUNK = 500


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class RiskRecord:
    order_id: str
    score: float
    source: str
    action: Action
    rule: int | None
    rules_version: int | None
    reasons: list[dict[str, Any]]
    features: dict[str, float]
    country: str
    customer_id: str | None
    placed_at: datetime
    scored_at: datetime
    decision: Decision | None = None  # the seller's review decision, when there is one

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RiskLabel:
    order_id: str
    label: int
    decision: Decision
    note: str
    decided_at: datetime


@dataclass(frozen=True)
class RuleVersion:
    version: int
    text: str
    note: str
    created_at: datetime


def load_order_records(db: Database) -> list[OrderRecord]:
    """Every order with its lines, each line with its product's list price (one pass)."""
    o, ln, p, c = t.orders, t.order_lines, t.products, t.customers
    lines: dict[str, list[Line]] = {}
    query = (
        select(ln.c.order_id, ln.c.sku, ln.c.quantity, ln.c.unit_price, p.c.price)
        .join(p, p.c.sku == ln.c.sku)
        .order_by(ln.c.order_id, ln.c.line_no)
    )
    with db.engine.connect() as conn:
        for r in conn.execution_options(yield_per=20_000).execute(query):
            price = float(r.price) if r.price is not None else None
            lines.setdefault(r.order_id, []).append(
                Line(r.sku, int(r.quantity), float(r.unit_price), price)
            )
        orders = conn.execute(
            select(o.c.id, o.c.kind, o.c.placed_at, o.c.country, o.c.customer_id, c.c.country)
            .outerjoin(c, c.c.id == o.c.customer_id)
            .order_by(o.c.placed_at, o.c.id)
        ).all()
    return [
        OrderRecord(r[0], r[2], r[3], r[4], tuple(lines.get(r[0], ())), r[1], r[5]) for r in orders
    ]


def save_assessments(
    db: Database,
    assessed: Sequence[Assessment],
    decisions: Sequence[tuple[Action, int | None]],
    rules_version: int | None,
) -> int:
    """Store each order's latest score, reasons and action (replacing older ones) at once."""
    now = _now()
    rows = [
        {"order_id": a.order_id, "score": float(a.score), "source": a.source[:32],
         "action": action, "rule": rule, "rules_version": rules_version,
         "reasons": [r.as_dict() for r in a.reasons],
         "features": {k: round(v, 6) for k, v in a.features.items()},
         "country": a.country, "customer_id": a.customer_id, "placed_at": a.placed_at,
         "scored_at": now}
        for a, (action, rule) in zip(assessed, decisions, strict=True)
    ]  # fmt: skip
    with db.engine.begin() as conn:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            ids = [r["order_id"] for r in chunk]
            conn.execute(delete(t.risk_scores).where(t.risk_scores.c.order_id.in_(ids)))
            conn.execute(insert(t.risk_scores), chunk)
    return len(rows)


def _record(row: Any) -> RiskRecord:
    m = row._mapping
    return RiskRecord(
        m["order_id"], float(m["score"]), m["source"], cast(Action, m["action"]), m["rule"],
        m["rules_version"], list(m["reasons"] or []), dict(m["features"] or {}), m["country"],
        m["customer_id"], m["placed_at"], m["scored_at"], cast(Decision | None, m.get("decision")),
    )  # fmt: skip


def _with_decision() -> Any:
    s, lab = t.risk_scores, t.risk_labels
    return select(s, lab.c.decision).outerjoin(lab, lab.c.order_id == s.c.order_id)


def get_risk(db: Database, order_id: str) -> RiskRecord | None:
    """The stored assessment of an order, or None when it was never scored."""
    with db.engine.connect() as conn:
        row = conn.execute(_with_decision().where(t.risk_scores.c.order_id == order_id)).first()
    return _record(row) if row is not None else None


def review_queue(db: Database, *, limit: int = 25, offset: int = 0) -> tuple[list[RiskRecord], int]:
    """Orders the rules sent to review and nobody decided yet, riskiest first."""
    s, lab = t.risk_scores, t.risk_labels
    undecided = and_(s.c.action == "review", lab.c.order_id.is_(None))
    query = (
        _with_decision()
        .where(undecided)
        .order_by(s.c.score.desc(), s.c.order_id)
        .limit(limit)
        .offset(offset)
    )
    count = (
        select(func.count())
        .select_from(s.outerjoin(lab, lab.c.order_id == s.c.order_id))
        .where(undecided)
    )
    with db.engine.connect() as conn:
        return [_record(r) for r in conn.execute(query)], int(conn.execute(count).scalar_one())


def top_risky(db: Database, limit: int = 20) -> list[RiskRecord]:
    with db.engine.connect() as conn:
        query = _with_decision().order_by(t.risk_scores.c.score.desc()).limit(limit)
        return [_record(r) for r in conn.execute(query)]


def action_counts(db: Database) -> dict[str, int]:
    s = t.risk_scores
    with db.engine.connect() as conn:
        rows = conn.execute(select(s.c.action, func.count()).group_by(s.c.action)).all()
    return Counter({str(a): int(n) for a, n in rows})


def scored_values(db: Database) -> list[tuple[str, datetime, dict[str, float | str]]]:
    """(order, placed_at, what rules read) for every scored order: for dry runs and charts."""
    s = t.risk_scores
    query = select(s.c.order_id, s.c.placed_at, s.c.score, s.c.country, s.c.features)
    with db.engine.connect() as conn:
        return [
            (r.order_id, r.placed_at,
             {**(r.features or {}), "score": float(r.score), "country": r.country})
            for r in conn.execute(query.order_by(s.c.placed_at))
        ]  # fmt: skip


def save_label(db: Database, order_id: str, decision: str, note: str = "") -> RiskLabel:
    """A seller's decision on an order (approve = 0, block = 1); a new decision replaces one."""
    if decision not in DECISIONS:
        raise InvalidInput("decision must be approve or block", field="decision")
    # control characters and escape sequences were stored as they came (an attack)
    check_text(note, "note", 2000)
    label = RiskLabel(order_id, DECISIONS[decision], decision, note, _now())
    with db.engine.begin() as conn:
        # in the transaction that writes: a cancellation was labelled, where it is never
        # scored (an attack)
        _check_sale(conn, order_id, "decided", "order_id")
        conn.execute(delete(t.risk_labels).where(t.risk_labels.c.order_id == order_id))
        conn.execute(insert(t.risk_labels).values(**label.__dict__))
    return label


def label_map(db: Database) -> dict[str, int]:
    """order id -> 1 (blocked) or 0 (approved): what `borderless risk train` learns from."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(t.risk_labels.c.order_id, t.risk_labels.c.label))
        return {r.order_id: int(r.label) for r in rows}


def save_rules(db: Database, text: str, note: str = "") -> RuleVersion:
    """A new version of the rules (parse them first: storage keeps whatever it is given); the
    same text and note as the newest version are that version (saving twice made two: an
    attack)."""
    check_text(note, "note", 200)  # it was cut at 200 characters unsaid
    with db.writing("risk_rules") as conn:
        newest = _newest_rules(conn)
        if newest is not None and (newest.text, newest.note) == (text, note):
            return newest
        version = RuleVersion((newest.version if newest else 0) + 1, text, note, _now())
        conn.execute(insert(t.risk_rules).values(**version.__dict__))
    return version


def current_rules(db: Database) -> RuleVersion | None:
    with db.engine.connect() as conn:
        return _newest_rules(conn)


def _newest_rules(conn: Connection) -> RuleVersion | None:
    row = conn.execute(
        select(t.risk_rules).order_by(t.risk_rules.c.version.desc()).limit(1)
    ).first()
    return RuleVersion(**row._mapping) if row is not None else None


def rule_versions(db: Database, limit: int = 50) -> list[RuleVersion]:
    with db.engine.connect() as conn:
        rows: Iterable[Any] = conn.execute(
            select(t.risk_rules).order_by(t.risk_rules.c.version.desc()).limit(limit)
        )
        return [RuleVersion(**r._mapping) for r in rows]


class RiskDesk:
    """Scoring, rules and review for one shop: the CLI and the API do the same through this."""

    def __init__(self, db: Database, risk: ShopRisk) -> None:
        self.db = db
        self.risk = risk

    def rules(self) -> tuple[RuleVersion | None, RuleSet]:
        """The seller's newest rules, or the defaults (version None) before any were saved."""
        saved = current_rules(self.db)
        return saved, parse_rules(saved.text if saved else DEFAULT_RULES, FEATURE_NAMES)

    def set_rules(self, text: str, note: str = "") -> RuleVersion:
        """Parse, then store as a new version; a rule that does not parse, or a text with no
        rule at all (screening silently off), stores nothing."""
        parse_rules(text, FEATURE_NAMES, at_least_one=True, new=True)
        return save_rules(self.db, text, note)

    def dry_run(self, text: str) -> dict[str, Any]:
        """What `text` would do to every scored order: hits per rule and orders per action. A
        text with no rule is refused as a save refuses it (the dry run answered 200 with no
        rules where the save said "no rule given": an attack)."""
        rules = parse_rules(text, FEATURE_NAMES, at_least_one=True, new=True)
        band = self._band()
        values = [v | band for _, _, v in scored_values(self.db)]
        if not values:
            raise InvalidInput("no order is scored yet: run `borderless risk score`", field="rules")
        actions = Counter(rules.decide(v)[0] for v in values)
        return {"orders": len(values), "rules": rules.dry_run(values),
                "actions": {a: actions.get(a, 0) for a in ACTIONS}}  # fmt: skip

    def hits_by_month(self) -> tuple[list[str], dict[str, list[int]]]:
        """Orders each current rule decides, per month of the orders' dates (every month from
        the first to the last, a month without orders at 0)."""
        _, rules = self.rules()
        rows = scored_values(self.db)
        band = self._band()
        months = every_month(sorted({placed.strftime("%Y-%m") for _, placed, _ in rows}))
        at = {m: i for i, m in enumerate(months)}
        hits = {f"{r.number}. {r.text}": [0] * len(months) for r in rules.rules}
        labels = list(hits)
        for _, placed, values in rows:
            _, rule = rules.decide(values | band)
            if rule is not None:
                hits[labels[rule.number - 1]][at[placed.strftime("%Y-%m")]] += 1
        return months, hits

    def _band(self) -> dict[str, float | str]:
        """The edges the model in use chose, as rules read them (`review_at`, `block_at`)."""
        try:
            review_at, block_at = self.risk.band()
        except ModelUnavailable:  # pages still show; scoring says what is broken
            review_at, block_at = HAND_BAND
        return {"review_at": review_at, "block_at": block_at}

    def _store(self, assessed: Sequence[Assessment]) -> list[tuple[Action, int | None]]:
        saved, rules = self.rules()
        decisions = []
        for a in assessed:
            action, rule = rules.decide(a.values())
            decisions.append((action, rule.number if rule else None))
        save_assessments(self.db, assessed, decisions, saved.version if saved else None)
        return decisions

    def score_all(self) -> dict[str, Any]:
        """Score every sale, apply the rules, store it all; counts and seconds come back."""
        started = time.perf_counter()
        self.risk.refresh()
        assessed = self.risk.assess_all()
        decisions = self._store(assessed)
        actions = Counter(a for a, _ in decisions)
        return {"orders": len(assessed), "seconds": round(time.perf_counter() - started, 2),
                "source": assessed[0].source if assessed else None,
                "actions": {a: actions.get(a, 0) for a in ACTIONS}}  # fmt: skip

    def order_risk(self, order_id: str) -> RiskRecord:
        """The stored assessment, or a fresh one (stored) when the order was never scored."""
        found = get_risk(self.db, order_id)
        if found is not None:
            return found
        check_sale(self.db, order_id, "scored")
        assessed = self.risk.assess_orders([order_id])
        if not assessed:  # a sale imported after the model was fitted: fit again
            self.risk.refresh()
            assessed = self.risk.assess_orders([order_id])
        self._store(assessed)
        record = get_risk(self.db, order_id)
        assert record is not None
        return record

    def assess_new(self, order: OrderRecord) -> dict[str, Any]:
        """A score, reasons and the rules' action for an order that is not in the shop."""
        (assessed,) = self.risk.assess([order])
        saved, rules = self.rules()
        action, rule = rules.decide(assessed.values())
        return assessed.as_dict() | {
            "action": action,
            "rule": rule.number if rule else None,
            "rule_text": rule.text if rule else None,
            "rules_version": saved.version if saved else None,
        }

    def decide(
        self, order_id: str, decision: str, note: str = "", actor: str = "staff"
    ) -> RiskLabel:
        """A review decision: a label for the next `risk train`, and a correction of task
        `risk` (what `borderless retrain risk` lays over the active version's decisions), made
        by `actor` (the signed-in name or key)."""
        label = save_label(self.db, order_id, decision, note)
        scored = get_risk(self.db, order_id)
        by = scored.source.removeprefix("model ") if scored is not None else None
        version = by if by != "detector" else None
        add_correction(self.db, "risk", order_id, decision, source="risk.review",
                       subject=order_id, model_version=version, actor=actor)  # fmt: skip
        return label

    def train(
        self, target: BandTarget | None = None, validation: dict[str, int] | None = None
    ) -> dict[str, Any]:
        """Train on every decision so far (but those in `validation`, which choose its review
        band against `target`), then score all orders with the new model."""
        card = self.risk.train(label_map(self.db), target, validation)
        return card | {"scored": self.score_all()}


def check_sale(db: Database, order_id: str, doing: str, field: str = "order_id") -> None:
    """NotFound for an order the shop lacks, InvalidInput for one that is no sale (only sales
    are scored, decided, or corrected)."""
    with db.engine.connect() as conn:
        _check_sale(conn, order_id, doing, field)


def _check_sale(conn: Any, order_id: str, doing: str, field: str) -> None:
    kind = conn.execute(select(t.orders.c.kind).where(t.orders.c.id == order_id)).scalar()
    if kind is None:
        raise NotFound(f"no order with id {order_id!r}", field=field)
    if kind != "sale":
        raise InvalidInput(f"order {order_id} is a {kind}; only sales are {doing}", field=field)
