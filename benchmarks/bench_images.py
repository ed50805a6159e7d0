"""Product images: few-shot accuracy, images per second, similar-photo precision@5.

    python benchmarks/bench_images.py [--out benchmarks/RESULTS.md]

Data: ../shared/data/fashion_mnist_sprite_sample (900 clothing images 28x28, 10 classes of 90).
The images are written as PNG files and go through the same path as a seller's photos
(`analyse_images`: load, EfficientNet-Lite0 tags and 1280-d features, pHash; checks off).

1. Throughput: images per second of that pass, one torch thread (the default), 2-core machine.
2. Accuracy, stratified 5-fold (seed 0), figures from the held-out folds: our FewShotClassifier
   on the image features with its fixed default C=1 (what `borderless images train` uses; not
   tuned on this data); peer in the same run: logistic regression on the pixels (the data
   README's 80.6%). Also with only 10 labelled images per class in each training part (the
   few-shot case a seller starts from).
   Features are cached in benchmarks/out/bench_images_features.npz after the first run (the
   throughput figure is measured only when they are computed).
3. Similar by photo: for each image, its 5 nearest among the other 899 by cosine; precision@5 =
   share of those of the same class. Peers: cosine on raw pixels, and chance (89/899).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from report import emit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from borderless.backends.registry import create_image_model
from borderless.capabilities.images import FewShotClassifier, analyse_images
from borderless.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
SPRITES = DATA / "fashion_mnist_sprite_sample" / "fashion_mnist_sprite_900.npz"
COMMAND = "python benchmarks/bench_images.py --out benchmarks/RESULTS.md"
CACHE = ROOT / "benchmarks" / "out" / "bench_images_features.npz"


def few(y: np.ndarray, idx: np.ndarray, per_class: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.choice(idx[y[idx] == c], per_class, replace=False) for c in np.unique(y)]
    )


def accuracy_rows(features: np.ndarray, pixels: np.ndarray, y: np.ndarray) -> list[str]:
    outer = StratifiedKFold(5, shuffle=True, random_state=0)
    names = ["EfficientNet-Lite0 features + FewShotClassifier (C=1)", "pixels (peer)"]
    hits = {(n, k): 0 for n in names for k in ("all", "10")}
    for fold, (train, test) in enumerate(outer.split(pixels, y)):
        for key, part in (("all", train), ("10", few(y, train, 10, fold))):
            pred = (
                FewShotClassifier(C=1.0).fit(features[part], list(y[part])).predict(features[test])
            )
            hits[(names[0], key)] += int(np.sum(np.asarray(pred) == y[test]))
            peer = LogisticRegression(max_iter=2000).fit(pixels[part], y[part])
            hits[(names[1], key)] += int(np.sum(peer.predict(pixels[test]) == y[test]))
            print(fold, key, dict(hits), flush=True)
    n = len(y)
    return [
        f"| {name} | {hits[(name, 'all')] / n:.1%} | {hits[(name, '10')] / n:.1%} |"
        for name in names
    ]


def precision_at_5(vectors: np.ndarray, y: np.ndarray) -> float:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    top = np.argsort(-sims, axis=1)[:, :5]
    return float(np.mean(y[top] == y[:, None]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    data = np.load(SPRITES)
    images, labels = data["images"], data["labels"]
    names = np.asarray([str(n) for n in data["class_names"]])
    y = names[labels]
    seconds = None
    if CACHE.is_file():
        features = np.load(CACHE)["features"]
    else:
        model = create_image_model("efficientnet", load_settings())
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, pixels in enumerate(images):
                path = Path(tmp) / f"{i}.png"
                Image.fromarray(pixels).save(path)
                paths.append(path)
            model.embed_images([np.zeros((28, 28, 3), dtype=np.uint8)])  # load the weights once
            started = time.perf_counter()
            reports, features = analyse_images(paths, model, checks=False)
            seconds = time.perf_counter() - started
        assert all(r.ok for r in reports)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, features=features)
    pixels = images.reshape(len(images), -1).astype(np.float64) / 255.0
    if seconds is not None:
        emit(
            "Product images: throughput (Fashion-MNIST sprites)",
            f"`{COMMAND}`. {len(images)} PNG files 28x28 through `analyse_images` (load, "
            "EfficientNet-Lite0 at 224x224: top-5 ImageNet tags and 1280-d features, pHash; checks "
            "off), batches of 16, torch on 1 thread, weights loaded before timing.",
            ["images", "seconds", "images per second", "ms per image"],
            [
                f"| {len(images)} | {seconds:.1f} | {len(images) / seconds:.1f} | "
                f"{1000 * seconds / len(images):.0f} |"
            ],
            args.out,
        )
    emit(
        "Product images: few-shot classifier accuracy (Fashion-MNIST sprites, 900)",
        f"`{COMMAND}`. Stratified 5-fold (seed 0), accuracy over the held-out folds; the "
        "classifier's fixed default C=1, not tuned on this data. Columns: trained on the "
        "whole training "
        "part (720), or on 10 images per class drawn from it (100). Peer in the same run: "
        "logistic regression on pixels/255 (data README: 80.6%).",
        ["model", "accuracy (720 train)", "accuracy (10 per class)"],
        accuracy_rows(features, pixels, y),
        args.out,
    )
    chance = 89 / 899
    emit(
        "Product images: similar by photo (Fashion-MNIST sprites, 900)",
        f"`{COMMAND}`. Each image's 5 nearest among the other 899 by cosine; precision@5 = "
        "share of the same class.",
        ["method", "precision@5"],
        [
            f"| EfficientNet-Lite0 features | {precision_at_5(features, labels):.1%} |",
            f"| raw pixels (peer) | {precision_at_5(pixels, labels):.1%} |",
            f"| chance | {chance:.1%} |",
        ],
        args.out,
    )


if __name__ == "__main__":
    main()
