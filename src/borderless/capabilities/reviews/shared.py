"""The real labelled review sets in the shared data folder, read one way for the default
sentiment model, the demo catalog and the benchmarks.

- `chinese_reviews/online_shopping_10_cats.csv`: 62,774 Chinese shopping reviews in 10
  categories, label 1 (positive) or 0 (negative);
- `uci_sentiment_labelled_sentences/`: 3,000 English sentences, 1,000 each from Amazon (cell
  phones and accessories), Yelp (restaurants) and IMDb (films), label 1 or 0.

Both are research data with no licence for redistribution: read from the shared folder, never
bundled in the package.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from borderless.errors import ModelUnavailable

__all__ = ["LabelledReview", "balanced_sample", "chinese_reviews", "uci_sentences"]

CHINESE_FILE = "chinese_reviews/online_shopping_10_cats.csv"
UCI_FOLDER = "uci_sentiment_labelled_sentences"
UCI_SOURCES = ("amazon_cells", "yelp", "imdb")


@dataclass(frozen=True)
class LabelledReview:
    text: str
    label: str  # positive | negative
    category: str  # the data set's category (书籍, 手机, ...) or source (amazon_cells, ...)
    language: str
    line: int  # where it is in its file (1-based, the header is line 1)
    file: str


def _missing(path: Path) -> ModelUnavailable:
    return ModelUnavailable(
        f"{path} is missing; set BORDERLESS_SHARED_DATA_DIR to the shared data folder",
        field="shared_data_dir",
    )


def chinese_reviews(shared_data_dir: Path) -> list[LabelledReview]:
    path = shared_data_dir / CHINESE_FILE
    if not path.is_file():
        raise _missing(path)
    found = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            text = " ".join((row["review"] or "").replace("\ufeff", "").split())
            if text:
                label = "positive" if row["label"].strip() == "1" else "negative"
                found.append(
                    LabelledReview(text, label, row["cat"], "zh", reader.line_num, CHINESE_FILE)
                )
    return found


def uci_sentences(
    shared_data_dir: Path, sources: Sequence[str] = UCI_SOURCES
) -> list[LabelledReview]:
    found = []
    for source in sources:
        name = f"{UCI_FOLDER}/{source}_labelled.txt"
        path = shared_data_dir / name
        if not path.is_file():
            raise _missing(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            text, _, label = line.rpartition("\t")
            text = " ".join(text.split())
            if text and label.strip() in {"0", "1"}:
                sentiment = "positive" if label.strip() == "1" else "negative"
                found.append(LabelledReview(text, sentiment, source, "en", number, name))
    return found


def balanced_sample(
    reviews: Sequence[LabelledReview], per_group: int, seed: int = 0
) -> list[LabelledReview]:
    """Up to `per_group` reviews per (category, label), drawn with `seed`, in file order."""
    groups: dict[tuple[str, str], list[LabelledReview]] = defaultdict(list)
    for review in reviews:
        groups[(review.category, review.label)].append(review)
    rng = random.Random(seed)
    chosen: list[LabelledReview] = []
    for key in sorted(groups):
        members = groups[key]
        chosen += rng.sample(members, min(per_group, len(members)))
    return sorted(chosen, key=lambda r: (r.file, r.line))
