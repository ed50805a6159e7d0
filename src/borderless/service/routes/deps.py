"""Shared route dependencies: the database, who the caller is (staff key or dashboard
session, with a role), CSRF protection for dashboard forms, and the audit log."""

from __future__ import annotations

import hmac
import re
import secrets
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin
from urllib.parse import quote, urlsplit

from fastapi import Depends, Header, Request, params
from fastapi.responses import RedirectResponse
from jinja2 import pass_context
from markupsafe import Markup
from starlette.routing import Match

from borderless.errors import Forbidden, InvalidInput, Unauthorized
from borderless.service.modelwork import client_of
from borderless.storage import Database
from borderless.storage.staff import Role, StaffMember, audit, member_for_key, session_member

OWNER = StaffMember("owner", "admin")  # whoever holds the shop's own API key
SESSION_COOKIE = "borderless_session"
CSRF_COOKIE = "borderless_csrf"
CSRF_FIELD = "csrf_token"


def product_path(sku: str, rest: str = "") -> str:
    """A product page's address: the SKU quoted, its slashes kept (the routes read it whole)."""
    return f"/products/{quote(sku, safe='/')}{rest}"


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def member_for(request: Request, key: str) -> StaffMember | None:
    """The staff member a key belongs to: the shop's own key, or a staff account's."""
    if hmac.compare_digest(key.encode(), str(request.app.state.api_key).encode()):
        return OWNER
    return member_for_key(get_db(request), key)


