"""The rules of customer accounts: one owner, the cap, status moves, teams, RACI, locking."""

import pytest
from django.db import IntegrityError, transaction

from accountable.accounts import services
from accountable.accounts.models import (
    Account,
    Ownership,
    ProgrammeStatus,
    ProgrammeStatusChange,
    Responsibility,
    TeamMember,
)
from accountable.core.errors import CapExceeded, Conflict, StaleEdit, ValidationFailed
from accountable.history.models import Event
from accountable.people.services import user_update
from accountable.programme.services import programme_settings_update
from tests.factories import KamFactory, UserFactory, position

pytestmark = pytest.mark.django_db


def _candidate(director, name="Candidate Co"):
    return services.account_create(actor=director, name=name, programme_status="candidate")


# --- one accountable owner ---


def test_second_owner_is_refused_with_a_clear_message(programme):
    # given a key account owned by kam
    events_before = Event.objects.count()
    # when the director assigns another KAM as owner
    with pytest.raises(Conflict) as refused:
        services.account_assign_owner(
            account=programme.account, user=programme.other_kam, actor=programme.director
        )
    # then it is refused, naming the current owner, and nothing is written
    assert "already has an owner, Kim Owner" in refused.value.message
    assert "transfer" in refused.value.message
    assert list(
        Ownership.objects.filter(account=programme.account, ended_at__isnull=True).values_list(
            "user__username", flat=True
        )
    ) == ["kam1"]
    assert Event.objects.count() == events_before


def test_database_refuses_a_second_current_owner(programme):
    # given a key account with a current owner
    # when a second current ownership is inserted behind the services' back
    # then the database's partial unique index refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        Ownership.objects.create(account=programme.account, user=programme.other_kam)


def test_database_allows_past_owners_beside_the_current_one(programme):
    # given a prospect assigned to kam, then transferred to other_kam
    services.account_assign_owner(
        account=programme.prospect, user=programme.kam, actor=programme.director
    )
    services.account_transfer_owner(
        account=programme.prospect,
        to_user=programme.other_kam,
        actor=programme.director,
        reason="Territory change",
    )
    # then one ended and one current ownership exist
    rows = list(
        Ownership.objects.filter(account=programme.prospect)
        .order_by("started_at", "id")
        .values_list("user__username", "ended_at")
    )
    assert [r[0] for r in rows] == ["kam1", "kam2"]
    assert rows[0][1] is not None and rows[1][1] is None


def test_transfer_needs_a_reason(programme):
    with pytest.raises(ValidationFailed) as refused:
        services.account_transfer_owner(
            account=programme.account,
            to_user=programme.other_kam,
            actor=programme.director,
            reason="  ",
        )
    assert refused.value.field == "reason"
    assert (
        Ownership.objects.get(account=programme.account, ended_at__isnull=True).user
        == programme.kam
    )


def test_transfer_over_the_cap_is_refused_then_allowed_with_a_director_override(programme):
    # given other_kam owns one pilot already (cap 1)
    # when the key account is transferred to them without an override
    with pytest.raises(CapExceeded) as refused:
        services.account_transfer_owner(
            account=programme.account,
            to_user=programme.other_kam,
            actor=programme.director,
            reason="Reorganisation",
        )
    assert "cap is 1" in refused.value.message
    # when the director overrides with a reason
    ownership = services.account_transfer_owner(
        account=programme.account,
        to_user=programme.other_kam,
        actor=programme.director,
        reason="Reorganisation",
        cap_override_reason="Only German speaker for the DACH region",
    )
    # then the override is kept on the ownership, with who allowed it, and in history
    assert ownership.cap_override_reason == "Only German speaker for the DACH region"
    assert ownership.cap_overridden_by == programme.director
    event = Event.objects.filter(
        object_type="accounts.ownership", object_id=str(ownership.pk)
    ).get()
    assert event.changes["cap_override_reason"] == [None, "Only German speaker for the DACH region"]
    assert event.actor == programme.director


def test_only_a_director_may_override_the_cap(programme):
    with pytest.raises(CapExceeded) as refused:
        services.account_transfer_owner(
            account=programme.account,
            to_user=programme.other_kam,
            actor=programme.kam,
            reason="handover",
            cap_override_reason="please",
        )
    assert "Only a programme director" in refused.value.message


def test_raising_the_cap_lets_a_kam_own_more(programme):
    programme_settings_update(actor=programme.director, key_accounts_per_kam_cap=2)
    ownership = services.account_transfer_owner(
        account=programme.account,
        to_user=programme.other_kam,
        actor=programme.director,
        reason="handover",
    )
    assert ownership.cap_override_reason == ""


