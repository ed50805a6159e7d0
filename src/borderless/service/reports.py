"""Reports too slow to build inside a page request (the pain-point report embeds and clusters
every complaint: half a minute to minutes on the demo reviews, more while the default sentiment
model is first trained). The page asks for one by its key; the first ask starts the build on a
model thread and answers "being prepared"; later asks get the report once built. Built reports
are kept until their key changes (the key says what the report was built from), 32 at most.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

__all__ = ["KeptReports"]


class KeptReports:
    def __init__(self, submit: Callable[[Callable[[], Any]], Future[Any]], size: int = 32) -> None:
        self._submit = submit
        self._size = size
        self._done: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any | None:
        """The report for `key`, or None while it is being built (the first call starts it).
        A build that failed raises its error once, to the asker that finds it; the next ask
        starts again."""
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            job = self._running.get(key)
            if job is None:
                self._running[key] = self._submit(build)
                return None
            if not job.done():
                return None
            del self._running[key]
        report = job.result()
        with self._lock:
            self._done[key] = report
            while len(self._done) > self._size:
                self._done.popitem(last=False)
        return report

    def __len__(self) -> int:
        return len(self._done)
