"""The HTTP service: FastAPI app factory, thin routes, one error-to-status table."""

from borderless.service.app import create_app

__all__ = ["create_app"]
