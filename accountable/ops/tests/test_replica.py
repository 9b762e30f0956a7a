"""The read replica: a GET reads from it, a write and anything after it (for a few seconds) from
the primary, and migrations and transactions never touch it.

The last tests run against a real second PostgreSQL database acting as the replica (a copy of
the test database, then made to differ), so that where each read came from shows on the page."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from accountable.accounts.models import Account
from accountable.ops.middleware import ReplicaReadsMiddleware
from accountable.ops.routers import PIN_COOKIE, REPLICA, ReplicaRouter, replica_reads

router = ReplicaRouter()


def test_reads_go_to_the_primary_unless_replica_reads_are_allowed() -> None:
    assert router.db_for_read(Account) == "default"
    with replica_reads(True):
        assert router.db_for_read(Account) == REPLICA
    with replica_reads(False):
        assert router.db_for_read(Account) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary() -> None:
    with replica_reads(True), transaction.atomic():
        assert router.db_for_read(Account) == "default"


def test_writes_and_migrations_only_ever_go_to_the_primary() -> None:
    with replica_reads(True):
        assert router.db_for_write(Account) == "default"
    assert router.allow_migrate("default", "accounts") is True
    assert router.allow_migrate(REPLICA, "accounts") is False


def _seen_by_view(method: str, cookies: dict[str, str] | None = None) -> tuple[bool, HttpResponse]:
    """Whether the view ran with replica reads allowed, and the response."""
    seen: list[bool] = []

    def view(request):
        seen.append(router.db_for_read(Account) == REPLICA)
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)("/accounts/")
    request.COOKIES.update(cookies or {})
    response = ReplicaReadsMiddleware(view)(request)
    return seen[0], response


@override_settings(REPLICA_DATABASE="postgres://replica/accountable", REPLICA_PIN_SECONDS=10)
def test_a_get_reads_the_replica_and_a_post_pins_the_browser_to_the_primary() -> None:
    # when
    get_replica, _ = _seen_by_view("get")
    post_replica, post = _seen_by_view("post")
    pinned_replica, _ = _seen_by_view("get", {PIN_COOKIE: "1"})

    # then
    assert get_replica is True
    assert post_replica is False
    assert post.cookies[PIN_COOKIE]["max-age"] == 10
    assert post.cookies[PIN_COOKIE]["httponly"] is True
    assert pinned_replica is False


@override_settings(REPLICA_DATABASE="")
def test_without_a_replica_nothing_changes() -> None:
    replica, response = _seen_by_view("post")
    assert replica is False
    assert PIN_COOKIE not in response.cookies


# --- For real, on PostgreSQL ---------------------------------------------------------------------


@pytest.fixture
def replica_database(transactional_db) -> Iterator[str]:
    """A second database, registered as the `replica` alias: a copy of the test database as
    it is when the fixture runs (its rows committed: these tests run outside a transaction,
    as requests do, or the router would keep every read on the primary)."""
    if connection.vendor != "postgresql":
        pytest.skip("a replica is a PostgreSQL feature")
    params = connection.get_connection_params()
    primary = connection.settings_dict["NAME"]
    name = f"{primary}_replica"[:63]
    server = {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
    connections.close_all()  # a template database must have no one connected
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary}"')
    # Made by hand rather than added to the settings: the test case only lets a test use
    # the aliases it was set up with, or connections it did not know of.
    settings_dict = {**connections.settings["default"], "NAME": name}
    connections[REPLICA] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, REPLICA
    )
    try:
        yield name
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def signed_in_before_the_copy(programme) -> Client:
    """The director's browser, signed in before the replica is made (a replica has the
    sessions the primary had when it copied them)."""
    client = Client()
    client.force_login(programme.director)
    return client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(
    REPLICA_DATABASE="postgres://replica",
    DATABASE_ROUTERS=["accountable.ops.routers.ReplicaRouter"],
)
def test_pages_read_the_replica_until_the_browser_writes(
    signed_in_before_the_copy, replica_database, programme
) -> None:
    # given the replica lags: it still has the old name
    client = signed_in_before_the_copy
    url = f"/accounts/{programme.account.pk}/"
    Account.objects.using(REPLICA).filter(pk=programme.account.pk).update(name="Acme (replica)")

    # when the director reads, renames the account, and reads again
    before = client.get(url)
    from accountable.accounts.tests.test_views_forms import profile_data

    saved = client.post(
        f"/accounts/{programme.account.pk}/edit/",
        profile_data(Account.objects.get(pk=programme.account.pk), name="Acme Renamed"),
    )
    after = client.get(url)
    someone_else = Client()  # the same session, in a browser that has not written
    someone_else.cookies["sessionid"] = client.cookies["sessionid"].value
    elsewhere = someone_else.get(url)

    # then the first read came from the replica, the write went to the primary, and this
    # browser reads its own write while one without the pin still reads the replica
    assert '<h1 data-testid="account-name">Acme (replica)</h1>' in before.content.decode()
    assert saved.status_code == 302
    assert saved.cookies[PIN_COOKIE].value == "1"
    assert Account.objects.using("default").get(pk=programme.account.pk).name == "Acme Renamed"
    assert '<h1 data-testid="account-name">Acme Renamed</h1>' in after.content.decode()
    assert '<h1 data-testid="account-name">Acme (replica)</h1>' in elsewhere.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(REPLICA_DATABASE="postgres://replica")
def test_readiness_checks_the_replica_too(replica_database, client) -> None:
    # when
    body = client.get("/readyz").json()

    # then
    assert body["checks"]["replica"]["ok"] is True
