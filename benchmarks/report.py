"""How every benchmark reports: a Markdown section printed, and written to RESULTS.md on --out.

A section whose title is already in the file (whatever its date) is replaced where it stands, so
re-running a benchmark updates its figures instead of adding a second, older-looking copy.
"""

from __future__ import annotations

import os
import re
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
        replace_section(out, title, section)
    return section


_DATED = re.compile(r" \(\d{4}-\d{2}-\d{2}, \d+ cores\)$")


def replace_section(out: Path, title: str, section: str) -> None:
    """Put `section` in place of the section titled `title` in `out`, or at its end."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    parts = re.split(r"(?m)^(?=## )", text)
    head, sections = parts[0], parts[1:]
    kept, placed = [], False
    for part in sections:
        name = _DATED.sub("", part.splitlines()[0][3:].strip())
        if name == title:
            if not placed:
                kept.append(section + "\n")
                placed = True
            continue
        kept.append(part)
    if not placed:
        if kept and not kept[-1].endswith("\n\n"):
            kept[-1] = kept[-1].rstrip("\n") + "\n\n"
        kept.append(section)
    out.write_text(head + "".join(kept), encoding="utf-8")
