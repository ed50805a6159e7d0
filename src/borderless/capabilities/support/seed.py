"""The default e-commerce intent examples: Bitext's customer-support requests plus our own
short natural requests (`defaults/examples.csv`) and out-of-scope examples (`defaults/oos.csv`),
both written for Borderless in five languages.

Bitext's 27 intents (order, refund, delivery, payment, account, invoice, complaint, contact a
person, ...) are generated English text: good seed data, not a quality benchmark.
"""

from __future__ import annotations

from pathlib import Path

from borderless.capabilities.catalog.csvfiles import read_csv
from borderless.capabilities.support.answers import DEFAULTS
from borderless.capabilities.support.examples import LabelledText, read_labelled
from borderless.errors import ModelUnavailable

__all__ = ["BITEXT_FILE", "seed_examples"]

BITEXT_FILE = (
    "bitext_customer_support/"
    "Bitext_Sample_Customer_Support_Training_Dataset_3.5MB_commit337b968.csv"
)


def seed_examples(shared_data_dir: Path) -> list[LabelledText]:
    path = shared_data_dir / BITEXT_FILE
    if not path.is_file():
        raise ModelUnavailable(
            f"the default intent model is trained from {path}, which is missing; set "
            "BORDERLESS_SHARED_DATA_DIR or train your own with `borderless intents train`",
            field="intents",
        )
    _, rows = read_csv(path, ("instruction", "intent"))
    bitext = [
        LabelledText(" ".join(row["instruction"].split()), row["intent"])
        for _, row in rows
        if row["instruction"].strip()
    ]
    ours = read_labelled(DEFAULTS / "examples.csv") + read_labelled(DEFAULTS / "oos.csv")
    return bitext + ours
