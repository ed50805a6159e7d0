"""One forecaster for many series: each series gets the model that won its rolling-origin backtest.

`fit` splits the series by kind (Syntetos-Boylan: a mean interval between sales above 1.32
periods is intermittent) and season (a full seasonal model needs two seasons of history), runs
every candidate over `n_windows` rolling origins of `h` periods each, and keeps per series the
candidate with the lowest absolute error. `predict` then runs only the chosen model per series,
which is where the time goes on thousands of series. Intervals and quantiles are normal around
the forecast with the chosen model's backtest RMSE per period, so they are honest about the
model's real errors rather than its own assumptions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from borderless.capabilities.forecast.candidates import (
    COMBOS,
    lightgbm_forecasts,
    min_lightgbm_history,
    stat_models,
)
from borderless.capabilities.forecast.holiday_calendar import checked_holidays
from borderless.capabilities.forecast.series import Frequency
from borderless.errors import InvalidInput
from borderless.optional import require

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Forecaster", "classify"]

INTERMITTENT_ADI = 1.32
FALLBACK = "mean"  # for series too short to backtest


def _pd() -> Any:
    return require("pandas", "forecast", feature="demand forecasting")


def classify(df: pd.DataFrame) -> dict[str, str]:
    """ "smooth" or "intermittent" per series, from the mean interval between non-zero periods."""
    kinds: dict[str, str] = {}
    for uid, y in df.groupby("unique_id")["y"]:
        nonzero = int((y > 0).sum())
        adi = len(y) / nonzero if nonzero else float("inf")
        kinds[str(uid)] = "intermittent" if adi > INTERMITTENT_ADI else "smooth"
    return kinds


def _long(frame: pd.DataFrame, models: Sequence[str]) -> pd.DataFrame:
    keep = [c for c in ("unique_id", "ds", "cutoff", "y") if c in frame.columns]
    out = frame.melt(id_vars=keep, value_vars=list(models), var_name="model", value_name="yhat")
    return out


class Forecaster:
    """Per-series model choice by rolling-origin backtest (scikit-learn style: `fit` sets `*_`).

    `selection="per_kind"` (default) keeps one winner per kind of series (smooth,
    intermittent), chosen on the summed error of the `sample` series of that kind with the most
    units; the other series are then backtested with that winner only, for their intervals.
    "per_series" keeps each series' own winner. `lightgbm` adds the global model as a
    candidate for series with enough history. `holidays` gives it public-holiday features:
    "auto" (the market in each `SKU@CC` or `CC` id), a market code for ids that name none (the
    shop's home market), or None for none.
    """

    def __init__(
        self,
        *,
        n_windows: int = 2,
        levels: Sequence[int] = (80, 95),
        lightgbm: bool = True,
        arima: bool = False,
        selection: str = "per_kind",
        sample: int = 500,
        n_jobs: int = 1,
        holidays: str | None = "auto",
    ) -> None:
        self.holidays = checked_holidays(holidays)
        self.n_windows = n_windows
        self.levels = tuple(levels)
        self.lightgbm = lightgbm
        self.arima = arima
        self.selection = selection
        self.sample = sample
        self.n_jobs = n_jobs

    def _groups(
        self, df: pd.DataFrame, freq: Frequency, h: int
    ) -> dict[tuple[str, int], list[str]]:
        sizes = df.groupby("unique_id").size()
        groups: dict[tuple[str, int], list[str]] = {}
        for uid, kind in self.kinds_.items():
            usable = int(sizes[uid]) - self.n_windows * h
            if usable < 3:
                continue
            season = freq.season_length if usable >= 2 * freq.season_length else 1
            groups.setdefault((kind, season), []).append(uid)
        return groups

    def _run(self, df: pd.DataFrame, kind: str, season: int, names: Sequence[str], h: int,
             windows: int) -> pd.DataFrame:  # fmt: skip
        sf = require("statsforecast", "forecast", feature="demand forecasting")
        models = stat_models(kind, season, arima=self.arima)
        needed = {m for n in names for m in (COMBOS[kind] if n == "combo" else (n,))}
        picked = [models[n] for n in models if n in needed]
        fallback = stat_models(kind, 1)["mean"]
        fallback.alias = "fallback"
        engine = sf.StatsForecast(models=picked, freq=self.freq_.alias, n_jobs=self.n_jobs,
                                  fallback_model=fallback)  # fmt: skip
        if windows:
            out = engine.cross_validation(h=h, df=df, n_windows=windows, step_size=h)
        else:
            out = engine.forecast(h=h, df=df)
        out = out.reset_index() if "unique_id" not in out.columns else out
        if "combo" in names:
            out["combo"] = out[list(COMBOS[kind])].mean(axis=1)
        return _long(out, [n for n in names if n in out.columns or n == "combo"])

    def _sample(self, df: pd.DataFrame) -> set[str]:
        """The series the choice is made on: all of them, or per kind the `sample` with the
        most units (WAPE weighs by volume, so they decide it anyway)."""
        grouped = [u for ids in self.groups_.values() for u in ids]
        if self.selection == "per_series" or not self.sample:
            return set(grouped)
        volume = df.groupby("unique_id")["y"].sum()
        picked: set[str] = set()
        for kind in ("smooth", "intermittent"):
            ids = [u for u in grouped if self.kinds_[u] == kind]
            picked |= set(volume[ids].sort_values(ascending=False).index[: self.sample])
        return picked

    def _backtest(self, df: pd.DataFrame, h: int, ids: set[str],
                  only: dict[str, str] | None = None) -> list[pd.DataFrame]:  # fmt: skip
        """Rolling-origin forecasts of `ids`: every candidate, or `only` the kind's model."""
        parts = []
        for (kind, season), members in self.groups_.items():
            chosen = [u for u in members if u in ids]
            if not chosen:
                continue
            names = [*stat_models(kind, season, arima=self.arima), "combo"]
            if only is not None:
                names = [only[kind]] if only[kind] != "lightgbm" else []
            if names:
                sub = df[df["unique_id"].isin(chosen)]
                parts.append(self._run(sub, kind, season, names, h, self.n_windows))
        wants_lightgbm = only is None or "lightgbm" in only.values()
        eligible = [u for u in self.lightgbm_ids_ if u in ids]
        if wants_lightgbm and eligible:
            sub = df[df["unique_id"].isin(eligible)]
            cv = lightgbm_forecasts(sub, h, self.freq_.alias, self.freq_.name,
                                    n_windows=self.n_windows, threads=self.n_jobs,
                                    holidays=self.holidays)  # fmt: skip
            parts.append(_long(cv, ["lightgbm"]))
        return parts

    def fit(self, df: pd.DataFrame, freq: Frequency, h: int) -> Forecaster:
        """Backtest the candidates on `df` (checked long format) for horizon `h`; choose."""
        pd = _pd()
        if h < 1:
            raise InvalidInput("the horizon must be at least 1 period", field="horizon")
        if self.selection not in {"per_series", "per_kind"}:
            raise InvalidInput("selection is per_series or per_kind", field="selection")
        self.freq_, self.h_, self.history_ = freq, h, df
        self.kinds_ = classify(df)
        self.groups_ = self._groups(df, freq, h)
        sizes = df.groupby("unique_id").size()
        self.lightgbm_ids_: list[str] = []
        if self.lightgbm:
            need = min_lightgbm_history(freq.name, int(sizes.max())) + self.n_windows * h
            self.lightgbm_ids_ = [str(u) for u in sizes[sizes >= need].index]
        sample = self._sample(df)
        columns = ["unique_id", "ds", "cutoff", "y", "model", "yhat"]
        parts = self._backtest(df, h, sample)
        cv = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        cv["error"] = cv["y"] - cv["yhat"]
        total = cv.assign(abs_error=cv["error"].abs()).groupby(["unique_id", "model"])[
            "abs_error"].sum().unstack("model")  # fmt: skip
        self.scores_ = total
        choice: dict[str, str] = {}
        if self.selection == "per_kind":
            best: dict[str, str] = {}
            second: dict[str, str] = {}
            for kind in ("smooth", "intermittent"):
                ids = [u for u in total.index if self.kinds_[str(u)] == kind]
                if not ids:
                    best[kind] = second[kind] = FALLBACK
                    continue
                ranking = total.loc[ids].dropna(axis=1).sum().sort_values()
                best[kind] = str(ranking.index[0])
                second[kind] = next(str(m) for m in ranking.index if m != "lightgbm")
            grouped = {u for members in self.groups_.values() for u in members}
            can_lgb = set(self.lightgbm_ids_)
            for uid in grouped:
                model = best[self.kinds_[uid]]
                use_second = model == "lightgbm" and uid not in can_lgb
                choice[uid] = second[self.kinds_[uid]] if use_second else model
            rest = grouped - sample
            if rest:  # their errors under the chosen model give their intervals
                others = {u for u in rest if choice[u] != best[self.kinds_[u]]}
                more = self._backtest(df, h, rest, only=best)
                more += self._backtest(df, h, others, only=second)
                if more:
                    extra = pd.concat(more, ignore_index=True)
                    extra["error"] = extra["y"] - extra["yhat"]
                    cv = pd.concat([cv, extra], ignore_index=True)
        else:
            choice = {str(u): str(row.dropna().idxmin()) for u, row in total.iterrows()}
        self.backtest_ = cv
        self.short_ = {u for u in self.kinds_ if u not in choice}
        for uid in self.short_:
            choice[uid] = FALLBACK
        self.choice_ = choice
        chosen = cv[cv["model"] == cv["unique_id"].map(choice)]
        rmse = (chosen["error"] ** 2).groupby(chosen["unique_id"]).mean() ** 0.5
        # Series too short to backtest: the spread of their own history stands in.
        spread = df.groupby("unique_id")["y"].std().fillna(0.0)
        self.sigma_ = {uid: float(rmse.get(uid, spread.get(uid, 0.0))) for uid in self.kinds_}
        return self

    def chosen_counts(self) -> dict[str, int]:
        return dict(Counter(self.choice_.values()).most_common())

    def predict(self, h: int | None = None) -> pd.DataFrame:
        """`unique_id, ds, model, yhat` and `lo_L, hi_L` per level, for the next h periods."""
        pd = _pd()
        h = h or self.h_
        df = self.history_
        parts = []
        season_of = {u: s for (_, s), ids in self.groups_.items() for u in ids}
        by_model: dict[tuple[str, str, int], list[str]] = {}
        for uid, model in self.choice_.items():
            if model == "lightgbm":
                continue
            key = (model, self.kinds_[uid], season_of.get(uid, 1))
            by_model.setdefault(key, []).append(uid)
        for (model, kind, season), ids in by_model.items():
            sub = df[df["unique_id"].isin(ids)]
            parts.append(self._run(sub, kind, season, [model], h, 0))
        lgb_ids = [u for u, m in self.choice_.items() if m == "lightgbm"]
        if lgb_ids:
            sub = df[df["unique_id"].isin(self.lightgbm_ids_)]
            out = lightgbm_forecasts(sub, h, self.freq_.alias, self.freq_.name,
                                     threads=self.n_jobs, holidays=self.holidays,
                                     held_out=self.n_windows * self.h_)  # fmt: skip
            parts.append(_long(out[out["unique_id"].isin(lgb_ids)], ["lightgbm"]))
        result = pd.concat(parts, ignore_index=True)
        result["yhat"] = result["yhat"].fillna(0.0).clip(lower=0.0)
        sigma = result["unique_id"].map(self.sigma_).fillna(0.0)
        for level in self.levels:
            z = NormalDist().inv_cdf(0.5 + level / 200)
            result[f"lo_{level}"] = (result["yhat"] - z * sigma).clip(lower=0.0)
            result[f"hi_{level}"] = result["yhat"] + z * sigma
        return result.sort_values(["unique_id", "ds"]).reset_index(drop=True)

    def quantile(self, forecast: pd.DataFrame, q: float) -> pd.Series:
        """The q-quantile of each forecast row (normal with the series' backtest RMSE)."""
        z = NormalDist().inv_cdf(q)
        return (forecast["yhat"] + z * forecast["unique_id"].map(self.sigma_)).clip(lower=0.0)
