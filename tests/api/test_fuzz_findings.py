"""What the API fuzzer found, kept as tests so that it stays fixed."""

from decimal import Decimal

import pytest

from accountable.accounts.models import Account
from tests.api.conftest import error_of


def test_the_largest_revenue_round_trips_exactly_on_either_database(api, world) -> None:
    # given: 15 significant digits, the most SQLite keeps exactly
    largest = "9999999999999.99"

    # when
    created = api.as_("director").post(
        "/api/v1/accounts/", {"name": "Big", "annual_revenue": largest}
    )

    # then
    assert created.status_code == 201
    assert created.json()["annual_revenue"] == largest
    assert Account.objects.get(name="Big").annual_revenue == Decimal(largest)


@pytest.mark.parametrize("revenue", [10_000_000_000_000, "9999999999999996", 9999999999999996])
def test_a_revenue_too_large_to_keep_exactly_is_refused_not_a_server_error(
    api, world, revenue
) -> None:
    # when (found: 9999999999999996 was stored, then could not be read back on SQLite: a 500)
    response = api.as_("director").post(
        "/api/v1/accounts/", {"name": "Huge", "annual_revenue": revenue}
    )

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["annual_revenue"]
    assert not Account.objects.filter(name="Huge").exists()


def _body_operations() -> list[tuple[str, str]]:
    from accountable.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "requestBody" in operation
    )


@pytest.mark.parametrize(("method", "path"), _body_operations())
def test_a_misspelt_body_field_is_refused_by_every_endpoint(api, world, method, path) -> None:
    # (The fuzzer does not send undeclared fields, as the API ignores undeclared query
    # parameters by design; in a body they are refused, so that no typo is silently lost.)
    url = path.replace("{id}", str(world.account.pk))

    response = api.as_("director").send(method, url, {"misspelt_field": 1})

    assert response.status_code == 422
    assert "misspelt_field" in error_of(response)["fields"]


def test_a_single_valued_parameter_given_twice_is_refused_not_read_as_the_last(api, world) -> None:
    # when (found: ?industry=A&industry=B answered 200, filtered by B alone)
    twice = api.as_("director").get("/api/v1/accounts/?industry=Chemicals&industry=Retail")
    repeatable = api.as_("director").get("/api/v1/accounts/?status=pilot&status=key_account")

    # then
    assert twice.status_code == 422
    assert "industry" in error_of(twice)["fields"]
    assert repeatable.status_code == 200
    assert {a["name"] for a in repeatable.json()["items"]} == {"Acme Industries", "Globex"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts/{id}/sales-lines?until=0",
        "/api/v1/pricing-check?start=0",
        "/api/v1/backtest?cutoff=0001-12-01&top=100",
    ],
)
def test_a_date_is_an_iso_date_in_range_or_a_422(api, world, path) -> None:
    # when (found: a number was read as a day in 1970; the year 1 made the backtest a 500)
    response = api.as_("director").get(path.format(id=world.account.pk))

    # then
    assert response.status_code == 422
    assert error_of(response)["fields"]
