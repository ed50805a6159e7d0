"""Borderless: an offline-first AI platform for cross-border e-commerce.

Importing this package is cheap: settings, storage and models are built by functions,
never at import time.
"""

from borderless._version import __version__
from borderless.config import Settings, load_settings
from borderless.errors import BorderlessError

__all__ = ["BorderlessError", "Settings", "__version__", "load_settings"]
