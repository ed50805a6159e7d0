"""Champion/challenger: a new version replaces the active one only when it is better on the
same held-out examples by at least a margin the seller sets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from borderless.errors import InvalidInput

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True)
class Comparison:
    metric: str
    champion: str | None
    challenger: str
    champion_score: float | None
    challenger_score: float
    margin: float
    promote: bool
    reason: str

    @property
    def decision(self) -> str:
        return "promoted" if self.promote else "kept"


def _score(metrics: Mapping[str, Any], metric: str, who: str) -> float:
    value = metrics.get(metric)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidInput(f"the {who} has no numeric {metric!r} to compare", field="metric")
    return float(value)


def compare(
    metric: str,
    challenger: str,
    challenger_metrics: Mapping[str, Any],
    champion: str | None = None,
    champion_metrics: Mapping[str, Any] | None = None,
    margin: float = 0.0,
) -> Comparison:
    """Promote when there is no champion, or when the challenger's `metric` (higher is better)
    beats the champion's by at least `margin` (absolute: 0.01 = one point of accuracy); a
    tie keeps the champion."""
    if not 0.0 <= margin < 1.0:
        raise InvalidInput("the margin must lie in [0, 1)", field="margin")
    new = _score(challenger_metrics, metric, "challenger")
    if champion is None or champion_metrics is None:
        return Comparison(metric, None, challenger, None, new, margin, True, "no active version")
    old = _score(champion_metrics, metric, "champion")
    gain = new - old
    better = gain > 0 and gain >= margin - 1e-12  # a tie keeps the champion
    reason = (
        f"{metric} {new:.4f} vs {old:.4f} ({gain:+.4f}); "
        f"{'at least' if better else 'less than'} the margin {margin:.4f}"
    )
    return Comparison(metric, champion, challenger, old, new, margin, better, reason)
