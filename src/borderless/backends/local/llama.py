"""Text generation with llama.cpp (package llama-cpp-python) on a local GGUF file.

The model loads on first use and unloads after `idle_seconds` without a request (default 300,
`BORDERLESS_LLM_IDLE_SECONDS`; 0 keeps it): the default Qwen 1.5B holds about 1.3 GB of
resident memory that a shop serving only catalog pages should not pay for (measured in
benchmarks/RESULTS.md, "Memory per model"). Loading again takes about a second from the page
cache.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from borderless.backends.base import Generation, GenerationRequest, Generator
from borderless.errors import BackendError
from borderless.optional import require

__all__ = ["LlamaCppGenerator"]


class LlamaCppGenerator(Generator):
    """Chat completion on a GGUF model; loaded on first use, unloaded when idle."""

    def __init__(
        self,
        model_path: Path,
        *,
        threads: int = 1,
        context: int = 4096,
        idle_seconds: float = 300,
    ) -> None:
        self.model_path = model_path
        self.threads = threads
        self.context = context
        self.idle_seconds = idle_seconds
        self.name = f"llama-cpp:{model_path.name}"
        self._llama: Any = None
        self._lock = threading.Lock()
        self._last_used = 0.0
        self._timer: threading.Timer | None = None

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    def _used(self) -> None:
        """Called with the lock held after a request: (re)arm the idle timer."""
        self._last_used = time.monotonic()
        if self.idle_seconds <= 0:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.idle_seconds, self._unload_if_idle)
        self._timer.daemon = True
        self._timer.start()

    def _unload_if_idle(self) -> None:
        with self._lock:
            if self._llama is None or time.monotonic() - self._last_used < self.idle_seconds:
                return
            self.unload()

    def unload(self) -> None:
        """Free the model now (call with the lock held, or when no request can run)."""
        llama, self._llama = self._llama, None
        if llama is not None and hasattr(llama, "close"):
            llama.close()

    def _load(self) -> Any:
        if self._llama is None:
            llama_cpp = require("llama_cpp", "llm", feature="local generation", field="generator")
            self._llama = llama_cpp.Llama(
                model_path=str(self.model_path),
                n_ctx=self.context,
                n_threads=self.threads,
                verbose=False,
            )
        return self._llama

    def _options(self, request: GenerationRequest) -> dict[str, Any]:
        return {
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "seed": request.seed,
            "stop": list(request.stop) or None,
        }

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """One piece per generated token."""
        with self._lock:
            llama = self._load()
            try:
                for chunk in llama.create_chat_completion(**self._options(request), stream=True):
                    piece = chunk["choices"][0]["delta"].get("content")
                    if piece:
                        yield piece
            except (ValueError, RuntimeError) as exc:
                raise BackendError(f"llama.cpp failed: {exc}", field="generator") from exc
            finally:
                self._used()

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        results = []
        with self._lock:  # one llama context serves one request at a time
            llama = self._load()
            try:
                for request in requests:
                    try:
                        reply = llama.create_chat_completion(**self._options(request))
                    except (ValueError, RuntimeError) as exc:
                        raise BackendError(f"llama.cpp failed: {exc}", field="generator") from exc
                    choice = reply["choices"][0]
                    usage = reply.get("usage", {})
                    results.append(
                        Generation(
                            text=choice["message"]["content"] or "",
                            finish_reason=choice.get("finish_reason") or "stop",
                            model=self.model_path.name,
                            prompt_tokens=int(usage.get("prompt_tokens", 0)),
                            completion_tokens=int(usage.get("completion_tokens", 0)),
                        )
                    )
            finally:
                self._used()
        return results
