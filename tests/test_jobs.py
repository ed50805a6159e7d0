"""Background jobs: stored with their progress (SQLite and PostgreSQL), run one at a time by the
service's runner through the same catalog loop as `borderless localize` / `borderless copy`,
cancelled, cut off by a restart and started again, from the API and the dashboard."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from borderless.capabilities.catalog.records import Product
from borderless.config import Settings
from borderless.errors import Conflict, InvalidInput, NotFound
from borderless.jobs.background import JobRunner, check_parameters
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage import tables as t
from borderless.storage.catalog import create_product
from borderless.storage.copy_drafts import skus_with_copy
from borderless.storage.jobs import (
    INTERRUPTED,
    advance_job,
    cancel_job,
    claim_next_job,
    create_job,
    fail_interrupted_jobs,
    finish_job,
    get_job,
    list_jobs,
    start_counted,
)
from borderless.storage.localize import pending_fields
from borderless.storage.staff import add_account
from borderless.wiring import Services

from .conftest import post_form

KEY = {"X-API-Key": "test-key"}


def _shop(db: Database, n: int = 12) -> None:
    for i in range(n):
        text = f"A lantern for the garden, number {i}."
        product = Product(sku=f"P{i:02d}", title=f"Red heart lantern {i}", description=text,
                          price=Decimal("2.50"), attributes={"colour": "red"})  # fmt: skip
        create_product(db, product)


def test_a_job_moves_through_its_states(db: Database) -> None:
    job = create_job(db, "translate", {"language": "de", "source": "en"}, "eda")
    assert (job.status, job.done, job.total, job.percent) == ("queued", 0, None, None)
    taken = claim_next_job(db)
    assert taken is not None and taken.id == job.id and taken.status == "running"
    assert claim_next_job(db) is None  # one runner per job
    assert start_counted(db, job.id, 40) and advance_job(db, job.id, 10)
    assert get_job(db, job.id).percent == 25
    finish_job(db, job.id, "done", summary="40 fields translated")
    done = get_job(db, job.id)
    assert (done.status, done.summary) == ("done", "40 fields translated") and done.finished_at
    with pytest.raises(Conflict):
        cancel_job(db, job.id)
    with pytest.raises(NotFound):
        get_job(db, 999)
    with pytest.raises(InvalidInput):
        create_job(db, "reindex", {}, "eda")


def test_cancel_and_interrupted_jobs(db: Database) -> None:
    waiting = create_job(db, "copy", {"language": "en"}, "eda")
    assert cancel_job(db, waiting.id).status == "cancelled"
    cut = create_job(db, "translate", {"language": "fr"}, "eda")
    claim_next_job(db)
    assert cancel_job(db, cut.id).status == "cancelled"
    assert not advance_job(db, cut.id, 5)  # the runner learns it at its next batch
    assert get_job(db, cut.id).done == 5  # a batch stored while it was cancelled counts
    # work stored only at its end counts no further once cancelled (a forecast job went on
    # counting with nothing stored: an attack)
    at_end = create_job(db, "forecast", {"horizon": 8}, "eda")
    claim_next_job(db)
    assert advance_job(db, at_end.id, 3, stored=False)
    cancel_job(db, at_end.id)
    assert not advance_job(db, at_end.id, 9, stored=False)
    assert get_job(db, at_end.id).done == 3
    again = create_job(db, "translate", {"language": "fr"}, "eda")
    claim_next_job(db)
    assert fail_interrupted_jobs(db) == 1
    failed = get_job(db, again.id)
    assert (failed.status, failed.error) == ("failed", INTERRUPTED)
    page, total = list_jobs(db, limit=2)
    assert total == 4 and [j.id for j in page] == [again.id, at_end.id]
    assert list_jobs(db, status="cancelled")[1] == 3


def test_parameters_are_checked_before_a_job_is_queued() -> None:
    assert check_parameters("translate", {"language": "DE"}) == {"language": "de", "source": "en"}
    copy = check_parameters("copy", {"language": "de", "kind": "bullets", "market": "de"})
    assert (copy["kind"], copy["market"], copy["tone"]) == ("bullets", "DE", "friendly")
    for kind, parameters, field in [
        ("translate", {}, "parameters.language"),
        ("translate", {"language": "xx"}, "parameters.language"),
        ("translate", {"language": "en"}, "parameters.language"),
        ("translate", {"language": "de", "limit": "3"}, "parameters.limit"),
        ("copy", {"language": "de", "kind": "poem"}, "parameters.kind"),
        ("reindex", {"language": "de"}, "kind"),
        ("forecast", {"horizon": 8.0}, "parameters.horizon"),  # in words, not pydantic's type
        ("forecast", {"horizon": True}, "parameters.horizon"),
        ("reviews", {"x": "1"}, "parameters.x"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            check_parameters(kind, parameters)
        assert refused.value.field == field, (parameters, refused.value.message)
    with pytest.raises(InvalidInput, match="a reviews job takes no parameters; not 'x'"):
        check_parameters("reviews", {"x": "1"})
    with pytest.raises(InvalidInput, match=r"not '8\.0'"):
        check_parameters("forecast", {"horizon": 8.0})
    with pytest.raises(InvalidInput, match=r"not true or false$"):  # was "not 'True'"
        check_parameters("forecast", {"horizon": True})
    with pytest.raises(InvalidInput) as long_tone:
        check_parameters("copy", {"language": "de", "tone": "x" * 10_000})
    assert len(long_tone.value.message) < 200  # a 10,000-character tone was echoed whole


def _cancel_after_first_batch(db: Database, job_id: int) -> Callable[[Callable[[], Any]], Any]:
    def call(work: Callable[[], Any]) -> Any:
        result = work()
        if get_job(db, job_id).status == "running":
            cancel_job(db, job_id)
        return result

    return call


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_runner_translates_resumes_and_stops_when_cancelled(
    settings: Settings, db: Database
) -> None:
    _shop(db)  # 12 products: 24 fields, 2 batches of 16
    services = Services(settings, db)
    first = create_job(db, "translate", {"language": "de", "source": "en"}, "eda")
    cancelled = JobRunner(services, call=_cancel_after_first_batch(db, first.id)).run_next()
    assert cancelled is not None
    assert (cancelled.status, cancelled.done, cancelled.total) == ("cancelled", 16, 24)
    assert "16 fields translated" in (cancelled.summary or "")
    assert len(pending_fields(db, "de")) == 8  # the finished batch is kept
    # Cut off by a restart: failed at the next start, and starting it again does the rest.
    cut = create_job(db, "translate", {"language": "de", "source": "en"}, "eda")
    claim_next_job(db)
    runner = JobRunner(services, poll=0.05).start()
    try:
        assert get_job(db, cut.id).status == "failed"
        again = create_job(db, "translate", {"language": "de", "source": "en"}, "eda")
        runner.wake()
        finished = _wait(db, again.id)
    finally:
        runner.stop()
    assert (finished.status, finished.done, finished.total) == ("done", 8, 8)
    assert pending_fields(db, "de") == []
    texts = _stored(db, "de")
    assert len(texts) == 24 and all(text.startswith("[de] ") for text in texts.values())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_runner_writes_copy_for_the_catalog(settings: Settings, db: Database) -> None:
    _shop(db, 5)
    job = create_job(db, "copy", check_parameters("copy", {"language": "en"}), "eda")
    done = JobRunner(Services(settings, db)).run_next()
    assert done is not None and (done.status, done.done, done.total) == ("done", 5, 5)
    assert set(skus_with_copy(db, "description", "en")) == {f"P{i:02d}" for i in range(5)}
    assert get_job(db, job.id).summary and "5 drafts written" in (done.summary or "")


def _stored(db: Database, language: str) -> dict[tuple[str, str], str]:
    """(sku, field) -> stored translation (read directly: the list API's shape is changing)."""
    pt = t.product_translations
    query = select(pt.c.sku, pt.c.field, pt.c.text).where(pt.c.language == language)
    with db.engine.connect() as conn:
        return {(r.sku, r.field): r.text for r in conn.execute(query)}


def _wait(db: Database, job_id: int, seconds: float = 30) -> Any:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        job = get_job(db, job_id)
        if not job.active:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {get_job(db, job_id).status}")


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    _shop(db, 3)
    with TestClient(create_app(settings, db)) as c:
        yield c


def test_jobs_api(client: TestClient, db: Database) -> None:
    body = {"kind": "translate", "parameters": {"language": "fr"}}
    assert client.post("/v1/jobs", json=body).status_code == 401
    viewer = add_account(db, "vic", "viewer")
    assert client.post("/v1/jobs", json=body, headers={"X-API-Key": viewer}).status_code == 403
    started = client.post("/v1/jobs", json=body, headers=KEY)
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["status"] == "queued" and job["started_by"] == "owner"
    assert _wait(db, job["id"]).status == "done"
    shown = client.get(f"/v1/jobs/{job['id']}", headers={"X-API-Key": viewer}).json()
    assert (shown["done"], shown["total"], shown["percent"]) == (6, 6, 100)
    listed = client.get("/v1/jobs", params={"status": "done"}, headers=KEY).json()
    assert listed["count"] == 1 and listed["limit"] == 50 and listed["offset"] == 0
    ended = client.post(f"/v1/jobs/{job['id']}/cancel", headers=KEY)
    assert ended.status_code == 409 and ended.json()["field"] == "job_id"
    for bad, field in [({"kind": "translate", "parameters": {"language": "xx"}},
                        "parameters.language"),
                       ({"kind": "dance", "parameters": {}}, "kind"),
                       ({"kind": "copy", "parameters": {"language": "de", "tone": "angry"}},
                        "parameters.tone"),
                       ({"kind": "forecast", "parameters": {"horizon": 8.0}},
                        "parameters.horizon"),
                       ({"kind": "translate"}, "parameters.language")]:  # fmt: skip
        refused = client.post("/v1/jobs", json=bad, headers=KEY)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    assert client.get("/v1/jobs/0", headers=KEY).status_code == 422
    assert client.get("/v1/jobs/77", headers=KEY).status_code == 404
    copy = client.post("/v1/jobs", headers=KEY, json={"kind": "copy", "parameters": {
        "language": "de", "kind": "bullets"}})  # fmt: skip
    assert copy.status_code in (200, 201, 202), copy.text  # it was a 500 (the audit record)
    cancel_job(db, copy.json()["id"])
    # {"kind": "reviews"} alone, as the reviews docs write it, was a 422 (a walk)
    scoring = client.post("/v1/jobs", headers=KEY, json={"kind": "reviews"})
    assert scoring.status_code in (200, 201, 202), scoring.text


def test_jobs_page_starts_follows_and_cancels(client: TestClient, db: Database) -> None:
    assert client.get("/jobs", follow_redirects=False).status_code == 303
    post_form(client, "/login", data={"key": "test-key", "next": "/"}, follow_redirects=False)
    empty = client.get("/jobs").text
    assert 'http-equiv="refresh"' not in empty and 'id="start-translate"' in empty
    queued = create_job(db, "copy", {"language": "en", "kind": "description"}, "eda")
    claim_next_job(db)  # as if the runner held it: the page follows it
    start_counted(db, queued.id, 4)
    advance_job(db, queued.id, 1)
    page = client.get("/jobs").text
    assert '<meta http-equiv="refresh" content="3; url=/jobs">' in page
    assert f'id="job-{queued.id}" data-status="running"' in page and 'value="1"' in page
    post_form(client, f"/jobs/{queued.id}/cancel")
    assert get_job(db, queued.id).status == "cancelled"
    assert "the batch under way is finished and kept" in client.get("/jobs").text
    started = post_form(client, "/jobs", {"kind": "translate", "language": "de"},
                        follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    job = list_jobs(db, limit=1)[0][0]
    assert (job.kind, job.parameters["language"], job.started_by) == ("translate", "de", "owner")
    assert _wait(db, job.id).status == "done"
    done = client.get("/jobs").text
    assert 'http-equiv="refresh"' not in done and "6 fields translated" in done
    # a copy job: its own kind (description) clashed with the job's in the audit record (500)
    copy = post_form(client, "/jobs", {"kind": "copy", "language": "fr", "copy_kind": "ad_text"},
                     follow_redirects=False)  # fmt: skip
    assert copy.status_code == 303, copy.text
    job = list_jobs(db, limit=1)[0][0]
    assert (job.kind, job.parameters["kind"], job.parameters["language"]) == ("copy", "ad_text",
                                                                              "fr")  # fmt: skip
    cancel_job(db, job.id)
    refused = post_form(client, "/jobs", {"kind": "translate", "language": "en"})
    assert refused.status_code == 422 and 'id="job-error"' in refused.text
    # The Translations and Copy pages start the same jobs.
    assert 'id="translate-catalog"' in client.get("/translations?language=fr").text
    assert 'id="copy-catalog"' in client.get("/products/P00/copy").text


def test_copy_kinds_are_shown_in_words() -> None:
    """The Jobs and Copy pages listed seo_title, meta_description and ad_text as spelt in code."""
    from borderless.capabilities.copywrite.kinds import KINDS, kind_label

    assert kind_label("seo_title") == "SEO title" and kind_label("ad_text") == "ad text"
    assert all("_" not in kind_label(k) for k in KINDS)


def test_a_running_job_says_how_long_it_has_left() -> None:
    """A walk: "16 / 3,810" and no estimate left a seller to work out that a catalog
    translation would take hours."""
    from datetime import timedelta

    from borderless.service.app import time_left
    from borderless.storage.jobs import Job, _now

    started = _now() - timedelta(seconds=50)
    job = Job(1, "translate", {}, "running", 16, 3810, None, None, "staff", started, started,
              None)  # fmt: skip
    assert job.seconds_left is not None and 3.2 * 3600 < job.seconds_left < 3.4 * 3600
    assert time_left(job.seconds_left) == "about 3 h 20 min left"
    assert time_left(30) == "under a minute left" and time_left(200) == "about 3 min left"
    done = Job(2, "translate", {}, "done", 10, 10, None, None, "staff", started, started, None)
    assert done.seconds_left is None
