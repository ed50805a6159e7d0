"""The error answers each operation can give, written into the OpenAPI schema.

Read off each route once the app is built, so the schema cannot drift from the rules: a route
that needs the staff key can answer 401, one with a path parameter 404, one that takes a body
413 and 422, one that runs models 429 and 503 (see `modelwork`). Every error body is the one
shape `{code, message, field}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

__all__ = ["ErrorBody", "document_errors"]


class ErrorBody(BaseModel):
    """Every error answer of the API."""

    code: str = Field(description="machine-readable: invalid_input, not_found, busy, ...")
    message: str = Field(description="what went wrong, for a person")
    field: str | None = Field(description="the input the error is about, when there is one")


MODEL_ROUTES = {
    ("POST", "/v1/translate"),
    ("POST", "/v1/copy"),
    ("POST", "/v1/support/conversations"),
    ("POST", "/v1/support/conversations/{conversation_id}/messages"),
}
WHY = {
    401: "The route needs the staff API key (X-API-Key), or the key is wrong.",
    403: "The key's role may not do this: viewers read, editors write.",
    404: "No record with that id.",
    409: "The record exists already.",
    413: "The request body is too large.",
    422: "A value is not acceptable; `field` names it.",
    429: "Too many requests, or too many wrong keys, from this client; see Retry-After.",
    500: "The server failed; the error is logged.",
    503: "A model is busy (see Retry-After) or not installed.",
}


def _statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    headers = {
        p["name"].lower() for p in operation.get("parameters", []) if p.get("in") == "header"
    }
    codes = {422, 500}
    if headers & {"x-api-key", "x-customer-token", "x-conversation-token"}:
        codes |= {401, 429}  # 429: an address locked out after ten wrong keys
        if method != "get":
            codes.add(403)  # a viewer's key on a write
    if "{" in path or method in {"post", "put", "patch", "delete"}:
        codes.add(404)  # a write may name a record (a SKU, a customer) that does not exist
    if method in {"post", "put", "patch"}:
        codes |= {409, 413}
    if (method.upper(), path) in MODEL_ROUTES or path.startswith("/v1/search"):
        codes |= {429, 503}  # search embeds the query with a model
    return codes


def document_errors(app: FastAPI) -> None:
    """Make the app's OpenAPI schema list each operation's possible error answers."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = plain()
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorBody"] = ErrorBody.model_json_schema()
        components.pop("HTTPValidationError", None)  # FastAPI's 422 shape; ours is ErrorBody
        components.pop("ValidationError", None)
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for path, operations in spec.get("paths", {}).items():
            for method, operation in operations.items():
                answers = operation.setdefault("responses", {})
                answers.pop("422", None)
                for code in sorted(_statuses(path, method, operation)):
                    answers.setdefault(str(code), {"description": WHY[code], "content": body})
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
