"""The database going away: a clear page (HTML) or error (API), never a traceback.

Simulated here (any database); test_database_outage_postgres.py does it for real.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError

from accountable.accounts import views as account_views
from accountable.core.views import DATABASE_UNAVAILABLE
from accountable.people.services import api_token_create

GONE = "server closed the connection unexpectedly"


def _raise_gone(*args, **kwargs):
    raise OperationalError(GONE)


def test_a_page_whose_query_fails_is_a_clear_503_page(login, programme, monkeypatch):
    # given
    client = login(programme.director)
    client.raise_request_exception = False
    monkeypatch.setattr(account_views, "account_list_for_user", _raise_gone)

    # when
    response = client.get("/accounts/")

    # then
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Temporarily unavailable" in body
    assert DATABASE_UNAVAILABLE in body
    assert f"<code>{response['X-Request-ID']}</code>" in body
    assert "Traceback" not in body and GONE not in body
    assert 'id="main-nav"' not in body  # the bare page: no session or user needed


def test_a_failure_while_loading_the_session_is_the_same_503_page(login, programme, monkeypatch):
    # given: the database fails in the middleware, before any view
    client = login(programme.kam)
    client.raise_request_exception = False
    monkeypatch.setattr(SessionStore, "load", _raise_gone)

    # when
    response = client.get("/")

    # then
    assert response.status_code == 503
    assert DATABASE_UNAVAILABLE in response.content.decode()


def test_an_api_call_whose_query_fails_is_a_503_in_the_error_shape(client, programme, monkeypatch):
    # given
    from accountable.accounts import api as account_api

    _, raw = api_token_create(user=programme.director)
    monkeypatch.setattr(account_api, "account_list_for_user", _raise_gone)

    # when
    response = client.get("/api/v1/accounts/", headers={"authorization": f"Bearer {raw}"})

    # then
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "error": {
            "status": 503,
            "code": "service_unavailable",
            "message": DATABASE_UNAVAILABLE,
            "fields": {},
        }
    }


def test_an_api_call_failing_before_the_view_is_a_503_in_the_error_shape(
    client, programme, monkeypatch
):
    # given: token authentication itself cannot reach the database
    from accountable import api as api_root

    monkeypatch.setattr(api_root, "api_token_authenticate", _raise_gone)
    client.raise_request_exception = False

    # when
    response = client.get("/api/v1/accounts/", headers={"authorization": "Bearer acc_x"})

    # then
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"


def test_any_other_error_is_still_a_500_that_says_nothing_was_saved(login, programme, monkeypatch):
    # given
    client = login(programme.director)
    client.raise_request_exception = False

    def bug(**kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(account_views, "account_list_for_user", bug)

    # when
    response = client.get("/accounts/")

    # then
    assert response.status_code == 500
    assert "Something went wrong; nothing was saved." in response.content.decode()
