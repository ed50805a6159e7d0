"""Shared route dependencies: the database and the API-key check for write routes."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from borderless.errors import Unauthorized
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


DB = Annotated[Database, Depends(get_db)]
WriteAccess = Depends(require_api_key)
