"""The one table from Borderless errors to HTTP status codes, and the JSON error body."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderless.errors import (
    BackendError,
    BackendUnreachable,
    BorderlessError,
    Conflict,
    InvalidInput,
    ModelUnavailable,
    NotFound,
    Unauthorized,
)

__all__ = ["STATUS", "install_error_handlers", "status_for"]

# Most specific first: the first class an error is an instance of decides.
STATUS: list[tuple[type[BorderlessError], int]] = [
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Unauthorized, 401),
    (ModelUnavailable, 503),
    (BackendUnreachable, 503),
    (BackendError, 502),
    (BorderlessError, 500),
]


def status_for(error: BorderlessError) -> int:
    return next(code for cls, code in STATUS if isinstance(error, cls))


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/v1") or path == "/health" or path.startswith("/docs"))


def _respond(request: Request, status: int, body: dict[str, str | None]) -> Response:
    if _wants_html(request):
        templates = request.app.state.templates
        page: Response = templates.TemplateResponse(
            request, "error.html", {"status": status, "error": body}, status_code=status
        )
        return page
    return JSONResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BorderlessError)
    async def _domain(request: Request, exc: BorderlessError) -> Response:
        return _respond(request, status_for(exc), exc.to_dict())

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        location = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(location) or None
        message = f"{field}: {first.get('msg')}" if field else str(first.get("msg"))
        return _respond(request, 422, {"code": "invalid_input", "message": message, "field": field})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = "not_found" if exc.status_code == 404 else "http_error"
        return _respond(
            request, exc.status_code, {"code": code, "message": str(exc.detail), "field": None}
        )
