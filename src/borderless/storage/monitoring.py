"""Monitoring samples in the shop database: one row per worker, minute, capability and model
version (see borderless.capabilities.lifecycle.monitor)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select

from borderless.capabilities.lifecycle.monitor import Sample
from borderless.storage import tables as t
from borderless.storage.database import Database

__all__ = ["load_samples", "save_samples"]


def save_samples(db: Database, samples: Sequence[Sample]) -> int:
    if not samples:
        return 0
    with db.engine.begin() as conn:
        conn.execute(
            insert(t.monitor_samples),
            [
                {
                    "minute": s.minute,
                    "capability": s.capability[:32],
                    "version": s.version[:64],
                    "worker": s.worker[:32],
                    "requests": s.requests,
                    "errors": s.errors,
                    "p50_ms": s.p50_ms,
                    "p95_ms": s.p95_ms,
                    "p99_ms": s.p99_ms,
                    "signals": s.signals,
                }
                for s in samples
            ],
        )
    return len(samples)


def load_samples(db: Database, since: datetime, capability: str | None = None) -> list[Sample]:
    """Stored minutes from `since` on, oldest first."""
    query = select(t.monitor_samples).where(t.monitor_samples.c.minute >= since)
    if capability is not None:
        query = query.where(t.monitor_samples.c.capability == capability)
    with db.engine.connect() as conn:
        rows = conn.execute(query.order_by(t.monitor_samples.c.minute)).all()
    return [
        Sample(
            r.minute,
            r.capability,
            r.version,
            r.worker,
            r.requests,
            r.errors,
            r.p50_ms,
            r.p95_ms,
            r.p99_ms,
            dict(r.signals),
        )
        for r in rows
    ]
