"""The loop every trainable model joins: record a trained version, decide champion/challenger
on the task's held-out file, promote or roll back (loading the model first, so a broken one
never becomes active), and retrain from the base data plus staff corrections.

A model joins by giving a `ModelTask` (how to load a folder, evaluate a model on a file and
retrain from a base file plus corrections) to `Lifecycle`; the registry itself is a repository
passed in (borderless.storage.registry.ShopRegistry)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from borderless.capabilities.lifecycle.champion import Comparison, compare
from borderless.capabilities.lifecycle.data import fingerprint
from borderless.errors import BackendError, InvalidInput, NotFound

__all__ = ["RECORDED_ONLY", "Lifecycle", "ModelTask", "Outcome", "Promote", "Trained"]

Promote = Literal["auto", "yes", "no", "if-better"]
# tasks whose versions builds and refits record as they put them into service (`record`):
# listed and compared, never promoted or rolled back
RECORDED_ONLY = ("attributes", "forecast", "recommendations", "search")


@dataclass(frozen=True)
class Trained:
    """A version a training command has saved, ready to be registered."""

    version: str
    folder: Path
    metrics: dict[str, Any]
    parameters: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    train_seconds: float = 0.0


class ModelTask(Protocol):
    name: str
    metric: str  # the held-out metric that decides (higher is better)

    def load(self, folder: Path) -> Any:
        """The model in `folder`; InvalidInput when it is missing or corrupted."""

    def evaluate(self, model: Any, examples: Path) -> dict[str, Any]:
        """Metrics of `model` on a labelled file."""

    def retrain(self, base: Path, corrections: Sequence[tuple[str, str]]) -> Trained:
        """Train and save a new version from `base` plus (text, label) corrections."""

    def check_label(self, label: str, active: Path | None) -> str:
        """The label a correction may carry (tidied), or InvalidInput naming the ones it may;
        `active` is the folder of the version in use (None before any), whose labels a
        correction may have to be among. The same check `retrain` applies, made when the
        correction is given: a label no model knows was stored and failed every retraining."""

    def activated(self, folder: Path) -> None:
        """Called after the registry made `folder` the active version."""


class Registry(Protocol):
    def record_version(self, task: str, trained: Trained, created_by: str,
                       activate: bool) -> Any: ...  # fmt: skip
    def get_version(self, task: str, version: str) -> Any: ...
    def active(self, task: str) -> Any | None: ...
    def promote(self, task: str, version: str, check: Any) -> Any: ...
    def rollback(self, task: str, check: Any) -> Any: ...
    def record_comparison(self, task: str, comparison: Comparison,
                          detail: Mapping[str, Any]) -> Any: ...  # fmt: skip
    def corrections(self, task: str) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class Outcome:
    version: Any  # the registry's record
    active: bool
    comparison: Comparison | None = None
    warnings: tuple[str, ...] = ()


class Lifecycle:
    def __init__(
        self, registry: Registry, tasks: Mapping[str, ModelTask], mlflow_uri: str | None = None
    ) -> None:
        self.registry = registry
        self.tasks = dict(tasks)
        self.mlflow_uri = mlflow_uri

    def task(self, name: str) -> ModelTask:
        if name not in self.tasks:
            known = ", ".join(sorted(self.tasks)) or "none"
            raise NotFound(f"no trainable task {name!r}; tasks: {known}", field="task")
        return self.tasks[name]

    def check_task(self, name: str) -> str:
        """`name` when it is a task whose versions are recorded (trainable or recorded only);
        NotFound naming them all ("nope" and a typo listed nothing, as if none were kept)."""
        if name in self.tasks or name in RECORDED_ONLY:
            return name
        known = ", ".join(sorted({*self.tasks, *RECORDED_ONLY}))
        raise NotFound(f"no model task {name!r}; tasks: {known}", field="task")

    def check_label(self, task: str, label: str) -> str:
        """A correction's label for `task`, checked against the active version (NotFound for
        a task that does not retrain)."""
        adapter = self.task(task)
        active = self.registry.active(task)
        return adapter.check_label(label, Path(active.path) if active is not None else None)

    def check_input(self, task: str, text: str) -> str:
        """A correction's input for `task`, checked where the task says what one must be (an
        image correction names an image: "/etc/passwd" and a URL were kept as training
        examples that every retraining then skipped: an attack)."""
        adapter = self.task(task)
        check = getattr(adapter, "check_input", None)
        if check is None:
            return text
        active = self.registry.active(task)
        source = (active.data or {}).get("file") if active is not None else None
        checked: str = check(text, Path(source) if source else None)
        return checked

    def register(
        self,
        task: str,
        trained: Trained,
        *,
        created_by: str,
        promote: Promote = "auto",
        holdout: Path | None = None,
        margin: float = 0.0,
    ) -> Outcome:
        """Record `trained`; promote it by hand (`yes`), never (`no`), or when it beats the
        active version on `holdout` by `margin` (`if-better`, and `auto` when a holdout is
        given; `auto` without one promotes, as training always did)."""
        adapter = self.task(task)
        if promote == "if-better" and holdout is None:
            raise InvalidInput("--promote if-better needs a held-out file", field="holdout")
        metrics = dict(trained.metrics)
        challenger_model = None
        if holdout is not None:
            challenger_model = adapter.load(trained.folder)
            metrics = adapter.evaluate(challenger_model, holdout) | {
                "held_out_file": str(holdout),
                "held_out_sha256": fingerprint(holdout)["sha256"],
            }
        trained = Trained(trained.version, trained.folder, metrics, trained.parameters,
                          trained.data, trained.train_seconds)  # fmt: skip
        champion = self.registry.active(task)
        comparison = None
        if champion is not None and holdout is not None and promote in ("auto", "if-better"):
            comparison = self._compare(adapter, champion, trained, holdout, margin)
            activate = comparison.promote
        else:
            activate = promote in ("yes", "auto") or champion is None  # the first is active
        record = self.registry.record_version(task, trained, created_by, activate)
        if comparison is not None:
            self.registry.record_comparison(task, comparison, {"held_out_file": str(holdout)})
        if activate:
            adapter.activated(trained.folder)
        warnings = self._mlflow(task, trained)
        return Outcome(record, activate, comparison, warnings)

    def record(self, task: str, trained: Trained, created_by: str) -> Any:
        """Record a version a training command has already put into service (a model that has
        not joined with a ModelTask: listed with its metrics; promotion needs the task).
        A version already recorded (model files deleted and trained again) is kept as it was."""
        try:
            return self.registry.get_version(task, trained.version)
        except NotFound:
            pass
        record = self.registry.record_version(task, trained, created_by, True)
        self._mlflow(task, trained)
        return record

    def _compare(
        self, adapter: ModelTask, champion: Any, trained: Trained, holdout: Path, margin: float
    ) -> Comparison:
        try:
            old = adapter.evaluate(adapter.load(Path(champion.path)), holdout)
        except InvalidInput as exc:  # a broken champion loses to any working challenger
            old = {adapter.metric: float("-inf"), "error": exc.message}
        return compare(adapter.metric, trained.version, trained.metrics, champion.version, old,
                       margin)  # fmt: skip

    def challenge(self, task: str, version: str, holdout: Path, margin: float) -> Comparison:
        """Compare a registered version with the active one on `holdout`; promote if better."""
        adapter = self.task(task)
        found = self.registry.get_version(task, version)
        model = adapter.load(Path(found.path))
        metrics = adapter.evaluate(model, holdout)
        trained = Trained(version, Path(found.path), metrics)
        champion = self.registry.active(task)
        if champion is not None and champion.version == version:
            raise InvalidInput(
                f"{task} version {version} is already the active one", field="version"
            )
        comparison = (
            self._compare(adapter, champion, trained, holdout, margin)
            if champion is not None
            else compare(adapter.metric, version, metrics)
        )
        self.registry.record_comparison(task, comparison, {"held_out_file": str(holdout)})
        if comparison.promote:
            self.promote(task, version)
        return comparison

    def active_model(self, task: str) -> tuple[str, Any] | None:
        """(version, loaded model) of the active version; None when the task has none."""
        adapter = self.task(task)
        record = self.registry.active(task)
        if record is None:
            return None
        folder = Path(record.path)
        if not folder.exists():
            raise InvalidInput(
                f"the active {task} version {record.version}: its files are gone ({folder})",
                field="version",
            )
        return record.version, adapter.load(folder)

    def adopt(self, task: str, trained: Trained, created_by: str) -> None:
        """Register a version that is already serving (made before the registry existed, or
        the default one trained on first use) and make it active."""
        try:
            self.registry.get_version(task, trained.version)
        except NotFound:
            self.registry.record_version(task, trained, created_by, True)

    def promote(self, task: str, version: str) -> Any:
        self.registry.get_version(task, version)  # NotFound names the task it belongs to
        adapter = self.task(task)
        record = self.registry.promote(task, version, adapter.load)
        adapter.activated(Path(record.path))
        return record

    def rollback(self, task: str) -> Any:
        adapter = self.task(task)
        record = self.registry.rollback(task, adapter.load)
        adapter.activated(Path(record.path))
        return record

    def retrain(
        self, task: str, holdout: Path | None, margin: float, created_by: str, base: Path | None
    ) -> Outcome:
        """A challenger from the base data (the active version's file by default) plus every
        staff correction of the task, then the comparison above."""
        adapter = self.task(task)
        if base is None:
            active = self.registry.active(task)
            source = (active.data or {}).get("file") if active is not None else None
            if not source or not Path(source).is_file():
                raise InvalidInput(
                    f"the active {task} version names no base data file that exists; "
                    "pass --base FILE",
                    field="base",
                )
            base = Path(source)
        fixes = self.registry.corrections(task)
        trained = adapter.retrain(base, fixes)
        trained = Trained(trained.version, trained.folder, trained.metrics,
                          trained.parameters | {"corrections": len(fixes)},
                          trained.data, trained.train_seconds)  # fmt: skip
        promote: Promote = "auto" if holdout is not None else "no"
        return self.register(task, trained, created_by=created_by, promote=promote,
                             holdout=holdout, margin=margin)  # fmt: skip

    def _mlflow(self, task: str, trained: Trained) -> tuple[str, ...]:
        if not self.mlflow_uri:
            return ()
        from borderless.capabilities.lifecycle.tracking import log_to_mlflow

        try:
            log_to_mlflow(self.mlflow_uri, task, trained.version, trained.parameters,
                          trained.metrics, trained.data)  # fmt: skip
        except BackendError as exc:  # the registry has the version; MLflow is a copy
            return (exc.message,)
        return ()
