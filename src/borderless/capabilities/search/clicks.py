"""Search relevance clicks: a shopper opened result `rank` for `query`, a labelled example for
the `search` task (text = the query, label = the clicked SKU, predicted = the top result).

The rank, the SKUs skipped above the click and a click id travel in the example's subject
(`rank=3 click=1f2e3d4c above=A,B`), so the corrections export carries them and every click
stays its own row. From the clicks, the mean reciprocal rank of an index can be measured:
as the shopper saw it (`shown_mrr`), or for the index now answering (`index_mrr`)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from borderless.capabilities.catalog.checks import visible
from borderless.capabilities.search.metrics import reciprocal_rank
from borderless.errors import InvalidInput

__all__ = [
    "MAX_CLICK_QUERY",
    "MAX_CLICK_RANK",
    "SearchClick",
    "index_mrr",
    "read_click",
    "shown_mrr",
]

TASK, SOURCE = "search", "click"
MAX_CLICK_QUERY = 500  # the API search takes queries this long
MAX_CLICK_RANK = 100  # and shows at most this many results
MAX_SKU = 64
_SUBJECT = 200  # the stored subject's length


@dataclass(frozen=True)
class SearchClick:
    query: str
    sku: str
    rank: int
    above: tuple[str, ...] = ()  # the results shown above the click, best first
    top: str | None = None  # the first result, when `above` was not sent
    click_id: str = field(default_factory=lambda: secrets.token_hex(4))

    def __post_init__(self) -> None:
        query = " ".join(self.query.split())
        if not query or len(query) > MAX_CLICK_QUERY:
            raise InvalidInput(f"a query has 1 to {MAX_CLICK_QUERY} characters", field="query")
        if not 1 <= self.rank <= MAX_CLICK_RANK:
            raise InvalidInput(f"rank is a position from 1 to {MAX_CLICK_RANK}", field="rank")
        for name, skus in (("sku", [self.sku]), ("above", self.above), ("top", [self.top or "x"])):
            if any(not s or len(s) > MAX_SKU or s != "".join(s.split()) for s in skus):
                raise InvalidInput(f"{name}: a SKU is 1 to {MAX_SKU} characters, no spaces",
                                   field=name)  # fmt: skip
        if len(self.above) >= self.rank:
            raise InvalidInput("above lists only the results shown above the click", field="above")
        object.__setattr__(self, "query", query)

    def check_new(self) -> None:
        """What a click given now must also hold (clicks stored before these rules are still
        read): its query shows something, and `above` names each result once, not the
        clicked one (a zero-width query and a product above itself were stored: an attack)."""
        if not visible(self.query):
            raise InvalidInput("the query is empty (or only invisible characters)",
                               field="query")  # fmt: skip
        if self.sku in self.above or len(set(self.above)) < len(self.above):
            raise InvalidInput("above lists each result shown above the click once, not the "
                               "clicked one", field="above")  # fmt: skip

    @property
    def predicted(self) -> str | None:
        """What the index put first: the clicked SKU itself when it was the first result."""
        return self.top or (self.above[0] if self.above else self.sku if self.rank == 1 else None)

    def subject(self) -> str:
        text = f"rank={self.rank} click={self.click_id}"
        above = list(self.above)
        while above and len(f"{text} above={','.join(above)}") > _SUBJECT:
            above.pop()  # the nearest above the click are the ones kept
        return f"{text} above={','.join(above)}" if above else text


def read_click(query: str, sku: str, subject: str) -> SearchClick:
    """A stored click back from its example's text, label and subject."""
    parts = dict(p.split("=", 1) for p in subject.split() if "=" in p)
    above = tuple(s for s in parts.get("above", "").split(",") if s)
    return SearchClick(query, sku, int(parts.get("rank", "0")), above,
                       click_id=parts.get("click", ""))  # fmt: skip


def shown_mrr(clicks: Iterable[SearchClick]) -> float:
    """Mean reciprocal rank of the clicked results as they were shown (0 without clicks)."""
    ranks = [c.rank for c in clicks]
    return sum(1 / r for r in ranks) / len(ranks) if ranks else 0.0


def index_mrr(clicks: Sequence[SearchClick], search: Callable[[str], Sequence[str]]) -> float:
    """Mean reciprocal rank of the clicked SKU when each clicked query is asked again of
    `search` (query -> ranked SKUs): how the index now answering does on the shoppers' clicks."""
    if not clicks:
        return 0.0
    return sum(reciprocal_rank(search(c.query), {c.sku}) for c in clicks) / len(clicks)
