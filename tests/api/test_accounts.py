"""The account list, profiles, create/update/delete and the global-account tree through the API."""

from __future__ import annotations

import pytest

from accountable.accounts import services as account_services
from accountable.accounts.filters import SORTS
from accountable.accounts.models import Account
from accountable.history.models import Event
from tests.api.conftest import error_of, last_event
from tests.factories import AccountFactory

ACCOUNTS = "/api/v1/accounts/"


def _names(response) -> list[str]:
    return [row["name"] for row in response.json()["items"]]


# --- The list ----------------------------------------------------------------------------------


def test_list_pages_with_count_and_links(api, world) -> None:
    # when
    first = api.as_("director").get(ACCOUNTS, {"limit": 2})
    second = api.as_("director").get(first.json()["next"])

    # then
    assert first.status_code == 200
    body = first.json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 0)
    assert body["previous"] is None
    assert body["next"] == "/api/v1/accounts/?limit=2&offset=2"
    assert _names(first) == ["Acme Industries", "Globex"]
    assert _names(second) == ["Initech", "Umbrella"]
    assert second.json()["previous"] == "/api/v1/accounts/?limit=2&offset=0"


def test_list_rows_carry_the_current_owner(api, world) -> None:
    # when
    response = api.as_("director").get(ACCOUNTS, {"q": "Acme"})

    # then
    [row] = response.json()["items"]
    assert row["owner"] == {"id": world.kam.pk, "username": "kam1", "name": "Kim Owner"}
    assert row["programme_status"] == "key_account"
    assert row["country"] == "DE"


def test_list_page_size_is_capped_at_500(api, world) -> None:
    # when
    response = api.as_("director").get(ACCOUNTS, {"limit": 501})

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["limit"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "glob"}, ["Globex"]),
        ({"q": "ACME-1"}, ["Acme Industries"]),
        ({"status": ["pilot", "key_account"]}, ["Acme Industries", "Globex"]),
        ({"status": "prospect"}, ["Initech"]),
        ({"industry": "chemicals"}, ["Acme Industries"]),
        ({"country": "de"}, ["Acme Industries"]),
        ({"sort": "-name"}, ["Vandelay", "Umbrella", "Initech", "Globex", "Acme Industries"]),
        # programme order: prospect, then candidates
        ({"sort": "status", "limit": 3}, ["Initech", "Umbrella", "Vandelay"]),
    ],
)
def test_list_filters_and_sorts_like_the_page(api, world, params, expected) -> None:
    # when
    response = api.as_("director").get(ACCOUNTS, params)

    # then
    assert response.status_code == 200
    assert _names(response) == expected


def test_list_filters_by_owner_tier_region_business_unit_and_tree(api, world) -> None:
    # given
    child = account_services.account_create(
        actor=world.director,
        name="Acme Polymers",
        parent=world.account,
        tier="1",
        region="Bavaria",
    )
    director = api.as_("director")

    # when
    by_owner = director.get(ACCOUNTS, {"owner": world.other_kam.pk})
    by_tier = director.get(ACCOUNTS, {"tier": "1"})
    by_region = director.get(ACCOUNTS, {"region": "bavaria"})
    by_unit = director.get(ACCOUNTS, {"business_unit": world.kam.business_unit_id})
    by_parent = director.get(ACCOUNTS, {"parent": world.account.pk})
    by_root = director.get(ACCOUNTS, {"root": world.account.pk})

    # then
    assert _names(by_owner) == ["Globex"]
    assert _names(by_tier) == ["Acme Polymers"]
    assert _names(by_region) == ["Acme Polymers"]
    assert _names(by_unit) == ["Acme Industries", "Umbrella", "Vandelay"]
    assert _names(by_parent) == ["Acme Polymers"]
    assert _names(by_root) == ["Acme Industries", "Acme Polymers"]
    assert child.root_id == world.account.pk


