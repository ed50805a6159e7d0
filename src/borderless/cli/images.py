"""`borderless images`: tags, compliance checks, a few-shot classifier and similar photos.

Every command takes local image files; each file that cannot be used gets its own error (a JSON
line with `ok: false` and `error`, and `error: ...` on stderr) and the rest go on. The exit code
is 2 only when no image at all could be used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from borderless.cli.options import Holdout, Margin

if TYPE_CHECKING:
    from borderless.backends.base import ImageModel
    from borderless.capabilities.images import ImageReport

images_app = typer.Typer(
    help="Product images: tags, compliance checks, few-shot labels, similar photos.",
    no_args_is_help=True,
)

Backend = Annotated[
    str,
    typer.Option(
        "--backend",
        envvar="BORDERLESS_IMAGE_MODEL",
        help="Image model: efficientnet (ImageNet, needs the images extra) or fake (tests).",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]
Files = Annotated[list[Path], typer.Argument(help="Image files (PNG, JPEG, WebP, ...).")]
Ocr = Annotated[
    str,
    typer.Option(
        "--ocr",
        help="Read the text on each image: 'auto' (Tesseract, English and simplified Chinese, "
        "when it is installed), 'none', or tesseract:LANGS (e.g. tesseract:eng+chi_sim+jpn).",
    ),
]


def _reader(ctx: typer.Context, ocr: str) -> Any:
    """The OCR engine asked for; 'auto' without Tesseract says so on stderr and reads nothing."""
    import shutil

    from borderless.backends.registry import create_text_reader
    from borderless.cli.common import settings_from

    spec = ocr.strip()
    if spec == "none":
        return None
    if spec == "auto":
        if shutil.which("tesseract") is None:
            typer.echo(
                "note: no OCR (text check skipped): apt-get install tesseract-ocr "
                "tesseract-ocr-chi-sim",
                err=True,
            )
            return None
        spec = "tesseract"
    return create_text_reader(spec, settings_from(ctx))


def _model(ctx: typer.Context, backend: str) -> ImageModel:
    from borderless.backends.registry import create_image_model
    from borderless.cli.common import settings_from

    return create_image_model(backend, settings_from(ctx))


def _analyse(
    ctx: typer.Context,
    files: list[Path],
    backend: str,
    *,
    checks: bool,
    reader: Any = None,
    model: ImageModel | None = None,
) -> tuple[list[ImageReport], Any]:
    from borderless.capabilities.images import analyse_images
    from borderless.cli.common import progress_bar
    from borderless.errors import InvalidInput

    model = model or _model(ctx, backend)
    with progress_bar("Reading images", total=len(files)) as advance:
        reports, vectors = analyse_images(
            files, model, checks=checks, reader=reader, on_done=advance
        )
    for report in reports:
        if not report.ok:
            typer.echo(f"error: {report.error}", err=True)
    if not any(report.ok for report in reports):
        raise InvalidInput("none of the images could be read", field="files")
    return reports, vectors


@images_app.command("tag")
def tag(
    ctx: typer.Context,
    files: Files,
    library: Annotated[
        Path | None,
        typer.Option(
            "--library",
            help="A folder made by `images train --out`: adds its label (default: the shop's "
            "active classifier version, when one is registered).",
        ),
    ] = None,
    backend: Backend = "efficientnet",
    as_json: AsJson = False,
) -> None:
    """ImageNet tags, the shop category they map to, and the seller's label (the registry's
    active classifier, or --library)."""
    from dataclasses import replace

    from borderless.capabilities.images import ImageLibrary

    model = _model(ctx, backend)
    version = None
    lib: ImageLibrary | None = None
    if library is not None:
        lib = ImageLibrary.load(library)
    else:
        from borderless.cli.common import services_from

        services = services_from(ctx)
        lib = services.image_library()
        version = services.loaded_versions().get("images")
    if lib is not None and model.name != lib.meta.get("image_model"):
        if library is not None:
            from borderless.errors import InvalidInput

            raise InvalidInput(
                f"the library was made with {lib.meta.get('image_model')}, not {model.name}",
                field="backend",
            )
        typer.echo(
            f"note: the active classifier reads {lib.meta.get('image_model')} features, not "
            f"{model.name}: no seller labels",
            err=True,
        )
        lib = None
    reports, vectors = _analyse(ctx, files, backend, checks=False, model=model)
    for index, report in enumerate(reports):
        if lib is not None and report.ok:
            report = replace(report, label=lib.label(vectors[index : index + 1])[0])
        line = report.to_json()
        line.pop("checks")
        if lib is not None:
            line["classifier_version"] = version
        if as_json:
            typer.echo(json.dumps(line, ensure_ascii=False))
        elif report.ok:
            tags = ", ".join(f"{t['label']} {t['score']:.2f}" for t in line["tags"][:3])
            extra = f" [{report.category[0]}]" if report.category else ""
            extra += f" label={report.label[0]} {report.label[1]:.2f}" if report.label else ""
            typer.echo(f"{report.source}: {tags}{extra}")


@images_app.command("check")
def check(
    ctx: typer.Context,
    files: Files,
    backend: Backend = "efficientnet",
    ocr: Ocr = "auto",
    translate_to: Annotated[
        str | None,
        typer.Option(help="Translate the text read on each image into this language (e.g. en)."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Marketplace checks (resolution, aspect, white background, blur, text by OCR) and
    near-duplicates; with --translate-to, the text read on an image in the seller's language."""
    from borderless.capabilities.images import near_duplicates

    reader = _reader(ctx, ocr)
    if translate_to is not None and reader is None:
        from borderless.errors import InvalidInput

        raise InvalidInput("--translate-to needs OCR (Tesseract)", field="translate_to")
    reports, _ = _analyse(ctx, files, backend, checks=True, reader=reader)
    translated = _translate_read_text(ctx, reports, translate_to) if translate_to else {}
    duplicate_of: dict[int, tuple[str, int]] = {}
    for i, j, distance in near_duplicates([r.phash for r in reports]):
        duplicate_of.setdefault(j, (reports[i].source, distance))
    for index, report in enumerate(reports):
        line = report.to_json()
        line.pop("tags")
        line.pop("label")
        line.pop("category")
        line["passed"] = report.ok and all(c.passed for c in report.checks)
        dup = duplicate_of.get(index)
        line["duplicate_of"] = None if dup is None else {"path": dup[0], "distance": dup[1]}
        if translate_to:
            line["text_translated"] = translated.get(index)
        if as_json:
            typer.echo(json.dumps(line, ensure_ascii=False))
        elif report.ok:
            failed = [c.name for c in report.checks if not c.passed]
            shown = "ok" if not failed else "fails " + ", ".join(failed)
            shown += f"; near-duplicate of {dup[0]}" if dup else ""
            if report.text:
                shown += f"; text: {' / '.join(report.text.splitlines())}"
                if translated.get(index):
                    shown += f" ({translate_to}: {translated[index]['text']})"
            typer.echo(f"{report.source}: {shown}")


