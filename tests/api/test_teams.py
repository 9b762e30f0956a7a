"""Account teams, RACI and external ids through the API."""

from __future__ import annotations

import pytest

from accountable.accounts.models import ExternalId, Responsibility, TeamMember
from accountable.history.models import Event
from tests.api.conftest import error_of, last_event
from tests.factories import position


def _member(world) -> TeamMember:
    return TeamMember.objects.get(account=world.account, user=world.member)


# --- Team members ------------------------------------------------------------------------------


def test_list_shows_each_member_with_position_allocation_and_raci(api, world) -> None:
    # given
    Responsibility.objects.create(
        account=world.account, member=_member(world), area="pricing", role="R"
    )

    # when
    response = api.as_("member").get(f"/api/v1/accounts/{world.account.pk}/team-members")

    # then
    assert response.status_code == 200
    rows = [
        (m["user"]["username"], m["position"]["slug"], m["allocation_pct"], m["raci"])
        for m in response.json()
    ]
    assert rows == [
        ("kam1", "key-account-manager", 0, {}),
        ("member1", "sales-rep", 20, {"pricing": "R"}),
    ]


def test_owner_adds_a_shared_resource_recorded_as_theirs(api, world) -> None:
    # given
    body = {
        "user_id": world.outsider.pk,
        "kind": "shared",
        "allocation_pct": 15,
        "position_id": position("solutions-engineer").pk,
        "responsibilities": "Technical due diligence",
        "reason": "Tender",
    }

    # when
    response = api.as_("kam").post(f"/api/v1/accounts/{world.account.pk}/team-members", body)

    # then
    assert response.status_code == 201, response.content
    created = TeamMember.objects.get(pk=response.json()["id"])
    assert (created.user_id, created.kind, created.allocation_pct, created.position.slug) == (
        world.outsider.pk,
        "shared",
        15,
        "solutions-engineer",
    )
    event = last_event(object_type="accounts.teammember", object_id=str(created.pk))
    assert (event.actor_id, event.source, event.action, event.reason) == (
        world.kam.pk,
        "api",
        "created",
        "Tender",
    )
    # and the new member now sees the account
    assert api.as_("outsider").get(f"/api/v1/accounts/{world.account.pk}").status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"allocation_pct": 101}, 422, "allocation_pct"),
        ({"allocation_pct": -1}, 422, "allocation_pct"),
        ({"allocation_pct": "half"}, 422, "allocation_pct"),
        ({"kind": "borrowed"}, 422, "kind"),
        ({"position_id": 999999}, 422, "position_id"),
        ({"user_id": 999999}, 422, "user_id"),
        ({"responsibilities": "x" * 20_001}, 422, "responsibilities"),
    ],
)
def test_add_refuses_bad_input(api, world, body, status, field) -> None:
    # given
    payload = {"user_id": world.outsider.pk, **body}
    count, events = TeamMember.objects.count(), Event.objects.count()

    # when
    response = api.as_("director").post(
        f"/api/v1/accounts/{world.account.pk}/team-members", payload
    )

    # then
    assert response.status_code == status, response.content
    assert list(error_of(response)["fields"]) == [field]
    assert (TeamMember.objects.count(), Event.objects.count()) == (count, events)


def test_someone_already_on_the_team_is_not_added_twice(api, world) -> None:
    # when
    response = api.as_("kam").post(
        f"/api/v1/accounts/{world.account.pk}/team-members", {"user_id": world.member.pk}
    )

    # then
    assert response.status_code == 409
    assert error_of(response)["message"] == "Mia Member is already on the Acme Industries team."