@pytest.mark.parametrize("sort", list(SORTS))
def test_list_accepts_every_sort_key(api, world, sort) -> None:
    # when
    response = api.as_("executive").get(ACCOUNTS, {"sort": sort})

    # then
    assert response.status_code == 200
    assert response.json()["count"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "colour"}, "sort"),
        ({"status": "gold"}, "status.0"),
        ({"tier": "7"}, "tier.0"),
        ({"owner": "abc"}, "owner"),
        ({"owner": 0}, "owner"),
        ({"parent": 2**70}, "parent"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_list_refuses_bad_filters_with_the_field_named(api, world, params, field) -> None:
    # when
    response = api.as_("director").get(ACCOUNTS, params)

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == [field]


def test_list_refuses_an_owner_who_cannot_own_accounts(api, world) -> None:
    # when
    response = api.as_("director").get(ACCOUNTS, {"owner": world.member.pk})

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["owner"]


def test_list_takes_the_same_number_of_queries_whatever_the_page_size(
    api, world, django_assert_num_queries
) -> None:
    # given
    director = api.as_("director")
    director.get(ACCOUNTS)  # the token's first use records it; later uses within minutes do not
    # when / then: token, count, page, current owners
    with django_assert_num_queries(4):
        small = director.get(ACCOUNTS, {"limit": 1})
    for n in range(40):
        account = AccountFactory.create(name=f"Bulk {n:02d}", programme_status="candidate")
        if n % 2:
            account_services.account_assign_owner(
                account=account, user=world.spare_kam, actor=world.director
            )
    with django_assert_num_queries(4):
        large = director.get(ACCOUNTS, {"limit": 500, "sort": "owner"})
    assert len(small.json()["items"]) == 1
    assert len(large.json()["items"]) == 45
    assert sum(1 for row in large.json()["items"] if row["owner"]) == 23


def test_a_members_list_takes_the_same_number_of_queries(
    api, world, django_assert_num_queries
) -> None:
    # given
    member = api.as_("member")
    member.get(ACCOUNTS)

    # when / then
    with django_assert_num_queries(4):
        response = member.get(ACCOUNTS, {"status": ["candidate", "key_account"], "q": "a"})
    assert _names(response) == ["Acme Industries", "Umbrella", "Vandelay"]


# --- One account -------------------------------------------------------------------------------


def test_detail_shows_the_profile_owner_and_external_ids(api, world) -> None:
    # when
    response = api.as_("member").get(f"{ACCOUNTS}{world.account.pk}")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Acme Industries"
    assert body["version"] == world.account.version
    assert body["owner"]["user"]["username"] == "kam1"
    assert body["owner"]["is_current"] is True
    assert [(e["source"], e["value"]) for e in body["external_ids"]] == [("crm", "ACME-1")]
    assert body["can_edit"] is False
    assert body["key_accounts_per_kam_cap"] == 1


def test_detail_of_an_unknown_account_is_404(api, world) -> None:
    # when
    response = api.as_("director").get(f"{ACCOUNTS}424242")

    # then
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", str(2**64)])
def test_an_id_that_cannot_exist_is_refused_not_crashed_on(api, world, bad_id) -> None:
    # when
    response = api.as_("director").get(f"{ACCOUNTS}{bad_id}")

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["id"]


# --- Create ------------------------------------------------------------------------------------


def test_director_creates_an_account_recorded_as_theirs_through_the_api(api, world) -> None:
    # given
    body = {
        "name": "Hooli",
        "industry": "Software",
        "country": "us",
        "tier": "2",
        "size_band": "enterprise",
        "employees": 12000,
        "annual_revenue": "1500000.50",
        "website": "https://hooli.example",
        "strategy": "Platform",
        "parent_id": world.other_account.pk,
        "programme_status": "candidate",
        "external_ids": [{"source": "CRM", "value": "HOO-1"}],
        "reason": "New lead",
    }

    # when
    response = api.as_("director").post(ACCOUNTS, body)

    # then
    assert response.status_code == 201, response.content
    created = Account.objects.get(name="Hooli")
    assert response.json()["id"] == created.pk
    assert (str(created.country), created.tier, created.employees) == ("US", "2", 12000)
    assert str(created.annual_revenue) == "1500000.50"
    assert created.parent_id == created.root_id == world.other_account.pk
    assert created.programme_status == "candidate"
    assert list(created.external_ids.values_list("source", "value")) == [("crm", "HOO-1")]
    event = last_event(object_type="accounts.account", object_id=str(created.pk))
    assert (event.actor_id, event.source, event.action) == (world.director.pk, "api", "created")
    assert event.changes["name"] == [None, "Hooli"]
    assert event.reason == "New lead"


def test_a_new_account_cannot_start_as_a_key_account(api, world) -> None:
    # given
    count = Account.objects.count()

    # when
    response = api.as_("director").post(
        ACCOUNTS, {"name": "Hooli", "programme_status": "key_account"}
    )

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["programme_status"]
    assert Account.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": 5}, "name"),
        ({"name": "Ok", "country": "XX"}, "country"),
        ({"name": "Ok", "tier": "9"}, "tier"),
        ({"name": "Ok", "size_band": "huge"}, "size_band"),
        ({"name": "Ok", "employees": -1}, "employees"),
        ({"name": "Ok", "employees": "many"}, "employees"),
        ({"name": "Ok", "annual_revenue": "1.234"}, "annual_revenue"),
        ({"name": "Ok", "annual_revenue": "NaN"}, "annual_revenue"),
        ({"name": "Ok", "website": "not a url"}, "website"),
        ({"name": "Ok", "parent_id": 999999}, "parent_id"),
        ({"name": "Ok\x00"}, "name"),
        ({"name": "Ok", "colour": "red"}, "colour"),
        ({"name": "Ok", "external_ids": [{"source": "crm"}]}, "external_ids.0.value"),
    ],
)
def test_create_refuses_bad_input_with_422(api, world, body, field) -> None:
    # given
    count, events = Account.objects.count(), Event.objects.count()

    # when
    response = api.as_("director").post(ACCOUNTS, body)

    # then
    assert response.status_code == 422, response.content
    assert field in error_of(response)["fields"]
    assert (Account.objects.count(), Event.objects.count()) == (count, events)


