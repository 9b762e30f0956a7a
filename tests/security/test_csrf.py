"""CSRF: every form refuses a post without a valid CSRF token (403 with a clear message, nothing
changed), and accepts the same post with one; the API takes no session cookie at all."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Programme
from tests.fingerprint import BOOKKEEPING, database_fingerprint
from tests.security.pages import PAGES
from tests.security.test_permissions_matrix import _least_privileged, _url

FORMS = sorted(route for route, page in PAGES.items() if page.post is not None and page.write)
REFUSAL = "This form could not be accepted: it was opened too long ago or came from another site."


def _signed_in(programme: Programme, persona: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(getattr(programme, persona))
    return client


@pytest.mark.parametrize("route", FORMS)
def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(
    route: str, programme: Programme
) -> None:
    # given a user who may post this form, and the data that would change something
    page = PAGES[route]
    writer = _least_privileged(page.write)
    assert writer is not None
    client = _signed_in(programme, writer)
    url = _url(route, page.kwargs(programme))
    data = page.post(programme) if page.post else {}
    client.get("/")  # the CSRF cookie, as a browser would have it
    before = database_fingerprint(ignore=BOOKKEEPING)

    # when: no token, then a wrong one
    missing = client.post(url, data)
    wrong = client.post(url, {**data, "csrfmiddlewaretoken": "x" * 64})

    # then
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert REFUSAL in missing.content.decode()
    assert database_fingerprint(ignore=BOOKKEEPING) == before


@pytest.mark.parametrize("route", ["accounts/<int:pk>/edit/", "logout/"])
def test_the_same_post_with_its_token_is_accepted(route: str, programme: Programme) -> None:
    # given
    page = PAGES[route]
    client = _signed_in(programme, "kam")
    url = _url(route, page.kwargs(programme))
    client.get("/")
    token = client.cookies["csrftoken"].value

    # when
    response = client.post(
        url, {**(page.post(programme) if page.post else {}), "csrfmiddlewaretoken": token}
    )

    # then
    assert response.status_code == 302


def test_signing_in_needs_the_token_too(programme: Programme) -> None:
    # given
    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post("/login/", {"username": "kam1", "password": "correct-horse-battery"})

    # then
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_api_ignores_a_browser_session_so_a_forged_request_gets_nothing(
    programme: Programme,
) -> None:
    # given a browser signed in to the site (its session cookie would ride along a forged post)
    client = _signed_in(programme, "director")
    before = database_fingerprint(ignore=BOOKKEEPING)

    # when
    response = client.post(
        "/api/v1/accounts/", '{"name": "Forged"}', content_type="application/json"
    )

    # then: the API takes tokens only
    assert response.status_code == 401
    assert database_fingerprint(ignore=BOOKKEEPING) == before
