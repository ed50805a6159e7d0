"""Labelled support messages: the seller's `text,label` CSV, checked row by row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from borderless.capabilities.catalog.csvfiles import read_csv
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = ["OUT_OF_SCOPE", "LabelledText", "check_trainable", "read_labelled"]

OUT_OF_SCOPE = "oos"
# Public data sets name the label column differently; `label` is ours, the others are accepted.
LABEL_COLUMNS = ("label", "intent", "category")
MAX_TEXT = 2000


@dataclass(frozen=True)
class LabelledText:
    text: str
    label: str


MAX_LABEL = 64  # characters: an intent's name, as the dashboard's relabel form takes it


def read_labelled(path: Path) -> list[LabelledText]:
    """Rows of a UTF-8 CSV with columns `text,label`; every bad row is reported at once."""
    header, _ = read_csv(path, ())
    column = next((c for c in LABEL_COLUMNS if c in header), "label")
    _, rows = read_csv(path, ("text", column))
    examples: list[LabelledText] = []
    bad: list[BadRow] = []
    for line, row in rows:
        text, label = " ".join(row["text"].split()), row[column].strip()
        if not text:
            bad.append(BadRow(line, "empty text", "text"))
        elif len(text) > MAX_TEXT:
            bad.append(BadRow(line, f"text longer than {MAX_TEXT} characters", "text"))
        elif not label:
            bad.append(BadRow(line, "empty label", "label"))
        elif len(label) > MAX_LABEL:  # a 10,000-character label was echoed whole (an attack)
            bad.append(BadRow(line, f"label longer than {MAX_LABEL} characters (an intent's "
                                    "name)", "label"))  # fmt: skip
        else:
            examples.append(LabelledText(text, label))
    if bad:
        raise BadRows(str(path), bad)
    if not examples:
        raise InvalidInput(f"{path}: no examples", field="text")
    return examples


def check_trainable(examples: Sequence[LabelledText]) -> Counter[str]:
    """Counts per label; training needs two labels and at least two examples of each."""
    counts = Counter(e.label for e in examples)
    in_scope = [label for label in counts if label != OUT_OF_SCOPE]
    if len(in_scope) < 2:
        raise InvalidInput("training needs at least two intents besides 'oos'", field="label")
    single = sorted(label for label, n in counts.items() if n < 2)
    if single:
        shown = ", ".join(repr(s) for s in single[:10])
        raise InvalidInput(
            f"every intent needs at least 2 examples; these have 1: {shown}", field="label"
        )
    return counts
