"""Order risk for one shop: features from its orders, a score with reasons for each sale.

Until the seller has labelled orders (approve / block in the review queue), scores come from
the unsupervised detector; `train` fits the calibrated LightGBM model on those labels and saves
it as a new version, and from then on scores are its probabilities. Scores come from the
version in use (`use`, the model registry's active one), else the newest saved. Each version
carries its review band (band.py), chosen on decisions it did not learn from; rules read its
edges as `review_at` and `block_at`.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.capabilities.risk.band import HAND_BAND, BandTarget, choose_band
from borderless.capabilities.risk.detector import OrderAnomalyDetector
from borderless.capabilities.risk.features import FEATURE_NAMES, OrderFeatures, OrderRecord
from borderless.capabilities.risk.model import RiskModel
from borderless.capabilities.risk.reasons import Reason, top_reasons
from borderless.errors import InvalidInput, ModelUnavailable

__all__ = ["Assessment", "ShopRisk", "model_band", "read_risk_version"]

MIN_LABELS = 3  # of each decision, so the inner folds see both
# how far above chance (the share blocked) a new model's out-of-fold AUPRC must be to be saved
CHANCE_MARGIN = 0.05


@dataclass(frozen=True)
class Assessment:
    order_id: str
    score: float
    source: str  # "detector" or "model v<N>"
    reasons: tuple[Reason, ...]
    features: dict[str, float]
    country: str
    placed_at: datetime
    customer_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    band: tuple[float, float] = HAND_BAND  # review_at, block_at of the version that scored it

    def values(self) -> dict[str, float | str]:
        """What rules read: every feature, `score`, `country`, `review_at` and `block_at`."""
        review_at, block_at = self.band
        return {**self.features, "score": self.score, "country": self.country,
                "review_at": review_at, "block_at": block_at}  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "score": round(self.score, 4),
            "source": self.source,
            "reasons": [r.as_dict() for r in self.reasons],
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "country": self.country,
            "placed_at": self.placed_at.isoformat(),
            "customer_id": self.customer_id,
        }


@dataclass
class _State:
    orders: list[OrderRecord]  # sales, in load order
    index: dict[str, int]
    features: OrderFeatures
    X: npt.NDArray[np.float64]
    detector: OrderAnomalyDetector
    typical: dict[str, float]


def read_risk_version(path: Path) -> RiskModel:
    """The model saved in `path` (`v<N>.json`); InvalidInput when it is missing or corrupted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = RiskModel.from_dict(data["model"])
        model.operating_point_ = data["card"].get("operating_point")
        return model
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            f"{path}: the risk model file is missing or corrupted ({type(exc).__name__}: {exc})",
            field="model",
        ) from exc
    except Exception as exc:  # LightGBM refuses a damaged booster with its own error type
        if type(exc).__name__ != "LightGBMError":
            raise
        raise InvalidInput(f"{path}: the risk model's trees are corrupted ({exc})",
                           field="model") from exc  # fmt: skip