def _translate_read_text(
    ctx: typer.Context, reports: list[ImageReport], target: str
) -> dict[int, dict[str, str]]:
    """Per report with text read on it: the text's language and its translation into target."""
    from borderless.capabilities.language import detect_languages
    from borderless.cli.common import services_from
    from borderless.languages import language_name

    target = target.strip().lower()
    language_name(target, "translate_to")
    found = [(i, r.text.replace("\n", " ")) for i, r in enumerate(reports) if r.text]
    if not found:
        return {}
    desk = services_from(ctx, database=False).desk(quality=False, memory=False)
    out: dict[int, dict[str, str]] = {}
    for (index, text), detected in zip(
        found, detect_languages([t for _, t in found], context=False), strict=True
    ):
        source = detected.code
        if source == target:
            out[index] = {"language": source, "text": text}
            continue
        result = desk.translate([text], source, target)[0]
        out[index] = {"language": source, "text": result.text}
    return out


@images_app.command("train")
def train(
    ctx: typer.Context,
    labels: Annotated[Path, typer.Argument(help="CSV with path,label (paths relative to it).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the classifier and index (not registered). Without it the "
            "version is saved under models/images/ and registered (borderless registry).",
        ),
    ] = None,
    holdout: Holdout = None,
    margin: Margin = 0.0,
    backend: Backend = "efficientnet",
    as_json: AsJson = False,
) -> None:
    """Train the few-shot classifier on labelled images; keep their features for `similar`.
    Its accuracy is cross-validated on the training images (5 folds at most)."""
    import time

    from borderless.capabilities.images import read_labels, train_library
    from borderless.cli.common import progress_bar, services_from

    services = services_from(ctx) if out is None else None
    rows = read_labels(labels)
    model = _model(ctx, backend)
    started = time.perf_counter()
    with progress_bar("Reading images", total=len(rows)) as advance:
        library, reports = train_library(rows, model, on_done=advance)
    for report in reports:
        if not report.ok:
            typer.echo(f"error: {report.error}", err=True)
    summary = {k: library.meta[k] for k in ("images", "classes", "image_model", "evaluation")}
    summary["failed"] = len(library.meta["failed"])
    if services is None:
        assert out is not None
        library.save(out)
    else:
        from borderless.capabilities.images.lifecycle import save_version, trained_images

        root = services.settings.models_dir / "images"
        root.mkdir(parents=True, exist_ok=True)
        version, out = save_version(library, root)
        trained = trained_images(library, version, out, labels, time.perf_counter() - started)
        outcome = services.lifecycle.register(
            "images", trained, created_by="cli: images train", holdout=holdout, margin=margin
        )
        summary |= {"version": version, "active": outcome.active}
        if outcome.comparison is not None:
            summary["comparison"] = outcome.comparison.reason
        for warning in outcome.warnings:
            typer.echo(f"warning: {warning}", err=True)
    summary["out"] = str(out)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        accuracy = library.meta["evaluation"]["cv_accuracy"]
        shown = f", cross-validated accuracy {accuracy:.1%}" if accuracy is not None else ""
        typer.echo(
            f"trained on {summary['images']} images, {len(library.meta['classes'])} labels "
            f"({summary['failed']} images skipped){shown} -> {out}"
        )
        if "version" in summary:
            state = "active" if summary["active"] else "registered, not active"
            typer.echo(f"version {summary['version']} ({state})")


