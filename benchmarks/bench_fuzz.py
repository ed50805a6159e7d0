"""Schemathesis over the service's OpenAPI schema, counted: what tests/test_fuzz.py asserts (no
server error, answers as the schema declares), with the number of operations, requests and
status codes it took, for RESULTS.md.

    python benchmarks/bench_fuzz.py [--examples 10] [--out benchmarks/RESULTS.md]

The shop: the first 20,000 order lines of the demo data on SQLite, fake models (the routes, not
the models, are under test), rate limit off. Every operation gets `--examples` generated
requests with the staff key and as many without it. A request fails when it answers 5xx, or its
status, content type, body or headers are not what the schema declares.
"""

from __future__ import annotations

import argparse
import gzip
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from report import emit

from borderless.capabilities.catalog.retail import parse_retail
from borderless.config import load_settings
from borderless.service import create_app
from borderless.storage import open_database
from borderless.storage.imports import save_retail

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
FAKE = {
    "embeddings": "fake", "search_embeddings": "fake", "generator": "fake", "translator": "fake",
    "intent_embeddings": "fake", "sentiment_embeddings": "fake",
}  # fmt: skip


def _fuzzer(operation: Any, headers: dict[str, str], statuses: Counter[int], chosen: list[Any],
            examples: int) -> Any:  # fmt: skip
    """One operation's hypothesis test: each generated request counted by its status."""

    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def one(case: Any) -> None:
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=chosen)

    return one


def main() -> None:
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-fuzz-"))
    sample = folder / "retail.csv"
    with gzip.open(
        DATA / "uci_online_retail" / "online_retail.csv.gz", "rt", encoding="utf-8"
    ) as src:
        sample.write_text("".join(line for _, line in zip(range(20_001), src, strict=False)))
    shop = load_settings(data_dir=folder, shared_data_dir=DATA, api_key="k",
                         model_rate_per_minute=100_000, **FAKE)  # fmt: skip
    db = open_database(shop)
    save_retail(db, parse_retail(sample))
    app = create_app(shop, db)
    app.state.services.assistant  # noqa: B018  (built first, as serve warms it)
    app.state.services.search.warm()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    chosen = [not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
              checks.response_schema_conformance, checks.response_headers_conformance]  # fmt: skip
    operations = [r.ok() for r in schema.get_all_operations()]
    rows = []
    for who, headers in (("staff key", {"X-API-Key": "k"}), ("no key", {})):
        statuses: Counter[int] = Counter()
        failed: list[str] = []
        started = time.perf_counter()
        for operation in operations:
            one = _fuzzer(operation, headers, statuses, chosen, args.examples)
            try:
                one()
            except (Exception, BaseExceptionGroup) as error:
                failed.append(f"{operation.method.upper()} {operation.path}: {str(error)[:120]}")
        seconds = time.perf_counter() - started
        server_errors = sum(n for code, n in statuses.items() if code >= 500)
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        rows.append(f"| {who} | {len(operations)} | {sum(statuses.values()):,} | {server_errors} | "
                    f"{len(failed)} | {codes} | {seconds:.0f} |")  # fmt: skip
        for line in failed:
            print("FAILED", who, line)
    command = "python benchmarks/bench_fuzz.py" + (
        " --out benchmarks/RESULTS.md" if args.out else ""
    )
    emit("Fuzzing the API (Schemathesis)",
         f"`{command}` (see its docstring): up to {args.examples} generated requests per operation "
         "and caller (hypothesis, derandomized), the first 20,000 demo order lines, fake models. "
         "The same run as the CI step tests/test_fuzz.py (slow), counted.",
         ["caller", "operations", "requests", "5xx answers", "operations failing a check",
          "status codes", "seconds"], rows, args.out)  # fmt: skip


if __name__ == "__main__":
    main()
