"""Order risk: scores with reasons, new orders to score, decisions, rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page, Timestamp
from borderless.storage.risk import Action, Decision

__all__ = [
    "RiskActionCountsPublic",
    "RiskAssessmentPublic",
    "RiskDecisionCreate",
    "RiskDecisionPublic",
    "RiskDryRunPublic",
    "RiskLineCreate",
    "RiskOrderCreate",
    "RiskPage",
    "RiskPublic",
    "RiskReasonPublic",
    "RiskRuleHitsPublic",
    "RiskRulesPublic",
    "RiskRulesUpdate",
    "RiskScoringPublic",
    "RiskTrainingPublic",
]


class RiskReasonPublic(BaseModel):
    feature: str
    value: float
    weight: float
    text: str


class RiskPublic(BaseModel):
    order_id: str
    score: float = Field(description="model probability, or detector percentile, 0..1")
    source: str
    action: Action
    rule: int | None = Field(description="number of the rule that decided; none: default allow")
    rules_version: int | None
    reasons: list[RiskReasonPublic]
    features: dict[str, float]
    country: str
    customer_id: str | None
    placed_at: Timestamp
    scored_at: Timestamp | None = None
    decision: Decision | None = None


class RiskPage(Page[RiskPublic]):
    """One page of RiskPublic records."""


class RiskLineCreate(Body):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=1_000_000)
    unit_price: float = Field(ge=0, le=1_000_000, allow_inf_nan=False)


class RiskOrderCreate(Body):
    """An order that is not in the shop yet."""

    # white space alone was scored as order "   " (an attack)
    id: str = Field(default="new", min_length=1, max_length=32, pattern=r"\S")
    customer_id: str | None = Field(default=None, min_length=1, max_length=64)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    placed_at: datetime | None = Field(default=None, description="default: now (UTC)")
    lines: list[RiskLineCreate] = Field(min_length=1, max_length=1000)


class RiskAssessmentPublic(BaseModel):
    order_id: str
    score: float
    source: str
    action: Action
    rule: int | None
    rule_text: str | None
    rules_version: int | None
    reasons: list[RiskReasonPublic]
    features: dict[str, float]


class RiskDecisionCreate(Body):
    order_id: str = Field(min_length=1, max_length=32)
    decision: Decision
    note: str = Field(default="", max_length=2000)


class RiskDecisionPublic(BaseModel):
    order_id: str
    decision: Decision
    label: int
    note: str
    decided_at: Timestamp


class RiskRulesUpdate(Body):
    text: str = Field(max_length=50_000)
    note: str = Field(default="", max_length=200)


class RiskRulesPublic(BaseModel):
    version: int | None = Field(description="none while the defaults are in force")
    text: str
    note: str = ""
    created_at: Timestamp | None = None


class RiskActionCountsPublic(BaseModel):
    """Orders per action."""

    allow: int
    review: int
    block: int


class RiskRuleHitsPublic(BaseModel):
    rule: int
    line: int
    action: Action
    text: str
    hits: int = Field(description="orders the rule's condition holds for")
    decides: int = Field(description="orders it decides (no earlier rule matched)")


class RiskDryRunPublic(BaseModel):
    """What rules would do to every scored order; nothing is saved."""

    orders: int
    rules: list[RiskRuleHitsPublic]
    actions: RiskActionCountsPublic


class RiskScoringPublic(BaseModel):
    """A scoring of every sale: how many, how long, by what, and the actions taken."""

    orders: int
    seconds: float
    source: str | None = Field(description="model or detector that scored; null: no sale")
    actions: RiskActionCountsPublic


class RiskTrainingPublic(BaseModel):
    """The new model's card, and the scoring of every sale with it."""

    version: int
    trained_at: str
    labels: int
    blocked: int
    approved: int
    inner_auprc: float
    params: dict[str, Any]
    scored: RiskScoringPublic