def test_owner_must_hold_a_position_that_may_own_accounts(programme):
    with pytest.raises(ValidationFailed) as refused:
        services.account_assign_owner(
            account=programme.prospect, user=programme.member, actor=programme.director
        )
    assert "cannot own accounts" in refused.value.message
    assert not Ownership.objects.filter(account=programme.prospect).exists()


def test_release_is_refused_for_a_key_account(programme):
    with pytest.raises(Conflict):
        services.account_release_owner(
            account=programme.account, actor=programme.director, reason="no"
        )
    assert Ownership.objects.filter(account=programme.account, ended_at__isnull=True).exists()


def test_new_owner_joins_the_team(programme):
    services.account_assign_owner(
        account=programme.prospect, user=programme.other_kam, actor=programme.director
    )
    member = TeamMember.objects.get(account=programme.prospect, user=programme.other_kam)
    assert member.position.slug == "key-account-manager"


# --- programme status ---


def test_key_account_needs_an_owner(programme):
    account = _candidate(programme.director)
    with pytest.raises(ValidationFailed) as refused:
        services.account_change_status(
            account=account, actor=programme.director, to_status="key_account", reason="Selected"
        )
    assert refused.value.field == "owner"
    account.refresh_from_db()
    assert account.programme_status == ProgrammeStatus.CANDIDATE


def test_status_change_records_date_actor_and_reason(programme):
    account = _candidate(programme.director)
    kam = KamFactory.create(username="kam9")
    services.account_change_status(
        account=account,
        actor=programme.director,
        to_status="pilot",
        reason="Strong willingness to partner",
        owner=kam,
    )
    change = ProgrammeStatusChange.objects.filter(account=account).first()
    assert change is not None
    assert (change.from_status, change.to_status) == ("candidate", "pilot")
    assert change.actor == programme.director
    assert change.reason == "Strong willingness to partner"
    event = Event.objects.filter(
        account_id=account.pk, object_type="accounts.account", action="updated"
    ).latest("id")
    assert event.changes["programme_status"] == ["Candidate", "Pilot"]
    assert event.reason == "Strong willingness to partner"


def test_status_change_needs_a_reason(programme):
    with pytest.raises(ValidationFailed):
        services.account_change_status(
            account=programme.prospect, actor=programme.director, to_status="candidate", reason=""
        )


def test_a_prospect_cannot_jump_to_key_account(programme):
    with pytest.raises(ValidationFailed) as refused:
        services.account_change_status(
            account=programme.prospect,
            actor=programme.director,
            to_status="key_account",
            reason="x",
            owner=programme.kam,
        )
    assert "cannot become a key account directly" in refused.value.message
    assert not Ownership.objects.filter(account=programme.prospect).exists()


def test_promoting_an_owned_candidate_over_the_cap_is_refused(programme):
    account = _candidate(programme.director)
    services.account_assign_owner(account=account, user=programme.kam, actor=programme.director)
    with pytest.raises(CapExceeded):
        services.account_change_status(
            account=account, actor=programme.director, to_status="pilot", reason="x"
        )
    account.refresh_from_db()
    assert account.programme_status == "candidate"


def test_new_account_cannot_start_as_key_account(programme):
    with pytest.raises(ValidationFailed):
        services.account_create(actor=programme.director, name="X", programme_status="key_account")
    assert not Account.objects.filter(name="X").exists()


# --- hierarchy and locking ---


def test_parent_cycle_is_refused(programme):
    parent = services.account_create(actor=programme.director, name="Group")
    child = services.account_create(actor=programme.director, name="Sub", parent=parent)
    grandchild = services.account_create(actor=programme.director, name="Subsub", parent=child)
    with pytest.raises(ValidationFailed) as refused:
        services.account_update(
            account=parent, actor=programme.director, data={"parent": grandchild}
        )
    assert refused.value.field == "parent"
    parent.refresh_from_db()
    assert parent.parent_id is None


def test_moving_a_subtree_reroots_all_of_it(programme):
    group_a = services.account_create(actor=programme.director, name="Group A")
    group_b = services.account_create(actor=programme.director, name="Group B")
    child = services.account_create(actor=programme.director, name="Sub", parent=group_a)
    grandchild = services.account_create(actor=programme.director, name="Subsub", parent=child)
    services.account_update(account=child, actor=programme.director, data={"parent": group_b})
    assert set(
        Account.objects.filter(pk__in=[child.pk, grandchild.pk]).values_list("root_id", flat=True)
    ) == {group_b.pk}


def test_stale_edit_is_refused_and_loses_nothing(programme):
    account = programme.account
    version = account.version
    services.account_update(
        account=account,
        actor=programme.kam,
        data={"strategy": "First writer"},
        expected_version=version,
    )
    with pytest.raises(StaleEdit):
        services.account_update(
            account=account,
            actor=programme.director,
            data={"strategy": "Second writer"},
            expected_version=version,
        )
    account.refresh_from_db()
    assert account.strategy == "First writer"
    assert account.version == version + 1


