"""Product images: loading and its bad inputs, compliance checks, hashes, the few-shot classifier,
the CLI contract, and the real EfficientNet model once."""

from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from borderless.backends.registry import create_image_model
from borderless.capabilities.images import (
    FewShotClassifier,
    analyse_images,
    category_for,
    check_image,
    hamming,
    load_image,
    local_file_for,
    near_duplicates,
    perceptual_hash,
)
from borderless.config import Settings, load_settings
from borderless.errors import InvalidInput

from .conftest import FIXTURES, post_form, run, shared_data_dir

Image = pytest.importorskip("PIL.Image")
ImageFilter = pytest.importorskip("PIL.ImageFilter")

SPRITES = shared_data_dir() / "fashion_mnist_sprite_sample" / "fashion_mnist_sprite_900.npz"


def _product_photo(size: tuple[int, int] = (1200, 1200), seed: int = 0) -> np.ndarray:
    """A dark textured object on white, like a marketplace main image."""
    rng = np.random.default_rng(seed)
    image = np.full((size[1], size[0], 3), 255, dtype=np.uint8)
    h, w = size[1], size[0]
    block = rng.integers(0, 120, size=(h // 2 // 8 + 1, w // 2 // 8 + 1, 3), dtype=np.uint8)
    texture = np.kron(block, np.ones((8, 8, 1), dtype=np.uint8))[: h // 2, : w // 2]
    image[h // 4 : h // 4 + h // 2, w // 4 : w // 4 + w // 2] = texture
    return image


def _save(tmp_path: Path, name: str, pixels: np.ndarray) -> Path:
    path = tmp_path / name
    Image.fromarray(pixels).save(path)
    return path


def _sprites(tmp_path: Path, per_class: int, classes: int = 10) -> list[tuple[Path, str]]:
    data = np.load(SPRITES)
    names = [str(n) for n in data["class_names"]]
    out = []
    for c in range(classes):
        for i in np.flatnonzero(data["labels"] == c)[:per_class]:
            path = tmp_path / f"s{i}.png"
            Image.fromarray(data["images"][i]).resize((112, 112)).save(path)
            out.append((path, names[c]))
    return out


# -- loading: every bad input is a clear per-image error ---------------------------------------


def test_load_image_refuses_missing_url_text_truncated_and_bombs(tmp_path: Path) -> None:
    good = _save(tmp_path, "good.png", _product_photo((64, 48)))
    assert load_image(good).shape == (48, 64, 3)
    text = tmp_path / "notes.jpg"
    text.write_text("not an image")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(good.read_bytes()[:60])
    bomb = tmp_path / "bomb.png"
    Image.new("1", (8000, 6000)).save(bomb)  # 48 megapixels, a few kB on disk
    cases = {
        str(tmp_path / "missing.png"): "no such file",
        str(tmp_path): "is a folder, not an image",  # was "no such file" (an attack)
        "/dev/zero": "not a regular file",
        "https://example.com/a.jpg": "URLs are not fetched",
        str(text): "not an image",
        str(truncated): "unreadable image",
        str(bomb): "over the limit",
    }
    for source, message in cases.items():
        with pytest.raises(InvalidInput, match=message) as caught:
            load_image(source)
        assert caught.value.field == source
    with pytest.raises(InvalidInput, match="over the limit"):
        load_image(good, max_pixels=100)


def test_load_image_turns_phone_photos_upright(tmp_path: Path) -> None:
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    Image.fromarray(_product_photo((60, 40))).save(path, exif=exif)
    assert load_image(path).shape == (60, 40, 3)


def test_a_batch_goes_on_past_bad_images(tmp_path: Path) -> None:
    good = _save(tmp_path, "a.png", _product_photo((300, 300)))
    other = _save(tmp_path, "b.png", _product_photo((300, 300), seed=1))
    bad = tmp_path / "bad.png"
    bad.write_text("hello")
    model = create_image_model("fake", load_settings())
    sources = [good, bad, "http://shop.example/x.jpg", other]
    reports, vectors = analyse_images(sources, model)
    assert [r.ok for r in reports] == [True, False, False, True]
    assert "not an image" in (reports[1].error or "")
    assert "URLs are not fetched" in (reports[2].error or "")
    assert np.allclose(np.linalg.norm(vectors, axis=1), [1, 0, 0, 1], atol=1e-5)
    assert reports[3].phash and reports[3].checks


# -- compliance checks -------------------------------------------------------------------------


def _failed(pixels: np.ndarray) -> set[str]:
    return {c.name for c in check_image(pixels) if not c.passed}


def test_checks_pass_a_good_main_image_and_name_each_failure() -> None:
    photo = _product_photo()
    assert _failed(photo) == set()
    assert _failed(_product_photo((600, 600))) == {"resolution"}
    assert _failed(_product_photo((2400, 1200))) == {"aspect"}
    grey = photo.copy()
    grey[grey == 255] = 128
    assert _failed(grey) == {"background"}
    blurred = np.asarray(Image.fromarray(photo).filter(ImageFilter.GaussianBlur(3)))
    assert "blur" in _failed(blurred)
    rules = {c.name: c.rule for c in check_image(photo)}
    assert rules["resolution"] == "shorter side >= 1000 px"


# -- hashes and categories ---------------------------------------------------------------------


def test_near_duplicates_by_perceptual_hash(tmp_path: Path) -> None:
    photo = _product_photo((800, 800))
    jpeg = tmp_path / "copy.jpg"
    Image.fromarray(photo).resize((500, 500)).save(jpeg, quality=70)
    copy = load_image(jpeg)
    other = _product_photo((800, 800), seed=7)
    hashes = [perceptual_hash(photo), perceptual_hash(other), perceptual_hash(copy)]
    assert hamming(hashes[0], hashes[2]) <= 8 < hamming(hashes[0], hashes[1])
    assert [(i, j) for i, j, _ in near_duplicates(hashes)] == [(0, 2)]


def test_imagenet_tags_map_to_shop_categories() -> None:
    assert category_for([("sweatshirt", 0.4), ("T-shirt", 0.1), ("pedestal", 0.3)]) == (
        "tops",
        0.5,
    )
    assert category_for([("pedestal", 0.9)]) is None
    assert category_for([("sandal", 0.05)]) is None  # under min_score
    assert category_for([("mug", 0.5)], {"mug": "cups"}) == ("cups", 0.5)


# -- few-shot classifier -----------------------------------------------------------------------


def test_few_shot_classifier_learns_sprites_and_survives_save(tmp_path: Path) -> None:
    rows = _sprites(tmp_path, per_class=20, classes=3)
    model = create_image_model("fake", load_settings())
    _, vectors = analyse_images([p for p, _ in rows], model, checks=False)
    labels = [label for _, label in rows]
    train = [i for i in range(len(rows)) if i % 4]
    test = [i for i in range(len(rows)) if not i % 4]
    clf = FewShotClassifier().fit(vectors[train], [labels[i] for i in train])
    accuracy = np.mean(
        [p == labels[i] for p, i in zip(clf.predict(vectors[test]), test, strict=True)]
    )
    assert accuracy >= 0.7
    clf.save(tmp_path / "c.npz")
    again = FewShotClassifier.load(tmp_path / "c.npz")
    assert np.allclose(again.predict_proba(vectors), clf.predict_proba(vectors))
    with pytest.raises(InvalidInput, match="two labels"):
        FewShotClassifier().fit(vectors[:3], ["a", "a", "a"])


# -- CLI contract --------------------------------------------------------------------------------


def test_cli_train_tag_similar_check(tmp_path: Path) -> None:
    env = {"BORDERLESS_IMAGE_MODEL": "fake"}
    rows = _sprites(tmp_path, per_class=6, classes=3)
    labels = tmp_path / "labels.csv"
    with labels.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "label"])
        writer.writerows((p.name, label) for p, label in rows)
        writer.writerow(["missing.png", "Bag"])
    out = tmp_path / "lib"
    done = run("images", "train", str(labels), "--out", str(out), "--json", env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["images"] == 18 and summary["failed"] == 1
    assert "missing.png: no such file" in done.stderr

    query = rows[0][0]
    done = run("images", "tag", str(query), "nothere.png", "--library", str(out), "--json", env=env)
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["ok"] and first["label"]["name"] == rows[0][1] and first["tags"]
    assert not second["ok"] and "no such file" in second["error"]

    done = run("images", "similar", str(query), "--library", str(out), "--json", env=env)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["similar"]
    assert len(found) == 5 and str(query) not in [f["path"] for f in found]
    assert found[0]["score"] >= found[-1]["score"]

    photo = _save(tmp_path, "main.png", _product_photo())
    dup = tmp_path / "dup.jpg"
    Image.fromarray(_product_photo()).save(dup, quality=80)
    done = run("images", "check", str(photo), str(dup), "--json", env=env)
    assert done.returncode == 0, done.stderr
    a, b = (json.loads(line) for line in done.stdout.splitlines())
    # with Tesseract installed (scripts/test installs it) OCR runs by default: a "text" check
    ocr = {"text"} if shutil.which("tesseract") else set()
    expected = {"resolution", "aspect", "background", "blur"} | ocr
    assert a["passed"] and {c["name"] for c in a["checks"]} == expected
    assert b["duplicate_of"]["path"] == str(photo)


def test_cli_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    env = {"BORDERLESS_IMAGE_MODEL": "fake"}
    bad = tmp_path / "x.png"
    bad.write_text("no")
    done = run("images", "check", str(bad), env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "error: " in done.stderr
    labels = tmp_path / "labels.csv"
    labels.write_text("file,tag\na.png,x\n")
    done = run("images", "train", str(labels), "--out", str(tmp_path / "o"), env=env)
    assert done.returncode == 2 and "path,label" in done.stderr
    done = run("images", "similar", str(bad), "--library", str(tmp_path / "none"), env=env)
    assert done.returncode == 2 and "no trained image library" in done.stderr
    done = run("images", "tag", str(bad), "--backend", "nope", env={})
    assert done.returncode == 2 and "unknown images backend" in done.stderr


# -- the real model, once ------------------------------------------------------------------------


def test_efficientnet_tags_and_features_offline(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("efficientnet_lite_pytorch")
    model = create_image_model("efficientnet", load_settings())
    flower = Path(pytest.importorskip("sklearn.datasets").__file__).parent / "images/flower.jpg"
    sprite = _sprites(tmp_path, per_class=1, classes=2)[1][0]  # a Trouser
    started = time.perf_counter()
    reports, vectors = analyse_images([flower, sprite], model, checks=False)
    assert time.perf_counter() - started < 60
    assert vectors.shape == (2, 1280)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert reports[0].tags[0][0] == "daisy"
    assert len(reports[1].tags) == 5 and all(0 <= s <= 1 for _, s in reports[1].tags)


# -- images the catalog names ----------------------------------------------------------------------


def test_catalog_image_urls_are_found_in_the_photos_folder_by_name(tmp_path: Path) -> None:
    (tmp_path / "mug 1.jpg").write_bytes(b"x")
    url = "https://cdn.shopify.com/s/files/mug%201.jpg?v=12"
    assert local_file_for(url, tmp_path) == tmp_path / "mug 1.jpg"
    assert local_file_for("mug 1.jpg", tmp_path) == tmp_path / "mug 1.jpg"
    assert local_file_for("https://cdn.example.com/other.jpg", tmp_path) is None
    assert local_file_for("", tmp_path) is None


def test_an_image_source_never_reads_outside_the_photos_folder(tmp_path: Path) -> None:
    """An attack: an import's image source "/tmp/secret.txt" or "../api-key" was stored by
    `images catalog` and served by the dashboard's photo route."""
    photos, secret = tmp_path / "photos", tmp_path / "api-key"
    photos.mkdir()
    secret.write_text("TOPSECRET")
    (photos / "inside").symlink_to(secret)
    for src in (str(secret), "../api-key", "inside", "a/../../api-key", "file:///../api-key"):
        assert local_file_for(src, photos) is None, src
    # an absolute path is looked up by its name in the folder, as a URL is
    (photos / "api-key").write_bytes(b"x")
    assert local_file_for(str(secret), photos) == photos / "api-key"


def test_images_of_an_imported_catalog_are_checked_from_local_files(
    settings: Settings, tmp_path: Path
) -> None:
    from borderless.storage import open_database
    from borderless.storage.images import product_images

    env = {
        "BORDERLESS_DATABASE_URL": settings.database_url,
        "BORDERLESS_DATA_DIR": str(tmp_path),
        "BORDERLESS_IMAGE_MODEL": "fake",
    }
    done = run("import", "shopify", str(FIXTURES / "shopify_products.csv"), env=env)
    assert done.returncode == 0, done.stderr
    db = open_database(settings)
    try:
        images = product_images(db)
    finally:
        db.dispose()
    srcs = [i.src for i in images]
    assert "https://cdn.example.com/85123A-1.jpg" in srcs and len(srcs) == len(set(srcs))
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(_product_photo()).save(photos / "85123A-1.jpg")
    done = run("images", "catalog", "--photos", str(photos), "--json", env=env)
    assert done.returncode == 0, done.stderr
    lines = {json.loads(line)["src"]: json.loads(line) for line in done.stdout.splitlines()}
    found = lines["https://cdn.example.com/85123A-1.jpg"]
    assert (
        found["ok"] and found["passed"] and found["handle"] == "white-hanging-heart-t-light-holder"
    )
    missing = [line for src, line in lines.items() if not src.endswith("85123A-1.jpg")]
    assert missing and all("URLs are not fetched" in line["error"] for line in missing)


def test_catalog_image_results_are_stored_served_and_compared(
    settings: Settings, tmp_path: Path
) -> None:
    """`images catalog` stores what it found per image; the API serves a product's photos with
    their checks and names the products whose photos look alike."""
    from fastapi.testclient import TestClient

    from borderless.service import create_app
    from borderless.storage import open_database
    from borderless.storage.images import image_analyses

    env = {
        "BORDERLESS_DATABASE_URL": settings.database_url,
        "BORDERLESS_DATA_DIR": str(tmp_path),
        "BORDERLESS_IMAGE_MODEL": "fake",
    }
    assert run("import", "shopify", str(FIXTURES / "shopify_products.csv"), env=env).returncode == 0
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(_product_photo(seed=0)).save(photos / "85123A-1.jpg")
    Image.fromarray(_product_photo(seed=0)).save(photos / "84029G-red.jpg")  # the same picture
    Image.fromarray(_product_photo((600, 300), seed=7)).save(photos / "84029G-box.jpg")
    done = run("images", "catalog", "--photos", str(photos), "--ocr", "none", env=env)
    assert done.returncode == 0, done.stderr
    db = open_database(settings)
    try:
        stored = image_analyses(db, "85123A")
        assert {(a.src.rsplit("/", 1)[-1], a.ok) for a in stored} == {
            ("85123A-1.jpg", True),
            ("85123A-2.jpg", False),
        }
        with TestClient(create_app(settings, db)) as client:
            key = {"X-API-Key": "test-key"}
            assert client.get("/v1/products/85123A/images").status_code == 401
            page = client.get("/v1/products/85123A/images", headers=key).json()
            assert page["count"] == 2
            shown = {p["src"].rsplit("/", 1)[-1]: p for p in page["data"]}
            assert shown["85123A-1.jpg"]["passed"] and shown["85123A-1.jpg"]["width"] == 1200
            assert {c["name"] for c in shown["85123A-1.jpg"]["checks"]} >= {"resolution", "blur"}
            assert not shown["85123A-2.jpg"]["ok"] and "not in" in shown["85123A-2.jpg"]["error"]
            box = client.get("/v1/products/84029G-BLUE-S/images", headers=key).json()
            failed = {c["name"] for p in box["data"] for c in p["checks"] if not c["passed"]}
            assert {"resolution", "aspect"} <= failed  # the 600x300 box photo
            alike = client.get("/v1/products/85123A/similar-images", headers=key).json()
            first = alike["data"][0]
            assert first["src"].endswith("84029G-red.jpg") and first["score"] > 0.99
            assert "84029G-RED-S" in first["skus"] and "85123A" not in first["skus"]
            missing = client.get("/v1/products/NOPE/images", headers=key)
            assert missing.status_code == 404 and missing.json()["field"] == "sku"
            # the dashboard: staff see the photos block; the files come only from the analysis
            assert "Photos</h2>" not in client.get("/products/85123A").text
            signed_out = client.get("/products/85123A/photos/0", follow_redirects=False)
            assert signed_out.status_code == 303
            post_form(client, "/login", data={"key": "test-key"})
            page = client.get("/products/85123A").text
            assert "Photos</h2>" in page and "passes every check" in page
            assert "/products/85123A/photos/0" in page and "84029G-RED-S" in page
            photo = client.get("/products/85123A/photos/0")
            assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
            assert client.get("/products/85123A/photos/7").status_code == 404
            flagged = client.get("/products/84029G-BLUE-S").text
            assert "fails resolution, aspect" in flagged
        # a second run replaces the rows, it does not add to them
        again = run("images", "catalog", "--photos", str(photos), "--ocr", "none", env=env)
        assert again.returncode == 0
        assert len(image_analyses(db)) == len(
            {(a.handle, a.sku, a.src) for a in image_analyses(db)}
        )
        assert len(image_analyses(db, "85123A")) == 2
        # a file that is no image is not kept as the photo's file: the photo route serves
        # only what was read as an image (an attack had it serve any file an import named)
        (photos / "85123A-2.jpg").write_text("TOPSECRET=hunter2")
        third = run("images", "catalog", "--photos", str(photos), "--ocr", "none", env=env)
        assert third.returncode == 0, third.stderr
        text = next(a for a in image_analyses(db, "85123A") if a.src.endswith("85123A-2.jpg"))
        assert not text.ok and text.file == "", text
    finally:
        db.dispose()
