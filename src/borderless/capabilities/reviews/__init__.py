"""Review intelligence: review files, sentiment in any language (see each module)."""

from __future__ import annotations

__all__: list[str] = []
