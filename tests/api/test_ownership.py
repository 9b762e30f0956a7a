"""Programme status and the one accountable owner through the API: assign, transfer, release,
the KAM cap and its override, and the database's own refusal of a second owner."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from accountable.accounts.models import Account, Ownership
from accountable.history.models import Event
from accountable.programme.services import programme_settings_update
from tests.api.conftest import error_of, last_event


def _url(account: Account, action: str = "") -> str:
    return f"/api/v1/accounts/{account.pk}{action}"


def _current_owner(account: Account) -> int | None:
    ownership = Ownership.objects.filter(account=account, ended_at__isnull=True).first()
    return ownership.user_id if ownership else None


# --- A second owner ----------------------------------------------------------------------------


def test_a_second_owner_is_refused_with_409_and_a_clear_message(api, world) -> None:
    # given
    events = Event.objects.count()

    # when
    response = api.as_("director").post(
        _url(world.account, "/owner"), {"user_id": world.spare_kam.pk}
    )

    # then
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "conflict"
    assert error["message"] == (
        "Acme Industries already has an owner, Kim Owner. An account has exactly one "
        "accountable owner: transfer the ownership instead."
    )
    assert error["fields"] == {"user": [error["message"]]}
    assert _current_owner(world.account) == world.kam.pk
    assert Ownership.objects.filter(account=world.account).count() == 1
    assert Event.objects.count() == events


def test_the_database_itself_refuses_a_second_current_owner(world) -> None:
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Ownership.objects.create(account=world.account, user=world.spare_kam)
    assert Ownership.objects.filter(account=world.account, ended_at__isnull=True).count() == 1


def test_director_assigns_an_owner_and_history_names_the_director(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.unowned, "/owner"), {"user_id": world.spare_kam.pk, "reason": "Best fit"}
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["id"] == world.spare_kam.pk
    assert (body["is_current"], body["reason"], body["cap_override_reason"]) == (
        True,
        "Best fit",
        "",
    )
    assert _current_owner(world.unowned) == world.spare_kam.pk
    event = last_event(object_type="accounts.ownership", object_id=str(body["id"]))
    assert (event.actor_id, event.source, event.action, event.reason) == (
        world.director.pk,
        "api",
        "created",
        "Best fit",
    )
    assert event.account_id == world.unowned.pk


def test_someone_who_may_not_own_accounts_cannot_be_made_owner(api, world) -> None:
    # when
    response = api.as_("director").post(_url(world.unowned, "/owner"), {"user_id": world.member.pk})

    # then
    assert response.status_code == 422
    assert "cannot own accounts" in error_of(response)["message"]
    assert _current_owner(world.unowned) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "user_id"),
        ({"user_id": "kim"}, "user_id"),
        ({"user_id": 987654}, "user_id"),
        ({"user_id": 2**63}, "user_id"),
        ({"user_id": 1, "extra": True}, "extra"),
    ],
)
def test_assign_refuses_bad_input(api, world, body, field) -> None:
    # when
    response = api.as_("director").post(_url(world.unowned, "/owner"), body)

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == [field]
    assert _current_owner(world.unowned) is None


# --- The cap -----------------------------------------------------------------------------------


def test_a_transfer_over_the_cap_is_refused_with_cap_exceeded(api, world) -> None:
    # given: other_kam already owns Globex, a pilot; the cap is 1
    events = Event.objects.count()

    # when
    response = api.as_("director").post(
        _url(world.account, "/owner/transfer"),
        {"user_id": world.other_kam.pk, "reason": "Rebalancing"},
    )

    # then
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "cap_exceeded"
    assert error["message"] == (
        "Kai Other already owns 1 pilot or key account; the cap is 1 per KAM. A programme "
        "director can override the cap with a reason."
    )
    assert list(error["fields"]) == ["cap_override_reason"]
    assert _current_owner(world.account) == world.kam.pk
    assert Event.objects.count() == events


def test_director_override_of_the_cap_is_kept_on_the_ownership_and_in_history(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.account, "/owner/transfer"),
        {
            "user_id": world.other_kam.pk,
            "reason": "Rebalancing",
            "cap_override_reason": "Kai knows both groups",
        },
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["cap_override_reason"] == "Kai knows both groups"
    assert body["cap_overridden_by"]["id"] == world.director.pk
    ownership = Ownership.objects.get(pk=body["id"])
    assert (ownership.cap_override_reason, ownership.cap_overridden_by_id) == (
        "Kai knows both groups",
        world.director.pk,
    )
    event = last_event(object_type="accounts.ownership", object_id=str(ownership.pk))
    assert event.changes["cap_override_reason"] == [None, "Kai knows both groups"]
    assert (event.actor_id, event.source) == (world.director.pk, "api")
    listed = api.as_("kam").get(_url(world.account, "/ownerships")).json()
    assert [(o["user"]["username"], o["is_current"], o["cap_override_reason"]) for o in listed] == [
        ("kam2", True, "Kai knows both groups"),
        ("kam1", False, ""),
    ]
    assert listed[1]["end_reason"] == "Rebalancing"


def test_a_status_change_over_the_cap_is_refused_then_overridden(api, world) -> None:
    # given
    body = {"to_status": "key_account", "reason": "Signed", "owner_id": world.other_kam.pk}

    # when
    refused = api.as_("director").post(_url(world.unowned, "/status"), body)
    overridden = api.as_("director").post(
        _url(world.unowned, "/status"), {**body, "cap_override_reason": "Strategic"}
    )

    # then
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "cap_exceeded"
    assert overridden.status_code == 200, overridden.content
    owner = overridden.json()["owner"]
    assert (owner["user"]["id"], owner["cap_override_reason"]) == (world.other_kam.pk, "Strategic")
    assert overridden.json()["programme_status"] == "key_account"


def test_a_higher_cap_lets_the_assignment_through_without_override(api, world) -> None:
    # given
    programme_settings_update(actor=world.director, key_accounts_per_kam_cap=2)

    # when
    response = api.as_("director").post(
        _url(world.account, "/owner/transfer"),
        {"user_id": world.other_kam.pk, "reason": "Rebalancing"},
    )

    # then
    assert response.status_code == 200
    assert response.json()["cap_override_reason"] == ""


# --- Transfer and release ----------------------------------------------------------------------


def test_transfer_ends_the_old_period_and_starts_a_new_one(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.account, "/owner/transfer"),
        {"user_id": world.spare_kam.pk, "reason": "Kim moves to EMEA"},
    )

    # then
    assert response.status_code == 200
    assert _current_owner(world.account) == world.spare_kam.pk
    old = Ownership.objects.get(account=world.account, user=world.kam)
    assert old.ended_at is not None
    assert old.end_reason == "Kim moves to EMEA"
    assert world.account.team_members.filter(user=world.spare_kam).exists()


@pytest.mark.parametrize("body", [{"user_id": 1}, {"user_id": 1, "reason": ""}])
def test_transfer_needs_a_reason(api, world, body) -> None:
    # when
    response = api.as_("director").post(
        _url(world.account, "/owner/transfer"), {**body, "user_id": world.spare_kam.pk}
    )

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["reason"]
    assert _current_owner(world.account) == world.kam.pk


def test_transfer_to_the_current_owner_is_a_conflict(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.account, "/owner/transfer"), {"user_id": world.kam.pk, "reason": "Again"}
    )

    # then
    assert response.status_code == 409
    assert error_of(response)["message"] == "Kim Owner already owns Acme Industries."


def test_release_ends_the_ownership_of_a_candidate(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.candidate, "/owner/release"), {"reason": "Parked"}
    )

    # then
    assert response.status_code == 204
    assert response.content == b""
    assert _current_owner(world.candidate) is None
    event = last_event(object_type="accounts.ownership")
    assert (event.action, event.reason, event.actor_id, event.source) == (
        "updated",
        "Parked",
        world.director.pk,
        "api",
    )
    assert event.changes["end_reason"] == [None, "Parked"]


def test_a_key_account_keeps_its_owner(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.account, "/owner/release"), {"reason": "Why not"}
    )

    # then
    assert response.status_code == 409
    assert "must keep exactly one owner" in error_of(response)["message"]
    assert _current_owner(world.account) == world.kam.pk


# --- Programme status --------------------------------------------------------------------------


def test_a_prospect_cannot_jump_to_pilot(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.prospect, "/status"),
        {"to_status": "pilot", "reason": "Jump", "owner_id": world.spare_kam.pk},
    )

    # then
    assert response.status_code == 422
    assert error_of(response)["message"] == (
        "A prospect cannot become a pilot directly. Allowed from here: Candidate, Exited."
    )
    assert Account.objects.get(pk=world.prospect.pk).programme_status == "prospect"


def test_status_change_is_recorded_with_actor_and_reason(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.account, "/status"), {"to_status": "pilot", "reason": "Scope reduced"}
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["programme_status"] == "pilot"
    changes = api.as_("member").get(_url(world.account, "/status-changes")).json()
    assert [(c["from_status"], c["to_status"], c["reason"], c["actor_name"]) for c in changes][
        :2
    ] == [
        ("key_account", "pilot", "Scope reduced", "director"),
        ("candidate", "key_account", "Selected", "director"),
    ]
    event = last_event(object_type="accounts.account", object_id=str(world.account.pk))
    assert event.changes["programme_status"] == ["Key account", "Pilot"]
    assert (event.actor_id, event.source, event.reason) == (
        world.director.pk,
        "api",
        "Scope reduced",
    )


def test_a_candidate_becomes_a_pilot_with_its_owner_in_one_step(api, world) -> None:
    # when
    response = api.as_("director").post(
        _url(world.unowned, "/status"),
        {"to_status": "pilot", "reason": "Pilot agreed", "owner_id": world.spare_kam.pk},
    )

    # then
    assert response.status_code == 200
    assert response.json()["owner"]["user"]["id"] == world.spare_kam.pk
    assert _current_owner(world.unowned) == world.spare_kam.pk


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"to_status": "pilot", "reason": "No owner"}, 422, "owner"),
        ({"to_status": "candidate", "reason": "Same"}, 409, "to_status"),
        ({"to_status": "platinum", "reason": "Bad"}, 422, "to_status"),
        ({"to_status": "exited"}, 422, "reason"),
        ({"to_status": "exited", "reason": "   "}, 422, "reason"),
        ({"to_status": "exited", "reason": "x" * 2001}, 422, "reason"),
        ({"to_status": "pilot", "reason": "Who", "owner_id": 999999}, 422, "owner_id"),
    ],
)
def test_status_change_refusals_leave_the_account_as_it_was(
    api, world, body, status, field
) -> None:
    # given
    events = Event.objects.count()

    # when
    response = api.as_("director").post(_url(world.unowned, "/status"), body)

    # then
    assert response.status_code == status, response.content
    assert list(error_of(response)["fields"]) == [field]
    assert Account.objects.get(pk=world.unowned.pk).programme_status == "candidate"
    assert Event.objects.count() == events
