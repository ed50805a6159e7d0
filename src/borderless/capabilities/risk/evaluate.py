"""Measuring the supervised model on a labelled file: stratified 5-fold cross-validation.

The file is CSV with a header: numeric feature columns and one 0/1 label column. Every fault is
refused with the column (and line) it is in: a missing label column, an empty or NaN cell, a
value that is not a number, a label other than 0/1, a file with one class only.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.capabilities.catalog.csvfiles import check_file, columns_once
from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["LabelledData", "cross_validate", "read_labelled"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LabelledData:
    X: Array
    y: Array
    feature_names: list[str]


def _number(text: str, column: str, where: str) -> float:
    """A cell as a finite number; `where` is "FILE: line N" (the file went unnamed: an attack)."""
    cleaned = text.strip().strip('"').strip()
    if not cleaned:
        raise InvalidInput(f"{where}: column {column!r} is empty", field=column)
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput(
            f"{where}: column {column!r} holds {cleaned[:40]!r}, not a number", field=column
        ) from None
    if not math.isfinite(value):
        raise InvalidInput(f"{where}: column {column!r} is {cleaned} (NaN or infinite)",
                           field=column)  # fmt: skip
    return value


def read_labelled(path: Path, label: str) -> LabelledData:
    """Numeric features and a 0/1 label from a CSV file, or InvalidInput naming the column."""
    check_file(path)  # /dev/zero was read until memory ran out (an attack)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise InvalidInput(f"{path}: the file is empty", field="path") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{path}: not a UTF-8 CSV file ({exc})", field="path") from None
        if label not in header:
            raise InvalidInput(
                f"{path}: no label column {label!r}; columns: {', '.join(header[:12])}",
                field=label,
            )
        columns_once(path, header)  # "f1,f1": the second had silently won (an attack)
        at = header.index(label)
        names = [h for i, h in enumerate(header) if i != at]
        if not names:
            raise InvalidInput(f"{path}: no feature columns beside {label!r}", field=label)
        rows: list[list[float]] = []
        labels: list[float] = []
        try:
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                where = f"{path}: line {reader.line_num}"
                if len(cells) != len(header):
                    raise InvalidInput(
                        f"{where}: {len(cells)} cells, the header has {len(header)}",
                        field="path",
                    )
                value = _number(cells[at], label, where)
                if value not in (0.0, 1.0):
                    raise InvalidInput(
                        f"{where}: label column {label!r} holds {cells[at].strip()!r}; "
                        "labels must be 0 or 1",
                        field=label,
                    )
                labels.append(value)
                cols = zip(cells, header, strict=True)
                rows.append([_number(c, h, where) for i, (c, h) in enumerate(cols) if i != at])
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{path}: not a UTF-8 CSV file ({exc})", field="path") from None
    if not rows:
        raise InvalidInput(f"{path}: no rows under the header", field="path")
    return LabelledData(np.array(rows, dtype=np.float64), np.array(labels), names)


def cross_validate(
    data: LabelledData,
    make_model: Callable[[], Any],
    folds: int = 5,
    seed: int = 0,
    label: str = "label",
) -> dict[str, Any]:
    """Out-of-fold probabilities from stratified k-fold; AUPRC and AUROC over all rows."""
    from borderless.capabilities.risk.model import check_labels

    check_labels(data.y, folds, field=label)
    selection = require("sklearn.model_selection", "risk", feature="order-risk evaluation")
    metrics = require("sklearn.metrics", "risk", feature="order-risk evaluation")
    splitter = selection.StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = np.zeros(len(data.y))
    for train, test in splitter.split(data.X, data.y):
        model = make_model().fit(data.X[train], data.y[train], data.feature_names)
        scores[test] = model.predict_proba(data.X[test])
    return {
        "auprc": round(float(metrics.average_precision_score(data.y, scores)), 4),
        "auroc": round(float(metrics.roc_auc_score(data.y, scores)), 4),
        "n": len(data.y),
        "positives": int(data.y.sum()),
        "folds": folds,
        "brier": round(float(np.mean((scores - data.y) ** 2)), 4),
    }
