"""Bad input gets 400/404/409/422 in the one error shape, never a 500."""

from __future__ import annotations

import json

import pytest

from accountable.accounts.models import Account
from accountable.history.models import Event
from tests.api.conftest import error_of


@pytest.fixture
def acme(world) -> str:
    return f"/api/v1/accounts/{world.account.pk}"


def test_invalid_json_is_a_400(api, acme) -> None:
    # given
    events = Event.objects.count()

    # when
    response = api.as_("director").send("PATCH", acme, raw='{"version": 2, "name": ')

    # then
    assert response.status_code == 400
    assert error_of(response) == {
        "status": 400,
        "code": "bad_request",
        "message": "Cannot parse request body",
        "fields": {},
    }
    assert Event.objects.count() == events


@pytest.mark.parametrize("raw", ["[]", '"name"', "42", "null"])
def test_a_body_that_is_not_an_object_is_a_422(api, acme, raw) -> None:
    # when
    response = api.as_("director").send("PATCH", acme, raw=raw)

    # then
    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_failed"


def test_an_empty_body_where_one_is_needed_is_a_422(api, acme) -> None:
    # when
    response = api.as_("director").send("POST", f"{acme}/status", raw="")

    # then
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"name": "NUL\x00byte"},
        {"name": "\ud800 lone surrogate"},
        {"name": ["a", "list"]},
        {"name": {"an": "object"}},
        {"employees": 2**80},
        {"employees": 1e30},
        {"employees": True},
        {"tier": False},
        {"parent_id": 2**63},
    ],
)
def test_values_no_database_could_store_are_refused_before_reaching_it(
    api, world, acme, body
) -> None:
    # when
    response = api.as_("director").send(
        "PATCH", acme, raw=json.dumps({"version": world.account.version, **body})
    )

    # then
    assert response.status_code == 422, response.content
    assert list(error_of(response)["fields"]) == list(body)
    assert Account.objects.get(pk=world.account.pk).name == "Acme Industries"


def test_nul_in_a_query_parameter_is_refused(api, world) -> None:
    # when
    response = api.as_("director").get("/api/v1/accounts/", {"q": "ac\x00me"})

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["q"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts/987654/tree",
        "/api/v1/accounts/987654/ownerships",
        "/api/v1/accounts/987654/history",
        "/api/v1/team-members/987654",
        "/api/v1/people/987654",
    ],
)
def test_unknown_ids_are_404_in_the_error_shape(api, world, path) -> None:
    # when
    response = api.as_("director").get(path)

    # then
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_an_unexpected_error_is_a_500_in_the_error_shape(api, world, monkeypatch) -> None:
    # given
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("accountable.accounts.api.account_page_for_user", broken)

    # when
    response = api.as_("director").get(f"/api/v1/accounts/{world.account.pk}")

    # then
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert "boom" not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nothing", "/api/v1/accounts/1/nope"])
def test_an_unknown_endpoint_is_a_404_in_the_error_shape(client, db, path) -> None:
    # when
    response = client.post(path)

    # then
    assert response.status_code == 404
    assert error_of(response)["message"].startswith("No such API endpoint")


def test_a_wrong_method_is_a_405_in_the_error_shape_and_changes_nothing(api, acme) -> None:
    # given
    events = Event.objects.count()

    # when PUT is sent where only GET, PATCH and DELETE are served
    response = api.as_("director").send("PUT", acme, {"name": "Renamed"})

    # then
    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method_not_allowed"
    assert error["message"].startswith("PUT is not allowed here; use ")
    assert "PATCH" in response["Allow"]
    assert Event.objects.count() == events
    assert Account.objects.filter(name="Renamed").count() == 0
