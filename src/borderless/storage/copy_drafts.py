"""Generated marketing copy: versions per product, kind and language, and their review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from borderless.capabilities.copywrite import CopyDraft
from borderless.capabilities.copywrite.kinds import KINDS
from borderless.errors import InvalidInput, NotFound
from borderless.languages import language_name
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = [
    "CORRECTION_TASK",
    "STATUSES",
    "DraftStatus",
    "StoredDraft",
    "approved_drafts",
    "get_draft",
    "list_drafts",
    "review_draft",
    "save_drafts",
    "save_edit",
    "skus_with_copy",
    "verdict_of",
]

# A person's edit is kept as a labelled example of this task (collected, not trained on).
CORRECTION_TASK, CORRECTION_SOURCE = "copy", "copy.edit"

DraftStatus = Literal["draft", "approved", "rejected", "superseded"]
STATUSES: tuple[DraftStatus, ...] = ("draft", "approved", "rejected", "superseded")


@dataclass(frozen=True)
class StoredDraft:
    """A stored version of copy, with its verdict and whether it needs review at the top."""

    id: int
    sku: str
    kind: str
    language: str
    version: int
    text: str
    status: DraftStatus
    grounding: dict[str, Any]
    length: dict[str, Any]
    options: dict[str, Any]
    model: str
    template: str
    edited_from: int | None
    created_at: datetime
    reviewed_at: datetime | None
    verdict: dict[str, Any] | None
    needs_review: bool
    overridden: bool
    facts: str = ""  # the mark of the facts it was written from ("" before marks were kept)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def save_drafts(
    db: Database, drafts: Sequence[CopyDraft], edited_from: int | None = None
) -> list[StoredDraft]:
    """Store drafts as new versions, all in one transaction; the stored rows come back."""
    with db.writing("copy_drafts") as conn:  # each next version number read, then written
        ids = [_insert(conn, draft, edited_from) for draft in drafts]
        return _rows(conn, ids)


def save_edit(
    db: Database, draft: CopyDraft, edited_from: int, facts: str, actor: str
) -> StoredDraft:
    """A person's edit of draft `edited_from` as a new version and, in the same transaction, a
    labelled example of task `copy`: text = `facts` (what the writer was given), label = the
    person's text, predicted = the generated draft the edits started from (one example per
    generated draft: editing it again replaces the label)."""
    from borderless.storage.registry import write_correction

    c = t.copy_drafts
    # one writer at a time: eight edits of one draft at once got two UNIQUE-constraint 500s
    # on the next version number (an attack)
    with db.writing("copy_drafts") as conn:
        origin = conn.execute(select(c).where(c.c.id == edited_from)).first()
        if origin is None:
            raise NotFound(f"no copy draft {edited_from}", field="edited_from")
        # the same text again (a double submit, or an edit that changed nothing) is the draft
        # that holds it, not one more version: four PATCHes at once made four (an attack)
        mine = or_(c.c.id == edited_from, c.c.edited_from == edited_from)
        same = conn.execute(
            select(c.c.id).where(c.c.text == draft.text, mine).order_by(c.c.id)
        ).first()
        if same is not None:
            return _rows(conn, [same.id])[0]
        while origin.model == "person" and origin.edited_from is not None:
            earlier = conn.execute(select(c).where(c.c.id == origin.edited_from)).first()
            if earlier is None:
                break
            origin = earlier
        generated = origin.model != "person"
        new_id = _insert(conn, draft, edited_from)
        write_correction(
            conn, CORRECTION_TASK, facts, draft.text, source=CORRECTION_SOURCE,
            subject=f"draft {origin.id}", predicted=origin.text if generated else None,
            model_version=origin.model if generated else None, actor=actor,
        )  # fmt: skip
        return _rows(conn, [new_id])[0]


def _insert(conn: Connection, draft: CopyDraft, edited_from: int | None) -> int:
    c = t.copy_drafts
    latest = conn.execute(
        select(func.max(c.c.version)).where(
            c.c.sku == draft.sku, c.c.kind == draft.kind, c.c.language == draft.language
        )
    ).scalar()
    result = conn.execute(
        c.insert().values(
            sku=draft.sku, kind=draft.kind, language=draft.language,
            version=(latest or 0) + 1, text=draft.text, status="draft",
            grounding=draft.as_dict()["grounding"], length=draft.length,
            options=draft.options | {"attempts": draft.attempts,
                                     "completion_tokens": draft.completion_tokens,
                                     "seconds": round(draft.seconds, 2)},
            model=draft.model[:200], template=draft.template[:100],
            edited_from=edited_from, created_at=_now(),
        )
    )  # fmt: skip
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _rows(conn: Connection, ids: Sequence[int]) -> list[StoredDraft]:
    c = t.copy_drafts
    rows = conn.execute(select(c).where(c.c.id.in_(ids)).order_by(c.c.id)).all()
    return [_public(dict(r._mapping)) for r in rows]


def _known_id(draft_id: int) -> None:
    """A draft id the database can hold: 99999999999999999999999 was an OverflowError in the
    SQLite driver, an internal error (exit 1) for `borderless copy approve` (an attack)."""
    if not 1 <= draft_id <= 2**63 - 1:
        raise NotFound(f"no copy draft {draft_id}", field="draft_id")


def get_draft(db: Database, draft_id: int) -> StoredDraft:
    _known_id(draft_id)
    with db.engine.connect() as conn:
        row = conn.execute(select(t.copy_drafts).where(t.copy_drafts.c.id == draft_id)).first()
    if row is None:
        raise NotFound(f"no copy draft {draft_id}", field="draft_id")
    return _public(dict(row._mapping))


def list_drafts(
    db: Database,
    *,
    sku: str | None = None,
    kind: str | None = None,
    language: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[StoredDraft], int]:
    """Newest first, and how many match over all pages."""
    c = t.copy_drafts
    if status is not None and status not in STATUSES:
        raise InvalidInput(
            f"unknown status {status!r}; known: {', '.join(STATUSES)}", field="status"
        )
    # an unknown kind or language listed nothing, as if there were no copy (an attack)
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; known: {', '.join(KINDS)}", field="kind")
    if language is not None:
        language_name(language, "language")
    conditions = [
        column == value
        for column, value in ((c.c.sku, sku), (c.c.kind, kind), (c.c.language, language),
                              (c.c.status, status))
        if value is not None
    ]  # fmt: skip
    where = and_(True, *conditions)
    query = select(c).where(where).order_by(c.c.id.desc()).limit(limit).offset(offset)
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(c).where(where)).scalar_one()
        return [_public(dict(r._mapping)) for r in conn.execute(query)], int(total)


def verdict_of(row: dict[str, Any]) -> dict[str, Any] | None:
    """The stored verdict of a draft (None for drafts written before verdicts existed)."""
    verdict = (row.get("grounding") or {}).get("verdict")
    return dict(verdict) if isinstance(verdict, dict) else None


def _public(row: dict[str, Any]) -> StoredDraft:
    """A row as callers see it: the verdict and whether it needs review, at the top."""
    verdict = verdict_of(row)
    failing = verdict is not None and not verdict.get("ok", True)
    unbacked = bool((row.get("grounding") or {}).get("violations"))
    return StoredDraft(
        row["id"], row["sku"], row["kind"], row["language"], row["version"], row["text"],
        cast(DraftStatus, row["status"]), dict(row["grounding"] or {}), dict(row["length"] or {}),
        dict(row["options"] or {}), row["model"], row["template"], row["edited_from"],
        row["created_at"], row["reviewed_at"], verdict, failing or unbacked,
        # approved over a failing verdict, or over facts that changed since (an attack: that
        # override left no trace)
        bool(verdict and verdict.get("overridden_by_review"))
        or bool((row.get("grounding") or {}).get("outdated_overridden")),
        str((row.get("grounding") or {}).get("facts") or ""),
    )  # fmt: skip


def review_draft(
    db: Database,
    draft_id: int,
    status: str,
    override: bool = False,
    outdated: str | None = None,
) -> StoredDraft:
    """Approve or reject a draft. Approving one retires the version approved before it;
    copy whose facts are not all backed cannot be approved; copy whose verdict says "needs
    review" (misspellings, placeholders, untranslated words, ...) only with `override`, which
    is recorded in the stored verdict; so is copy written from facts the product no longer
    has (`outdated`: the mark of today's facts, copydesk.outdated; its price, title or
    attributes changed since), whose override records the facts it was checked at."""
    _known_id(draft_id)
    if status not in ("approved", "rejected", "draft"):
        raise InvalidInput("status must be approved, rejected or draft", field="status")
    c = t.copy_drafts
    with db.writing("copy_drafts") as conn:  # approvals one at a time: one approved at the end
        row = conn.execute(select(c).where(c.c.id == draft_id)).first()
        if row is None:
            raise NotFound(f"no copy draft {draft_id}", field="draft_id")
        violations = (row.grounding or {}).get("violations") or []
        if status == "approved" and violations:
            spans = ", ".join(repr(v.get("span", "")) for v in violations[:5])
            raise InvalidInput(
                f"copy draft {draft_id} states what the product's facts do not back ({spans}); "
                "edit it, or add the facts to the product, before approving",
                field="status",
            )
        verdict = verdict_of(dict(row._mapping))
        grounding = dict(row.grounding or {})
        if status == "approved" and outdated:
            if not override:
                raise InvalidInput(
                    f"copy draft {draft_id} was written from earlier facts of the product (its "
                    "price or the market's rate, title, attributes or description changed "
                    "since); edit it (checked against "
                    "today's facts) or write it again, or approve it with override if you "
                    "have checked it yourself",
                    field="override",
                )
            grounding["outdated_overridden"] = {"at": _now().isoformat(), "facts": outdated}
            conn.execute(c.update().where(c.c.id == draft_id).values(grounding=grounding))
        if status == "approved" and verdict is not None and not verdict.get("ok", True):
            if not override:
                reasons = "; ".join(str(r.get("message", "")) for r in verdict.get("reasons", [])
                                    if r.get("blocking", True))  # fmt: skip
                raise InvalidInput(
                    f"copy draft {draft_id} needs review ({reasons[:300]}); edit it, or "
                    "approve it with override if you have checked it yourself",
                    field="override",
                )
            grounding["verdict"] = verdict | {"overridden_by_review": _now().isoformat()}
            conn.execute(c.update().where(c.c.id == draft_id).values(grounding=grounding))
        if status == "approved":
            conn.execute(
                c.update()
                .where(c.c.sku == row.sku, c.c.kind == row.kind, c.c.language == row.language,
                       c.c.status == "approved", c.c.id != draft_id)
                .values(status="superseded", reviewed_at=_now())
            )  # fmt: skip
        conn.execute(c.update().where(c.c.id == draft_id).values(status=status, reviewed_at=_now()))
        updated = conn.execute(select(c).where(c.c.id == draft_id)).one()
    return _public(dict(updated._mapping))


def approved_drafts(db: Database, language: str) -> list[StoredDraft]:
    """The approved drafts in one language (one a product and kind), oldest first."""
    c = t.copy_drafts
    query = select(c).where(c.c.language == language, c.c.status == "approved").order_by(c.c.id)
    with db.engine.connect() as conn:
        return [_public(dict(r._mapping)) for r in conn.execute(query)]


def skus_with_copy(db: Database, kind: str, language: str) -> set[str]:
    """Products that already have copy of this kind and language (a job resumes past them)."""
    c = t.copy_drafts
    query = select(c.c.sku).where(c.c.kind == kind, c.c.language == language).distinct()
    with db.engine.connect() as conn:
        return {r.sku for r in conn.execute(query)}
