"""/docs and /redoc work without the internet: every asset they load comes from the app itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.service import create_app

from .conftest import fake_settings, serving
from .test_browser import chromium

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")
ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = fake_settings(tmp_path, api_key="k")
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_doc_pages_load_only_their_own_assets(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert URL.findall(html) == []  # no CDN, no Google Fonts, no validator badge
    assets = ASSET.findall(html)
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        assert asset.startswith("/"), asset
        loaded = client.get(asset)
        assert loaded.status_code == 200, asset
        assert len(loaded.content) > 1000, asset
    assert client.get("/openapi.json").status_code == 200


def test_swagger_ui_does_not_call_the_validator(client: TestClient) -> None:
    assert "validatorUrl" in client.get("/docs").text
    assert '"validatorUrl": null' in client.get("/docs").text.replace("'", '"')


def test_no_page_template_loads_from_another_site() -> None:
    """The dashboard's templates and static files name no external asset."""
    web = ROOT / "src" / "borderless" / "web"
    offenders = []
    for path in [*web.rglob("*.html"), *web.rglob("*.css"), *web.rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text, re.I):
            if URL.search(tag):
                offenders.append(f"{path.name}: {tag}")
        offenders += [f"{path.name}: {u}" for u in re.findall(r"url\(\s*['\"]?https?:", text)]
        offenders += [f"{path.name}: {u}" for u in re.findall(r"@import\s+['\"]?https?:", text)]
    assert offenders == []


# -- in a real browser, with every request outside the app refused ----------------------------
@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    settings = fake_settings(tmp_path, api_key="k")
    with serving(create_app(settings)) as url:
        yield url


@pytest.mark.browser
@pytest.mark.slow  # Chromium: in the slow step, with every browser test
def test_doc_pages_render_offline_in_a_browser(served: str) -> None:
    outside: list[str] = []
    errors: list[str] = []

    def offline(route: Any) -> None:
        url = route.request.url
        if url.startswith((served, "blob:", "data:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with chromium() as browser:
        tab = browser.new_page()
        tab.route("**/*", offline)
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.goto(f"{served}/docs")
        tab.wait_for_selector(".opblock", timeout=30_000)  # Swagger UI drew the operations
        assert tab.locator(".opblock").count() > 10
        tab.goto(f"{served}/redoc")
        tab.wait_for_selector("text=List products", timeout=30_000)
        tab.fill("input[placeholder='Search...']", "translate")  # ReDoc's search runs in a worker
        tab.wait_for_selector("[data-role='search:results']", timeout=10_000)
    assert outside == []
    # ReDoc's bundle names a logo on its own CDN; the page's policy blocks it and ReDoc hides it.
    assert [e for e in errors if "cdn.redoc.ly/redoc/logo-mini.svg" not in e] == []