def test_create_refuses_an_external_id_another_account_has(api, world) -> None:
    # given
    count = Account.objects.count()

    # when
    response = api.as_("director").post(
        ACCOUNTS, {"name": "Acme Copy", "external_ids": [{"source": "crm", "value": "ACME-1"}]}
    )

    # then
    assert response.status_code == 409
    assert error_of(response)["message"] == "crm:ACME-1 already belongs to Acme Industries."
    assert Account.objects.count() == count


def test_a_kam_cannot_hang_a_new_account_under_an_account_they_cannot_see(api, world) -> None:
    # given: only the director may create, so the check shows on PATCH
    path = f"{ACCOUNTS}{world.account.pk}"

    # when
    response = api.as_("kam").patch(
        path, {"version": world.account.version, "parent_id": world.other_account.pk}
    )

    # then
    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "parent_id": [f"There is no account with id {world.other_account.pk}."]
    }
    assert Account.objects.get(pk=world.account.pk).parent_id is None


# --- Update ------------------------------------------------------------------------------------


def test_owner_edits_the_profile_and_history_names_them_and_the_api(api, world) -> None:
    # given
    path = f"{ACCOUNTS}{world.account.pk}"
    version = world.account.version

    # when
    response = api.as_("kam").patch(
        path,
        {"version": version, "strategy": "Grow in Asia", "employees": 5000, "reason": "QBR notes"},
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["strategy"], body["employees"], body["version"]) == (
        "Grow in Asia",
        5000,
        version + 1,
    )
    assert body["industry"] == "Chemicals"  # fields not sent are left alone
    event = last_event(object_type="accounts.account", object_id=str(world.account.pk))
    assert (event.actor_id, event.actor_name, event.source) == (world.kam.pk, "kam1", "api")
    assert event.changes == {"strategy": [None, "Grow in Asia"], "employees": [None, 5000]}
    assert event.reason == "QBR notes"


def test_a_stale_version_is_refused_with_409_and_nothing_saved(api, world) -> None:
    # given
    path = f"{ACCOUNTS}{world.account.pk}"
    stale = world.account.version
    assert api.as_("director").patch(path, {"version": stale, "culture": "Open"}).status_code == 200
    events = Event.objects.count()

    # when
    response = api.as_("kam").patch(path, {"version": stale, "culture": "Closed"})

    # then
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "stale_edit"
    assert f"your version {stale}, now {stale + 1}" in error["message"]
    assert Account.objects.get(pk=world.account.pk).culture == "Open"
    assert Event.objects.count() == events


def test_patch_without_a_version_is_refused(api, world) -> None:
    # when
    response = api.as_("kam").patch(f"{ACCOUNTS}{world.account.pk}", {"name": "No version"})

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["version"]
    assert Account.objects.get(pk=world.account.pk).name == "Acme Industries"


def test_a_parent_chain_that_would_loop_is_refused(api, world) -> None:
    # given: Acme → Acme Polymers → Acme Films
    child = account_services.account_create(
        actor=world.director, name="Acme Polymers", parent=world.account
    )
    grandchild = account_services.account_create(
        actor=world.director, name="Acme Films", parent=child
    )
    path = f"{ACCOUNTS}{world.account.pk}"

    # when
    loop = api.as_("director").patch(
        path, {"version": world.account.version, "parent_id": grandchild.pk}
    )
    itself = api.as_("director").patch(
        path, {"version": world.account.version, "parent_id": world.account.pk}
    )

    # then
    assert loop.status_code == itself.status_code == 422
    assert list(error_of(loop)["fields"]) == ["parent"]
    assert "cannot be its own ancestor" in error_of(loop)["message"]
    assert Account.objects.get(pk=world.account.pk).parent_id is None


