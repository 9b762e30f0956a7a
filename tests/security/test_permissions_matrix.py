"""The permissions matrix for pages: every URL pattern by every persona, GET and POST, as the
table in `tests/security/pages.py` says; refused requests change nothing (a fingerprint of
every table before and after); and no URL pattern is left without a row.

API endpoints: tests/api/test_permissions.py, the same way against the OpenAPI schema.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accountable.accounts.models import Account
from accountable.api import api as ninja_api
from conftest import Programme
from tests.fingerprint import BOOKKEEPING, database_fingerprint
from tests.security.pages import ADMIN_PREFIX, PAGES, PERSONAS, Page, admin_expected


def _walk(patterns: list[Any], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def all_routes() -> list[str]:
    """Every URL pattern of the site, as its route."""
    return sorted(set(_walk(get_resolver().url_patterns)))


def api_operation_routes() -> set[str]:
    """The routes of the endpoints in the OpenAPI schema (their table is the API's)."""
    paths = ninja_api.get_openapi_schema()["paths"]
    return {re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")) for path in paths}


def admin_routes() -> list[str]:
    return [route for route in all_routes() if route.startswith(ADMIN_PREFIX)]


# --- Completeness ------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_in_the_permissions_table() -> None:
    # given
    covered_elsewhere = api_operation_routes() | set(admin_routes())

    # when
    routes = set(all_routes()) - covered_elsewhere

    # then: a route missing from PAGES, or a row for a route that no longer exists, fails
    assert sorted(routes - set(PAGES)) == [], "add these routes to tests/security/pages.py"
    assert sorted(set(PAGES) - routes) == [], "these rows of tests/security/pages.py are stale"


def test_the_api_endpoints_are_all_in_the_url_patterns() -> None:
    # The API's table is checked against the schema; this ties the schema to the URLs.
    assert api_operation_routes() <= set(all_routes())


# --- Pages -------------------------------------------------------------------------------------


def _url(route: str, kwargs: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        return str(kwargs[match.group(1)])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)


def _as(client: Client, programme: Programme, persona: str) -> Client:
    client.logout()
    if persona != "anonymous":
        client.force_login(getattr(programme, persona))
    return client


def _fingerprint() -> dict[str, Any]:
    return database_fingerprint(ignore=BOOKKEEPING)


def _least_privileged(personas: frozenset[str]) -> str | None:
    for persona in ("member", "kam", "executive", "outsider", "director"):
        if persona in personas:
            return persona
    return None


@pytest.mark.parametrize("route", sorted(PAGES))
def test_each_page_answers_each_persona_as_the_table_says(
    route: str, programme: Programme, client: Client
) -> None:
    # given
    page: Page = PAGES[route]
    url = _url(route, page.kwargs(programme))
    data = page.post(programme) if page.post else {}
    writer = _least_privileged(page.write) if page.changes_data else None
    before = _fingerprint()
    expected: dict[tuple[str, str], int] = {}
    actual: dict[tuple[str, str], int] = {}
    to_sign_in: list[str] = []

    # when everyone opens the page, and everyone but the writer posts its form
    for method in ("get", "post"):
        for persona in PERSONAS:
            if method == "post" and persona in page.write and persona != writer and writer:
                continue  # another writer: allowed, and the writer's post shows it
            if method == "post" and persona == writer:
                continue
            response = getattr(_as(client, programme, persona), method)(url, data)
            actual[(method, persona)] = response.status_code
            expected[(method, persona)] = page.expected(method, persona)
            if persona == "anonymous" and response.status_code == 302 and not page.public:
                to_sign_in.append(response.url)
    refused_changed = _fingerprint() != before

    # and the least privileged writer posts it
    if writer is not None:
        response = _as(client, programme, writer).post(url, data)
        actual[("post", writer)] = response.status_code
        expected[("post", writer)] = page.expected("post", writer)
        writer_changed = _fingerprint() != before

    # then
    assert actual == expected
    assert not refused_changed, "a refused request (or a GET) changed the data"
    if writer is not None:
        assert writer_changed, "the allowed post changed nothing: is its data valid?"
    assert all(u.split("?")[0] == "/login/" for u in to_sign_in), to_sign_in


# --- The admin site ----------------------------------------------------------------------------


def _admin_url(route: str, programme: Programme) -> str:
    if "(?P<app_label>" in route:
        return "/admin/accounts/"
    if "(?P<url>" in route:
        return "/admin/nowhere/"
    parts = route.split("/")
    object_id: Any = 1
    if len(parts) > 2 and "<path:object_id>" in route and not route.startswith("admin/r/"):
        model = next(
            (
                m
                for m in _models()
                if m._meta.app_label == parts[1] and m._meta.model_name == parts[2]
            ),
            None,
        )
        first = model._base_manager.order_by("pk").first() if model else None
        object_id = first.pk if first is not None else 1
    kwargs = {
        "object_id": object_id,
        "content_type_id": ContentType.objects.get_for_model(Account).pk,
        "id": programme.director.pk,
    }
    if route.startswith("admin/r/"):
        kwargs["object_id"] = programme.account.pk
    return _url(route, kwargs)


def _models() -> list[Any]:
    from django.apps import apps

    return list(apps.get_models())


def _admin_groups() -> dict[str, list[str]]:
    """The admin's routes by model (admin/<app>/<model>/…), the site's own one by one: one
    test each, so that the personas are set up once per model rather than once per route."""
    groups: dict[str, list[str]] = {}
    for route in admin_routes():
        parts = route.split("/")
        model_page = len(parts) > 3 and not route.startswith("admin/r/") and "(?P" not in route
        groups.setdefault("/".join(parts[:3]) + "/" if model_page else route, []).append(route)
    return groups


ADMIN_GROUPS = _admin_groups()


@pytest.mark.parametrize("group", sorted(ADMIN_GROUPS))
def test_no_one_but_a_director_gets_into_any_admin_page(
    group: str, programme: Programme, client: Client
) -> None:
    # given
    urls = [_admin_url(route, programme) for route in ADMIN_GROUPS[group]]
    before = _fingerprint()
    expected: dict[tuple[str, str, str], int | None] = {}
    actual: dict[tuple[str, str, str], int | None] = {}
    sent_to: set[str] = set()
    director: dict[str, int] = {}

    # when
    for persona in PERSONAS:
        signed_in = _as(client, programme, persona)
        for url in urls:
            if persona == "director":
                director[url] = signed_in.get(url).status_code
                continue
            for method in ("get", "post"):
                response = getattr(signed_in, method)(url, {})
                actual[(url, method, persona)] = response.status_code
                expected[(url, method, persona)] = admin_expected(method, persona)
                if response.status_code == 302:
                    sent_to.add(response.url.split("?")[0])

    # then
    assert actual == expected
    assert sent_to <= {"/admin/login/", "/login/", "/admin/"}  # /admin/: after signing out
    assert _fingerprint() == before
    assert {url: status for url, status in director.items() if status >= 500} == {}
