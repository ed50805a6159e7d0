"""Staff sign-in for the dashboard: a key (the shop's own, or a staff account's) opens a
session that expires (BORDERLESS_SESSION_HOURS) and ends at sign-out.

The session cookie holds a random token whose hash is stored, never the key. Wrong keys count
towards the address's lockout, like wrong API keys.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderless.service.modelwork import client_of
from borderless.service.routes.deps import SESSION_COOKIE, get_db, member_for, record
from borderless.service.routes.pages import render
from borderless.storage.staff import close_session, open_session

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
    lockout, client = request.app.state.lockout, client_of(request)
    lockout.check(client)
    member = member_for(request, key.strip()) if key.strip() else None
    if member is None:
        lockout.fail(client)
        return render(request, "login.html", {"next": _safe_next(next), "failed": True}, 401)
    lockout.succeed(client)
    hours = request.app.state.settings.session_hours
    token = open_session(get_db(request), member, hours)
    request.state.staff = member
    record(request, "staff.sign_in", member.name, role=member.role)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=int(hours * 3600), httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(get_db(request), token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
