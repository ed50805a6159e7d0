"""Staff accounts (each with its own key and role), dashboard sessions, and the audit log.

Keys and session tokens are stored only as SHA-256 hashes. The shop's own API key (settings, or
the generated `api-key` file) is the owner's: role admin, name "owner". A session ends when it
expires (BORDERLESS_SESSION_HOURS) or at sign-out, and removing an account ends its sessions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from borderless.errors import Conflict, InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = [
    "ROLES",
    "AuditEntry",
    "Role",
    "StaffMember",
    "add_account",
    "audit",
    "audit_entries",
    "close_session",
    "list_accounts",
    "member_for_key",
    "open_session",
    "remove_account",
    "session_member",
]

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
RANK = {role: n for n, role in enumerate(ROLES)}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class StaffMember:
    name: str
    role: Role

    def may(self, role: Role) -> bool:
        """Whether this member holds `role` or a higher one."""
        return RANK[self.role] >= RANK[role]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _role(value: str) -> Role:
    if value not in ROLES:
        raise InvalidInput(f"unknown role {value!r}; use one of {', '.join(ROLES)}", field="role")
    return value


def add_account(db: Database, name: str, role: str) -> str:
    """A new account; returns its key (shown once, stored only as a hash)."""
    if not NAME.match(name) or name == "owner":
        raise InvalidInput(
            "a staff name is 1-64 letters, digits, dots, dashes or underscores (not 'owner')",
            field="name",
        )
    checked = _role(role)
    key = "bk_" + secrets.token_urlsafe(24)
    row = {"name": name, "role": checked, "key_hash": _hash(key), "created_at": _now()}
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(t.staff_accounts).values(row))
    except IntegrityError as exc:
        raise Conflict(f"a staff account named {name!r} exists already", field="name") from exc
    return key


def list_accounts(db: Database) -> list[StaffMember]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(t.staff_accounts).order_by(t.staff_accounts.c.name)).all()
    return [StaffMember(r.name, _role(r.role)) for r in rows]


def remove_account(db: Database, name: str) -> None:
    """Remove an account and end its sessions (one transaction)."""
    with db.engine.begin() as conn:
        gone = conn.execute(delete(t.staff_accounts).where(t.staff_accounts.c.name == name))
        if gone.rowcount == 0:
            raise NotFound(f"no staff account named {name!r}", field="name")
        conn.execute(delete(t.staff_sessions).where(t.staff_sessions.c.name == name))


def member_for_key(db: Database, key: str) -> StaffMember | None:
    with db.engine.connect() as conn:
        row = conn.execute(
            select(t.staff_accounts).where(t.staff_accounts.c.key_hash == _hash(key))
        ).first()
    return StaffMember(row.name, _role(row.role)) if row else None


def open_session(db: Database, member: StaffMember, hours: float) -> str:
    """A new dashboard session for `member`; returns its token (for the cookie)."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with db.engine.begin() as conn:
        conn.execute(delete(t.staff_sessions).where(t.staff_sessions.c.expires_at <= now))
        conn.execute(
            insert(t.staff_sessions).values(
                token_hash=_hash(token), name=member.name, role=member.role, created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )  # fmt: skip
    return token


def session_member(db: Database, token: str) -> StaffMember | None:
    """The member a live session belongs to; None when unknown or expired."""
    with db.engine.connect() as conn:
        row = conn.execute(
            select(t.staff_sessions).where(
                t.staff_sessions.c.token_hash == _hash(token),
                t.staff_sessions.c.expires_at > _now(),
            )
        ).first()
    return StaffMember(row.name, _role(row.role)) if row else None


def close_session(db: Database, token: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(delete(t.staff_sessions).where(t.staff_sessions.c.token_hash == _hash(token)))


def audit(db: Database, actor: str, action: str, subject: str, **detail: Any) -> None:
    """Record who did what to which record."""
    with db.engine.begin() as conn:
        conn.execute(
            insert(t.audit_log).values(
                at=_now(), actor=actor, action=action, subject=subject[:200], detail=detail
            )
        )


def audit_entries(db: Database, limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
    """Newest first, with the total count."""
    a = t.audit_log
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(a)).scalar_one()
        rows = conn.execute(
            select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(limit).offset(offset)
        ).all()
    entries = [AuditEntry(r.id, r.at, r.actor, r.action, r.subject, dict(r.detail)) for r in rows]
    return entries, int(total)
