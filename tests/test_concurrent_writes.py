"""Concurrent writes that read, check and write: each sees the one before it whole (an attack
found 500s and a product with thirteen colours). SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from borderless.capabilities.attributes.records import Attribute, ProductAttributes
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.shipments.events import EventRow
from borderless.storage import Database
from borderless.storage.attributes import (
    decide_attribute,
    product_attributes,
    save_extracted,
    set_attributes,
)
from borderless.storage.catalog import create_product
from borderless.storage.imports import save_retail
from borderless.storage.risk import rule_versions, save_rules
from borderless.storage.shipments import save_scans, shipments_of

from .test_inventory import write_shop_file
from .test_shipments import first_orders

WRITERS = 12


def together(write: Callable[[int], Any]) -> list[Any]:
    """`write(i)` for i in 0..WRITERS-1, all at once; what each returned or raised."""

    def attempt(i: int) -> Any:
        try:
            return write(i)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(attempt, range(WRITERS)))


def test_concurrent_rule_saves_each_get_their_own_version(db: Database) -> None:
    got = together(lambda i: save_rules(db, f"review if amount >= {i + 1}", f"writer {i}"))
    assert not [g for g in got if isinstance(g, Exception)]
    assert sorted(v.version for v in rule_versions(db)) == list(range(1, WRITERS + 1))


def test_the_same_rules_saved_again_are_the_same_version(db: Database) -> None:
    """An attack: saving the same rules twice made versions 1 and 2 of one text."""
    first = save_rules(db, "review if amount >= 5", "limit")
    assert save_rules(db, "review if amount >= 5", "limit") == first
    assert save_rules(db, "review if amount >= 5", "new note").version == first.version + 1
    assert len(rule_versions(db)) == 2


def test_concurrent_attribute_writes_leave_one_writers_facts(db: Database) -> None:
    create_product(db, Product(sku="85123A", title="WHITE HANGING HEART T-LIGHT HOLDER"))
    got = together(lambda i: set_attributes(db, "85123A", {"colour": [f"c{i}"]}, "staff"))
    assert not [g for g in got if isinstance(g, Exception)]
    facts = product_attributes(db, "85123A").values("colour")
    assert len(facts) == 1 and facts[0] in {f"c{i}" for i in range(WRITERS)}


def test_suggestions_confirmed_at_once_are_all_confirmed(db: Database) -> None:
    """Each confirmation read the facts before the lock, without the others', and the last
    write rejected what the others had confirmed (a review's finding)."""
    create_product(db, Product(sku="85123A", title="WHITE HANGING HEART T-LIGHT HOLDER"))
    offered = [Attribute("colour", f"c{i}", "", 0, 0, status="suggested") for i in range(WRITERS)]
    save_extracted(db, [ProductAttributes("85123A", "en", offered)])
    got = together(lambda i: decide_attribute(db, "85123A", "colour", f"c{i}", "confirmed", "s"))
    assert not [g for g in got if isinstance(g, Exception)]
    facts = product_attributes(db, "85123A").values("colour")
    assert sorted(facts) == sorted(f"c{i}" for i in range(WRITERS))


def test_concurrent_first_scans_of_one_shipment_create_it_once(
    db: Database, tmp_path: Path
) -> None:
    save_retail(db, parse_retail(write_shop_file(tmp_path / "shop.csv", days=14)))
    order, _, placed = first_orders(db, "GB", 1)[0]
    at = placed + timedelta(hours=2)
    rows = [EventRow("RACE-1", order, "DHL", "picked_up", at, line=2)]
    got = together(lambda _: save_scans(db, rows))
    assert not [g for g in got if isinstance(g, Exception)]
    assert sum(g.shipments_created for g in got) == 1
    assert [s.shipment_id for s in shipments_of(db, order)] == ["RACE-1"]


def test_concurrent_edits_of_one_draft_each_get_their_own_version(db: Database) -> None:
    """Eight edits of one copy draft at once got two UNIQUE-constraint 500s on the next
    version number (an attack)."""
    from borderless.capabilities.copywrite import edited_draft, facts_of
    from borderless.storage.copy_drafts import list_drafts, save_drafts, save_edit

    from .test_copywriting import VOCAB, product

    create_product(db, product())
    facts = facts_of(product(), VOCAB)
    first = save_drafts(db, [edited_draft(facts, VOCAB, "description", "en", "Bowls.", {})])[0]
    got = together(lambda i: save_edit(
        db, edited_draft(facts, VOCAB, "description", "en", f"Three bowls, take {i}.", {}),
        first.id, "facts", "staff"))  # fmt: skip
    assert not [g for g in got if isinstance(g, Exception)], got
    drafts, _ = list_drafts(db, sku="B1")
    assert sorted(d.version for d in drafts) == list(range(1, WRITERS + 2))


def test_concurrent_staff_replies_to_one_conversation_are_all_kept(db: Database) -> None:
    """Four staff replies at once got three UNIQUE-constraint 500s (an attack)."""
    from borderless.storage.support import add_staff_reply, create_conversation, get_conversation

    conversation, _ = create_conversation(db, None)
    got = together(lambda i: add_staff_reply(db, conversation, f"Staff answer {i}"))
    assert not [g for g in got if isinstance(g, Exception)], got
    messages = get_conversation(db, conversation).messages
    assert [m.seq for m in messages] == list(range(1, WRITERS + 1))
    assert sorted(m.text for m in messages) == sorted(f"Staff answer {i}" for i in range(WRITERS))