def test_moving_an_account_under_a_parent_and_back_keeps_the_tree_root(api, world) -> None:
    # given
    path = f"{ACCOUNTS}{world.candidate.pk}"

    # when
    moved = api.as_("director").patch(
        path, {"version": world.candidate.version, "parent_id": world.account.pk}
    )
    back = api.as_("director").patch(path, {"version": moved.json()["version"], "parent_id": None})

    # then
    assert (moved.json()["parent_id"], moved.json()["root_id"]) == (
        world.account.pk,
        world.account.pk,
    )
    assert (back.json()["parent_id"], back.json()["root_id"]) == (None, world.candidate.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"industry": None}, "industry"),
        ({"industry": "x" * 101}, "industry"),
        ({"tier": "gold"}, "tier"),
        ({"version": "one"}, "version"),
        ({"version": 0}, "version"),
        ({"annual_revenue": 10**17}, "annual_revenue"),
        ({"programme_status": "pilot"}, "programme_status"),
        ({"root_id": 1}, "root_id"),
    ],
)
def test_patch_refuses_bad_input_and_changes_nothing(api, world, body, field) -> None:
    # given
    payload = {"version": world.account.version, **body}
    events = Event.objects.count()

    # when
    response = api.as_("director").patch(f"{ACCOUNTS}{world.account.pk}", payload)

    # then
    assert response.status_code == 422, response.content
    assert field in error_of(response)["fields"]
    after = Account.objects.get(pk=world.account.pk)
    assert (after.name, after.industry, after.version) == (
        "Acme Industries",
        "Chemicals",
        world.account.version,
    )
    assert Event.objects.count() == events


# --- Delete ------------------------------------------------------------------------------------


def test_director_deletes_an_account_with_a_reason_kept_in_history(api, world) -> None:
    # given
    pk = world.candidate.pk

    # when
    response = api.as_("director").delete(f"{ACCOUNTS}{pk}?reason=Merged%20into%20Acme")

    # then
    assert response.status_code == 204
    assert not Account.objects.filter(pk=pk).exists()
    event = last_event(object_type="accounts.account", object_id=str(pk))
    assert (event.action, event.actor_id, event.source, event.reason) == (
        "deleted",
        world.director.pk,
        "api",
        "Merged into Acme",
    )
    history = api.as_("director").get("/api/v1/history/", {"account": pk}).json()
    assert history["items"][0]["action"] == "deleted"


def test_delete_needs_a_reason(api, world) -> None:
    # when
    missing = api.as_("director").delete(f"{ACCOUNTS}{world.candidate.pk}")
    blank = api.as_("director").delete(f"{ACCOUNTS}{world.candidate.pk}?reason=%20")

    # then
    assert missing.status_code == blank.status_code == 422
    assert list(error_of(missing)["fields"]) == ["reason"]
    assert Account.objects.filter(pk=world.candidate.pk).exists()


def test_a_key_account_cannot_be_deleted_before_it_exits(api, world) -> None:
    # when
    response = api.as_("director").delete(f"{ACCOUNTS}{world.account.pk}?reason=Gone")

    # then
    assert response.status_code == 409
    assert "exit it from the programme before deleting it" in error_of(response)["message"]
    assert Account.objects.filter(pk=world.account.pk).exists()


# --- The global-account tree -------------------------------------------------------------------


def test_tree_rolls_figures_up_and_hides_names_the_caller_may_not_see(api, world) -> None:
    # given: Acme (5000 staff) → Acme Polymers (700, key account of other_kam) → Acme Films (300)
    account_services.account_update(
        account=world.account, actor=world.director, data={"employees": 5000}
    )
    polymers = account_services.account_create(
        actor=world.director,
        name="Acme Polymers",
        parent=world.account,
        employees=700,
        programme_status="candidate",
    )
    films = account_services.account_create(
        actor=world.director, name="Acme Films", parent=polymers, employees=300
    )
    account_services.team_member_add(account=films, user=world.member, actor=world.director)

    # when
    response = api.as_("member").get(f"{ACCOUNTS}{films.pk}/tree")

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["account_id"], body["root_id"]) == (films.pk, world.account.pk)
    nodes = [(n["id"], n["depth"], n["name"], n["employees"], n["accounts"]) for n in body["nodes"]]
    assert nodes == [
        (world.account.pk, 0, "Acme Industries", 6000, 3),
        (polymers.pk, 1, None, 1000, 2),
        (films.pk, 2, "Acme Films", 300, 1),
    ]
    assert body["nodes"][1]["visible"] is False
    assert body["rollup"]["id"] == films.pk
    assert body["nodes"][0]["team_size"] == 3  # kam and member on Acme, member on Films
