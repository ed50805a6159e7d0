"""The service's background job runner: one thread, one job at a time, oldest first.

Jobs are rows in the shop database (borderless.storage.jobs), so the dashboard and the API
see their progress and the runner needs nothing in memory to resume: when the service starts,
a job left `running` by the last process is marked failed (starting it again resumes the work,
since the catalog runs skip what is stored). Each batch's model work goes through `call`, the
service's model thread, so a job never runs the model beside a person's request.

Kinds: translate and copy (the whole catalog, batch by batch, each batch stored), forecast
(every SKU x market weekly series; numeric work on this thread, not the model's; stored at
the end) and reviews (every review without a sentiment, batches on the model thread, stored
at the end). A forecast or review scoring works on the whole shop, so only one of each waits
or runs at a time (storage.jobs.WHOLE_SHOP).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from borderless.errors import BorderlessError, InvalidInput
from borderless.jobs.catalog import (
    CatalogRun,
    check_languages,
    copy_todo,
    translate_catalog,
    translation_todo,
    write_catalog_copy,
)

if TYPE_CHECKING:
    from borderless.capabilities.copywrite import CopyRequest
    from borderless.capabilities.reviews.analysis import ReviewReading
    from borderless.storage.jobs import Job
    from borderless.wiring import Services

__all__ = ["JobRunner", "check_parameters"]

log = logging.getLogger("borderless.jobs")
Call = Callable[[Callable[[], Any]], Any]
TRANSLATE_KEYS = {"language", "source"}
FORECAST_KEYS = {"horizon"}
FORECAST_WEEKS = 8  # what `borderless forecast shop` and the supply page plan with
REVIEW_BATCH = 200  # reviews per model call: a support chat waits at most one batch
MODEL_NOTE = (
    "getting the sentiment model ready first: loaded in seconds, or trained from the "
    "shared labelled reviews the first time (a few minutes)"
)
# While that first training runs: how far it has read (embedding is most of its time).
TRAINING_NOTE = (
    "training the sentiment model from the shared labelled reviews (the first time only): "
    "{share:.0%} read"
)
COPY_KEYS = {"language", "kind", "market", "tone", "length", "policy"}


def _copy_request(parameters: Mapping[str, Any]) -> CopyRequest:
    from borderless.copydesk import copy_request

    return copy_request(
        str(parameters["language"]), parameters.get("market") or None,
        kind=str(parameters.get("kind") or "description"),
        tone=str(parameters.get("tone") or "friendly"),
        length=str(parameters.get("length") or "medium"),
        policy=str(parameters.get("policy") or "regenerate"),
    )  # fmt: skip


def check_parameters(kind: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A job's parameters, checked and tidied before it is queued (InvalidInput naming the
    field): translate takes language (and source, default en); copy takes language and
    optionally kind, market, tone, length, policy; forecast takes horizon (weeks, 1-104);
    reviews takes nothing (it scores every review without a sentiment)."""
    from borderless.languages import language_name

    allowed = {"translate": TRANSLATE_KEYS, "copy": COPY_KEYS, "forecast": FORECAST_KEYS,
               "reviews": set()}.get(kind)  # fmt: skip
    if allowed is None:
        raise InvalidInput("kind must be translate, copy, forecast or reviews", field="kind")
    for name, value in parameters.items():
        if name not in allowed:
            takes = ", ".join(sorted(allowed)) or "no parameters"
            # /v1/translate calls it "target": say which of ours that is
            meant = " (the target language is 'language')" if name == "target" else ""
            raise InvalidInput(f"a {kind} job takes {takes}; not {name[:40]!r}{meant}",
                               field=f"parameters.{name[:40]}")  # fmt: skip
        if value is not None and not isinstance(value, str) and name != "horizon":
            raise InvalidInput(f"{name} must be text", field=f"parameters.{name}")
        # a horizon of 8.0 or true is refused by _weeks in words, not by type
    if kind == "forecast":
        return {"horizon": _weeks(parameters.get("horizon"))}
    if kind == "reviews":
        return {}
    language = str(parameters.get("language") or "").strip().lower()
    if not language:
        raise InvalidInput("give the language to work in", field="parameters.language")
    language_name(language, "parameters.language")
    if kind == "translate":
        source = str(parameters.get("source") or "en").strip().lower()
        check_languages(source, language, "parameters.")
        return {"language": language, "source": source}
    clean = {k: str(v).strip() for k, v in parameters.items() if v} | {"language": language}
    try:
        request = _copy_request(clean)
    except InvalidInput as exc:  # the copy desk names its own field: here it is a parameter
        raise InvalidInput(exc.message, field=f"parameters.{exc.field}") from exc
    return {"language": request.language, "kind": request.kind,
            "market": request.market.code if request.market else None,
            "tone": request.tone, "length": request.length, "policy": request.policy}  # fmt: skip