class ShopRisk:
    """Scores a shop's orders; fitted lazily on first use from `load_orders()`.

    `on_trained(card, path)` is told of every version `train` saves (the model registry)."""

    def __init__(
        self,
        load_orders: Callable[[], Sequence[OrderRecord]],
        model_dir: Path,
        detector_method: str = "blend",
        on_trained: Callable[[dict[str, Any], Path], None] | None = None,
    ) -> None:
        self.load_orders = load_orders
        self.model_dir = model_dir
        self.detector_method = detector_method
        self.on_trained = on_trained
        self.pinned: int | None = None  # the version in use; None: the newest saved
        self._state: _State | None = None
        self._model: tuple[int, RiskModel] | None = None
        self._lock = threading.Lock()

    # -- fitting --------------------------------------------------------------------------------

    def state(self) -> _State:
        with self._lock:
            if self._state is None:
                self._state = self._fit()
            return self._state

    def refresh(self) -> None:
        """Forget what was fitted (after new orders arrive); the next call refits. The model in
        use stays loaded: it does not depend on the orders."""
        with self._lock:
            self._state = None

    def _fit(self) -> _State:
        everything = list(self.load_orders())
        sales = [o for o in everything if o.kind == "sale"]
        if len(sales) < 2:
            raise InvalidInput("order risk needs at least 2 sales in the shop", field="orders")
        features = OrderFeatures().fit(everything)
        X = features.transform(sales)
        detector = OrderAnomalyDetector(self.detector_method).fit(X)
        medians = np.median(X, axis=0)
        typical = {name: float(v) for name, v in zip(FEATURE_NAMES, medians, strict=True)}
        index = {o.id: i for i, o in enumerate(sales)}
        return _State(sales, index, features, X, detector, typical)

    # -- the supervised model -------------------------------------------------------------------

    def versions(self, pattern: str = "v*.json") -> list[int]:
        if not self.model_dir.is_dir():
            return []
        found = []
        for path in self.model_dir.glob(pattern):
            try:
                found.append(int(path.name.split(".")[0][1:]))
            except ValueError:
                continue
        return sorted(found)

    def path(self, version: int) -> Path:
        return self.model_dir / f"v{version}.json"

    def serving(self) -> int | None:
        """The version scores come from: the one in use, else the newest saved."""
        if self.pinned is not None:
            return self.pinned
        versions = self.versions()
        return versions[-1] if versions else None

    def use(self, version: int, model: RiskModel | None = None) -> None:
        """Score with `version` from now on (read from its file unless `model` is given); a
        file that does not load raises InvalidInput and the version in use stays."""
        model = model if model is not None else read_risk_version(self.path(version))
        with self._lock:
            self.pinned, self._model = version, (version, model)

    def model(self) -> tuple[int, RiskModel] | None:
        """The model in use and its version, or None while there is none."""
        version = self.serving()
        if version is None:
            return None
        loaded = self._model
        if loaded is None or loaded[0] != version:
            try:
                loaded = (version, read_risk_version(self.path(version)))
            except InvalidInput as exc:
                raise ModelUnavailable(exc.message) from exc
            self._model = loaded
        return loaded

    def band(self) -> tuple[float, float]:
        """(review_at, block_at) of the version in use; the hand band without one."""
        found = self.model()
        return model_band(found[1]) if found is not None else HAND_BAND

    def target(self) -> BandTarget:
        """The band target of the version in use, else the default one."""
        try:
            found = self.model()
        except ModelUnavailable:  # a broken version in use must not stop a new one
            found = None
        point = found[1].operating_point_ if found is not None else None
        return BandTarget.from_dict(point["target"]) if point else BandTarget()

    def card(self) -> dict[str, Any] | None:
        version = self.serving()
        if version is None:
            return None
        data = json.loads(self.path(version).read_text(encoding="utf-8"))
        card: dict[str, Any] = data["card"]
        return card

    def train(
        self,
        labels: Mapping[str, int],
        target: BandTarget | None = None,
        validation: Mapping[str, int] | None = None,
    ) -> dict[str, Any]:
        """Fit the calibrated model on labelled orders (1 = block, 0 = approve), save it as a
        new version and score with it; `on_trained` is told."""
        card, model = self.fit_version(labels, target, validation)
        self.use(card["version"], model)
        if self.on_trained is not None:
            self.on_trained(card, self.path(card["version"]))
        return card

    def fit_version(
        self,
        labels: Mapping[str, int],
        target: BandTarget | None = None,
        validation: Mapping[str, int] | None = None,
    ) -> tuple[dict[str, Any], RiskModel]:
        """Fit and save a new version (and the decisions it learnt from, `v<N>.decisions.csv`)
        without putting it in use: a challenger. Its review band is chosen against `target`
        (default: the version in use's) on `validation` decisions, which it does not learn
        from, or else on the inner folds' out-of-fold scores of its own decisions."""
        target = target if target is not None else self.target()
        state = self.state()
        held = {o: int(v) for o, v in (validation or {}).items() if o in state.index}
        if validation is not None and len(set(held.values())) < 2:
            raise InvalidInput("the validation decisions need approved and blocked orders of "
                               "this shop", field="validation")  # fmt: skip
        labels = {o: v for o, v in labels.items() if o not in held}
        known = [(state.index[o], int(v)) for o, v in labels.items() if o in state.index]
        rows = np.array([i for i, _ in known], dtype=np.int64)
        y = np.array([v for _, v in known], dtype=np.float64)
        fewest = int(min((y == 0).sum(), (y == 1).sum()))
        if fewest < MIN_LABELS:
            raise InvalidInput(
                f"training needs at least {MIN_LABELS} approved and {MIN_LABELS} blocked orders; "
                f"there are {int((y == 0).sum())} approved and {int((y == 1).sum())} blocked",
                field="labels",
            )
        model = RiskModel(inner_folds=min(3, fewest)).fit(state.X[rows], y, FEATURE_NAMES)
        population = model.predict_proba(state.X)
        _check_learnt(model, y, population)
        if held:
            at = [state.index[o] for o in held]
            scores, truth = model.predict_proba(state.X[at]), list(held.values())
        else:
            scores, truth = model.oof_proba_, y.tolist()
        point = choose_band(scores, truth, target, population=population)
        point["chosen_on"] = "validation decisions" if held else "out-of-fold decisions"
        model.operating_point_ = point
        version = max(self.versions("v*.*") or [0]) + 1  # a number whose model is gone too
        card = {
            "version": version,
            "trained_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "labels": len(y),
            "blocked": int(y.sum()),
            "approved": int(len(y) - y.sum()),
            "inner_auprc": round(model.inner_auprc_, 4),
            "params": model.params_,
            "operating_point": point,
        }
        self.model_dir.mkdir(parents=True, exist_ok=True)
        path = self.path(version)
        with open(path.with_suffix(".decisions.csv"), "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(["order_id", "decision"])
            out.writerows(
                (o, "block" if v else "approve")
                for o, v in sorted(labels.items())
                if o in state.index
            )
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"card": card, "model": model.to_dict()}), encoding="utf-8")
        tmp.replace(path)  # a reader never sees half a model
        return card, model

    # -- scoring --------------------------------------------------------------------------------

    def assess_all(self) -> list[Assessment]:
        """Every sale of the shop, scored from what happened before it."""
        state = self.state()
        return self._assess(state, state.orders, state.X)

    def assess_orders(self, order_ids: Sequence[str]) -> list[Assessment]:
        state = self.state()
        rows = [state.index[o] for o in order_ids if o in state.index]
        return self._assess(state, [state.orders[i] for i in rows], state.X[rows])

    def assess(self, orders: Sequence[OrderRecord]) -> list[Assessment]:
        """Orders that are not (yet) in the shop, e.g. a new order sent to the API."""
        state = self.state()
        return self._assess(state, orders, state.features.transform(orders))

    def _assess(
        self, state: _State, orders: Sequence[OrderRecord], X: npt.NDArray[np.float64]
    ) -> list[Assessment]:
        if not len(orders):
            return []
        found = self.model()
        band = HAND_BAND
        if found is not None:
            version, model = found
            scores = model.predict_proba(X)
            weights = model.contributions(X)[:, :-1]
            source = f"model v{version}"
            band = model_band(model)
        else:
            scores = state.detector.score(X)
            weights = state.detector.contributions(X)
            source = "detector"
        out = []
        for order, row, score, weight in zip(orders, X, scores, weights, strict=True):
            reasons = top_reasons(FEATURE_NAMES, row.tolist(), weight.tolist(), state.typical)
            out.append(
                Assessment(
                    order.id, float(score), source, tuple(reasons),
                    {n: float(v) for n, v in zip(FEATURE_NAMES, row, strict=True)},
                    order.country, order.placed_at, order.customer_id, band=band,
                )
            )  # fmt: skip
        return out


