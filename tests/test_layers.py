"""The package's shape: what each layer may import, and the public names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import borderless
import borderless.backends

SRC = Path(borderless.__file__).parent
FORBIDDEN = {
    "capabilities": {"fastapi", "starlette", "typer", "click", "sqlalchemy", "sqlite3", "psycopg"},
    "backends": {"fastapi", "starlette", "typer", "click", "sqlalchemy"},
    "storage": {"fastapi", "starlette", "typer", "click"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_only_what_they_may(layer: str) -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(_imports(path) & FORBIDDEN[layer])
        for path in (SRC / layer).rglob("*.py")
        if _imports(path) & FORBIDDEN[layer]
    }
    assert offenders == {}


def test_public_names() -> None:
    assert borderless.__all__ == ["BorderlessError", "Settings", "__version__", "load_settings"]
    assert set(borderless.backends.__all__) >= {
        "Embedder", "Generator", "Translator", "create_embedder", "create_generator",
        "create_translator", "EMBEDDERS", "GENERATORS", "TRANSLATORS",
    }  # fmt: skip
    for name in borderless.backends.__all__:
        assert hasattr(borderless.backends, name)
