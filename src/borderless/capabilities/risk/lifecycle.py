"""Order risk in the model lifecycle (borderless.capabilities.lifecycle.loop): a version is one
file `v<N>.json` beside the review decisions it learnt from (`v<N>.decisions.csv`), its review
band chosen inside (the registry keeps the edges, the target and the validation result); it is
evaluated by AUPRC on a file of decided orders, and retrained from such a file with staff
corrections (order id, approve or block) laid over it."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from borderless.capabilities.lifecycle.data import fingerprint
from borderless.capabilities.lifecycle.loop import Trained
from borderless.capabilities.risk.model import RiskModel
from borderless.capabilities.risk.shop import ShopRisk, read_risk_version
from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["RiskTask", "read_decisions", "trained_risk", "version_number"]

DECISIONS = {"block": 1, "approve": 0, "1": 1, "0": 0}


def version_number(path: Path) -> int:
    """5 for `.../v5.json`; InvalidInput for a path that is not a risk version."""
    stem = path.name.removesuffix(".json")
    if path.suffix != ".json" or not stem.startswith("v") or not stem[1:].isdigit():
        raise InvalidInput(f"{path} is not a risk model version (v<N>.json)", field="version")
    return int(stem[1:])


def _decision(value: str, where: str) -> int:
    found = DECISIONS.get(value.strip().lower())
    if found is None:
        raise InvalidInput(f"{where}: decision {value.strip()[:20]!r} is not approve or block",
                           field="decision")  # fmt: skip
    return found


def read_decisions(path: Path) -> dict[str, int]:
    """order id -> 1 (block) or 0 (approve) from a CSV with columns order_id,decision."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc})", field="path") from exc
    if rows and not {"order_id", "decision"} <= set(rows[0]):
        raise InvalidInput(f"{path}: needs the columns order_id,decision", field="path")
    return {
        r["order_id"].strip(): _decision(r["decision"] or "", f"{path} line {n}")
        for n, r in enumerate(rows, start=2)
        if (r["order_id"] or "").strip()
    }


def trained_risk(card: dict[str, Any], path: Path) -> Trained:
    """A saved risk version as the registry keeps it: inner-fold AUPRC until a held-out file of
    decisions scores it; the decisions file is its training data."""
    decisions = path.with_suffix(".decisions.csv")
    data = fingerprint(decisions) if decisions.is_file() else {"file": "risk_labels"}
    data |= {"rows": card["labels"], "blocked": card["blocked"], "approved": card["approved"]}
    metrics: dict[str, Any] = {"inner_auprc": card["inner_auprc"], "labels": card["labels"]}
    parameters = {k: str(v) for k, v in card.get("params", {}).items()}
    point = card.get("operating_point")
    if point:  # the band chosen for this version: its edges, target and validation result
        chosen = point["chosen"]
        shown = ("review_rate", "caught", "false_blocks")
        metrics |= {f"validation_{k}": chosen[k] for k in shown if chosen.get(k) is not None}
        parameters |= {"review_at": str(chosen["review_at"]), "block_at": str(chosen["block_at"]),
                       "operating_target": point["target_text"],
                       "band_chosen_on": point.get("chosen_on", "")}  # fmt: skip
    return Trained(f"v{card['version']}", path, metrics, parameters, data)


class RiskTask:
    name = "risk"
    metric = "auprc"

    def __init__(self, shop: Callable[[], ShopRisk]) -> None:
        self._shop = shop

    def load(self, folder: Path) -> RiskModel:
        version_number(folder)
        return read_risk_version(folder)

    def evaluate(self, model: Any, examples: Path) -> dict[str, Any]:
        """AUPRC (and AUROC) on decided orders of this shop; orders it does not know are
        listed, not scored."""
        labels = read_decisions(examples)
        state = self._shop().state()
        known = [(o, v) for o, v in labels.items() if o in state.index]
        y = np.array([v for _, v in known], dtype=np.float64)
        if len(set(y.tolist())) < 2:
            raise InvalidInput(f"{examples}: the held-out orders need both approved and "
                               "blocked ones this shop has", field="holdout")  # fmt: skip
        scores = model.predict_proba(state.X[[state.index[o] for o, _ in known]])
        metrics = require("sklearn.metrics", "risk", feature="order-risk evaluation")
        return {
            "auprc": round(float(metrics.average_precision_score(y, scores)), 4),
            "auroc": round(float(metrics.roc_auc_score(y, scores)), 4),
            "n": len(known),
            "blocked": int(y.sum()),
            "unknown_orders": sorted(set(labels) - set(state.index))[:20],
        }

    def check_label(self, label: str, active: Path | None) -> str:
        """approve or block, in any case ("BLOCK", 1 and 0 too), stored as the lower word."""
        found = DECISIONS.get(label.strip().lower())
        if found is None:
            raise InvalidInput(f"a risk correction is approve or block, not {label.strip()[:40]!r}",
                               field="label")  # fmt: skip
        return "block" if found else "approve"

    def retrain(self, base: Path, corrections: Sequence[tuple[str, str]]) -> Trained:
        """A challenger from the decisions in `base` with corrections (a later decision on the
        same order wins); saved, not put in use."""
        labels = read_decisions(base)
        for order, decision in corrections:
            labels[order.strip()] = _decision(decision, f"correction of order {order}")
        shop = self._shop()
        card, _ = shop.fit_version(labels)
        return trained_risk(card, shop.path(card["version"]))

    def activated(self, folder: Path) -> None:
        self._shop().use(version_number(folder), self.load(folder))
