"""What every response and request goes through: a body size limit, a query string that is
UTF-8, and security headers.

Plain ASGI, so a too-large body is refused while it streams in (a 100 MB POST was read in full
before), and headers are added to every answer, errors and static files included.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderless.capabilities.catalog.checks import CONTROL, unreadable

__all__ = ["BodyLimit", "CsrfCookie", "SecurityHeaders", "Utf8Query"]

# Swagger UI and ReDoc start themselves with an inline script; our own pages have none.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
DOCS_POLICY += "; worker-src 'self' blob:"  # ReDoc's search index runs in a worker made from a blob
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """nosniff, no framing, a strict Content-Security-Policy; HSTS when served over HTTPS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        policy = DOCS_POLICY if path in ("/docs", "/redoc") else PAGE_POLICY
        secure = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [*HEADERS, (b"content-security-policy", policy.encode())]
                if secure:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(name, value) for name, value in extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, by Content-Length or as they stream."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        started = refused = False

        async def counted() -> Message:
            # Over the limit, the 413 goes out at once and the app sees the client leave.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    refused = True
                    if not started:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the answer was given
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, tracked)

    async def _refuse(self, send: Send) -> None:
        body: dict[str, Any] = {
            "code": "too_large",
            "message": f"the request body is larger than {self.limit:,} bytes",
            "field": None,
        }
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def _unreadable(query: bytes) -> tuple[str, str] | None:
    """(the parameter, what is wrong) for the first query parameter whose name or value is
    not UTF-8 once its percent escapes are read, or holds a control character or a
    noncharacter (checks.CONTROL, as every body refuses); None when all are readable."""
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            named = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return "query", "a parameter's name is not UTF-8 (percent-encode UTF-8 bytes)"
        named = named[:40] if not CONTROL.search(named) else "query"
        try:
            text = unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return named, "not UTF-8 (percent-encode UTF-8 bytes)"
        if bad := CONTROL.search(named + text):
            return named, f"holds {unreadable(bad.group())}"
    return None


class Utf8Query:
    """Refuse a query string that is not UTF-8, or holds a control character or noncharacter,
    with 422 naming the parameter.

    Starlette reads bytes that are not UTF-8 as U+FFFD: "?text=%FF" reached the localize route
    as "\ufffd" and came back as if the seller had written it, and "?q=a%EF%BF%BF" passed
    every route but one (attacks)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        found = _unreadable(query) if query else None
        if found is None:
            await self.app(scope, receive, send)
            return
        field, why = found
        body = {"code": "invalid_input", "message": f"{field}: {why}", "field": field}
        payload = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(payload)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": 422, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


class CsrfCookie:
    """Set the browser's form-token cookie when a page handed out a new token.

    Double-submit: `csrf_field()` puts the token in each form, this puts the same value in a
    SameSite=Strict cookie, and `csrf_protect` requires the two to match on every form post.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_cookie(message: Message) -> None:
            token = scope.get("borderless", {}).get("new_csrf")
            if message["type"] == "http.response.start" and token:
                secure = "; Secure" if scope.get("scheme") == "https" else ""
                cookie = f"borderless_csrf={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, with_cookie)
