"""Our people, positions and business units through the API."""

from __future__ import annotations

import pytest

from accountable.history.models import Event
from accountable.people.models import BusinessUnit, Position, User
from tests.api.conftest import error_of, last_event
from tests.factories import UserFactory, position

PEOPLE = "/api/v1/people/"


def _usernames(response) -> list[str]:
    return [row["username"] for row in response.json()["items"]]


def test_list_shows_people_with_their_load(api, world) -> None:
    # when
    response = api.as_("outsider").get(PEOPLE, {"q": "kim"})

    # then
    assert response.status_code == 200
    [row] = response.json()["items"]
    assert (row["username"], row["owned_count"], row["allocation"]) == ("kam1", 2, 0)
    assert row["position"]["slug"] == "key-account-manager"
    assert row["business_unit"]["code"] == "IND"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "executive"}, ["executive"]),
        ({"q": "o"}, ["director", "kam2", "outsider", "kam1"]),
    ],
)
def test_list_filters_by_name_and_role(api, world, params, expected) -> None:
    # when
    response = api.as_("member").get(PEOPLE, params)

    # then
    assert _usernames(response) == expected


def test_list_filters_by_position_and_business_unit(api, world) -> None:
    # when
    by_position = api.as_("member").get(PEOPLE, {"position": position("sales-rep").pk})
    by_unit = api.as_("member").get(PEOPLE, {"business_unit": world.kam.business_unit_id})

    # then
    assert _usernames(by_position) == ["member1", "outsider"]
    assert _usernames(by_unit) == ["member1", "kam1"]


@pytest.mark.parametrize(
    "params",
    [{"role": "boss"}, {"position": "x"}, {"limit": 0}, {"offset": -1}, {"business_unit": 2**64}],
)
def test_list_refuses_bad_filters(api, world, params) -> None:
    # when
    response = api.as_("member").get(PEOPLE, params)

    # then
    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_failed"


def test_list_takes_the_same_number_of_queries_whatever_the_page_size(
    api, world, django_assert_num_queries
) -> None:
    # given
    member = api.as_("member")
    member.get(PEOPLE)
    # when / then: token, count, page (owned and allocation are subqueries)
    with django_assert_num_queries(3):
        member.get(PEOPLE, {"limit": 1})
    UserFactory.create_batch(30)
    with django_assert_num_queries(3):
        response = member.get(PEOPLE, {"limit": 500})
    assert response.json()["count"] == 37


def test_a_persons_page_lists_only_the_accounts_the_caller_may_see(api, world) -> None:
    # when
    as_member = api.as_("member").get(f"{PEOPLE}{world.kam.pk}").json()
    as_outsider = api.as_("outsider").get(f"{PEOPLE}{world.kam.pk}").json()

    # then
    assert [(a["account_name"], a["relation"]) for a in as_member["owned"]] == [
        ("Acme Industries", "owner"),
        ("Umbrella", "owner"),
    ]
    assert [a["account_name"] for a in as_member["memberships"]] == [
        "Acme Industries",
        "Umbrella",
        "Vandelay",
    ]
    assert (as_member["key_accounts_owned"], as_member["cap"], as_member["over_cap"]) == (
        1,
        1,
        False,
    )
    assert as_member["hidden_accounts"] == 0
    assert (as_outsider["owned"], as_outsider["memberships"]) == ([], [])
    assert as_outsider["hidden_accounts"] == 3
    assert as_outsider["key_accounts_owned"] == 1


def test_an_unknown_person_is_404(api, world) -> None:
    # when
    response = api.as_("director").get(f"{PEOPLE}987654")

    # then
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such person."


