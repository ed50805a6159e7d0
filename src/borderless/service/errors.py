"""The one table from Borderless errors to HTTP status codes, and the JSON error body.

Every answer that is not a success carries the body `{code, message, field}`: domain errors
by the table below, request validation as 422, HTTP errors (404, 405 with its `Allow`
header) as they are, and anything unexpected as a logged 500 `internal_error` that tells the
client nothing of the code (JSON under /v1, the error page on the dashboard).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from borderless.errors import (
    BackendError,
    BackendUnreachable,
    BorderlessError,
    Busy,
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    InvalidInput,
    ModelUnavailable,
    NotFound,
    RateLimited,
    Unauthorized,
)

__all__ = ["STATUS", "install_error_handlers", "status_for"]

log = logging.getLogger("borderless.service")
INTERNAL_ERROR = {
    "code": "internal_error",
    "message": "the server failed to answer this request; it has been logged",
    "field": None,
}

# Most specific first: the first class an error is an instance of decides.
STATUS: list[tuple[type[BorderlessError], int]] = [
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Unauthorized, 401),
    (Forbidden, 403),
    (ModelUnavailable, 503),
    (RateLimited, 429),
    (Busy, 503),
    (BackendUnreachable, 503),
    (BackendError, 502),
    (DatabaseUnavailable, 503),
    (BorderlessError, 500),
]


# The schemas' patterns in words: "String should match pattern '^[A-Z]{3}$'" told a seller
# who typed "€" nothing.
_PATTERNS = {
    r"^[A-Z]{3}$": "a three-letter currency code (ISO 4217, such as GBP, EUR, USD)",
    r"^[a-z]{2}$": "a two-letter language code (ISO 639-1, such as en, de, zh)",
    r"^[A-Za-z]{2}$": "a two-letter country code (ISO 3166, such as GB, DE, FR)",
    r"^\S+$": "one word without spaces",
    r"\S": "more than white space",
    r"^[1-5]?$": "a rating from 1 to 5",
    r"^(positive|negative)?$": "positive or negative",
}


# how Body's check of a list names the bad item ("item 1: holds a control character")
_ITEM = re.compile(r"item (\d+): ")


def plain(error: Mapping[str, Any]) -> str:
    """A validation error in a seller's words: our own checks' text without pydantic's "Value
    error, " in front, the value given for a number that is none, and a known pattern said."""
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    kind, given = error.get("type"), error.get("input")
    if kind in {"decimal_parsing", "float_parsing"}:
        # the point's advice only where a comma was the mark ("abc" was told to use a point)
        comma = isinstance(given, str) and "," in given
        message = f"{given!r} is not a number" + (" (write it with a point: 1.50)" if comma else "")
    elif kind in {"int_parsing", "int_from_float"}:
        message = f"{given!r} is not a whole number"
    elif kind == "int_parsing_size":  # pydantic's "exceeded maximum size" for 1e20
        message = f"{str(given)[:40]!r} is too large a number"
    elif message.startswith("Expected UploadFile"):  # a text field where a file goes
        message = "is not a file: choose one to upload"
    elif kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern in _PATTERNS:
            message = f"{given!r} is not {_PATTERNS[pattern]}"
            cased = {r"^[A-Z]{3}$": str.upper, r"^[a-z]{2}$": str.lower}.get(pattern)
            if cased and isinstance(given, str) and re.fullmatch(pattern, cased(given)):
                message += f": write it {cased(given)}"  # "'eur' is not three letters" misled
    return message


def status_for(error: BorderlessError) -> int:
    return next(code for cls, code in STATUS if isinstance(error, cls))


def _wants_html(request: Request) -> bool:
    path = request.url.path
    api = path.startswith("/v1") or path in {"/health", "/metrics"} or path.startswith("/docs")
    return not api


LONGEST_MESSAGE = 2_000  # ten bad rows of a file, each with its line and reason, fit


def _respond(
    request: Request,
    status: int,
    body: dict[str, str | None],
    headers: Mapping[str, str] | None = None,
) -> Response:
    message = body.get("message")
    if message and len(message) > LONGEST_MESSAGE:
        # a 5,000-character id was echoed whole in "no customer ..." (an attack): what was
        # sent is the caller's, the message only needs to point at it
        body = {**body, "message": message[:LONGEST_MESSAGE] + "…"}
    if _wants_html(request):
        templates = request.app.state.templates
        page: Response = templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "error": body, "back": _came_from(request)},
            status_code=status,
            headers=dict(headers or {}),
        )
        return page
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def _came_from(request: Request) -> str | None:
    """The page a form was sent from (this site's own, by its Referer), for a failed POST:
    the error page linked the form's action ("Back to /reviews/1 without the filters")."""
    if request.method != "POST":
        return None
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> list[str]:
    # Ask the router itself, method by method: routes may be nested in included routers.
    allowed = []
    for method in _METHODS:
        scope = dict(request.scope, method=method)
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


