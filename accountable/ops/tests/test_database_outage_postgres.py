"""The database going away, for real: PostgreSQL drops the app's connection in the middle of a
request (pg_terminate_backend), drops them all between requests (a restart, a failover), or is
not there at all. Through a live server, i.e. the real WSGI handler, which reconnects at the
start of each request as it does in production."""

from __future__ import annotations

import threading

import pytest
import requests
from django.db import connection, connections

from accountable.accounts import views as account_views
from accountable.core.views import DATABASE_UNAVAILABLE

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="kills real PostgreSQL server connections"
    ),
]


@pytest.fixture
def signed_in(live_server, programme):
    """A requests session signed in as the director, against the live server."""
    from django.test import Client

    django_client = Client()
    django_client.force_login(programme.director)
    session = requests.Session()
    session.cookies.set("sessionid", django_client.cookies["sessionid"].value)
    return session


@pytest.fixture
def persistent_connections(monkeypatch):
    """The server keeps its connection between requests, with health checks, as production
    does (DB_CONN_MAX_AGE=60); the test settings close it after each request."""
    settings_dict = connections["default"].settings_dict
    monkeypatch.setitem(settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(settings_dict, "CONN_HEALTH_CHECKS", True)


def _terminate_other_backends() -> int:
    """pg_terminate_backend on every connection to this database but the test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.usefixtures("persistent_connections")
def test_a_connection_killed_mid_request_gives_the_503_page_and_the_next_request_works(
    live_server, signed_in, monkeypatch
):
    # given: the page's query runs on a connection the server kills during the request
    real = account_views.account_list_for_user
    killed = threading.Event()

    def killed_mid_request(**kwargs):
        if not killed.is_set():
            killed.set()
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")  # the request has its connection…
                pid = cursor.fetchone()[0]
            _terminate(pid)  # …and the server drops it
        return real(**kwargs)

    monkeypatch.setattr(account_views, "account_list_for_user", killed_mid_request)

    # when
    during = signed_in.get(f"{live_server.url}/accounts/")
    after = signed_in.get(f"{live_server.url}/accounts/")

    # then
    assert killed.is_set()
    assert during.status_code == 503
    assert DATABASE_UNAVAILABLE in during.text
    assert "Traceback" not in during.text
    assert after.status_code == 200
    assert "Acme Industries" in after.text


def _terminate(pid: int) -> None:
    """pg_terminate_backend(pid) from a connection of its own (a thread's), as an
    administrator or a failover would."""
    results: list[object] = []

    def run() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                results.append(cursor.fetchone()[0])
        except BaseException as exc:  # reported in the caller's thread
            results.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert results == [True]


@pytest.mark.usefixtures("persistent_connections")
def test_connections_killed_between_requests_are_replaced_without_an_error(live_server, signed_in):
    # given a server holding open connections
    for _ in range(3):
        assert signed_in.get(f"{live_server.url}/accounts/").status_code == 200
    api = requests.Session()

    # when PostgreSQL drops them all (a restart, a failover)
    _terminate_other_backends()
    pages = [signed_in.get(f"{live_server.url}/accounts/").status_code for _ in range(3)]
    ready = api.get(f"{live_server.url}/readyz")

    # then the health check at the start of the next request reconnects
    assert pages == [200, 200, 200]
    assert ready.status_code == 200


def test_a_stopped_database_server_gives_503s_then_everything_works_when_it_is_back(
    live_server, signed_in, monkeypatch
):
    # given the app pointed at a port where no server listens (a stopped PostgreSQL)
    settings_dict = connections["default"].settings_dict
    port = settings_dict["PORT"]
    monkeypatch.setitem(settings_dict, "PORT", "1")

    # when
    page = signed_in.get(f"{live_server.url}/accounts/")
    api = requests.get(
        f"{live_server.url}/api/v1/accounts/", headers={"authorization": "Bearer acc_x"}
    )
    ready = requests.get(f"{live_server.url}/readyz")
    health = requests.get(f"{live_server.url}/healthz")
    monkeypatch.setitem(settings_dict, "PORT", port)
    back = signed_in.get(f"{live_server.url}/accounts/")
    ready_back = requests.get(f"{live_server.url}/readyz")

    # then
    assert page.status_code == 503
    assert DATABASE_UNAVAILABLE in page.text
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "service_unavailable"
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"]["ok"] is False
    assert health.status_code == 200  # the process itself is fine: do not restart it
    assert back.status_code == 200
    assert ready_back.status_code == 200
