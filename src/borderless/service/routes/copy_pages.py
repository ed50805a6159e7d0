"""Dashboard: a product's marketing copy, variants side by side, with review and edits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.capabilities.catalog.markets import MARKETS
from borderless.capabilities.copywrite import KINDS, TONES
from borderless.copydesk import copy_request, edit_draft, facts_for, generate
from borderless.errors import InvalidInput
from borderless.languages import LANGUAGE_NAMES, language_name
from borderless.service.modelwork import model_work
from borderless.service.routes.copywriting import copywriter, outdated_drafts
from borderless.service.routes.deps import DB, acting, product_path, record, staff_redirect
from borderless.service.routes.pages import render
from borderless.storage.catalog import get_product
from borderless.storage.copy_drafts import StoredDraft, get_draft, list_drafts, review_draft

router = APIRouter(include_in_schema=False)
Language = Annotated[str, Query(pattern=r"^[a-z]{2}$")]


def marked(row: StoredDraft) -> list[tuple[str, str]]:
    """The text in pieces, each with the message of the violation it holds ("" = none)."""
    text = row.text
    spans = sorted(
        (v["start"], v["end"], v["message"])
        for v in row.grounding.get("violations", [])
        if v.get("kind") != "language" and 0 <= v["start"] < v["end"] <= len(text)
    )
    pieces, at = [], 0
    for start, end, message in spans:
        if start < at:
            continue
        pieces += [(text[at:start], ""), (text[start:end], message)]
        at = end
    pieces.append((text[at:], ""))
    return [p for p in pieces if p[0]]


@router.get("/products/{sku:path}/copy", response_class=HTMLResponse)
def copy_page(
    request: Request,
    db: DB,
    sku: str,
    kind: str = "description",
    language: Language = "en",
    market: Annotated[str, Query(pattern=r"^[A-Za-z]{2}$")] = "",
) -> Response:
    # the market written for stays in the form (it was emptied after writing: a walk)
    return _page(request, db, sku, kind, language, typed={"market": market.upper()})


def _page(
    request: Request, db: DB, sku: str, kind: str, language: str,
    error: InvalidInput | None = None, typed: dict[str, object] | None = None,
    draft: int | None = None,
) -> Response:  # fmt: skip
    """The copy page; after a refused form, with the error and what was typed (`draft`: the
    error is that draft's, shown beside it)."""
    from borderless.capabilities.catalog.attributes import load_vocabulary

    language_name(language, "language")
    product = get_product(db, sku)
    # the facts a draft is written from and checked against, as the writer reads them: the
    # page listed the product's stored attributes alone ("No attributes: copy cannot be
    # grounded") beside drafts whose facts were backed (a walk)
    try:
        vocabulary = load_vocabulary(request.app.state.settings.copy_vocabulary)
        facts, facts_error = facts_for(db, vocabulary, sku).lines, None
    except InvalidInput as exc:
        facts, facts_error = (), exc.message
    drafts, _ = list_drafts(db, sku=sku, kind=kind, language=language, limit=50)
    # "No description in English yet" said nothing of the German draft beside it
    others = (
        []
        if drafts
        else sorted({(d.kind, d.language) for d in list_drafts(db, sku=sku, limit=200)[0]})
    )
    return render(
        request,
        "copy.html",
        {"product": product, "facts": facts, "facts_error": facts_error, "kind": kind,
         "language": language, "kinds": list(KINDS),
         "tones": list(TONES), "drafts": drafts, "pieces": {d.id: marked(d) for d in drafts},
         "outdated": outdated_drafts(request, db, drafts),
         "others": others, "language_names": LANGUAGE_NAMES,
         # a French draft for Japan was shown with no word that Japan reads Japanese (a walk)
         "market_languages": {code: m.language for code, m in MARKETS.items()},
         "language_label": LANGUAGE_NAMES.get(language, language),
         "languages": sorted(LANGUAGE_NAMES.items(), key=lambda kv: kv[1]),
         "error": error if draft is None else None, "typed": typed or {},
         "draft_error": (draft, error.message) if draft is not None and error else None},
        status_code=422 if error else 200,
    )  # fmt: skip


def _back(sku: str, kind: str, language: str, market: str | None = None) -> RedirectResponse:
    said = f"/copy?kind={kind}&language={language}" + (f"&market={market}" if market else "")
    return RedirectResponse(product_path(sku, said), 303)


def _seed(typed: str) -> int | None:
    """The form's seed: blank draws a new one; the same seed writes the same variants again
    (same model, same settings)."""
    typed = typed.strip()
    if not typed:
        return None
    if not (typed.isascii() and typed.isdigit() and len(typed) <= 10):
        raise InvalidInput("seed must be a whole number (or blank for a new one)", field="seed")
    return int(typed)  # its range is the request's to check


@router.post("/products/{sku:path}/copy")
def write_now(
    request: Request,
    db: DB,
    sku: str,
    kind: Annotated[str, Form()] = "description",
    language: Annotated[str, Form()] = "en",
    market: Annotated[str, Form()] = "",
    tone: Annotated[str, Form()] = "friendly",
    length: Annotated[str, Form()] = "medium",
    variants: Annotated[int, Form(ge=1, le=4)] = 2,
    seed: Annotated[str, Form()] = "",
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        options = copy_request(language, market or None, kind=kind, tone=tone, length=length,
                               n=variants, seed=_seed(seed))  # fmt: skip
    except InvalidInput as exc:
        typed = {"market": market, "tone": tone, "length": length, "variants": variants,
                 "seed": seed}  # fmt: skip
        shown = language if language in LANGUAGE_NAMES else "en"
        return _page(request, db, sku, kind if kind in KINDS else "description", shown, exc,
                     typed)  # fmt: skip
    writer = copywriter(request)
    facts = facts_for(db, writer.vocabulary, sku, options.market, options.language)
    model_work(request, lambda: generate(db, writer, facts, options))
    return _back(sku, kind, language, options.market.code if options.market else None)


@router.post("/copy/{draft_id}/review")
def review_form(
    request: Request,
    db: DB,
    draft_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    status: Annotated[str, Form()],
    override: Annotated[bool, Form()] = False,
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    try:
        old = outdated_drafts(request, db, [get_draft(db, draft_id)]).get(draft_id)
        row = review_draft(db, draft_id, status, override=override, outdated=old)
    except InvalidInput as exc:  # "Approve anyway" without the box: the page, not a dead end
        draft = get_draft(db, draft_id)
        return _page(request, db, draft.sku, draft.kind, draft.language, exc, draft=draft_id)
    record(request, f"copy.{status}" + ("+override" if override else ""), str(draft_id))
    return _back(row.sku, row.kind, row.language)


@router.post("/copy/{draft_id}/edit")
def edit_form(
    request: Request,
    db: DB,
    draft_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    text: Annotated[str, Form()] = "",
) -> Response:
    if (redirect := staff_redirect(request, "editor")) is not None:
        return redirect
    row = get_draft(db, draft_id)
    edited = edit_draft(db, copywriter(request), draft_id, text, acting(request))
    record(request, "copy.edit", str(draft_id), new_id=edited.id)
    return _back(row.sku, row.kind, row.language)
