"""The few-shot image classifier and recommender refits in the model registry: image versions
promote, roll back and reload in a running service; a corrupted one is refused while the active
one keeps serving; every recommender refit records a version with held-out metrics."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.images.lifecycle import ImageTask
from borderless.config import Settings
from borderless.errors import InvalidInput
from borderless.storage.imports import save_retail
from borderless.storage.registry import active_versions, list_versions
from borderless.wiring import Services

from .conftest import fake_env, run
from .test_risk_service import HEADER

pytest.importorskip("PIL.Image")
pytest.importorskip("sklearn")


def _labels(path: Path, rows: list[tuple[Path, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "label"])
        writer.writerows((p.name, label) for p, label in rows)
    return path


def _ok(*args: str, env: dict[str, str]) -> dict[str, object]:
    done = run(*args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[0]) if "--json" in args else {}


@pytest.mark.slow  # about 30 s: kept out of the default run's 15 minutes
def test_image_versions_promote_reload_and_refuse_a_corrupted_one(
    sqlite_services: Services, sqlite_settings: Settings, tmp_path: Path
) -> None:
    from .test_images import _sprites

    env = fake_env(sqlite_settings.data_dir, database_url=sqlite_settings.database_url)
    env["BORDERLESS_IMAGE_MODEL"] = "fake"
    rows = _sprites(tmp_path, per_class=6, classes=3)
    right = _labels(tmp_path / "right.csv", rows)
    names = sorted({label for _, label in rows})
    swapped = {a: b for a, b in zip(names, names[1:] + names[:1], strict=True)}
    wrong = _labels(tmp_path / "wrong.csv", [(p, swapped[label]) for p, label in rows])

    first = _ok("images", "train", str(right), "--json", env=env)
    second = _ok("images", "train", str(wrong), "--json", env=env)
    v1, v2 = str(first["version"]), str(second["version"])
    assert v1 != v2 and first["active"] and second["active"]
    found = {v.version: v for v in list_versions(sqlite_services.db, "images")}
    assert set(found) == {v1, v2}
    assert found[v1].metrics["cv_accuracy"] > 0.5 and found[v1].metrics["images"] == 18
    assert found[v1].data["rows"] == 18 and found[v1].data["sha256"]
    assert found[v1].parameters["image_model"] == "fake-images"

    query, truth = rows[0]

    def label() -> tuple[str, str]:
        line = _ok("images", "tag", str(query), "--json", env=env)
        return str(line["label"]["name"]), str(line["classifier_version"])  # type: ignore[index]

    assert label() == (swapped[truth], v2)
    library = sqlite_services.image_library()
    assert library is not None and sqlite_services.loaded_versions()["images"] == v2
    _ok("registry", "promote", "images", v1, env=env)
    assert label() == (truth, v1)  # the CLI reads the active version
    sqlite_services._next_check = 0.0  # the service looks at most once a second
    assert sqlite_services.image_library() is not library
    assert sqlite_services.loaded_versions()["images"] == v1  # swapped without a restart

    # A corrupted version is refused; v1 keeps serving.
    (Path(str(second["out"])) / "classifier.npz").write_bytes(b"not a zip file")
    done = run("registry", "promote", "images", v2, env=env)
    assert done.returncode == 2 and "corrupted" in done.stderr and "Traceback" not in done.stderr
    assert active_versions(sqlite_services.db)["images"][0] == v1
    sqlite_services._next_check = 0.0
    sqlite_services.image_library()
    assert sqlite_services.loaded_versions()["images"] == v1
    assert label() == (truth, v1)

    # Evaluate on a labelled file; retrain from the active version's file plus a correction.
    task = sqlite_services.lifecycle.task("images")
    assert isinstance(task, ImageTask)
    with pytest.raises(InvalidInput, match="corrupted"):
        task.load(Path(str(second["out"])))
    assert task.evaluate(task.load(Path(str(first["out"]))), right)["accuracy"] > 0.5
    outcome = sqlite_services.lifecycle.retrain("images", right, 0.0, "test", None)
    assert outcome.comparison is not None  # both scored on `right`; a tie keeps v1
    assert outcome.version.parameters["corrections"] == 0
    with pytest.raises(InvalidInput, match="image path and a label"):
        task.retrain(right, [(query.name, " ")])
    # A correction's label: a known category or a new one, never a known one in other case
    # (it would become a second category at the next retraining).
    lifecycle = sqlite_services.lifecycle
    assert lifecycle.check_label("images", f"  {truth} ") == truth
    assert lifecycle.check_label("images", "Silk  scarves") == "Silk scarves"
    with pytest.raises(InvalidInput, match="only in case") as odd:
        lifecycle.check_label("images", truth.swapcase())
    assert odd.value.field == "label"
    # Its input names an image retraining can read: "/etc/passwd" and a URL were kept as
    # examples every retraining skipped (an attack); a path relative to the base data's folder
    # is read as the labels file reads it.
    assert lifecycle.check_input("images", str(query)) == str(query)
    for bad in ("/etc/passwd", "http://169.254.169.254/latest", "great mug", "missing.png"):
        with pytest.raises(InvalidInput) as caught:
            lifecycle.check_input("images", bad)
        assert caught.value.field == "text", bad
    assert lifecycle.check_input("intents", "where is my parcel") == "where is my parcel"


def _shop_csv(path: Path) -> Path:
    """20 customers with 3 orders each of two of 30 mugs."""
    rnd = random.Random(1)
    rows = [HEADER]
    skus = [f"M{n:02d}" for n in range(30)]
    for customer in range(20):
        for visit in range(3):
            invoice = f"5{customer:03d}{visit}"
            for sku in rnd.sample(skus, 2):
                rows.append(f"{invoice},{sku},Mug {sku},2,2011-0{visit + 3}-{customer + 1:02d} "
                            f"10:00:00,2.50,{13000 + customer},United Kingdom")  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_recommender_refit_records_a_version_with_held_out_metrics(
    sqlite_services: Services, tmp_path: Path
) -> None:
    pytest.importorskip("scipy")
    save_retail(sqlite_services.db, parse_retail(_shop_csv(tmp_path / "shop.csv")))
    sqlite_services.recommendations.for_customer("13000")
    (version,) = list_versions(sqlite_services.db, "recommendations")
    assert version.active and version.metrics["customers_tested"] > 0
    assert 0.0 <= version.metrics["recall@10"] <= 1.0 and "popularity_recall@10" in version.metrics
    assert version.data["orders"] == 60 and version.data["date_from"] == "2011-03-01"
    assert sqlite_services.loaded_versions()["recommendations"] == version.version
    sqlite_services.recommendations.refresh()  # the same sales: the same version, not a new one
    sqlite_services.recommendations.also_bought("M01")
    assert len(list_versions(sqlite_services.db, "recommendations")) == 1
    assert sqlite_services.loaded_versions()["recommendations"] == version.version


def test_the_service_warm_up_fits_the_recommenders_once(
    sqlite_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`borderless serve` fits the recommenders in its warm-up thread (the demo shop's first
    customer page waited 24 s for it before), reading the sales once for the fit and its record."""
    pytest.importorskip("scipy")
    from borderless.service import worker
    from borderless.storage import sales

    save_retail(sqlite_services.db, parse_retail(_shop_csv(tmp_path / "shop.csv")))
    reads = []
    history = sales.purchase_history
    monkeypatch.setattr(sales, "purchase_history", lambda db: reads.append(1) or history(db))
    monkeypatch.setattr(type(sqlite_services), "search", property(lambda s: _NoSearch()))
    worker._warm(sqlite_services)
    assert len(reads) == 1
    assert len(list_versions(sqlite_services.db, "recommendations")) == 1
    sqlite_services.recommendations.for_customer("13000")  # answered from the warm fit
    assert len(reads) == 1


class _NoSearch:
    def warm(self) -> None:  # the product index is another test's subject
        pass
