"""What every response and request goes through: a body size limit, a query string that is
UTF-8, a JSON body that gives each key once, and security headers.

Plain ASGI, so a too-large body is refused while it streams in (a 100 MB POST was read in full
before), and headers are added to every answer, errors and static files included.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderless.capabilities.catalog.checks import CONTROL, unreadable
from borderless.capabilities.json_objects import KeyGivenTwice, keys_once

__all__ = ["BodyLimit", "CsrfCookie", "JsonKeysOnce", "SecurityHeaders", "Utf8Query", "megabytes"]

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
    """nosniff, no framing, a strict Content-Security-Policy; HSTS when served over HTTPS;
    no-store on everything but the static files: after "Sign out", the browser's Back button
    showed the customer page before it, with the customer's data (a walk)."""

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
                if not path.startswith("/static/"):
                    extra.append((b"cache-control", b"no-store"))
                if secure:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(name, value) for name, value in extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, by Content-Length or as they stream;
    a file upload (a multipart form: the dashboard's imports) may be up to `upload` bytes (a
    3 MB stock file was refused at the API's 1 MB: a walk). A browser's form is answered with
    a page that says the limit, not a JSON error with no way back (a walk)."""

    def __init__(self, app: ASGIApp, limit: int, upload: int | None = None) -> None:
        self.app = app
        self.limit = limit
        self.upload = max(limit, upload or limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        limit = self.upload if kind == b"multipart/form-data" else self.limit
        page = _back(headers) if _dashboard_browser(scope, headers) else None
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit, page)
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
                if seen > limit:
                    refused = True
                    if not started:
                        await _refuse(send, limit, page)
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


def megabytes(size: int) -> str:
    """A byte limit as a person reads it: "20 MB", "1 MB", "1.5 MB", "512 KB"."""
    if size < 1 << 20:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1 << 20):.1f}".removesuffix(".0") + " MB"


def _back(headers: dict[bytes, bytes]) -> str:
    """The page a browser's form was sent from (its Referer, on this host), else the overview:
    where the too-large page links back to."""
    referer = urlsplit(headers.get(b"referer", b"").decode("latin-1"))
    host = headers.get(b"host", b"").decode("latin-1")
    if referer.netloc != host or not referer.path.startswith("/"):
        return "/"
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _dashboard_browser(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    """Whether a browser asks for a dashboard page (it is answered with a page, the API with
    JSON)."""
    return b"text/html" in headers.get(b"accept", b"") and not scope.get("path", "").startswith(
        "/v1/"
    )


async def _answer(send: Send, status: int, payload: bytes, kind: bytes) -> None:
    """An answer the middleware gives itself, before the app is reached."""
    headers = [(b"content-type", kind), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def _html_page(title: str, said: str, back: str) -> bytes:
    """A bare dashboard page for an error the middleware answers itself (`said` is HTML)."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
        '<link rel="stylesheet" href="/static/style.css"></head><body><main>'
        f'<h1>{html.escape(title)}</h1><p class="error" role="alert">{said}</p>'
        f'<p><a href="{html.escape(back)}" id="back">Back</a> · <a href="/">Overview</a></p>'
        "</main></body></html>"
    ).encode()


async def _refuse(send: Send, limit: int, back: str | None) -> None:
    """413: a JSON error, or for a browser's form (`back`: the page it came from) a page."""
    if back is None:
        message = f"the request body is larger than {limit:,} bytes"
        await _json_error(send, 413, {"code": "too_large", "message": message, "field": None})
        return
    payload = _html_page(
        "Too large",
        f"What you sent is larger than {megabytes(limit)}, the most the dashboard takes at "
        "once. Split the file, or import it with the command line (<code>borderless</code>),"
        " which has no such limit.",
        back,
    )
    await _answer(send, 413, payload, b"text/html; charset=utf-8")


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


def _unreadable_path(raw: bytes) -> tuple[str, str] | None:
    """("path", what is wrong) when the address's path is not UTF-8 once its percent escapes
    are read, or holds a control character: "/v1/products/%ED%A0%80" was a 404 naming the
    SKU '���', and "/v1/orders/%00/shipments" put a raw NUL into its message (an attack)."""
    try:
        text = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return "path", "not UTF-8 (percent-encode UTF-8 bytes)"
    if bad := CONTROL.search(text):
        return "path", f"holds {unreadable(bad.group())}"
    return None


class Utf8Query:
    """Refuse a query string (or a path) that is not UTF-8, or holds a control character or
    noncharacter, with 422 naming the parameter (or "path").

    Starlette reads bytes that are not UTF-8 as U+FFFD: "?text=%FF" reached the localize route
    as "\ufffd" and came back as if the seller had written it, and "?q=a%EF%BF%BF" passed
    every route but one (attacks)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        found = _unreadable(query) if query else None
        raw_path = scope.get("raw_path") if scope["type"] == "http" else None
        if found is None and isinstance(raw_path, bytes):
            found = _unreadable_path(raw_path)
        if found is None:
            await self.app(scope, receive, send)
            return
        field, why = found
        if _dashboard_browser(scope, dict(scope.get("headers", []))):
            # a browser on a dashboard page got raw JSON for "?sku=%00" (a walk)
            payload = _html_page(
                "Address not readable",
                html.escape(f"The address holds what the dashboard cannot read: {field}: {why}."),
                "/",
            )
            await _answer(send, 422, payload, b"text/html; charset=utf-8")
            return
        await _json_error(send, 422, {"code": "invalid_input", "message": f"{field}: {why}",
                                      "field": field})  # fmt: skip


class JsonKeysOnce:
    """Refuse a JSON body in which an object gives one key twice, with 422 naming the key.

    Python's json keeps the last of them: {"rate": 1.17, "rate": 999} was stored as 999 where
    a reviewer reading the body saw 1.17 first (an attack). Runs inside BodyLimit, so the body
    it reads is bounded; a body that is no JSON at all is left to the route's own error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if not (kind == b"application/json" or kind.endswith(b"+json")):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        try:
            json.loads(body, object_pairs_hook=keys_once)
        except KeyGivenTwice as twice:
            said = f"{twice.key!r} is given twice in one JSON object: give each key once"
            await _json_error(send, 422, {"code": "invalid_input", "message": said,
                                          "field": twice.key})  # fmt: skip
            return
        except (ValueError, RecursionError):
            pass  # not JSON: the route says so

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _json_error(send: Send, status: int, body: dict[str, Any]) -> None:
    await _answer(send, status, json.dumps(body).encode(), b"application/json")


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