MAX_DEPTH = 100  # levels of JSON nesting the parser reads (Python's limit is near 1,000)


def _depth(text: str) -> int:
    """How deep a JSON text's brackets nest (brackets inside strings counted too: a rough
    reading, for the error message alone)."""
    deepest = level = 0
    for ch in text:
        if ch in "[{":
            level += 1
            deepest = max(deepest, level)
        elif ch in "]}":
            level -= 1
    return deepest


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BorderlessError)
    async def _domain(request: Request, exc: BorderlessError) -> Response:
        retry = None
        if isinstance(exc, Busy | DatabaseUnavailable):
            retry = {"Retry-After": str(exc.retry_after)}
        return _respond(request, status_for(exc), exc.to_dict(), retry)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        loc = tuple(first.get("loc", ()))
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        # a form is the dashboard's; the API (/v1/) reads JSON only: a form-encoded body there
        # was 422 "field required" (an attack)
        form = "form" in kind and not request.url.path.startswith("/v1/")
        if loc[:1] == ("body",) and kind and "json" not in kind and not form:
            message = f"the body is {kind}; send JSON with content-type: application/json"
            return _respond(request, 415, {"code": "unsupported_media_type", "message": message,
                                           "field": "body"})  # fmt: skip
        if first.get("type") == "json_invalid":
            # pydantic's location is the character where the JSON broke, not a field
            at = loc[1] if len(loc) > 1 else "?"
            why = (first.get("ctx") or {}).get("error", "")
            message = f"the body is not valid JSON (at character {at}{': ' + why if why else ''})"
            return _respond(request, 422, {"code": "invalid_input", "message": message,
                                           "field": "body"})  # fmt: skip
        # only the first part is where ("body", "query", "path"): a body field named `query`
        # (a search click's) was dropped, and its error named "body"
        location = [str(p) for p in (loc[1:] if loc[:1] in (("body",), ("query",), ("path",),
                                                             ("header",)) else loc)]  # fmt: skip
        # the body as a whole ("[]" where an object is wanted) is named too
        field = ".".join(location) or ("body" if loc[:1] == ("body",) else None)
        said = plain(first)
        if field and (item := _ITEM.match(said)):  # a list's item checked whole: name it
            field, said = f"{field}.{item[1]}", said[item.end() :]
        message = f"{field}: {said}" if field else said
        return _respond(request, 422, {"code": "invalid_input", "message": message, "field": field})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = "not_found" if exc.status_code == 404 else "http_error"
        headers = dict(exc.headers or {})
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's words when the JSON parser itself gives up (a number of 4,300 digits
            # or more, a walk's rate): said like any other body that is not JSON, with its field
            message = "the body could not be read as JSON (a number of thousands of digits?)"
            try:  # bytes that are no UTF-8 were told as a number of thousands of digits
                body = (await request.body()).decode("utf-8")
                if _depth(body) > MAX_DEPTH:  # so was JSON nested 5,000 deep (an attack)
                    message = f"the body's JSON is nested more than {MAX_DEPTH} levels deep"
            except UnicodeDecodeError as bad:
                message = f"the body is not UTF-8 text (byte {bad.start}); send JSON in UTF-8"
            except (RuntimeError, ClientDisconnect):  # consumed as a stream, or cut short
                pass  # by the size limit (which answers 413): say what is known
            return _respond(request, 422, {"code": "invalid_input", "message": message,
                                           "field": "body"})  # fmt: skip
        if exc.status_code == 400 and exc.detail == "Invalid multipart data.":
            # Starlette's words for any upload its parser gives up on; a 5,000-character file
            # name was a bare "Invalid multipart data." (an attack)
            causes: list[str] = []
            cause = exc.__context__
            while cause is not None and len(causes) < 5:
                causes.append(str(cause))
                cause = cause.__cause__ or cause.__context__
            message = "the upload could not be read as a form (a broken multipart body)"
            if any("header size" in c for c in causes):
                message = ("the upload's file name (or another header of the form) is over 4,096 "
                           "characters: rename the file")  # fmt: skip
            return _respond(request, 422, {"code": "invalid_input", "message": message,
                                           "field": "file"})  # fmt: skip
        if exc.status_code == 405:
            # RFC 9110: a 405 lists every method the path allows, not only its first route's.
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return _respond(
            request,
            exc.status_code,
            {"code": code, "message": str(exc.detail), "field": None},
            headers,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        try:
            return _respond(request, 500, dict(INTERNAL_ERROR))
        except Exception:  # the error page itself failed: answer in JSON rather than not at all
            log.exception("the error page failed too")
            return JSONResponse(dict(INTERNAL_ERROR), status_code=500)
