"""XSS: a payload stored in every text field of accounts, people, teams, history … is escaped on
every page that shows it; a payload in any query parameter is escaped where it is echoed.
The payloads and the scanner: tests/security/xss.py; the pages: tests/security/pages.py."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import Client

from conftest import Programme
from tests.security.pages import PAGES
from tests.security.test_permissions_matrix import _url
from tests.security.xss import NOT_SHOWN, leaks, payload, plant, shown

# Pages that search get a query that finds the planted names.
SEARCHES = {"accounts/", "accounts/lookup/", "people/", "people/lookup/"}


def page_urls(programme: Programme) -> list[str]:
    """Every page of the table that a signed-in user can open, with its search where it has
    one, and the admin's list and edit page of every model."""
    urls = []
    for route, page in sorted(PAGES.items()):
        if route.startswith("api/") or route in ("logout/", "favicon.ico"):
            continue
        url = _url(route, page.kwargs(programme))
        urls.append(
            url + ("?" + urlencode({"q": "xss", "for": "id_user"}) if route in SEARCHES else "")
        )
    for model in admin.site._registry:
        meta = model._meta
        urls.append(f"/admin/{meta.app_label}/{meta.model_name}/")
        first = model._base_manager.order_by("pk").first()
        if first is not None:
            urls.append(f"/admin/{meta.app_label}/{meta.model_name}/{first.pk}/change/")
    return urls


def test_stored_script_and_quotes_in_every_text_field_are_escaped_on_every_page(
    programme: Programme, client: Client
) -> None:
    # given a payload in every text field of every object
    planted = plant(programme)
    urls = page_urls(programme)
    found: dict[tuple[str, str], list[str]] = {}
    seen: set[str] = set()
    opened = 0

    # when the director, the KAM and a team member open every page
    for persona in ("director", "kam", "member"):
        client.force_login(getattr(programme, persona))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            opened += 1
            html = response.content.decode()
            if problems := leaks(html):
                found[(persona, url)] = problems
            seen |= shown(html, planted)

    # then nothing runs, and every planted field was on some page (or is known not to be)
    assert found == {}
    unshown = {planted.markers[m] for m in planted.markers if m not in seen}
    assert sorted(unshown) == sorted(NOT_SHOWN)
    assert opened > 50


REFLECTED = payload("xssq")
PARAMETERS = (
    "q",
    "sort",
    "page",
    "status",
    "tier",
    "owner",
    "industry",
    "country",
    "region",
    "business_unit",
    "for",
    "next",
    "parent",
)


@pytest.mark.parametrize("persona", ["director", "anonymous"])
def test_a_payload_in_any_query_parameter_is_escaped_where_it_is_echoed(
    programme: Programme, client: Client, persona: str
) -> None:
    # given
    if persona != "anonymous":
        client.force_login(programme.director)
    query = urlencode([(name, REFLECTED) for name in PARAMETERS])
    found: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}

    # when
    for url in page_urls(programme):
        response = client.get(f"{url.split('?')[0]}?{query}")
        statuses[url] = response.status_code
        html = "html" in response.get("Content-Type", "")
        if html and (problems := leaks(response.content.decode())):
            found[url] = problems

    # then
    assert found == {}
    assert {url: s for url, s in statuses.items() if s >= 500} == {}
