"""Embedding drift: how far the messages a model now sees lie from the ones it was trained on.

At training, the mean of the training messages' vectors (the centre) is kept with the model, and
so is the spread a window of training traffic shows: each message's distance to the centre is
1 - cosine(message vector, centre), and the alert line is the 99th percentile of the mean distance
over random windows of WINDOW training messages (drawn with replacement). At prediction the
distance is read off the vectors the model computes anyway (one dot product, no extra embedding
call) and recorded as the `embedding_drift` signal; the monitor alerts when a version's mean
goes above the line stored with that version.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.capabilities.lifecycle.monitor import Threshold

__all__ = ["PERCENTILE", "SIGNAL", "WINDOW", "distances", "reference", "threshold", "thresholds"]

SIGNAL = "embedding_drift"
WINDOW = 20  # messages: the monitor's min_count, so the line holds for the smallest window
PERCENTILE = 99.0
DRAWS = 2000


def distances(vectors: Any, centre: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """1 - cosine of each row of `vectors` to `centre` (0 = along the training mean)."""
    rows = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=1) * float(np.linalg.norm(centre))
    cosine = rows @ centre.astype(np.float64) / np.where(norms > 0, norms, 1.0)
    out: npt.NDArray[np.float64] = 1.0 - cosine
    return out


def reference(vectors: Any, seed: int = 0) -> tuple[npt.NDArray[np.float32], dict[str, Any]]:
    """The training centre, and what the model card keeps: the per-message distances' spread
    and the alert line (the PERCENTILE of random WINDOW-message windows' mean distance)."""
    rows = np.asarray(vectors, dtype=np.float32)
    centre: npt.NDArray[np.float32] = rows.mean(axis=0).astype(np.float32)
    each = distances(rows, centre)
    rng = np.random.default_rng(seed)
    # Drawn with replacement: a window of new traffic is WINDOW independent messages, and a
    # small training set drawn without replacement would show too little spread.
    size = WINDOW
    windows = rng.choice(each, (DRAWS, size), replace=True).mean(axis=1)
    card = {
        "signal": SIGNAL,
        "window": size,
        "percentile": PERCENTILE,
        "limit": round(float(np.percentile(windows, PERCENTILE)), 6),
        "training_mean": round(float(each.mean()), 6),
        "per_message": {f"p{q}": round(float(np.percentile(each, q)), 6) for q in (50, 95, 99)},
        "messages": len(each),
    }
    return centre, card


def threshold(card: Mapping[str, Any]) -> Threshold | None:
    """The version's `embedding_drift` alert line, from its model card (None for models
    trained before it was kept)."""
    found = card.get(SIGNAL)
    if not isinstance(found, Mapping) or "limit" not in found:
        return None
    limit = float(found["limit"])
    return Threshold(SIGNAL, limit, min_count=int(found.get("window", WINDOW)),
                     meaning=f"messages lie further from the training data than "
                     f"{found.get('percentile', PERCENTILE):g}% of training windows did "
                     f"(mean distance above {limit:.4f})")  # fmt: skip


def thresholds(
    versions: Iterable[tuple[str, str, str]],
) -> dict[tuple[str, str], list[Threshold]]:
    """(capability, version) -> its own thresholds, for (capability, version, model folder)
    triples whose model card (model.json) keeps an embedding-drift line."""
    out: dict[tuple[str, str], list[Threshold]] = {}
    for capability, version, folder in versions:
        path = Path(folder) / "model.json"
        try:
            card = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except (OSError, ValueError):
            continue  # a broken card is reported where the model loads
        found = threshold(card) if isinstance(card, dict) else None
        if found is not None:
            out[(capability, version)] = [found]
    return out
