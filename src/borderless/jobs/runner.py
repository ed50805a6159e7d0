"""Running a job's batches here or on Ray; finished batches come back as they complete."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from borderless.errors import InvalidInput
from borderless.optional import require

if TYPE_CHECKING:
    from borderless.config import Settings
    from borderless.wiring import Services

__all__ = ["Work", "batched", "run_local", "run_on_ray", "settings_config", "worker_services"]

T = TypeVar("T")
Work = Callable[[Sequence[Any]], list[Any]]


def batched(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def settings_config(settings: Settings) -> str:
    """Settings as a string a worker rebuilds them from (hashable, so workers cache on it)."""
    return json.dumps(settings.model_dump(mode="json"), sort_keys=True)


@cache
def worker_services(config: str) -> Services:
    """One `Services` per worker process and configuration, without the shop database."""
    from borderless.config import load_settings
    from borderless.wiring import Services

    return Services(load_settings(**json.loads(config)), database=None)


def run_local(work: Work, batches: Sequence[Sequence[Any]]) -> Iterator[list[Any]]:
    for batch in batches:
        yield work(batch)


def _call(work: Work, items: Sequence[Any]) -> list[Any]:
    return work(items)


def _check_reachable(address: str, seconds: float = 5.0) -> None:
    """InvalidInput (field ray_address) unless a `host:port` or `ray://host:port` address
    answers within `seconds`: Ray itself retried "bogus:1" for over nine minutes (an attack).
    "local", "auto" and an address without a port are left to Ray."""
    import socket

    found = re.fullmatch(r"(?:ray://)?\[?([^\]/]+?)\]?:(\d{1,5})/?", address.strip())
    if address in ("local", "auto") or found is None:
        return
    host, port = found[1], int(found[2])
    try:
        with socket.create_connection((host, port), timeout=seconds):
            pass
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"cannot reach the Ray cluster at {address}: {getattr(exc, 'strerror', None) or exc}",
            field="ray_address",
        ) from exc


def run_on_ray(
    address: str, work: Work, batches: Sequence[Sequence[Any]], in_flight: int = 8
) -> Iterator[list[Any]]:
    """Finished batches as they complete (any order), at most `in_flight` submitted at once."""
    ray = require("ray", "ray", feature="jobs on Ray")
    _check_reachable(address)
    try:
        ray.init(address=None if address == "local" else address, ignore_reinit_error=True,
                 log_to_driver=False)  # fmt: skip
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise InvalidInput(
            f"cannot reach the Ray cluster at {address}: {exc}", field="ray_address"
        ) from exc
    remote = ray.remote(_call)
    waiting = list(batches)
    running: list[Any] = []
    while waiting or running:
        while waiting and len(running) < in_flight:
            running.append(remote.remote(work, waiting.pop(0)))
        done, running = ray.wait(running, num_returns=1)
        yield ray.get(done[0])
