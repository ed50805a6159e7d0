"""Product attributes with their evidence, per product: extracted, suggested, seller-checked.

Extraction writes `stated` and `suggested` rows; the seller's decisions (`confirmed`,
`rejected`) survive every later extraction, so a rejected value never comes back and a
confirmed one never goes. A confirmed or seller-set value is also written into the product's
own `attributes` (its name in `confirmed`), which is where copy reads the facts it may state.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from borderless.capabilities.attributes import NAMES, Attribute, AttributeField, ProductAttributes
from borderless.capabilities.catalog.checks import (
    MAX_QUANTITY,
    check_attributes,
    check_product,
    check_text,
    check_whole,
)
from borderless.capabilities.catalog.units import size_problem
from borderless.errors import InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database
from borderless.storage.rows import product_from_row

if TYPE_CHECKING:
    from borderless.capabilities.attributes.files import CatalogRow

__all__ = [
    "FACETS",
    "FACT_STATUSES",
    "RefreshSummary",
    "attribute_facets",
    "decide_attribute",
    "merchandise_rows",
    "product_attributes",
    "save_extracted",
    "seller_decisions",
    "set_attributes",
    "skus_with_attributes",
    "unheld_values",
]

FACT_STATUSES = ("stated", "confirmed")  # what copy may state and search filters match
FACETS = ("type", "brand", "colour", "material", "pattern", "audience", "quantity")
_SELLER = ("confirmed", "rejected")
_MAX_VALUE = 500


@dataclass(frozen=True)
class RefreshSummary:
    products: int
    stated: int
    suggested: int
    kept: int  # seller decisions left as they were

    def as_dict(self) -> dict[str, int]:
        return {"products": self.products, "stated": self.stated, "suggested": self.suggested,
                "kept": self.kept}  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _key(value: object) -> str:
    return str(value).strip().casefold()


def _attribute(r: Any) -> Attribute:
    value: str | int = int(r.value) if r.name == "quantity" and r.value.isdigit() else r.value
    return Attribute(r.name, value, r.span, r.span_start, r.span_end, r.field, r.source, r.status)


def _row(sku: str, a: Attribute, actor: str, at: datetime) -> dict[str, Any]:
    return {
        "sku": sku, "name": a.name, "value_key": _key(a.value)[:_MAX_VALUE],
        "value": str(a.value)[:_MAX_VALUE], "span": a.span[:_MAX_VALUE], "span_start": a.start,
        "span_end": a.end, "field": a.field, "source": a.source[:16], "status": a.status,
        "actor": actor, "updated_at": at,
    }  # fmt: skip


def _order(a: Attribute) -> tuple[int, int, int]:
    return NAMES.index(a.name) if a.name in NAMES else len(NAMES), a.start, a.end


def _stored(conn: Connection, sku: str) -> list[Attribute]:
    pa = t.product_attributes
    rows = conn.execute(select(pa).where(pa.c.sku == sku)).all()
    return sorted((_attribute(r) for r in rows), key=_order)


def _product_row(conn: Connection, sku: str) -> Any:
    row = conn.execute(select(t.products).where(t.products.c.sku == sku)).first()
    if row is None:
        raise NotFound(f"no product with SKU {sku!r}", field="sku")
    return row


def product_attributes(db: Database, sku: str) -> ProductAttributes:
    """Every stored value of one product, rejected ones included (NotFound: no such SKU)."""
    with db.engine.connect() as conn:
        product = _product_row(conn, sku)
        return ProductAttributes(sku, product.language, _stored(conn, sku))


def save_extracted(
    db: Database, results: Sequence[ProductAttributes], actor: str = "extractor"
) -> RefreshSummary:
    """Replace the extracted rows of these products in one transaction; seller decisions stay.

    Idempotent: the same results written twice leave the same rows."""
    pa = t.product_attributes
    skus = [r.id for r in results]
    at = _now()
    stated = suggested = kept = 0
    with db.engine.begin() as conn:
        known: set[str] = set()
        decided: set[tuple[str, str, str]] = set()
        named: set[tuple[str, str]] = set()  # (sku, name) with a value the seller confirmed
        for start in range(0, len(skus), 1000):
            chunk = skus[start : start + 1000]
            known |= {
                r[0]
                for r in conn.execute(select(t.products.c.sku).where(t.products.c.sku.in_(chunk)))
            }
            for r in conn.execute(
                select(pa.c.sku, pa.c.name, pa.c.value_key, pa.c.status).where(
                    pa.c.sku.in_(chunk), pa.c.status.in_(_SELLER)
                )
            ):
                decided.add((r.sku, r.name, r.value_key))
                if r.status == "confirmed":
                    named.add((r.sku, r.name))
            conn.execute(delete(pa).where(pa.c.sku.in_(chunk), pa.c.status.notin_(_SELLER)))
        kept = len(decided)
        rows: dict[tuple[str, str, str], dict[str, Any]] = {}
        for result in results:
            if result.id not in known:
                continue
            for a in result.attributes:
                row = _row(result.id, a, actor, at)
                key = (result.id, a.name, row["value_key"])
                if key in decided or key in rows:
                    continue  # the seller has decided, or an earlier span already backs it
                if a.status == "suggested" and (result.id, a.name) in named:
                    # the seller gave this name's values: "material: glass, implied by
                    # 'T-LIGHT HOLDER'" was suggested under the seller's metal (a walk)
                    continue
                rows[key] = row
                stated += a.status == "stated"
                suggested += a.status == "suggested"
        values = list(rows.values())
        for start in range(0, len(values), 5000):
            conn.execute(insert(pa), values[start : start + 5000])
    return RefreshSummary(len(known), stated, suggested, kept)


def merchandise_rows(db: Database) -> list[CatalogRow]:
    """Every merchandise product as the extractor reads it, by SKU."""
    from borderless.capabilities.attributes.files import CatalogRow

    p = t.products
    with db.engine.connect() as conn:
        found = conn.execute(
            select(p.c.sku, p.c.title, p.c.description, p.c.language)
            .where(p.c.kind == "merchandise")
            .order_by(p.c.sku)
        ).all()
    return [CatalogRow(r.sku, r.title, r.description or "", r.language or None) for r in found]


def catalog_row(db: Database, sku: str) -> CatalogRow:
    """One product as the extractor reads it (NotFound: no such SKU)."""
    from borderless.capabilities.attributes.files import CatalogRow

    with db.engine.connect() as conn:
        r = _product_row(conn, sku)
    return CatalogRow(r.sku, r.title, r.description or "", r.language or None)


def seller_decisions(db: Database) -> dict[str, int]:
    """The seller's decisions on attribute values: extracted values `confirmed` or `rejected`,
    and values the seller `set` that the extractor had not found."""
    pa = t.product_attributes
    with db.engine.connect() as conn:
        found = conn.execute(
            select(pa.c.status, pa.c.field, func.count())
            .where(pa.c.status.in_(_SELLER))
            .group_by(pa.c.status, pa.c.field)
        ).all()
    out = {"confirmed": 0, "rejected": 0, "set": 0}
    for status, where, count in found:
        out["set" if where == "seller" and status == "confirmed" else str(status)] += int(count)
    return out


# names whose value may be a bare number (size 38, model 3000); a colour of 123 is no colour
_NUMBERED = frozenset({"model", "size", "quantity"})


def _checked_values(facts: Mapping[str, Any]) -> dict[str, list[str | int]]:
    """The seller's values by name: text (or a number where one makes sense), one or a list,
    then the catalog's attribute check (lengths, control characters)."""
    for name, given in facts.items() if isinstance(facts, Mapping) else ():
        field = f"attributes.{name}"
        if given is None:  # the catalog's check told null "text, a number or true/false"
            raise InvalidInput(f"{field}: null is no value; send [] to clear it", field=field)
        for value in given if isinstance(given, list) else [given]:
            if name in NAMES and (
                isinstance(value, bool)
                or not isinstance(value, str | int | float)
                or (not isinstance(value, str) and name not in _NUMBERED)
            ):
                said = json.dumps(value, default=repr)  # as it was sent: true, 123, {...}
                said = said if len(said) <= 40 else f"{said[:40]}…"
                raise InvalidInput(f"{field} must be text, not {said}", field=field)
            if name == "size" and isinstance(value, str) and (problem := size_problem(value)):
                raise InvalidInput(f"{field}: {problem}", field=field)
            if name == "quantity" and isinstance(value, int) and not isinstance(value, bool):
                # its own bound first: 10**30 was told the bounds of any attribute number
                # (±1,000,000,000), where a quantity is 1-1,000,000 (an attack)
                check_whole(value, field, low=1, high=MAX_QUANTITY)
    checked = check_attributes(facts)
    out: dict[str, list[str | int]] = {}
    for name, given in checked.items():
        field = f"attributes.{name}"
        if name not in NAMES:
            raise InvalidInput(
                f"unknown attribute {name!r}; known: {', '.join(NAMES)}", field=field
            )
        values = given if isinstance(given, list) else [given]
        kept: list[str | int] = []
        for value in values:
            if name == "quantity":
                number = check_whole(value, field, low=1, high=MAX_QUANTITY)
                if number is None:
                    raise InvalidInput(f"{field} must be a whole number", field=field)
                item: str | int = number
            else:
                item = check_text(str(value).strip(), field, _MAX_VALUE, required=True)
            if _key(item) not in {_key(k) for k in kept}:
                kept.append(item)
        if kept:
            out[name] = kept
    return out


