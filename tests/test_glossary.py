"""The shop's glossary: per-language terms, stored (SQLite and PostgreSQL), used by default by
every translation desk with a run's file laid over it, and edited on the dashboard."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.records import Product
from borderless.capabilities.localize.protect import Glossary, GlossaryTerm, read_glossary
from borderless.config import Settings
from borderless.errors import BadRows, InvalidInput, NotFound
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.catalog import create_product
from borderless.storage.glossary import remove_term, save_terms, stored_glossary
from borderless.storage.staff import audit_entries
from borderless.wiring import Services

from .conftest import fake_env, post_form, run
from .test_jobs import _stored

KEEP = GlossaryTerm("Retrospot", "")
LANTERN_DE = GlossaryTerm("lantern", "Laterne", "de")
LANTERN_ALL = GlossaryTerm("lantern", "LANTERN")


def test_terms_for_one_target_language_and_merging() -> None:
    glossary = Glossary((KEEP, LANTERN_DE, LANTERN_ALL))
    assert set(glossary.for_target("de").terms) == {KEEP, LANTERN_DE}  # its own term wins
    assert set(glossary.for_target("fr").terms) == {KEEP, LANTERN_ALL}
    file = Glossary((GlossaryTerm("LANTERN", "Leuchte"),))
    merged = glossary.merged(file)
    assert set(merged.terms) == {KEEP, GlossaryTerm("LANTERN", "Leuchte")}  # the file wins
    assert glossary.merged(None) is glossary


def test_glossary_files_take_an_optional_language_column(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("source,target,language\nlantern,Laterne,de\nlantern,lanterne,FR\n"
                    "Retrospot,,\n", encoding="utf-8")  # fmt: skip
    assert set(read_glossary(path).terms) == {
        LANTERN_DE, GlossaryTerm("lantern", "lanterne", "fr"), KEEP}  # fmt: skip
    path.write_text("source,target,language\nlantern,a,de\nLantern,b,de\nx,y,german\n"
                    "candle,Kerze,xx\n", "utf-8")  # fmt: skip
    with pytest.raises(BadRows) as bad:
        read_glossary(path)
    assert [(r.line, r.field) for r in bad.value.rows] == [
        (3, "source"), (4, "language"), (5, "language")]  # fmt: skip
    assert "unknown language code 'xx'" in bad.value.rows[2].reason  # with its line, at once


def test_a_term_is_checked_as_the_api_checks_it_wherever_it_comes_from(tmp_path: Path) -> None:
    """An attack: the dashboard form and a CSV stored a bidi override (U+202E) the API refused,
    kept a direction mark after "été", and read a row short of its language as every
    language's."""
    from borderless.capabilities.localize.protect import check_term

    with pytest.raises(InvalidInput, match="U\\+202E") as caught:
        check_term(GlossaryTerm("a\u202eb", "x", "de"))
    assert caught.value.field == "source"
    with pytest.raises(InvalidInput, match="control character"):
        check_term(GlossaryTerm("tea\nlight", "x", "de"))
    assert check_term(GlossaryTerm("été \u200f", "summer", "en")).source == "été"
    path = tmp_path / "g.csv"
    path.write_text("source,target,language\nlantern,Laterne,de\nT5,U5\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 3 has 2 of the header's 3 fields"):
        read_glossary(path)


def test_stored_terms_replace_by_spelling_and_language(db: Database) -> None:
    assert stored_glossary(db).terms == ()
    assert save_terms(db, [KEEP, LANTERN_DE, LANTERN_ALL], "eda") == 3
    save_terms(db, [GlossaryTerm(" LANTERN ", "Leuchte", "DE")], "eda")
    assert set(stored_glossary(db).terms) == {
        KEEP, LANTERN_ALL, GlossaryTerm("LANTERN", "Leuchte", "de")}  # fmt: skip
    for bad, field in [(GlossaryTerm(" ", "x"), "source"), (GlossaryTerm("a" * 201, ""), "source"),
                       (GlossaryTerm("a", "b", "xx"), "language"),
                       (GlossaryTerm("a\x00", ""), "source")]:  # fmt: skip
        with pytest.raises(InvalidInput) as refused:
            save_terms(db, [GlossaryTerm("fine", ""), bad], "eda")
        assert refused.value.field == field
    assert len(stored_glossary(db).terms) == 3  # a bad term writes none of its batch
    remove_term(db, "retrospot", "")
    with pytest.raises(NotFound):
        remove_term(db, "retrospot", "")
    assert KEEP not in stored_glossary(db).terms


def test_every_desk_uses_the_stored_glossary(settings: Settings, db: Database) -> None:
    save_terms(db, [KEEP, LANTERN_DE], "eda")
    services = Services(settings, db)
    text = ["Red retrospot lantern"]
    assert services.desk().translate(text, "en", "de")[0].text == "[de] Red retrospot Laterne"
    assert services.desk().translate(text, "en", "fr")[0].text == "[fr] Red retrospot lantern"
    over = Glossary((GlossaryTerm("lantern", "Leuchte"),))
    assert services.desk(over).translate(text, "en", "de")[0].text == "[de] Red retrospot Leuchte"


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db)) as c:
        yield c


