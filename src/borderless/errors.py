"""The one error tree of Borderless.

Domain code raises these; the service maps them to HTTP status codes in one table
(`borderless.service.errors`) and the CLI maps them to exit codes (`borderless.cli.app`).
No error here knows about HTTP.

    BorderlessError
    ├── InvalidInput              bad value from a user: a field, a file, a row     (422, exit 2)
    │   └── BadRows               a file whose rows failed validation, with line numbers
    ├── NotFound                  a record that does not exist                      (404, exit 2)
    ├── Conflict                  a record that already exists                      (409, exit 2)
    ├── Unauthorized              missing or wrong API key                          (401, exit 2)
    ├── Forbidden                 a known caller whose role may not do this         (403, exit 2)
    ├── ModelUnavailable          a model package or file is missing                (503, exit 3)
    ├── Busy                      model work is full; try again after retry_after   (503, exit 4)
    │   └── RateLimited           one client asked for too much model work          (429, exit 4)
    ├── BackendError              a model runtime or remote server failed           (502, exit 4)
    │   └── BackendUnreachable    a remote server could not be reached              (503, exit 4)
    └── DatabaseUnavailable       the database cannot be reached right now          (503, exit 4)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BackendError",
    "BackendUnreachable",
    "BadRow",
    "BadRows",
    "BorderlessError",
    "Busy",
    "Conflict",
    "DatabaseUnavailable",
    "Forbidden",
    "InvalidInput",
    "ModelUnavailable",
    "NotFound",
    "RateLimited",
    "Unauthorized",
]


class BorderlessError(Exception):
    """Base of every error Borderless raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidInput(BorderlessError):
    """A value given by the user is not acceptable; `field` names it when there is one."""

    code = "invalid_input"


@dataclass(frozen=True)
class BadRow:
    """One rejected line of an input file (1-based line number, header is line 1); `unit`
    names what the number counts ("record" for the items of a JSON list, which has no line per
    record)."""

    line: int
    reason: str
    field: str | None = None
    unit: str = "line"

    def __str__(self) -> str:
        where = f" ({self.field})" if self.field else ""
        return f"{self.unit} {self.line}{where}: {self.reason}"


class BadRows(InvalidInput):
    """An input file holds rows that failed validation; nothing was written."""

    code = "bad_rows"

    def __init__(self, path: str, rows: Sequence[BadRow], *, shown: int = 10) -> None:
        # one problem of one line once: a Shopify line's empty title was told by the listing's
        # check and the variant's (an attack)
        first: dict[tuple[str, int, str], BadRow] = {}
        for row in rows:
            first.setdefault((row.unit, row.line, row.reason), row)
        self.rows = list(first.values())
        listed = "; ".join(str(r) for r in self.rows[:shown])
        more = f"; and {len(self.rows) - shown} more" if len(self.rows) > shown else ""
        # rows, not problems: one row with four faults was "4 bad row(s)" (a walk)
        lines = len({(r.unit, r.line) for r in self.rows})
        faults = f" ({len(self.rows)} problems)" if len(self.rows) > lines else ""
        super().__init__(
            f"{path}: {lines} bad row(s){faults}, nothing imported: {listed}{more}",
            field=self.rows[0].field if self.rows else None,
        )


class NotFound(BorderlessError):
    code = "not_found"


class Conflict(BorderlessError):
    code = "conflict"


class Unauthorized(BorderlessError):
    code = "unauthorized"


class Forbidden(BorderlessError):
    """The caller is known but may not do this: a viewer's key on a write, a foreign form."""

    code = "forbidden"


class ModelUnavailable(BorderlessError):
    """A model cannot be loaded: its package, extra or file is missing or corrupt."""

    code = "model_unavailable"


class Busy(BorderlessError):
    """Model work is at capacity; `retry_after` says in how many seconds to try again."""

    code = "busy"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = max(1, int(retry_after))


class RateLimited(Busy):
    code = "rate_limited"


class BackendError(BorderlessError):
    """A model runtime or a remote model server failed while answering."""

    code = "backend_error"


class BackendUnreachable(BackendError):
    code = "backend_unreachable"


class DatabaseUnavailable(BorderlessError):
    """The database server cannot be reached (down, restarting): temporary, try again."""

    code = "database_unavailable"

    def __init__(self, message: str, *, retry_after: int = 5) -> None:
        super().__init__(message, field=None)
        self.retry_after = retry_after
