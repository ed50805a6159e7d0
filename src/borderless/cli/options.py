"""Options several commands share, declared once (no heavy imports: commands load this at
start-up)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["Holdout", "Margin"]

# Champion/challenger: every training command (`intents train`, `reviews train`, `images
# train`) and `registry challenge|retrain`.
Holdout = Annotated[
    Path | None,
    typer.Option(
        help="Labelled held-out file, in the training file's format: the new version and the "
        "active one are compared on it; the new one is promoted only if better by --margin."
    ),
]
Margin = Annotated[
    float,
    typer.Option(min=0.0, max=0.99, help="Promote only if better by this much (0.01 = 1 point)."),
]
