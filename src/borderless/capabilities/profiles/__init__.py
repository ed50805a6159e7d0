"""Customer profiles: RFM segments, lifetime value and churn risk, interest tags with reasons."""

from __future__ import annotations

__all__: list[str] = []
