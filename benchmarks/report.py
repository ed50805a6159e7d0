"""How every benchmark reports: a Markdown section printed, and appended to RESULTS.md on --out."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path


def emit(
    title: str, intro: str, header: Sequence[str], rows: Sequence[str], out: Path | None
) -> str:
    """Print a dated section with a table; append it to `out` when given."""
    section = "\n".join(
        [
            f"## {title} ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)",
            "",
            intro,
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
            *rows,
            "",
        ]
    )
    print(section)
    if out is not None:
        with open(out, "a", encoding="utf-8") as handle:
            handle.write("\n" + section)
    return section
