"""JSON objects that give each key once.

Python's json keeps the last of two equal keys, silently: {"rate": 1.17, "rate": 999} was
stored as 999 through the API, and a reviews file's second "rating" won the same way (attacks).
`keys_once` is the `object_pairs_hook` that refuses them; the API's middleware and the reviews
file reader both use it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KeyGivenTwice", "keys_once"]


class KeyGivenTwice(ValueError):
    """A JSON object gave `key` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def keys_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` for `json.loads`: the object, or KeyGivenTwice."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise KeyGivenTwice(key)
        seen[key] = value
    return seen
