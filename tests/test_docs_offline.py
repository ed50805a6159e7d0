"""/docs and /redoc work without the internet: every asset they load comes from the app itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.config import load_settings
from borderless.service import create_app

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")
ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings(
        data_dir=tmp_path, api_key="k", search_embeddings="fake", embeddings="fake",
        generator="fake", translator="fake", intent_embeddings="fake",
    )  # fmt: skip
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