def _check_learnt(
    model: RiskModel, y: npt.NDArray[np.float64], population: npt.NDArray[np.float64]
) -> None:
    """InvalidInput for a model that learnt nothing: one that ranks the decisions it did not
    learn from no better than chance (their AUPRC within CHANCE_MARGIN of the share blocked),
    or gives every order the same score. Six decisions had made a model that scored every
    order 0.5 and was put in use at once, the queue then in date order (a walk)."""
    chance = float(y.mean())
    flat = float(np.ptp(population)) < 1e-9
    if flat or model.inner_auprc_ < chance + CHANCE_MARGIN:
        same = "; it gives every order the same score" if flat else ""
        raise InvalidInput(
            f"a model trained on these {len(y)} decisions tells blocked orders from approved "
            f"ones no better than chance (AUPRC {model.inner_auprc_:.2f} on the decisions it "
            f"did not learn from, {chance:.2f} by chance){same}; it is not used and the scores "
            "stay as they are. Decide more orders first (a few dozen of each kind)",
            field="labels",
        )


def model_band(model: RiskModel) -> tuple[float, float]:
    """(review_at, block_at) chosen for a version; the hand band for one without (older)."""
    point = model.operating_point_
    if not point:
        return HAND_BAND
    return float(point["chosen"]["review_at"]), float(point["chosen"]["block_at"])