def test_director_adds_a_person_recorded_as_theirs(api, world) -> None:
    # given
    body = {
        "username": "ana.lyst",
        "first_name": "Ana",
        "last_name": "Lyst",
        "email": "ana@example.com",
        "position_id": position("finance").pk,
        "business_unit_id": world.kam.business_unit_id,
        "manager_id": world.director.pk,
        "password": "a-long-and-unusual-passphrase",
    }

    # when
    response = api.as_("director").post(PEOPLE, body)

    # then
    assert response.status_code == 201, response.content
    person = User.objects.get(username="ana.lyst")
    assert response.json()["id"] == person.pk
    assert person.position is not None
    assert (person.position.slug, person.manager_id, person.role) == (
        "finance",
        world.director.pk,
        "standard",
    )
    assert person.check_password("a-long-and-unusual-passphrase")
    event = last_event(object_type="people.user", object_id=str(person.pk))
    assert (event.actor_id, event.source, event.action) == (world.director.pk, "api", "created")
    assert event.changes["password"] == [None, "••••••"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"username": "kam1"}, 409, "username"),
        ({"username": "has space"}, 422, "username"),
        ({"username": ""}, 422, "username"),
        ({"username": "u" * 151}, 422, "username"),
        ({"username": "ok", "email": "not-an-email"}, 422, "email"),
        ({"username": "ok", "role": "king"}, 422, "role"),
        ({"username": "ok", "password": "password"}, 422, "password"),
        ({"username": "ok", "position_id": 987654}, 422, "position_id"),
        ({"username": "ok", "is_active": "perhaps"}, 422, "is_active"),
    ],
)
def test_adding_a_person_refuses_bad_input(api, world, body, status, field) -> None:
    # given
    count, events = User.objects.count(), Event.objects.count()

    # when
    response = api.as_("director").post(PEOPLE, body)

    # then
    assert response.status_code == status, response.content
    assert list(error_of(response)["fields"]) == [field]
    assert (User.objects.count(), Event.objects.count()) == (count, events)


def test_director_changes_a_person_and_clears_their_business_unit(api, world) -> None:
    # when
    response = api.as_("director").patch(
        f"{PEOPLE}{world.member.pk}",
        {"last_name": "Moved", "business_unit_id": None, "reason": "Reorganisation"},
    )

    # then
    assert response.status_code == 200, response.content
    assert (response.json()["last_name"], response.json()["business_unit"]) == ("Moved", None)
    event = last_event(object_type="people.user", object_id=str(world.member.pk))
    assert event.changes == {
        "last_name": ["Member", "Moved"],
        "business_unit": ["Industrial", None],
    }
    assert (event.actor_id, event.source, event.reason) == (
        world.director.pk,
        "api",
        "Reorganisation",
    )


def test_a_reporting_line_cannot_loop(api, world) -> None:
    # given
    User.objects.filter(pk=world.kam.pk).update(manager=world.member)

    # when
    response = api.as_("director").patch(f"{PEOPLE}{world.member.pk}", {"manager_id": world.kam.pk})

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["manager"]
    assert User.objects.get(pk=world.member.pk).manager_id is None


def test_patching_an_unknown_person_is_404(api, world) -> None:
    # when
    response = api.as_("director").patch(f"{PEOPLE}987654", {"last_name": "X"})

    # then
    assert response.status_code == 404


# --- Positions and business units --------------------------------------------------------------


def test_positions_are_listed_in_their_order(api, world) -> None:
    # when
    response = api.as_("member").get("/api/v1/positions/")

    # then
    assert response.status_code == 200
    slugs = [p["slug"] for p in response.json()]
    assert slugs == list(
        Position.objects.order_by("sort_order", "name").values_list("slug", flat=True)
    )
    assert slugs[0] == "key-account-manager"


def test_director_adds_a_position_that_may_own_accounts(api, world) -> None:
    # when
    response = api.as_("director").post(
        "/api/v1/positions/",
        {"name": "Global account director", "can_own_accounts": True, "sort_order": 5},
    )
    duplicate = api.as_("director").post("/api/v1/positions/", {"name": "global account director"})

    # then
    assert response.status_code == 201
    assert response.json()["slug"] == "global-account-director"
    assert Position.objects.get(slug="global-account-director").can_own_accounts is True
    assert last_event(object_type="people.position").actor_id == world.director.pk
    assert duplicate.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "x" * 101},
        {"name": "Ok", "sort_order": 40000},
        {"name": "Ok", "can_own_accounts": "sometimes"},
    ],
)
def test_a_position_needs_valid_fields(api, world, body) -> None:
    # given
    count = Position.objects.count()

    # when
    response = api.as_("director").post("/api/v1/positions/", body)

    # then
    assert response.status_code == 422
    assert Position.objects.count() == count


def test_director_adds_a_business_unit_and_a_duplicate_is_refused(api, world) -> None:
    # when
    created = api.as_("director").post(
        "/api/v1/business-units/", {"name": "Logistics", "code": "LOG"}
    )
    duplicate = api.as_("director").post(
        "/api/v1/business-units/", {"name": "Other", "code": "log"}
    )
    listed = api.as_("outsider").get("/api/v1/business-units/")

    # then
    assert created.status_code == 201
    assert duplicate.status_code == 409
    assert [u["code"] for u in listed.json()] == ["IND", "LOG"]
    assert BusinessUnit.objects.count() == 2
    event = last_event(object_type="people.businessunit")
    assert (event.actor_id, event.source) == (world.director.pk, "api")
