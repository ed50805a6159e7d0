"""Approved copy into the listing formats: body HTML, and Shopify's SEO columns."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace

from borderless.capabilities.catalog.records import Listing, Product

__all__ = ["with_copy"]


def _body(description: str | None, bullets: str | None) -> str:
    parts = [
        f"<p>{html.escape(p.strip())}</p>" for p in (description or "").split("\n\n") if p.strip()
    ]
    points = [line.removeprefix("- ").strip() for line in (bullets or "").splitlines()]
    if any(points):
        parts.append("<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in points if p) + "</ul>")
    return "\n".join(parts)


def with_copy(
    items: Sequence[tuple[Listing, list[Product]]], approved: dict[str, dict[str, str]]
) -> list[tuple[Listing, list[Product]]]:
    """Listings whose first SKU with approved copy lends it its body and SEO fields."""
    out = []
    for listing, products in items:
        copy = next((approved[p.sku] for p in products if p.sku in approved), None)
        if copy is None:
            out.append((listing, products))
            continue
        body = _body(copy.get("description"), copy.get("bullets"))
        columns = dict(listing.extra.get("columns", {}))
        if "seo_title" in copy:
            columns["SEO Title"] = copy["seo_title"]
        if "meta_description" in copy:
            columns["SEO Description"] = copy["meta_description"]
        extra = listing.extra | ({"columns": columns} if columns else {})
        out.append((replace(listing, body_html=body or listing.body_html, extra=extra), products))
    return out