def _weeks(value: object) -> int:
    text = str(value if value not in (None, "") else FORECAST_WEEKS).strip()
    truth = isinstance(value, bool)  # JSON's true was told "not 'True'", Python's spelling
    # the digits 0-9 only ("²" isdigit())
    if truth or not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= 104:
        said = "true or false" if truth else repr(text[:20])
        raise InvalidInput(f"horizon is a whole number of weeks from 1 to 104, not {said}",
                           field="parameters.horizon")  # fmt: skip
    return int(text)


class _Cancelled(Exception):
    """Raised from a forecast's progress: stop before anything is stored."""


class JobRunner:
    """Runs queued jobs one at a time on its own thread until `stop`."""

    def __init__(self, services: Services, call: Call | None = None, poll: float = 2.0) -> None:
        self.services = services
        self.call: Call = call or (lambda work: work())
        self.poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> JobRunner:
        """Mark jobs cut off by the last process as failed, then start taking jobs."""
        from borderless.storage.jobs import fail_interrupted_jobs

        failed = fail_interrupted_jobs(self.services.db)
        if failed:
            log.warning("%d job(s) were cut off when the service stopped: marked failed", failed)
        self._thread = threading.Thread(target=self._loop, name="borderless-jobs", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_next()
            except Exception:  # the database went away, say: log it and keep the thread alive
                log.exception("the job runner failed to take a job")
                ran = None
            if ran is None:
                self._wake.wait(self.poll)
                self._wake.clear()

    def run_next(self) -> Job | None:
        """Take the oldest queued job and run it to its end; None when none waits."""
        from borderless.storage.jobs import INTERRUPTED, claim_next_job, finish_job, get_job

        db = self.services.db
        job = claim_next_job(db)
        if job is None:
            return None
        try:
            run = self._run(job)
        except BorderlessError as exc:
            finish_job(db, job.id, "failed", error=exc.message)
        except Exception as exc:
            log.exception("job %d failed", job.id)
            finish_job(db, job.id, "failed", error=f"internal error ({type(exc).__name__}); logged")
        else:
            if run.stopped and self._stop.is_set():  # the service is stopping, not a cancel
                finish_job(db, job.id, "failed", error=INTERRUPTED, summary=_summary(job, run))
            else:  # a cancelled job keeps its status and gets the summary
                finish_job(db, job.id, "done", summary=_summary(job, run))
        return get_job(db, job.id)

    def _run(self, job: Job) -> CatalogRun:
        from borderless.storage.jobs import advance_job, start_counted

        db, p = self.services.db, job.parameters
        done = 0

        stored = job.kind not in ("forecast", "reviews")  # those store at the end only

        def advance(n: int) -> bool:
            nonlocal done
            done += n
            return advance_job(db, job.id, done, stored=stored) and not self._stop.is_set()

        if job.kind == "forecast":
            return self._forecast(job, advance)
        if job.kind == "reviews":
            return self._score_reviews(job, advance)
        if job.kind == "translate":
            todo = translation_todo(db, p["language"])
            if not start_counted(db, job.id, len(todo)):
                return CatalogRun(0, 0, 0, stopped=True)
            return translate_catalog(self.services, todo, p.get("source") or "en", p["language"],
                                     advance=advance, call=self.call)  # fmt: skip
        request = _copy_request(p)
        products = copy_todo(db, request)
        if not start_counted(db, job.id, len(products)):
            return CatalogRun(0, 0, 0, stopped=True)
        return write_catalog_copy(self.services, products, request, advance=advance,
                                  call=self.call)  # fmt: skip

    def _forecast(self, job: Job, advance: Callable[[int], bool]) -> CatalogRun:
        """Every SKU x market weekly series forecast and stored in one transaction; a cancel
        stops it before the store (the forecasts before it stay)."""
        from borderless.jobs.supply import forecast_shop
        from borderless.storage.jobs import start_counted

        def progress(n: int) -> None:
            if not advance(n):
                raise _Cancelled

        def on_total(n: int) -> None:
            if not start_counted(self.services.db, job.id, n):
                raise _Cancelled

        try:
            run = forecast_shop(self.services.db, horizon=int(job.parameters["horizon"]),
                                progress=progress, on_total=on_total,
                                lifecycle=self.services.lifecycle)  # fmt: skip
        except _Cancelled:
            return CatalogRun(0, 0, 0, stopped=True)
        return CatalogRun(int(run["series"]), int(run["series"]), 0)

    def _score_reviews(self, job: Job, advance: Callable[[int], bool]) -> CatalogRun:
        """Sentiment, aspects and complaints of every review without a sentiment, batch by
        batch on the model thread (a support chat is answered between batches), stored in one
        transaction at the end: a cancelled run stores nothing (as `borderless reviews score`)."""
        from borderless.jobs.reviews import read_reviews, store_readings
        from borderless.jobs.runner import batched
        from borderless.storage.jobs import note_job, start_counted
        from borderless.storage.reviews import unscored_reviews

        db = self.services.db
        todo = unscored_reviews(db)
        if todo and "sentiment" not in self.services.built():
            # the first run of a shop trains the model (minutes): the page showed "0 / N"
            if not start_counted(db, job.id, len(todo)) or not note_job(db, job.id, MODEL_NOTE):
                return CatalogRun(0, 0, 0, stopped=True)

            def training(done: int, total: int) -> None:
                note_job(db, job.id, TRAINING_NOTE.format(share=done / max(total, 1)))

            self.call(partial(self.services.sentiment_model, progress=training))
            if not note_job(db, job.id, None):
                return CatalogRun(0, 0, 0, stopped=True)
        done: list[tuple[int, str, str]] = []
        readings: list[ReviewReading] = []
        while todo:
            # reviews imported while it runs are read too (the import starts no second job)
            if not start_counted(db, job.id, len(done) + len(todo)):
                return CatalogRun(len(readings), 0, 0, stopped=True)
            for chunk in batched(todo, REVIEW_BATCH):
                texts = [(text, language) for _, text, language in chunk]
                readings += self.call(partial(read_reviews, self.services, texts))
                if not advance(len(chunk)):
                    return CatalogRun(len(readings), 0, 0, stopped=True)
            done += todo
            read = {i for i, _, _ in done}
            todo = [r for r in unscored_reviews(db) if r[0] not in read]
        if not done and not start_counted(db, job.id, 0):
            return CatalogRun(0, 0, 0, stopped=True)
        store_readings(db, done, readings)
        negative = sum(r.sentiment.label == "negative" for r in readings)
        return CatalogRun(len(readings), len(readings), negative)


def _summary(job: Job, run: CatalogRun) -> str:
    if job.kind == "reviews":
        if run.stopped:
            return f"stopped after {run.handled:,} reviews: nothing stored (start it again)"
        return f"{run.stored:,} reviews scored; {run.needs_review:,} negative"
    if job.kind == "forecast":
        weeks = job.parameters.get("horizon", FORECAST_WEEKS)
        if run.stopped:
            return "stopped before the forecasts were stored: the previous ones stand"
        return f"{run.stored:,} SKU x market series forecast {weeks} weeks ahead"
    if job.kind == "translate":
        return f"{run.stored:,} fields translated; {run.needs_review:,} flagged for review"
    skipped = max(0, run.handled - run.stored)
    return (f"{run.stored:,} drafts written; {run.needs_review:,} still state unbacked facts; "
            f"{skipped:,} products skipped (no facts)")  # fmt: skip