@images_app.command("similar")
def similar(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The image to find look-alikes of.")],
    library: Annotated[Path, typer.Option("--library", help="A folder made by `images train`.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many.")] = 5,
    backend: Backend = "efficientnet",
    as_json: AsJson = False,
) -> None:
    """The library images most like FILE by photo (cosine of image features)."""
    from borderless.capabilities.images import ImageLibrary
    from borderless.errors import InvalidInput

    lib = ImageLibrary.load(library)
    model = _model(ctx, backend)
    if model.name != lib.meta.get("image_model"):
        raise InvalidInput(
            f"the library was made with {lib.meta.get('image_model')}, not {model.name}",
            field="backend",
        )
    _, vectors = _analyse(ctx, [file], backend, checks=False)
    found = lib.similar(vectors[0], k, exclude=str(file))
    if as_json:
        typer.echo(json.dumps({"path": str(file), "similar": found}, ensure_ascii=False))
    else:
        for item in found:
            typer.echo(f"{item['score']:.3f}  {item['label']}  {item['path']}")


@images_app.command("catalog")
def catalog(
    ctx: typer.Context,
    photos: Annotated[
        Path, typer.Option("--photos", help="Folder holding the downloaded product photos.")
    ],
    backend: Backend = "efficientnet",
    ocr: Ocr = "auto",
    store: Annotated[
        bool,
        typer.Option(
            help="Store the results in the shop (product pages, /v1/products/{sku}/images)."
        ),
    ] = True,
    as_json: AsJson = False,
) -> None:
    """Tags, checks and text for every image the imported catalog names, found in --photos by
    name; stored with each product (one transaction) unless --no-store."""
    from datetime import datetime

    import numpy as np

    from borderless.capabilities.images import analyse_images, local_file_for
    from borderless.cli.common import database_from, progress_bar
    from borderless.errors import InvalidInput
    from borderless.storage.images import ImageAnalysis, product_images, save_image_analyses

    if not photos.is_dir():
        raise InvalidInput(f"{photos}: no such folder", field="photos")
    db = database_from(ctx)
    images = product_images(db)
    files = [local_file_for(image.src, photos) for image in images]
    present = [str(f) for f in files if f is not None]
    model = _model(ctx, backend)
    reader = _reader(ctx, ocr)
    with progress_bar("Reading images", total=len(present)) as advance:
        reports, vectors = analyse_images(present, model, reader=reader, on_done=advance)
    by_file = {f: (r, vectors[i]) for i, (f, r) in enumerate(zip(present, reports, strict=True))}
    now = datetime.now().replace(microsecond=0)
    stored: list[ImageAnalysis] = []
    for image, file in zip(images, files, strict=True):
        head = {"handle": image.handle, "sku": image.sku or None, "src": image.src}
        if file is None:
            error = f"{image.src}: not in {photos} (download it there; URLs are not fetched)"
            line: dict[str, Any] = head | {"ok": False, "error": error}
            stored.append(
                ImageAnalysis(
                    image.handle,
                    image.sku,
                    image.src,
                    "",
                    False,
                    error,
                    None,
                    None,
                    [],
                    None,
                    None,
                    [],
                    None,
                    model.name,
                    now,
                )
            )
        else:
            report, vector = by_file[str(file)]
            line = head | report.to_json()
            line["passed"] = report.ok and all(c.passed for c in report.checks)
            stored.append(
                ImageAnalysis(
                    image.handle,
                    image.sku,
                    image.src,
                    str(file) if report.ok else "",  # a file that is no image is not kept
                    report.ok,
                    report.error,
                    report.width or None,
                    report.height or None,
                    line["tags"],
                    report.category[0] if report.category else None,
                    report.phash,
                    line["checks"],
                    report.text,
                    model.name,
                    now,
                    np.asarray(vector, dtype=np.float16).tobytes() if report.ok else None,
                )
            )
        if as_json:
            typer.echo(json.dumps(line, ensure_ascii=False))
        else:
            shown = (
                line["error"] if not line["ok"] else ("ok" if line["passed"] else "fails checks")
            )
            typer.echo(f"{image.handle or image.sku}: {image.src}: {shown}")
    if store:
        save_image_analyses(db, stored)
        typer.echo(f"stored the analysis of {len(stored)} images", err=True)