def test_owner_changes_an_allocation_and_history_has_before_and_after(api, world) -> None:
    # when
    response = api.as_("kam").patch(
        f"/api/v1/team-members/{_member(world).pk}",
        {"allocation_pct": 35, "reason": "More pricing work"},
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["allocation_pct"] == 35
    assert response.json()["kind"] == "direct"
    event = last_event(object_type="accounts.teammember", object_id=str(_member(world).pk))
    assert event.changes == {"allocation_pct": [20, 35]}
    assert (event.actor_id, event.source, event.reason) == (
        world.kam.pk,
        "api",
        "More pricing work",
    )


@pytest.mark.parametrize(
    "body",
    [{"allocation_pct": 250}, {"kind": None}, {"position_id": None}, {"allocation_pct": None}],
)
def test_patch_refuses_bad_values(api, world, body) -> None:
    # when
    response = api.as_("kam").patch(f"/api/v1/team-members/{_member(world).pk}", body)

    # then
    assert response.status_code == 422
    assert _member(world).allocation_pct == 20


def test_an_unknown_team_member_is_404(api, world) -> None:
    # when
    response = api.as_("director").get("/api/v1/team-members/987654")

    # then
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such team member."


def test_owner_removes_a_member(api, world) -> None:
    # given
    pk = _member(world).pk

    # when
    response = api.as_("kam").delete(f"/api/v1/team-members/{pk}?reason=Left%20the%20company")

    # then
    assert response.status_code == 204
    assert not TeamMember.objects.filter(pk=pk).exists()
    event = last_event(object_type="accounts.teammember", object_id=str(pk))
    assert (event.action, event.actor_id, event.source, event.reason) == (
        "deleted",
        world.kam.pk,
        "api",
        "Left the company",
    )


def test_the_owner_cannot_be_taken_off_the_team(api, world) -> None:
    # given
    owner_row = TeamMember.objects.get(account=world.account, user=world.kam)

    # when
    response = api.as_("director").delete(f"/api/v1/team-members/{owner_row.pk}")

    # then
    assert response.status_code == 409
    assert "transfer the ownership first" in error_of(response)["message"]
    assert TeamMember.objects.filter(pk=owner_row.pk).exists()


# --- RACI --------------------------------------------------------------------------------------


def test_put_replaces_the_members_raci(api, world) -> None:
    # given
    member = _member(world)
    Responsibility.objects.create(account=world.account, member=member, area="delivery", role="I")

    # when
    response = api.as_("kam").put(
        f"/api/v1/team-members/{member.pk}/responsibilities",
        {"strategy": "R", "pricing": "A", "delivery": None},
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json() == {"member_id": member.pk, "raci": {"pricing": "A", "strategy": "R"}}
    assert dict(member.raci.values_list("area", "role")) == {"pricing": "A", "strategy": "R"}
    event = last_event(object_type="accounts.responsibility")
    assert (event.actor_id, event.source, event.account_id) == (
        world.kam.pk,
        "api",
        world.account.pk,
    )


def test_a_second_accountable_for_an_area_is_refused(api, world) -> None:
    # given
    owner_row = TeamMember.objects.get(account=world.account, user=world.kam)
    Responsibility.objects.create(account=world.account, member=owner_row, area="pricing", role="A")

    # when
    response = api.as_("kam").put(
        f"/api/v1/team-members/{_member(world).pk}/responsibilities", {"pricing": "A"}
    )

    # then
    assert response.status_code == 409
    assert error_of(response)["message"] == (
        "Kim Owner is already Accountable for pricing; there is one Accountable per area."
    )
    assert not _member(world).raci.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pricing": "X"}, "pricing"),
        ({"marketing": "R"}, "marketing"),
        ({"strategy": 1}, "strategy"),
    ],
)
def test_raci_refuses_unknown_roles_and_areas(api, world, body, field) -> None:
    # when
    response = api.as_("kam").put(
        f"/api/v1/team-members/{_member(world).pk}/responsibilities", body
    )

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == [field]
    assert not _member(world).raci.exists()


# --- External ids ------------------------------------------------------------------------------


def test_owner_adds_and_removes_an_external_id(api, world) -> None:
    # when
    added = api.as_("kam").post(
        f"/api/v1/accounts/{world.account.pk}/external-ids", {"source": "ERP", "value": " 100-42 "}
    )
    listed = api.as_("member").get(f"/api/v1/accounts/{world.account.pk}/external-ids")
    removed = api.as_("kam").delete(f"/api/v1/external-ids/{added.json()['id']}")

    # then
    assert added.status_code == 201, added.content
    assert (added.json()["source"], added.json()["value"]) == ("erp", "100-42")
    assert [(e["source"], e["value"]) for e in listed.json()] == [
        ("crm", "ACME-1"),
        ("erp", "100-42"),
    ]
    assert removed.status_code == 204
    assert list(world.account.external_ids.values_list("value", flat=True)) == ["ACME-1"]
    created, deleted = Event.objects.filter(object_type="accounts.externalid").order_by("-id")[:2][
        ::-1
    ]
    assert (created.action, created.actor_id, created.source) == ("created", world.kam.pk, "api")
    assert (deleted.action, deleted.actor_id, deleted.source) == ("deleted", world.kam.pk, "api")


def test_an_external_id_is_unique_per_source(api, world) -> None:
    # when
    response = api.as_("director").post(
        f"/api/v1/accounts/{world.other_account.pk}/external-ids",
        {"source": "crm", "value": "ACME-1"},
    )

    # then
    assert response.status_code == 409
    assert error_of(response)["message"] == "crm:ACME-1 already belongs to Acme Industries."
    assert not world.other_account.external_ids.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"source": "crm"},
        {"source": "", "value": "x"},
        {"source": "x" * 41, "value": "1"},
        {"source": "crm", "value": "v" * 121},
    ],
)
def test_external_id_input_is_checked(api, world, body) -> None:
    # when
    response = api.as_("director").post(f"/api/v1/accounts/{world.account.pk}/external-ids", body)

    # then
    assert response.status_code == 422
    assert ExternalId.objects.count() == 1


def test_removing_an_unknown_external_id_is_404(api, world) -> None:
    # when
    response = api.as_("director").delete("/api/v1/external-ids/987654")

    # then
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such external id."