def _evidence(title: str, value: str | int) -> tuple[str, int, int, AttributeField]:
    """Where the title says a seller's value, if it does (span, start, end, field)."""
    at = title.casefold().find(str(value).casefold())
    if at < 0:
        return "", 0, 0, "seller"
    return title[at : at + len(str(value))], at, at + len(str(value)), "title"


def _sync_product(conn: Connection, product_row: Any, facts: dict[str, list[Any]],
                  names: set[str]) -> None:  # fmt: skip
    """Write the seller's values of `names` into the product's attributes, marked confirmed."""
    product = product_from_row(product_row)
    attributes = dict(product.attributes)
    confirmed = attributes.get("confirmed", [])
    confirmed = list(confirmed) if isinstance(confirmed, list) else [confirmed]
    for name in sorted(names):
        values = facts.get(name, [])
        if values:
            attributes[name] = values[0] if len(values) == 1 else values
            if name not in confirmed:
                confirmed.append(name)
        else:
            attributes.pop(name, None)
            confirmed = [c for c in confirmed if c != name]
    if confirmed:
        attributes["confirmed"] = confirmed
    else:
        attributes.pop("confirmed", None)
    if attributes != product.attributes:
        check_product(replace(product, attributes=attributes))
        conn.execute(
            update(t.products).where(t.products.c.sku == product.sku).values(attributes=attributes)
        )