def test_the_translate_api_uses_the_stored_glossary(client: TestClient, db: Database) -> None:
    save_terms(db, [LANTERN_DE], "eda")
    body = {"texts": ["A lantern"], "source": "en", "target": "de"}
    done = client.post("/v1/translate", json=body, headers={"X-API-Key": "test-key"})
    assert done.json()["data"][0]["text"] == "[de] A Laterne"


def _sign_in(client: TestClient) -> None:
    post_form(client, "/login", data={"key": "test-key", "next": "/"}, follow_redirects=False)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_glossary_page_add_remove_import_export(client: TestClient, db: Database) -> None:
    assert client.get("/glossary", follow_redirects=False).status_code == 303
    _sign_in(client)
    assert 'id="terms"' in client.get("/glossary").text
    added = post_form(client, "/glossary", {"source": "Retrospot", "target": "", "language": ""})
    assert added.status_code == 200 and "Retrospot" in added.text and "kept as is" in added.text
    refused = post_form(client, "/glossary", {"source": "x", "language": "zz"})
    assert refused.status_code == 422 and 'id="glossary-error"' in refused.text
    # the form keeps what was typed (both fields were emptied: a walk)
    kept = post_form(client, "/glossary", {"source": "   ", "target": "hängend", "language": "de"})
    assert kept.status_code == 422 and 'value="hängend"' in kept.text
    assert '<option value="de" selected>' in kept.text
    # the notice is said from its parts, not read from the address (a link made it say
    # anything: a walk)
    spoof = client.get("/glossary", params={"done": "replaced everything by admin"}).text
    assert 'id="glossary-done"' not in spoof
    good = "source,target,language\nlantern,Laterne,de\nheart,Herz,de\n"
    imported = post_form(
        client, "/glossary/import", files={"file": ("terms.csv", good, "text/csv")}
    )
    assert imported.status_code == 200 and "imported 2 terms" in imported.text
    assert "<td>German</td>" in imported.text and "<td>de</td>" not in imported.text  # a walk
    bad = "source,target,language\nmug,Becher,de\n,empty,de\n"
    broken = post_form(client, "/glossary/import", files={"file": ("mine.csv", bad, "text/csv")})
    assert broken.status_code == 422 and "mine.csv: 1 bad row(s)" in broken.text
    assert "/tmp" not in broken.text
    assert len(stored_glossary(db).terms) == 3  # the broken file added nothing
    exported = client.get("/glossary.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.splitlines() == [
        "source,target,language", "Retrospot,,", "heart,Herz,de", "lantern,Laterne,de"]  # fmt: skip
    post_form(client, "/glossary/remove", {"source": "heart", "language": "de"})
    assert "heart" not in {t.source for t in stored_glossary(db).terms}
    # a term a spreadsheet would run as a formula is written with "'" before it (it was raw),
    # and read back as it was
    post_form(client, "/glossary", {"source": "=HYPERLINK(1)", "target": "", "language": ""})
    exported = client.get("/glossary.csv").text
    assert "'=HYPERLINK(1),," in exported.splitlines()
    again = post_form(client, "/glossary/import",
                      files={"file": ("back.csv", exported, "text/csv")})  # fmt: skip
    assert again.status_code == 200, again.text[-300:]
    assert "=HYPERLINK(1)" in {t.source for t in stored_glossary(db).terms}
    assert "'=HYPERLINK(1)" not in {t.source for t in stored_glossary(db).terms}
    actions = [e.action for e in audit_entries(db)[0]]
    assert {"glossary.add", "glossary.import", "glossary.remove"} <= set(actions)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_localize_command_merges_its_file_over_the_stored_glossary(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    create_product(db, Product(sku="L1", title="Red heart lantern", price=Decimal("2")))
    save_terms(db, [LANTERN_DE, GlossaryTerm("heart", "Herz", "de")], "eda")
    file = tmp_path / "mine.csv"
    file.write_text("source,target\nheart,HERZ\n", encoding="utf-8")
    env = fake_env(settings.data_dir, database_url=settings.database_url)
    done = run("localize", "--language", "de", "--glossary", str(file), env=env)
    assert done.returncode == 0, done.stderr
    assert _stored(db, "de")[("L1", "title")] == "[de] Red HERZ Laterne"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_refused_term_is_written_back_without_its_control_characters(
    client: TestClient,
) -> None:
    """An attack: the glossary form's 422 page wrote a NUL back into the field's value."""
    _sign_in(client)
    for typed in ("a\x00b", "a\u202eb"):
        refused = post_form(client, "/glossary", {"source": typed, "target": "x", "language": "de"})
        assert refused.status_code == 422 and "\x00" not in refused.text
        assert 'value="ab"' in refused.text and "\u202e" not in refused.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_upload_with_a_very_long_file_name_is_told_why(client: TestClient) -> None:
    """A 5,000-character file name was a bare 400 "Invalid multipart data." (an attack)."""
    _sign_in(client)
    good = "source,target,language\nlantern,Laterne,de\n"
    long = post_form(client, "/glossary/import",
                     files={"file": ("a" * 5000 + ".csv", good, "text/csv")})  # fmt: skip
    assert long.status_code == 422 and "file name" in long.text and "rename the file" in long.text
    broken = post_form(client, "/glossary/import", content=b"--x\r\nnot a part",
                       headers={"content-type": "multipart/form-data; boundary=x"})  # fmt: skip
    assert broken.status_code in (400, 422) and "Traceback" not in broken.text