def test_invalid_website_is_refused(programme):
    with pytest.raises(ValidationFailed) as refused:
        services.account_update(
            account=programme.account, actor=programme.kam, data={"website": "not a url"}
        )
    assert refused.value.field == "website"


def test_external_id_is_unique_per_source(programme):
    with pytest.raises(Conflict) as refused:
        services.external_id_add(
            account=programme.prospect, actor=programme.director, source="CRM", value="ACME-1"
        )
    assert "already belongs to Acme Industries" in refused.value.message
    same_value_other_source = services.external_id_add(
        account=programme.prospect, actor=programme.director, source="erp", value="ACME-1"
    )
    assert same_value_other_source.source == "erp"


# --- team and RACI ---


def test_member_cannot_join_twice(programme):
    with pytest.raises(Conflict):
        services.team_member_add(
            account=programme.account, user=programme.member, actor=programme.kam
        )
    assert TeamMember.objects.filter(account=programme.account, user=programme.member).count() == 1


@pytest.mark.parametrize("allocation", [-1, 101, "lots"])
def test_allocation_out_of_range_is_refused(programme, allocation):
    user = UserFactory.create(username="sc1", position=position("supply-chain"))
    with pytest.raises(ValidationFailed):
        services.team_member_add(
            account=programme.account, user=user, actor=programme.kam, allocation_pct=allocation
        )
    assert not TeamMember.objects.filter(user=user).exists()


def test_one_accountable_per_area(programme):
    owner_member = TeamMember.objects.get(account=programme.account, user=programme.kam)
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    services.responsibilities_set(
        member=owner_member, actor=programme.kam, roles={"strategy": "A", "pricing": "R"}
    )
    with pytest.raises(Conflict) as refused:
        services.responsibilities_set(member=member, actor=programme.kam, roles={"strategy": "A"})
    assert "Kim Owner is already Accountable for strategy" in refused.value.message
    services.responsibilities_set(
        member=member, actor=programme.kam, roles={"strategy": "C", "pricing": "A"}
    )
    assert dict(Responsibility.objects.filter(member=member).values_list("area", "role")) == {
        "strategy": "C",
        "pricing": "A",
    }
    # and the database refuses a second Accountable written behind the services' back
    Responsibility.objects.create(
        account=programme.account, member=owner_member, area="service", role="A"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(
            account=programme.account, member=member, area="service", role="A"
        )


def test_the_owner_cannot_be_removed_from_the_team(programme):
    owner_member = TeamMember.objects.get(account=programme.account, user=programme.kam)
    with pytest.raises(Conflict):
        services.team_member_remove(member=owner_member, actor=programme.director)
    assert TeamMember.objects.filter(pk=owner_member.pk).exists()


def test_removing_a_member_is_recorded(programme):
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    services.team_member_remove(member=member, actor=programme.kam, reason="Moved to EMEA")
    event = Event.objects.filter(object_type="accounts.teammember", action="deleted").get()
    assert event.account_id == programme.account.pk
    assert event.reason == "Moved to EMEA"
    assert event.actor == programme.kam


# --- the owner sort key the account list sorts by ---


def _owner_sort(account):
    return Account.objects.values_list("owner_sort", flat=True).get(pk=account.pk)


def test_owner_sort_follows_assignment_transfer_rename_and_release(programme):
    # given a candidate with no owner
    account = _candidate(programme.director)
    assert _owner_sort(account) == ""
    # when a KAM is assigned, then the key is their "last first" name
    services.account_assign_owner(
        account=account, user=programme.other_kam, actor=programme.director
    )
    assert _owner_sort(account) == "Other Kai"
    # when it is transferred, then it follows the new owner
    services.account_transfer_owner(
        account=account, to_user=programme.kam, actor=programme.director, reason="rebalance"
    )
    assert _owner_sort(account) == "Owner Kim"
    # when the owner changes their name, then every account they own follows
    user_update(actor=programme.director, user=programme.kam, last_name="Zeller")
    assert _owner_sort(account) == "Zeller Kim"
    assert _owner_sort(programme.account) == "Zeller Kim"
    # when the owner is removed, then the account sorts as unowned again
    services.account_release_owner(account=account, actor=programme.director, reason="no longer")
    assert _owner_sort(account) == ""


def test_owner_sort_is_set_when_a_status_change_brings_an_owner(programme):
    account = _candidate(programme.director)
    services.account_change_status(
        account=account,
        to_status="pilot",
        actor=programme.director,
        reason="pilot",
        owner=programme.other_kam,
        cap_override_reason="director allows a second",
    )
    assert _owner_sort(account) == "Other Kai"
