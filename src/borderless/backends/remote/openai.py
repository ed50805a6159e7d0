"""OpenAI-compatible HTTP backends over httpx; the transport is injectable for tests."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import httpx
import numpy as np

from borderless.backends.base import (
    Embedder,
    Generation,
    GenerationRequest,
    Generator,
    Purpose,
    Vectors,
    unit_rows,
)
from borderless.config import Settings
from borderless.errors import BackendError, BackendUnreachable, InvalidInput

__all__ = ["RemoteEmbedder", "RemoteGenerator", "RemoteServer", "parse_remote_spec"]


@dataclass(frozen=True)
class RemoteServer:
    base_url: str  # ends in /v1 for most servers
    model: str
    api_key: str | None = None
    timeout: float = 120.0
    batch_size: int = 64  # texts per embeddings request
    transport: httpx.BaseTransport | None = None


def parse_remote_spec(argument: str, settings: Settings) -> RemoteServer:
    """``http://host:port/v1?model=NAME&timeout=60&batch=64`` into a server description.

    ``batch`` caps the texts per embeddings request: llama-cpp-python's server (0.3.x) mixes
    up token states across inputs of one request for models without pooling; use ``batch=1``.
    """
    parts = urlsplit(argument)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidInput(
            f"remote backend needs an http(s) URL, got {argument!r} "
            "(example: openai:http://127.0.0.1:8080/v1?model=qwen)",
            field="backend",
        )
    query = parse_qs(parts.query)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    try:
        timeout = float(query.get("timeout", ["120"])[0])
        batch = int(query.get("batch", ["64"])[0])
    except ValueError as exc:
        raise InvalidInput(
            "timeout and batch in the remote URL must be numbers", field="backend"
        ) from exc
    if batch < 1 or timeout <= 0:
        raise InvalidInput("timeout and batch in the remote URL must be positive", field="backend")
    model = query.get("model", ["default"])[0]
    return RemoteServer(base, model, settings.remote_api_key, timeout, batch)


class _Client:
    def __init__(self, server: RemoteServer) -> None:
        self.server = server
        headers = {"Authorization": f"Bearer {server.api_key}"} if server.api_key else {}
        self._http = httpx.Client(
            base_url=server.base_url, headers=headers, timeout=server.timeout,
            transport=server.transport,
        )  # fmt: skip

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.server.base_url}{path}"
        try:
            response = self._http.post(path, json=body)
        except httpx.TransportError as exc:
            raise BackendUnreachable(
                f"cannot reach model server at {url}: {exc}", field="backend"
            ) from exc
        if response.status_code >= 400:
            raise BackendError(
                f"model server at {url} answered {response.status_code}: {response.text[:300]}",
                field="backend",
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise BackendError(f"model server at {url} sent no JSON", field="backend") from exc
        if not isinstance(data, dict):
            raise BackendError(f"model server at {url} sent unexpected JSON", field="backend")
        return data

    def stream(self, path: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The JSON events of a server-sent event stream (``data: {...}`` lines)."""
        url = f"{self.server.base_url}{path}"
        try:
            with self._http.stream("POST", path, json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    raise BackendError(
                        f"model server at {url} answered {response.status_code}: "
                        f"{response.text[:300]}",
                        field="backend",
                    )
                for line in response.iter_lines():
                    data = line.removeprefix("data:").strip() if line.startswith("data:") else ""
                    if not data:
                        continue
                    if data == "[DONE]":
                        return
                    try:
                        event = json.loads(data)
                    except ValueError as exc:
                        raise BackendError(
                            f"model server at {url} sent a malformed event", field="backend"
                        ) from exc
                    if isinstance(event, dict):
                        yield event
        except httpx.TransportError as exc:
            raise BackendUnreachable(
                f"cannot reach model server at {url}: {exc}", field="backend"
            ) from exc


class RemoteGenerator(Generator):
    """Chat completions from ``POST {base}/chat/completions``."""

    def __init__(self, server: RemoteServer) -> None:
        self.server = server
        self.name = f"openai:{server.base_url}?model={server.model}"
        self._client = _Client(server)

    def _body(self, request: GenerationRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.server.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "top_p": request.top_p,
        }
        if request.seed is not None:
            body["seed"] = request.seed
        if request.stop:
            body["stop"] = list(request.stop)
        return body

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Pieces from the server's event stream (``"stream": true``)."""
        for event in self._client.stream(
            "/chat/completions", self._body(request) | {"stream": True}
        ):
            try:
                piece = event["choices"][0].get("delta", {}).get("content")
            except (KeyError, IndexError, TypeError, AttributeError):
                continue
            if piece:
                yield str(piece)

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        results = []
        for request in requests:
            data = self._client.post("/chat/completions", self._body(request))
            try:
                choice = data["choices"][0]
                text = choice["message"]["content"] or ""
            except (KeyError, IndexError, TypeError) as exc:
                raise BackendError(
                    "model server sent a reply without choices", field="backend"
                ) from exc
            usage = data.get("usage") or {}
            results.append(
                Generation(
                    text=text,
                    finish_reason=choice.get("finish_reason") or "stop",
                    model=str(data.get("model", self.server.model)),
                    prompt_tokens=int(usage.get("prompt_tokens", 0)),
                    completion_tokens=int(usage.get("completion_tokens", 0)),
                )
            )
        return results


class RemoteEmbedder(Embedder):
    """Embeddings from ``POST {base}/embeddings``, normalised to unit length."""

    def __init__(self, server: RemoteServer) -> None:
        self.server = server
        self.name = f"openai:{server.base_url}?model={server.model}"
        self._client = _Client(server)

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        size = self.server.batch_size
        vectors = np.vstack(
            [self._request(texts[i : i + size]) for i in range(0, len(texts), size)]
        )
        self.dimension = int(vectors.shape[1])
        return unit_rows(vectors)

    def _request(self, texts: Sequence[str]) -> Vectors:
        data = self._client.post("/embeddings", {"model": self.server.model, "input": list(texts)})
        try:
            items = sorted(data["data"], key=lambda item: item["index"])
            vectors = np.vstack([_pooled(item["embedding"]) for item in items]) if items else None
        except (KeyError, TypeError, ValueError) as exc:
            raise BackendError("model server sent malformed embeddings", field="backend") from exc
        if vectors is None or vectors.ndim != 2 or len(vectors) != len(texts):
            raise BackendError("model server sent the wrong number of embeddings", field="backend")
        return vectors


def _pooled(embedding: Any) -> Vectors:
    # Servers without a pooling layer (llama-cpp-python's, for chat models) send one vector
    # per token; their mean is the sentence vector.
    array = np.asarray(embedding, dtype=np.float32)
    if array.ndim == 2:
        array = array.mean(axis=0)
    if array.ndim != 1:
        raise ValueError("embedding is neither a vector nor a list of token vectors")
    return array
