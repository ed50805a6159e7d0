"""Dashboard: the photos block on a product's page (staff): each photo as `borderless images
catalog` analysed it, with its tags, failed compliance checks and the text read on it, and the
products whose photos look alike. The photo files are served from the folder they were read in,
and only those files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from borderless.errors import NotFound
from borderless.service.routes.deps import DB, is_staff, staff_redirect
from borderless.storage.images import image_analyses, similar_images

router = APIRouter(include_in_schema=False)


def photos_block(request: Request, sku: str) -> dict[str, Any]:
    """For the product page: the analysed photos (staff only) and look-alike products."""
    if not is_staff(request):
        return {"photos": [], "similar": [], "shown": False}
    db = request.app.state.db
    photos = image_analyses(db, sku)
    return {
        "photos": list(enumerate(photos)),
        "similar": similar_images(db, sku, 6) if photos else [],
        "shown": True,
    }


@router.get("/products/{sku:path}/photos/{number}")
def photo_file(request: Request, db: DB, sku: str, number: int) -> Response:
    """The file of the product's `number`-th analysed photo (as listed on its page)."""
    if (redirect := staff_redirect(request)) is not None:
        return redirect
    photos = image_analyses(db, sku)
    # only a file read as an image is served (a stored path to any other file is not)
    if not 0 <= number < len(photos) or not photos[number].file or not photos[number].ok:
        raise NotFound(f"product {sku} has no photo {number}", field="number")
    path = Path(photos[number].file)
    if not path.is_file():
        raise NotFound(f"{path.name} is no longer in its folder", field="number")
    return FileResponse(path)
