"""Shared route dependencies: the database and the API-key check for write routes."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Header, Request
from fastapi.responses import RedirectResponse

from borderless.errors import InvalidInput, Unauthorized
from borderless.storage import Database


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def require_api_key(
    request: Request,
    x_api_key: Annotated[str | None, Header()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> None:
    given = x_api_key or (authorization or "").removeprefix("Bearer ").strip() or None
    if given is None:
        raise Unauthorized("this route needs an API key in the X-API-Key header", field="X-API-Key")
    if not hmac.compare_digest(given.encode(), str(request.app.state.api_key).encode()):
        raise Unauthorized("the API key is wrong", field="X-API-Key")


# Dashboard staff: a cookie set by /login holding an HMAC of the API key (never the key).
COOKIE = "borderless_staff"


def staff_stamp(api_key: str) -> str:
    return hmac.new(api_key.encode(), b"borderless staff session", hashlib.sha256).hexdigest()


def is_staff(request: Request) -> bool:
    given = request.cookies.get(COOKIE, "")
    return hmac.compare_digest(given.encode(), staff_stamp(str(request.app.state.api_key)).encode())


def staff_redirect(request: Request) -> RedirectResponse | None:
    """None for signed-in staff; otherwise a redirect to the sign-in page."""
    if is_staff(request):
        return None
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def known_parameters_only(request: Request) -> None:
    """A misspelt filter must not be silently ignored: unknown query parameters are an error."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = {p.alias for p in _all_query_params(dependant)}
    for name in request.query_params:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise InvalidInput(
                f"unknown parameter {name!r}; this route takes: {listed}", field=name
            )


def _all_query_params(dependant: Any) -> list[Any]:
    found = list(dependant.query_params)
    for sub in dependant.dependencies:
        found += _all_query_params(sub)
    return found


DB = Annotated[Database, Depends(get_db)]
WriteAccess = Depends(require_api_key)
# Customer and order data is personal: staff only, like writes.
StaffAccess = Depends(require_api_key)
