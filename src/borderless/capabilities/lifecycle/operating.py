"""Operating points chosen, not guessed: a reject threshold picked on a validation set against a
target the seller can read ("keep in-scope accuracy within 1 point of rejecting nothing"), with
the whole trade-off curve kept beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from borderless.errors import InvalidInput

__all__ = ["OperatingPoint", "choose_threshold", "describe_target", "point_at", "tradeoff_curve"]


@dataclass(frozen=True)
class OperatingPoint:
    threshold: float
    in_scope_accuracy: float  # right answers among in-scope messages (a rejection is wrong)
    oos_recall: float | None  # out-of-scope messages rejected (None without any)
    in_scope_rejected: float  # share of in-scope messages rejected

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def point_at(
    threshold: float,
    confidences: Sequence[float],
    top: Sequence[str],
    truth: Sequence[str],
    out_of_scope: str = "oos",
) -> OperatingPoint:
    """Both sides at one threshold; `top` is the model's first label (it may be `oos` itself)
    and a message is rejected when that is `oos` or its confidence is below the threshold."""
    if not (len(confidences) == len(top) == len(truth)) or not truth:
        raise InvalidInput("a trade-off curve needs one prediction per labelled message",
                           field="validation")  # fmt: skip
    in_scope = [i for i, t in enumerate(truth) if t != out_of_scope]
    oos = [i for i, t in enumerate(truth) if t == out_of_scope]
    if not in_scope:
        raise InvalidInput("the validation file has no in-scope messages", field="validation")
    kept = [c >= threshold and label != out_of_scope for c, label in zip(confidences, top,
                                                                         strict=True)]  # fmt: skip
    right = sum(kept[i] and top[i] == truth[i] for i in in_scope) / len(in_scope)
    rejected = sum(not kept[i] for i in in_scope) / len(in_scope)
    recall = sum(not kept[i] for i in oos) / len(oos) if oos else None
    caught = None if recall is None else round(recall, 4)
    return OperatingPoint(round(threshold, 4), round(right, 4), caught, round(rejected, 4))


def tradeoff_curve(
    confidences: Sequence[float],
    top: Sequence[str],
    truth: Sequence[str],
    out_of_scope: str = "oos",
    steps: int = 50,
) -> list[OperatingPoint]:
    """`point_at` thresholds 0, 1/steps, 2/steps, ... below 1."""
    return [point_at(k / steps, confidences, top, truth, out_of_scope) for k in range(steps)]


def choose_threshold(curve: Sequence[OperatingPoint], max_accuracy_loss: float) -> OperatingPoint:
    """The point that rejects the most out-of-scope messages while in-scope accuracy stays within
    `max_accuracy_loss` (0.01 = one point) of rejecting nothing; the lowest such threshold."""
    if not 0.0 <= max_accuracy_loss < 1.0:
        raise InvalidInput("the accuracy loss must lie in [0, 1)", field="max_accuracy_loss")
    floor = curve[0].in_scope_accuracy - max_accuracy_loss - 1e-9
    allowed = [p for p in curve if p.in_scope_accuracy >= floor]
    return max(allowed, key=lambda p: ((p.oos_recall or 0.0), -p.threshold))


def describe_target(max_accuracy_loss: float) -> str:
    points = round(100 * max_accuracy_loss, 2)
    unit = "point" if points == 1 else "points"
    return f"keep in-scope accuracy within {points:g} {unit} of rejecting nothing"
