"""Staff sign-in for the dashboard pages that show personal data or let staff act.

Signing in with the API key sets an HttpOnly cookie holding an HMAC of the key (never the key
itself); changing the key signs everyone out.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.service.routes.deps import COOKIE, staff_stamp
from borderless.service.routes.pages import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    # Only paths on this site: no scheme, no //host redirects.
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "failed": False})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request, key: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"
) -> Response:
    expected = str(request.app.state.api_key)
    if not hmac.compare_digest(key.strip().encode(), expected.encode()):
        return render(request, "login.html", {"next": _safe_next(next), "failed": True}, 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, staff_stamp(expected), httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response