def set_attributes(
    db: Database, sku: str, facts: Mapping[str, Any], actor: str
) -> ProductAttributes:
    """The seller's facts for the names given (`{"colour": ["red"], "quantity": 3}`).

    For each name in `facts`, its values become the product's facts: an extracted or suggested
    value named is confirmed, a new one is stored as the seller's, and a fact of that name left
    out is rejected (it will not come back on the next extraction). Names not given are left
    as they are; so are suggestions of other names. One transaction."""
    wanted = _checked_values(facts)
    with db.writing(f"attributes:{sku}") as conn:
        return _set(conn, sku, facts, wanted, actor)


def _set(
    conn: Connection, sku: str, facts: Mapping[str, Any], wanted: dict[str, list[Any]],
    actor: str,
) -> ProductAttributes:  # fmt: skip
    """set_attributes' writes, inside the caller's write lock."""
    pa = t.product_attributes
    at = _now()
    product = _product_row(conn, sku)
    current = {(a.name, _key(a.value)): a for a in _stored(conn, sku)}
    for name in wanted.keys() | {n for n in facts if n in NAMES}:
        keys = {_key(v) for v in wanted.get(name, [])}
        for (have_name, key), a in current.items():
            if have_name == name and key not in keys and a.status != "rejected":
                conn.execute(
                    update(pa)
                    .where(and_(pa.c.sku == sku, pa.c.name == name, pa.c.value_key == key))
                    .values(status="rejected", actor=actor, updated_at=at)
                )
        for value in wanted.get(name, []):
            old = current.get((name, _key(value)))
            if old is not None:
                status = "stated" if old.status == "stated" else "confirmed"
                conn.execute(
                    update(pa)
                    .where(and_(pa.c.sku == sku, pa.c.name == name,
                                pa.c.value_key == _key(value)))
                    .values(status=status, value=str(value), actor=actor, updated_at=at)
                )  # fmt: skip
                continue
            span, start, end, field = _evidence(product.title, value)
            new = Attribute(name, value, span, start, end, field, "seller", "confirmed")
            conn.execute(insert(pa).values(_row(sku, new, actor, at)))
    _sync_product(conn, product, wanted, set(wanted) | {n for n in facts if n in NAMES})
    return ProductAttributes(sku, product.language, _stored(conn, sku))


