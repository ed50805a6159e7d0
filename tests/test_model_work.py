"""Model work is bounded: a flood of model requests is refused, not queued without end, and
cheap routes keep answering while the models are busy (issue 15's first reproducer)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from borderless.backends import TRANSLATORS, Translator
from borderless.errors import Busy, RateLimited
from borderless.service import create_app
from borderless.service.modelwork import ModelWork
from borderless.storage import open_database

from .conftest import fake_settings, serving

KEY = {"X-API-Key": "test-key"}


class Sleepy(Translator):
    """A translator as slow as a local LLM (0.5 s a batch), and thread-unsafe like one."""

    name = "sleepy"
    calls = 0
    inside = 0
    most_inside = 0

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        Sleepy.calls += 1
        Sleepy.inside += 1
        Sleepy.most_inside = max(Sleepy.most_inside, Sleepy.inside)
        time.sleep(0.5)
        Sleepy.inside -= 1
        return [f"[{target}] {t}" for t in texts]


def test_admission_is_bounded_and_says_when_to_retry() -> None:
    gate = ModelWork(workers=1, queue=1, per_minute=100)
    gate.admit("a")
    gate.admit("b")
    with pytest.raises(Busy) as refused:
        gate.admit("c")
    assert refused.value.retry_after >= 1
    gate.release(2.0)
    gate.admit("c")  # a place came free


def test_one_client_is_rate_limited() -> None:
    gate = ModelWork(workers=4, queue=100, per_minute=3)
    for _ in range(3):
        assert gate.call("10.0.0.1", lambda: 1) == 1
    with pytest.raises(RateLimited) as limited:
        gate.call("10.0.0.1", lambda: 1)
    assert 1 <= limited.value.retry_after <= 60
    assert gate.call("10.0.0.2", lambda: 2) == 2  # another client is not held back
    assert gate.pending() == 0


def test_a_call_that_cannot_start_is_refused_not_left_hanging() -> None:
    """A review job's first batch trained the sentiment model on the model thread for ten
    minutes; a public support chat behind it held its connection all that time. A call not
    started within `start_within` is taken off the queue and refused with Retry-After; one
    that has started is waited for."""
    import threading

    gate = ModelWork(workers=1, queue=4, per_minute=100, start_within=0.2)
    release = threading.Event()
    background = ThreadPoolExecutor(1).submit(gate.background, release.wait)
    ran: list[int] = []
    with pytest.raises(Busy) as refused:
        gate.call("shopper", lambda: ran.append(1))
    assert refused.value.retry_after >= 30 and "a long task" in refused.value.message
    release.set()
    background.result(timeout=5)
    assert ran == [] and gate.pending() == 0  # taken off the queue: it never ran later
    assert gate.call("shopper", lambda: time.sleep(0.4) or 7) == 7  # started: waited for


@pytest.fixture
def busy_shop(tmp_path: Path) -> Iterator[str]:
    TRANSLATORS.register("sleepy", lambda arg, s: Sleepy(), replace=True)
    settings = fake_settings(
        tmp_path / "data", translator="sleepy", model_workers=1, model_queue=4,
        model_rate_per_minute=1000,
    )  # fmt: skip
    with serving(create_app(settings, open_database(settings))) as url:
        yield url


def test_a_flood_of_translations_is_refused_and_health_keeps_answering(busy_shop: str) -> None:
    body = {"texts": ["a white heart"], "source": "en", "target": "de"}
    health: list[int] = []

    def translate(_: int) -> httpx.Response:
        return httpx.post(f"{busy_shop}/v1/translate", json=body, headers=KEY, timeout=60)

    with ThreadPoolExecutor(40) as pool:
        flood = [pool.submit(translate, i) for i in range(40)]
        time.sleep(0.3)  # the flood is in: one translating, four waiting, the rest refused
        for _ in range(5):
            health.append(httpx.get(f"{busy_shop}/health", timeout=5).status_code)
            health.append(httpx.get(f"{busy_shop}/v1/products", timeout=5).status_code)
        answers = [f.result() for f in flood]
    assert set(health) == {200}
    done = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code == 503]
    assert len(done) + len(refused) == 40
    assert 1 <= len(done) <= 10  # one worker, four waiting (and places freed meanwhile)
    assert refused, "the queue must refuse what it cannot hold"
    assert all(int(a.headers["Retry-After"]) >= 1 for a in refused)
    assert refused[0].json()["code"] == "busy"
    assert Sleepy.most_inside == 1  # the model never ran two requests at once


def test_one_request_may_not_hold_hours_of_model_time(busy_shop: str) -> None:
    huge = {"texts": ["x" * 20_000] * 100, "source": "en", "target": "de"}  # 2 MB
    answer = httpx.post(f"{busy_shop}/v1/translate", json=huge, headers=KEY, timeout=30)
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"
    long = {"texts": ["x" * 5_000] * 100, "source": "en", "target": "de"}  # 500 kB of text
    answer = httpx.post(f"{busy_shop}/v1/translate", json=long, headers=KEY, timeout=30)
    assert answer.status_code == 422 and answer.json()["field"] == "texts"
