"""The copy desk: generate copy for stored products, keep it as drafts, take people's edits.

Shared by the CLI and the API, so both write, store and check copy the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from borderless.errors import InvalidInput, NotFound
from borderless.storage.database import Database

if TYPE_CHECKING:
    from borderless.capabilities.catalog.attributes import Vocabulary
    from borderless.capabilities.catalog.records import Market
    from borderless.capabilities.copywrite import CopyRequest, CopyWriter, Facts
    from borderless.storage.copy_drafts import StoredDraft

__all__ = [
    "MAX_EDIT",
    "copy_request",
    "edit_draft",
    "exportable_copy",
    "facts_for",
    "generate",
    "market_of",
    "outdated",
    "stream",
]

MAX_EDIT = 20000  # characters, as the API takes


def market_of(code: str | None) -> Market | None:
    from borderless.capabilities.catalog.markets import MARKETS

    if not code:
        return None
    market = MARKETS.get(code.strip().upper())
    if market is None:
        raise InvalidInput(
            f"unknown market {code!r}; use a country code such as DE", field="market"
        )
    return market


def copy_request(language: str = "en", market: str | None = None, **fields: Any) -> CopyRequest:
    """A validated request from plain values; `market` is a country code."""
    from borderless.capabilities.copywrite import CopyRequest

    request = CopyRequest(language=language.strip().lower(), market=market_of(market), **fields)
    request.validate()
    return request


def facts_for(
    db: Database,
    vocabulary: Vocabulary,
    sku: str,
    market: Market | None = None,
    language: str | None = None,
) -> Facts:
    """The product's facts for copy in `language` for `market` (its units, sizes and, through
    the seller's stored rates, its currency)."""
    from borderless.capabilities.copywrite import facts_of
    from borderless.storage.catalog import ProductFilter, products_with_vendors
    from borderless.storage.markets import stored_rates

    found = products_with_vendors(db, ProductFilter(kind=None), [sku])
    if not found:
        raise NotFound(f"no product with SKU {sku!r}", field="sku")
    product, brand = found[0]
    rates = stored_rates(db) if market is not None else {}
    kept = kept_names(db, language or (market.language if market else "en"))
    return facts_of(product, vocabulary, market, brand, rates=rates, language=language, kept=kept)


def outdated(db: Database, vocabulary: Vocabulary, drafts: Iterable[StoredDraft]) -> dict[int, str]:
    """The ids of `drafts` written from other facts than their product has today, each with
    the mark of today's facts: a draft for a product whose price (or the market's rate), title
    or attributes changed since it was written, or since a person approved it with the
    override (it had stayed exportable through later changes: an attack). A stored draft
    without a mark, or whose product is gone, is not said to be outdated."""
    now: dict[tuple[str, str | None, str], str | None] = {}
    found: dict[int, str] = {}
    for draft in drafts:
        if not draft.facts:
            continue
        market = draft.options.get("market")
        key = (draft.sku, market if isinstance(market, str) else None, draft.language)
        if key not in now:
            try:
                now[key] = facts_for(db, vocabulary, key[0], market_of(key[1]), key[2]).mark
            except (InvalidInput, NotFound):
                now[key] = None
        checked = draft.grounding.get("outdated_overridden")
        written = checked.get("facts") if isinstance(checked, dict) else None
        today = now[key]
        if today is not None and today != (written or draft.facts):
            found[draft.id] = today
    return found


def exportable_copy(
    db: Database, vocabulary: Vocabulary, language: str
) -> tuple[dict[str, dict[str, str]], list[int]]:
    """sku -> kind -> approved text in `language`, for the listing exports, and the ids of the
    approved drafts left out: written from earlier facts than their product has today and
    not approved with the override since they last changed (copy stating an old price was
    exported after the price changed: an attack)."""
    from borderless.storage.copy_drafts import approved_drafts

    drafts = approved_drafts(db, language)
    stale = outdated(db, vocabulary, drafts)
    copy: dict[str, dict[str, str]] = {}
    for draft in drafts:
        if draft.id not in stale:
            copy.setdefault(draft.sku, {})[draft.kind] = draft.text
    return copy, sorted(stale)


def kept_names(db: Database, language: str) -> list[str]:
    """The seller's glossary terms kept as they are in `language` (no translation given)."""
    from borderless.storage.glossary import stored_glossary

    return [t.source for t in stored_glossary(db).for_target(language).terms if not t.target]


def generate(
    db: Database, writer: CopyWriter, facts: Facts, request: CopyRequest, save: bool = True
) -> list[dict[str, Any]]:
    """Variants for `facts_for(...)`, stored as drafts (with their ids) unless `save` is off.

    The facts are read before: an unknown SKU is a 404 at once, not after waiting for the
    model (the first write for one had waited 74 s, the model loading, before its 404)."""
    from borderless.storage.copy_drafts import save_drafts

    request.validate()
    drafts = writer.write(facts, request)
    if not save:
        return [d.as_dict() for d in drafts]
    rows = save_drafts(db, drafts)
    # the verdict and whether it needs review at the top, as a stored draft has them (a walk:
    # the write answered only `grounding.ok: true` for drafts the store calls "needs review")
    return [d.as_dict() | {"id": r.id, "version": r.version, "verdict": r.verdict,
                           "needs_review": r.needs_review}
            for d, r in zip(drafts, rows, strict=True)]  # fmt: skip


def stream(
    db: Database, writer: CopyWriter, facts: Facts, request: CopyRequest
) -> Iterator[tuple[str, Any]]:
    """The writer's events for `facts_for(...)`; the final draft is stored and comes back
    with its id."""
    from borderless.storage.copy_drafts import save_drafts

    for event, payload in writer.stream(facts, request):
        if event == "draft":
            row = save_drafts(db, [payload])[0]
            yield event, payload.as_dict() | {"id": row.id, "version": row.version}
        else:
            yield event, payload


def edit_draft(
    db: Database, writer: CopyWriter, draft_id: int, text: str, actor: str = "staff"
) -> StoredDraft:
    """A person's edit of a draft: a new version, checked against the product's facts, and
    with it a labelled example of task `copy` (the facts, the person's text, the generated
    draft)."""
    from borderless.capabilities.copywrite import edited_draft
    from borderless.storage.copy_drafts import get_draft, save_edit

    if len(text) > MAX_EDIT:
        raise InvalidInput(f"edited copy has at most {MAX_EDIT} characters", field="text")
    old = get_draft(db, draft_id)
    options = dict(old.options)
    facts = facts_for(
        db, writer.vocabulary, old.sku, market_of(options.get("market")), old.language
    )
    draft = edited_draft(facts, writer.vocabulary, old.kind, old.language, text, options)
    given = f"{old.kind} in {old.language} for SKU {old.sku}:\n{facts.prompt_text()}"
    return save_edit(db, draft, draft_id, given, actor)
