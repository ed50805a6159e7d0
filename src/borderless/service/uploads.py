"""A file sent through a dashboard form, put where the readers the command line uses can read
it: one temporary folder per upload, gone when the reading ends. Errors name the file as the
seller chose it, never the temporary folder."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from borderless.errors import InvalidInput

__all__ = ["uploaded_file"]


@contextmanager
def uploaded_file(file: UploadFile | None, default_name: str, limit: int) -> Iterator[Path]:
    """The upload saved under its own file name (or `default_name`); InvalidInput (field
    `file`) when none was chosen or it is over `limit` bytes (the settings'
    max_upload_bytes, which the forms state: a fixed 1,000,000 here had refused a 3 MB
    stock file under a form that said "up to 20 MB", a walk)."""
    if file is None or not file.filename:
        raise InvalidInput("choose a CSV file to import", field="file")
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            f"the file is over {limit:,} bytes, the most one upload takes: split it, or import "
            "it with the command line",
            field="file",
        )
    name = _safe_name(file.filename, default_name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            yield path
        except InvalidInput as exc:
            exc.message = exc.message.replace(f"{folder}/", "")
            raise


def _safe_name(given: str, default_name: str) -> str:
    """The upload's own file name when it can be one in a folder, else `default_name` with the
    given name's extension (which the readers go by): "..", "a/..", a NUL byte and a name of
    300 characters had made every upload form a 500 (an attack)."""
    name = Path(given.replace("\\", "/")).name
    if name not in ("", ".", "..") and name.isprintable() and len(name.encode()) <= 120:
        return name
    suffix = re.search(r"\.[A-Za-z0-9]{1,8}$", given)
    return Path(default_name).stem + (suffix[0] if suffix else Path(default_name).suffix)
