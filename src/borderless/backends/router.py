"""One Translator that picks an engine per language pair, and pivots through English.

Spec: `router:en-pt=bergamot;pt-en=bergamot;*=llm`: pairs (or `*` for any other pair) each
name a translator spec. Engines are created on first use, so a missing package only matters
for the pairs that need it. Without a route for a pair (and no `*`), a route into English and
one out of it make a pivot: pt->zh = pt->en, then en->zh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from borderless.backends.base import Translator
from borderless.errors import InvalidInput

__all__ = ["TranslationRouter", "parse_routes"]

PIVOT = "en"


def parse_routes(arg: str) -> dict[str, str]:
    routes: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in arg.split(";"))):
        pair, equals, spec = item.partition("=")
        pair = pair.strip().lower()
        if not equals or not spec.strip():
            raise InvalidInput(f"translator route {item!r} is not PAIR=SPEC", field="translator")
        if pair != "*" and (pair.count("-") != 1 or not all(pair.split("-"))):
            raise InvalidInput(
                f"translator route {pair!r} is not like en-de or *", field="translator"
            )
        routes[pair] = spec.strip()
    if not routes:
        raise InvalidInput("the translator router needs at least one route", field="translator")
    return routes


class TranslationRouter(Translator):
    def __init__(self, routes: dict[str, str], create: Callable[[str], Translator]) -> None:
        self.routes = routes
        self._create = create
        self._engines: dict[str, Translator] = {}
        self.name = "router:" + ";".join(f"{p}={s}" for p, s in routes.items())

    def engine(self, spec: str) -> Translator:
        """The engine for a spec, created on first use and kept."""
        if spec not in self._engines:
            self._engines[spec] = self._create(spec)
        return self._engines[spec]

    def route(self, source: str, target: str) -> list[tuple[str, str, str]]:
        """The hops for a pair: [(source, target, engine spec), ...]."""
        source, target = source.lower(), target.lower()
        direct = self.routes.get(f"{source}-{target}") or self.routes.get("*")
        if direct:
            return [(source, target, direct)]
        into, out = self.routes.get(f"{source}-{PIVOT}"), self.routes.get(f"{PIVOT}-{target}")
        if into and out and PIVOT not in (source, target):
            return [(source, PIVOT, into), (PIVOT, target, out)]
        raise InvalidInput(f"no translation engine for {source}->{target}", field="target")

    def engine_for(self, source: str, target: str) -> str:
        return " then ".join(spec for _, _, spec in self.route(source, target))

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        out = list(texts)
        for hop_source, hop_target, spec in self.route(source, target):
            out = self.engine(spec).translate_batch(out, hop_source, hop_target)
        return out
