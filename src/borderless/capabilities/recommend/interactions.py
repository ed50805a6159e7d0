"""Who interacted with what: string ids mapped to rows and columns of a sparse matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from borderless.optional import require

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["Interactions"]


@dataclass(frozen=True)
class Interactions:
    users: list[str]
    items: list[str]
    matrix: sp.csr_matrix  # users x items, weight = number of interactions (or a rating)

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str]],
        weights: Sequence[float] | None = None,
        items: Sequence[str] = (),
    ) -> Interactions:
        """From (user, item) pairs; repeated pairs add up. `items` adds items nobody has yet."""
        user_index: dict[str, int] = {}
        item_index: dict[str, int] = {i: n for n, i in enumerate(dict.fromkeys(items))}
        rows, cols = [], []
        for user, item in pairs:
            rows.append(user_index.setdefault(user, len(user_index)))
            cols.append(item_index.setdefault(item, len(item_index)))
        data = (
            np.ones(len(rows), dtype=np.float32)
            if weights is None
            else np.asarray(weights, np.float32)
        )
        sparse = require("scipy.sparse", "recommend", feature="recommendations")
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(user_index), len(item_index)))
        matrix.sum_duplicates()
        return cls(list(user_index), list(item_index), matrix)

    def user_rows(self) -> dict[str, int]:
        return {u: n for n, u in enumerate(self.users)}

    def item_columns(self) -> dict[str, int]:
        return {i: n for n, i in enumerate(self.items)}

    def binary(self) -> sp.csr_matrix:
        out = self.matrix.copy()
        out.data[:] = 1.0
        return out