def decide_attribute(
    db: Database, sku: str, name: str, value: str, status: str, actor: str
) -> ProductAttributes:
    """Confirm or reject one stored value (a suggestion, usually); confirming makes it a fact."""
    if status not in _SELLER:
        raise InvalidInput("status must be confirmed or rejected", field="status")
    check_text(name, "name", 32, required=True)
    check_text(value, "value", _MAX_VALUE, required=True)
    pa = t.product_attributes
    # read and written under one lock: two suggestions confirmed at once each read the facts
    # without the other's, and the later write rejected the earlier confirmation
    with db.writing(f"attributes:{sku}") as conn:
        product = _product_row(conn, sku)
        found = ProductAttributes(sku, product.language, _stored(conn, sku))
        match = [a for a in found.attributes if a.name == name and _key(a.value) == _key(value)]
        if not match:
            raise NotFound(f"{sku} has no {name} {value!r} to decide on", field="value")
        facts = [v for v in found.values(name) if _key(v) != _key(value)]
        if status == "confirmed":
            facts.append(match[0].value)
        else:
            conn.execute(
                update(pa)
                .where(and_(pa.c.sku == sku, pa.c.name == name, pa.c.value_key == _key(value)))
                .values(status="rejected", actor=actor, updated_at=_now())
            )
            if match[0].status not in ("stated", "confirmed"):
                return ProductAttributes(sku, product.language, _stored(conn, sku))
        return _set(conn, sku, {name: facts}, _checked_values({name: facts}), actor)


def skus_with_attributes(db: Database, wanted: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """SKUs whose facts hold, for every name given, one of its values (case-insensitive)."""
    pa = t.product_attributes
    found: frozenset[str] | None = None
    with db.engine.connect() as conn:
        for name, values in wanted.items():
            keys = {_key(v) for v in values if str(v).strip()}
            if not keys:
                continue
            skus = frozenset(
                r[0]
                for r in conn.execute(
                    select(pa.c.sku).where(
                        pa.c.name == name, pa.c.value_key.in_(keys),
                        pa.c.status.in_(FACT_STATUSES),
                    )
                )
            )  # fmt: skip
            found = skus if found is None else found & skus
    return found if found is not None else frozenset()


def unheld_values(db: Database, wanted: Mapping[str, Sequence[str]]) -> list[str]:
    """What no product's facts hold among `wanted` (name -> values), said: "no product has
    colour octarine"."""
    pa = t.product_attributes
    said = []
    with db.engine.connect() as conn:
        for name, values in wanted.items():
            keys = {_key(v): str(v).strip() for v in values if str(v).strip()}
            held = {
                r[0]
                for r in conn.execute(
                    select(pa.c.value_key).where(
                        pa.c.name == name, pa.c.value_key.in_(list(keys)),
                        pa.c.status.in_(FACT_STATUSES),
                    ).distinct()
                )
            }  # fmt: skip
            said += [f"no product has {name} {shown}" for key, shown in keys.items()
                     if key not in held]  # fmt: skip
    return said


def attribute_facets(
    db: Database, skus: Sequence[str], names: Sequence[str] = FACETS, top: int = 10
) -> dict[str, list[tuple[str, int]]]:
    """How many of `skus` have each fact value, per name: the most frequent `top` values."""
    pa = t.product_attributes
    counts: dict[str, Counter[str]] = {name: Counter() for name in names}
    shown: dict[tuple[str, str], str] = {}
    unique = sorted(set(skus))
    with db.engine.connect() as conn:
        for start in range(0, len(unique), 1000):
            rows = conn.execute(
                select(pa.c.sku, pa.c.name, pa.c.value_key, pa.c.value).where(
                    pa.c.sku.in_(unique[start : start + 1000]),
                    pa.c.name.in_(names),
                    pa.c.status.in_(FACT_STATUSES),
                )
            ).all()
            for r in rows:
                counts[r.name][r.value_key] += 1
                shown.setdefault((r.name, r.value_key), r.value)
    return {
        name: [
            (shown[(name, key)], n)
            for key, n in sorted(c.items(), key=lambda i: (-i[1], i[0]))[:top]
        ]
        for name, c in counts.items()
        if c
    }
