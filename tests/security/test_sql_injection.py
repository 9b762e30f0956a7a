"""SQL injection: search, filters, sort, paging and every API query parameter given classic
injection payloads answer without a server error, change nothing, and show a KAM nothing
beyond their own accounts (all queries are parameterised by the ORM; this keeps it so)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from accountable.api import api as ninja_api
from accountable.people.services import api_token_create
from conftest import Programme
from tests.fingerprint import BOOKKEEPING, database_fingerprint

PAYLOADS = (
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE accounts_account; --",
    "1' UNION SELECT username, password FROM people_user --",
    "%' OR name LIKE '%",
    "') OR ('a'='a",
    "1 OR 1=1",
    "name); DELETE FROM history_event; --",
    "-1",
    "9" * 30,
    "\\'; SELECT pg_sleep(5); --",
)
PAGE_PARAMETERS = {
    "/accounts/": (
        "q",
        "status",
        "tier",
        "owner",
        "industry",
        "country",
        "region",
        "business_unit",
        "sort",
        "page",
    ),
    "/people/": ("q", "page"),
    "/accounts/lookup/": ("q", "for"),
    "/people/lookup/": ("q", "for"),
}
# What the KAM must never see: accounts they have no part in.
NOT_THE_KAMS = ("Globex", "Initech")


@pytest.mark.parametrize("path", sorted(PAGE_PARAMETERS))
def test_injection_in_page_filters_search_and_sort_is_harmless(
    path: str, programme: Programme, client: Client
) -> None:
    # given
    client.force_login(programme.kam)
    before = database_fingerprint(ignore=BOOKKEEPING)
    errors: list[tuple[str, str, int]] = []
    exposed: list[tuple[str, str]] = []

    # when
    for name in PAGE_PARAMETERS[path]:
        for value in PAYLOADS:
            response = client.get(path, {name: value})
            if response.status_code >= 500:
                errors.append((name, value, response.status_code))
            body = response.content.decode()
            if any(other in body for other in NOT_THE_KAMS):
                exposed.append((name, value))

    # then
    assert errors == []
    assert exposed == []
    assert database_fingerprint(ignore=BOOKKEEPING) == before


def _get_operations() -> list[tuple[str, list[str]]]:
    """(path, query parameter names) of every GET endpoint in the OpenAPI schema."""
    schema = ninja_api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        if "get" in methods:
            names = [p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"]
            found.append((path, names))
    return sorted(found)


def _ids(programme: Programme) -> dict[str, Any]:
    member = programme.account.team_members.get(user=programme.member)
    return {"accounts": programme.account.pk, "team-members": member.pk, "people": programme.kam.pk}


def _fill(path: str, programme: Programme) -> str:
    ids = _ids(programme)
    collection = path.removeprefix("/api/v1/").split("/")[0]
    return re.sub(r"\{\w+\}", str(ids.get(collection, 1)), path)


def test_injection_in_every_api_query_parameter_is_harmless(
    programme: Programme, client: Client
) -> None:
    # given
    _, token = api_token_create(user=programme.kam)
    headers = {"authorization": f"Bearer {token}"}
    operations = _get_operations()
    before = database_fingerprint(ignore=BOOKKEEPING)
    unexpected: list[tuple[str, str, str, int]] = []
    exposed: list[tuple[str, str, str]] = []
    tried = 0

    # when
    for path, names in operations:
        url = _fill(path, programme)
        for name in names:
            for value in PAYLOADS:
                response = client.get(url, {name: value}, headers=headers)
                tried += 1
                if response.status_code not in (200, 404, 422):
                    unexpected.append((path, name, value, response.status_code))
                if any(other in response.content.decode() for other in NOT_THE_KAMS):
                    exposed.append((path, name, value))

    # then
    assert tried > 100
    assert unexpected == []
    assert exposed == []
    assert database_fingerprint(ignore=BOOKKEEPING) == before


@pytest.mark.parametrize("value", ["1 OR 1=1", "1;DROP TABLE accounts_account", "' OR '1'='1"])
def test_injection_in_an_api_path_is_a_404_or_422(
    programme: Programme, client: Client, value: str
) -> None:
    # given
    _, token = api_token_create(user=programme.kam)

    # when
    response = client.get(f"/api/v1/accounts/{value}", headers={"authorization": f"Bearer {token}"})

    # then
    assert response.status_code in (404, 422)
    assert response.json()["error"]["code"] in ("not_found", "validation_failed")