def require_api_key(
    request: Request,
    x_api_key: Annotated[str | None, Header()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> StaffMember:
    """Any staff key (viewer or above); wrong keys count towards the address's lockout."""
    bearer = (authorization or "").removeprefix("Bearer ").strip() or None
    if x_api_key and bearer and not hmac.compare_digest(x_api_key.encode(), bearer.encode()):
        # a wrong bearer beside a right X-API-Key was let through, the other way round refused
        # (an attack): two keys that differ are one too many
        raise Unauthorized("two different API keys (X-API-Key and Authorization): send one",
                           field="X-API-Key")  # fmt: skip
    given = x_api_key or bearer
    if given is None:
        raise Unauthorized("this route needs an API key in the X-API-Key header", field="X-API-Key")
    lockout = request.app.state.lockout
    client = client_of(request)
    lockout.check(client)
    member = member_for(request, given)
    if member is None:
        lockout.fail(client)
        raise Unauthorized("the API key is wrong", field="X-API-Key")
    lockout.succeed(client)
    request.state.staff = member
    return member


def require_editor(member: Annotated[StaffMember, Depends(require_api_key)]) -> StaffMember:
    if not member.may("editor"):
        raise Forbidden(f"{member.name} is a {member.role}: this needs an editor", field="role")
    return member


def current_member(request: Request) -> StaffMember | None:
    """The signed-in staff member of a dashboard request, from the session cookie."""
    if "member" not in request.scope.setdefault("borderless", {}):
        token = request.cookies.get(SESSION_COOKIE)
        found = session_member(get_db(request), token) if token else None
        request.scope["borderless"]["member"] = found
        if found is not None:
            request.state.staff = found
    member: StaffMember | None = request.scope["borderless"]["member"]
    return member


def is_staff(request: Request) -> bool:
    return current_member(request) is not None


def may(request: Request, role: Role = "editor") -> bool:
    """Whether the signed-in staff member holds `role`: pages show a form only to those whose
    role may send it (a viewer reads every page and sees no form that would be refused)."""
    member = current_member(request)
    return member is not None and member.may(role)


def staff_redirect(request: Request, role: Role = "viewer") -> RedirectResponse | None:
    """None for signed-in staff holding `role`; a redirect to sign in for anyone else (and
    Forbidden for staff whose role is too low).

    A form sent while signed out is never replayed: after signing in, the seller lands on the
    page the form was on (its Referer, when on this site; else the nearest page of the form's
    path) with `?again=1`, which asks them to send it again.
    """
    member = current_member(request)
    if member is None:
        if request.method in {"GET", "HEAD"}:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:
            target = _with_query(_page_of_form(request), "again=1")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if not member.may(role):
        raise Forbidden(f"{member.name} is a {member.role}: this needs an {role}", field="role")
    return None


def _page_of_form(request: Request) -> str:
    """Where a posted form was: its Referer's path and query when it is a page of this site,
    else the form's path, shortened until a page answers GET there ("/" at worst)."""
    referer = urlsplit(request.headers.get("referer") or "")
    if referer.netloc == request.headers.get("host") and referer.path.startswith("/"):
        query = "&".join(p for p in referer.query.split("&") if p and p != "again=1")
        return referer.path + (f"?{query}" if query else "")
    path = request.url.path.rstrip("/")
    while path:
        scope = dict(request.scope, method="GET", path=path)
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            return path
        path = path.rsplit("/", 1)[0]
    return "/"


def _with_query(target: str, extra: str) -> str:
    return target + ("&" if "?" in target else "?") + extra


def acting(request: Request) -> str:
    """The name of the staff member behind this request, for the audit log."""
    member = getattr(request.state, "staff", None) or current_member(request)
    return member.name if member is not None else "anonymous"


def record(request: Request, action: str, subject: str, **detail: Any) -> None:
    """Write who did `action` to `subject` into the audit log."""
    audit(get_db(request), acting(request), action, subject, **detail)


def csrf_token(request: Request) -> str:
    """The form token of this browser (double-submit: the same value sits in a cookie)."""
    state = request.scope.setdefault("borderless", {})
    token = request.cookies.get(CSRF_COOKIE) or state.get("new_csrf")
    if not token:
        token = state["new_csrf"] = secrets.token_urlsafe(24)
    return str(token)


@pass_context
def csrf_field(context: dict[str, Any]) -> Markup:
    """`{{ csrf_field() }}` in every form that posts: the hidden token field."""
    token = csrf_token(context["request"])
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">')


async def csrf_protect(request: Request) -> None:
    """Dashboard forms: the request comes from this site and carries this browser's token."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or request.url.path.startswith("/v1"):
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise Forbidden("this form was sent from another site", field="Origin")
    form = await request.form()
    given = str(form.get(CSRF_FIELD) or "")
    expected = request.cookies.get(CSRF_COOKIE, "")
    if not given or not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden(
            "this form has expired or did not come from this site: reload the page and try again",
            field=CSRF_FIELD,
        )


async def known_parameters_only(request: Request) -> None:
    """A misspelt filter must not be silently ignored: unknown query parameters are an error,
    and so is one value given twice (`single_values`)."""
    _unknown_refused(request, "route")
    await single_values(request)


# what links from elsewhere add to a page's address: not the page's to refuse
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|ref)$")


async def filters_known(request: Request) -> None:
    """A page with filters refuses a parameter it does not take, as the API does (a walk:
    `/products?q=mug&colur=red`, `&limit=-5`, `&max_price=abc` showed "Best 50 for mug" as
    if filtered), but not what links add to an address (?utm_source=..., ?fbclid=...)."""
    _unknown_refused(request, "page", _TRACKING)


def _unknown_refused(request: Request, what: str, passing: re.Pattern[str] | None = None) -> None:
    """InvalidInput naming the first query parameter the route does not take (and `passing`
    does not let through), listing those it takes."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    known = {p.alias for p in _all_query_params(dependant)}
    for name in request.query_params:
        if name not in known and not (passing and passing.match(name)):
            listed = ", ".join(sorted(known)) or "none"
            raise InvalidInput(f"unknown parameter {name!r}; this {what} takes: {listed}",
                               field=name)  # fmt: skip


async def single_values(request: Request) -> None:
    """A parameter that takes one value, given more than once, is an error: it was read as
    its last value ("?limit=5&limit=500" listed 500; a walk). Lists (a products page's
    facets, `value` of a search filter) take repeats. Pages, which tolerate parameters they
    do not know (?utm_source=...), still refuse a repeat of one they do, and so do their
    forms' fields ("source=cup&source=plate" stored a glossary term for plate: an attack)."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    for param in _all_query_params(dependant):
        if _takes_many(param.field_info.annotation):
            continue
        if len(request.query_params.getlist(param.alias)) > 1:
            raise InvalidInput(f"{param.alias} is given more than once", field=param.alias)
    for param in _all_params(dependant, "header_params"):
        # two X-Customer-Token headers of two customers opened a conversation as the first,
        # silently (an attack); a key or token is one value
        name = param.alias.replace("_", "-")
        if not _takes_many(param.field_info.annotation) and len(request.headers.getlist(name)) > 1:
            shown = "-".join(part.capitalize() for part in name.split("-"))
            raise InvalidInput(f"the {shown} header is given more than once", field=shown)
    fields = [p for p in dependant.body_params if isinstance(p.field_info, params.Form)]
    if not fields:
        return
    form = await request.form()  # read once: the route's own reading is the same
    for param in fields:
        if not _takes_many(param.field_info.annotation) and len(form.getlist(param.alias)) > 1:
            raise InvalidInput(f"{param.alias} is given more than once", field=param.alias)


def _takes_many(annotation: Any) -> bool:
    """Whether a parameter's type is a list (`list[str] | None` included)."""
    origin = get_origin(annotation)
    if origin is Annotated or origin in (Union, UnionType):
        return any(_takes_many(a) for a in get_args(annotation))
    return origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set, frozenset)


def _all_query_params(dependant: Any) -> list[Any]:
    return _all_params(dependant, "query_params")


def _all_params(dependant: Any, kind: str) -> list[Any]:
    """The route's parameters of `kind` (query_params, header_params), its dependencies' too."""
    found = list(getattr(dependant, kind))
    for sub in dependant.dependencies:
        found += _all_params(sub, kind)
    return found


DB = Annotated[Database, Depends(get_db)]
# Writes need an editor's key (or the owner's); reads of personal data any staff key.
WriteAccess = Depends(require_editor)
StaffAccess = Depends(require_api_key)
