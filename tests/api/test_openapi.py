"""The generated OpenAPI schema: served at a stable URL, complete, and self-consistent."""

from __future__ import annotations

import re
from typing import Any

import pytest

SCHEMA_URL = "/api/v1/openapi.json"


@pytest.fixture
def schema(client, db) -> dict[str, Any]:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()  # type: ignore[no-any-return]


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]


def test_schema_loads_and_lists_the_resources(schema) -> None:
    # then
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Accountable API"
    assert {
        "/api/v1/accounts/",
        "/api/v1/accounts/{id}",
        "/api/v1/accounts/{id}/tree",
        "/api/v1/accounts/{id}/status",
        "/api/v1/accounts/{id}/owner",
        "/api/v1/accounts/{id}/owner/transfer",
        "/api/v1/accounts/{id}/owner/release",
        "/api/v1/accounts/{id}/ownerships",
        "/api/v1/accounts/{id}/status-changes",
        "/api/v1/accounts/{id}/external-ids",
        "/api/v1/external-ids/{id}",
        "/api/v1/accounts/{id}/team-members",
        "/api/v1/team-members/{id}",
        "/api/v1/team-members/{id}/responsibilities",
        "/api/v1/people/",
        "/api/v1/people/{id}",
        "/api/v1/positions/",
        "/api/v1/business-units/",
        "/api/v1/accounts/{id}/history",
        "/api/v1/history/",
        "/api/v1/programme-settings",
        "/api/v1/api-tokens/",
        "/api/v1/api-tokens/{id}/revoke",
        "/api/v1/accounts/{id}/partnership-assessments",
        "/api/v1/accounts/{id}/selection-decisions",
        "/api/v1/scoring-facts",
        "/api/v1/scoring-models/",
        "/api/v1/accounts/{id}/scores",
        "/api/v1/portfolio",
        "/api/v1/backtest",
        "/api/v1/assignment-runs/",
        "/api/v1/assignment-runs/{id}",
        "/api/v1/assignment-runs/{id}/apply",
        "/api/v1/assignment-runs/{id}/discard",
        "/api/v1/stakeholders/",
        "/api/v1/stakeholders/{id}",
        "/api/v1/interactions/",
        "/api/v1/interactions/{id}",
        "/api/v1/accounts/{id}/revenue",
        "/api/v1/accounts/{id}/monthly-rollups",
        "/api/v1/accounts/{id}/sales-lines",
        "/api/v1/accounts/{id}/opportunities",
        "/api/v1/accounts/{id}/whitespace",
        "/api/v1/opportunities/",
        "/api/v1/pricing-check",
        "/api/v1/imports/",
        "/api/v1/imports/{id}",
        "/api/v1/imports/{id}/rejects",
        "/api/v1/account-plans/",
        "/api/v1/account-plans/{id}",
        "/api/v1/account-plans/{id}/submit",
        "/api/v1/account-plans/{id}/approve",
        "/api/v1/account-plans/{id}/return",
        "/api/v1/account-plans/{id}/versions",
        "/api/v1/plan-versions/{id}",
        "/api/v1/account-plans/{id}/objectives",
        "/api/v1/objectives/{id}",
        "/api/v1/objectives/{id}/initiatives",
        "/api/v1/initiatives/{id}/actions",
        "/api/v1/plan-actions/{id}",
        "/api/v1/account-plans/{id}/milestones",
        "/api/v1/account-plans/{id}/risks",
        "/api/v1/account-plans/{id}/reviews",
    } == set(schema["paths"])


def test_paths_are_plural_kebab_case_nouns(schema) -> None:
    # given
    segment = re.compile(r"^([a-z]+(-[a-z]+)*|\{id\})$")
    # workflow actions and singular sub-resources of one account
    actions = {
        "status",
        "owner",
        "transfer",
        "release",
        "revoke",
        "apply",
        "discard",
        "portfolio",
        "backtest",
        "tree",
        "history",
        "people",
        "programme-settings",
        "revenue",
        "whitespace",
        "pricing-check",
        # the plan workflow
        "submit",
        "approve",
        "return",
    }

    # then
    for path in schema["paths"]:
        parts = [p for p in path.removeprefix("/api/v1/").split("/") if p]
        assert all(segment.match(p) for p in parts), path
        singular = {
            "people",
            "history",
            "programme-settings",
            "portfolio",
            "backtest",
            "pricing-check",
        }
        assert parts[0].endswith("s") or parts[0] in singular, path
        assert all(p.endswith("s") or p == "{id}" or p in actions for p in parts), path


def test_every_operation_is_token_protected_and_documents_its_errors(schema) -> None:
    # given
    error_ref = "#/components/schemas/ErrorOut"

    for path, method, op in _operations(schema):
        # then
        assert op["security"] == [{"BearerToken": []}], (method, path)
        codes = set(op["responses"])
        expected = {"401", "404", "422"} | ({"403", "409"} if method != "get" else set())
        assert expected <= codes, (method, path, codes)
        for code in expected:
            content = op["responses"][code]["content"]["application/json"]
            assert content["schema"] == {"$ref": error_ref}, (method, path, code)
        ok = [c for c in codes if c.startswith("2")]
        assert len(ok) == 1, (method, path)


def test_every_reference_in_the_schema_resolves(schema) -> None:
    # given
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    # when
    walk(schema)

    # then
    assert refs
    components = schema["components"]["schemas"]
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in components, ref


def test_operation_ids_are_unique_and_path_parameters_declared(schema) -> None:
    # given
    ids = [op["operationId"] for _, _, op in _operations(schema)]

    # then
    assert len(ids) == len(set(ids))
    for path, method, op in _operations(schema):
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"\{(\w+)\}", path)), (method, path)


def test_the_account_list_documents_its_filters_and_paging(schema) -> None:
    # when
    params = {p["name"] for p in schema["paths"]["/api/v1/accounts/"]["get"]["parameters"]}

    # then
    assert params == {
        "q",
        "status",
        "tier",
        "owner",
        "industry",
        "country",
        "region",
        "business_unit",
        "parent",
        "root",
        "sort",
        "limit",
        "offset",
    }
