"""The API's request and response shapes: all in `borderless.service.schemas`, all named by one
rule (XCreate, XUpdate, XPublic, XPage), closed sets listed as enums in the schema."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

import borderless.service.routes as routes_package
from borderless.service import create_app
from borderless.storage import open_database

from .conftest import fake_settings

ROUTES = Path(routes_package.__file__).parent
RULE = re.compile(r"^[A-Z][A-Za-z]*(Create|Update|Public|Page)$")
# FastAPI's own validation shapes (dropped from our schema, allowed should they come back) and
# the one error body every operation shares.
ALLOWED = {"HTTPValidationError", "ValidationError", "ErrorBody"}
MODEL_BASES = {"BaseModel", "RootModel", "Page", "TypedDict"}


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
        elif isinstance(target, ast.Name):
            names.add(target.id)
    return names


def _models_in(source: str) -> list[str]:
    """Classes built on pydantic, on our Page, or on one of our schemas (named by the rule)."""
    return [
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef)
        and any(name in MODEL_BASES or RULE.match(name) for name in _base_names(node))
    ]


def test_the_check_finds_a_model_in_a_route_module() -> None:
    source = "from pydantic import BaseModel\nclass Thing(BaseModel):\n    x: int\n"
    assert _models_in(source) == ["Thing"]
    assert _models_in("class Picks(Page[Pick]):\n    basis: str\n") == ["Picks"]
    assert _models_in("class Detail(ProductPublic):\n    more: int\n") == ["Detail"]
    assert _models_in("class Posted:\n    pass\n") == []


@pytest.mark.parametrize("module", sorted(p.name for p in ROUTES.glob("*.py")))
def test_route_modules_define_no_models(module: str) -> None:
    found = _models_in((ROUTES / module).read_text(encoding="utf-8"))
    assert not found, f"routes/{module} defines {found}: move them to service/schemas/"


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("schemas")
    settings = fake_settings(folder)
    app = create_app(settings, open_database(settings))
    found: dict[str, Any] = app.openapi()
    return found


def test_every_schema_name_follows_the_rule(spec: dict[str, Any]) -> None:
    names = set(spec["components"]["schemas"])
    wrong = sorted(n for n in names - ALLOWED if not RULE.match(n))
    assert not wrong, f"schema names outside XCreate/XUpdate/XPublic/XPage: {wrong}"
    assert {"ProductPage", "ProductPublic", "ProductCreate", "ProductUpdate"} <= names


def test_every_page_has_the_one_page_shape(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        if name.endswith("Page"):
            fields = set(schema["properties"])
            assert {"data", "count", "limit", "offset"} <= fields, name
            assert schema["properties"]["data"]["type"] == "array", name


# /v1 answers that are not one of our models, each with the reason.
UNTYPED_ANSWERS = {
    ("get", "/v1/segments/export"): "CSV text, not JSON",
}


def _untyped_answers(spec: dict[str, Any]) -> list[str]:
    """/v1 operations whose 200/201 JSON answer is not a `$ref` to a component."""
    found = []
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            for code in ("200", "201"):
                answer = operation.get("responses", {}).get(code)
                if answer is None or (method, path) in UNTYPED_ANSWERS:
                    continue
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                if "$ref" not in schema:
                    found.append(f"{method.upper()} {path} {code}")
    return found


def test_the_check_finds_an_untyped_answer() -> None:
    typed = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}
    loose = {"content": {"application/json": {"schema": {"type": "object"}}}}
    spec = {"paths": {"/v1/a": {"get": {"responses": {"200": typed}}},
                      "/v1/b": {"post": {"responses": {"201": loose}}},
                      "/v1/segments/export": {"get": {"responses": {"200": loose}}},
                      "/metrics": {"get": {"responses": {"200": loose}}}}}  # fmt: skip
    assert _untyped_answers(spec) == ["POST /v1/b 201"]


def test_every_v1_answer_is_a_named_model(spec: dict[str, Any]) -> None:
    wrong = _untyped_answers(spec)
    assert not wrong, f"answers without a response model in service/schemas/: {wrong}"
    for method, path in UNTYPED_ANSWERS:
        assert method in spec["paths"][path], f"stale exception {method} {path}"


@pytest.mark.parametrize(
    ("module", "function"),
    [
        ("copy_drafts", "save_drafts"),
        ("copy_drafts", "get_draft"),
        ("copy_drafts", "list_drafts"),
        ("copy_drafts", "review_draft"),
        ("support", "get_conversation"),
        ("support", "list_conversations"),
        ("localize", "product_translations"),
    ],
)
def test_storage_returns_frozen_records(module: str, function: str) -> None:
    import dataclasses
    import importlib
    import typing

    found = getattr(importlib.import_module(f"borderless.storage.{module}"), function)
    answer = typing.get_type_hints(found)["return"]
    while typing.get_origin(answer) in (tuple, list):  # (records, total) or records
        answer = typing.get_args(answer)[0]
    assert dataclasses.is_dataclass(answer), f"{function} returns {answer}, not a record"
    assert answer.__dataclass_params__.frozen, f"{answer.__name__} is not frozen"  # type: ignore[attr-defined]


def _enum(spec: dict[str, Any], schema: str, field: str) -> list[str]:
    prop = spec["components"]["schemas"][schema]["properties"][field]
    options = prop.get("anyOf", [prop])
    return sorted(v for o in options for v in o.get("enum", []))


@pytest.mark.parametrize(
    ("schema", "field", "values"),
    [
        ("CopyDraftPublic", "status", ["approved", "draft", "rejected", "superseded"]),
        ("MessagePublic", "role", ["assistant", "customer", "staff"]),
        ("ConversationPublic", "status", ["closed", "handoff", "open"]),
        ("ConversationSummaryPublic", "last_role", ["assistant", "customer", "staff"]),
        ("TranslationPublic", "field", ["description", "title"]),
        ("AttributePublic", "status", ["confirmed", "rejected", "stated", "suggested"]),
        ("JobPublic", "kind", ["copy", "forecast", "reviews", "translate"]),
        ("JobPublic", "status", ["cancelled", "done", "failed", "queued", "running"]),
        ("ProductPublic", "kind", ["charge", "merchandise", "voucher"]),
        ("OrderPublic", "kind", ["cancellation", "sale"]),
        ("RatePublic", "rounding", ["100", "95", "99", "exact", "whole"]),
        ("RateUpdate", "rounding", ["100", "95", "99", "exact", "whole"]),
        ("RiskPublic", "action", ["allow", "block", "review"]),
        ("RiskDecisionPublic", "decision", ["approve", "block"]),
        ("ForecastPublic", "frequency", ["daily", "weekly"]),
        ("ForecastRunPublic", "level", ["market", "sku", "sku_market", "total"]),
        ("RiskRuleHitsPublic", "action", ["allow", "block", "review"]),
        ("ReplyPublic", "status", ["closed", "handoff", "open"]),
        ("ConversationStartPublic", "status", ["closed", "handoff", "open"]),
        ("VerdictPublic", "status", ["needs review", "ok"]),
        ("AttributePublic", "field", ["description", "seller", "title"]),
        (
            "AttributePublic",
            "source",
            ["catalog", "llm", "position", "rule", "seller", "vocabulary"],
        ),
    ],
)
def test_closed_sets_are_listed_in_the_schema(
    spec: dict[str, Any], schema: str, field: str, values: list[str]
) -> None:
    assert _enum(spec, schema, field) == values


@pytest.mark.parametrize(
    ("record", "field", "values"),
    [
        ("borderless.storage.risk:RiskRecord", "action", ["allow", "block", "review"]),
        ("borderless.storage.risk:RiskRecord", "decision", ["approve", "block"]),
        ("borderless.storage.risk:RiskLabel", "decision", ["approve", "block"]),
        ("borderless.capabilities.attributes:Attribute", "field",
         ["description", "seller", "title"]),
        ("borderless.capabilities.attributes:Attribute", "source",
         ["catalog", "llm", "position", "rule", "seller", "vocabulary"]),
        ("borderless.capabilities.attributes:Attribute", "status",
         ["confirmed", "rejected", "stated", "suggested"]),
    ],
)  # fmt: skip
def test_records_type_their_closed_sets(record: str, field: str, values: list[str]) -> None:
    import importlib
    import typing

    module, name = record.split(":")
    hint = typing.get_type_hints(getattr(importlib.import_module(module), name))[field]
    found = [a for a in typing.get_args(hint) if a is not type(None)]
    if len(found) == 1 and typing.get_origin(found[0]) is typing.Literal:  # X | None
        found = list(typing.get_args(found[0]))
    assert sorted(found) == values, f"{name}.{field} is {hint}"
