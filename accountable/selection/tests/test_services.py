"""Running and applying a KAM assignment through the ownership rules."""

from __future__ import annotations

import pytest

from accountable.accounts import services as account_services
from accountable.accounts.models import Ownership
from accountable.core.errors import Conflict, Forbidden, ValidationFailed
from accountable.history.models import Event
from accountable.selection.assignment import Weights
from accountable.selection.models import RunStatus
from accountable.selection.services import (
    assignment_run_apply,
    assignment_run_create,
    assignment_run_discard,
)
from tests.factories import KamFactory

REGION_ONLY = Weights(industry=0, region=1, relationship=0, continuity=0)


def owner_of(account):
    return Ownership.objects.get(account=account, ended_at__isnull=True).user


@pytest.fixture
def crossed(programme):
    """Acme (EMEA) is owned by kam, Globex (APAC) by other_kam; but each KAM's experience is
    in the other's region: the best assignment swaps them, through a moment over the cap."""
    acme, globex = programme.account, programme.other_account
    account_services.account_update(account=acme, actor=programme.director, data={"region": "EMEA"})
    account_services.account_update(
        account=globex, actor=programme.director, data={"region": "APAC"}
    )
    for region, kam in (("APAC", programme.kam), ("EMEA", programme.other_kam)):
        for i in range(2):
            past = account_services.account_create(
                actor=programme.director, name=f"Past {region} {i}", region=region
            )
            account_services.account_assign_owner(account=past, user=kam, actor=programme.director)
    return programme


def test_a_run_proposes_the_best_owners_and_changes_nothing_yet(crossed):
    p = crossed

    run = assignment_run_create(actor=p.director, weights=REGION_ONLY)

    proposals = {pr.account_id: pr for pr in run.proposals.all()}
    assert proposals[p.account.pk].proposed_owner_id == p.other_kam.pk
    assert proposals[p.other_account.pk].proposed_owner_id == p.kam.pk
    assert proposals[p.account.pk].reasons == ["region experience"]
    assert run.objective == pytest.approx(4.0)  # two accounts of value 1 (median), fit 2 each
    assert run.current_objective == pytest.approx(2.0)
    assert run.status == RunStatus.PROPOSED
    assert owner_of(p.account) == p.kam  # nothing changed hands


def test_applying_a_swap_at_the_cap_hands_both_accounts_over_and_records_it(crossed):
    p = crossed
    run = assignment_run_create(actor=p.director, weights=REGION_ONLY)

    changed = assignment_run_apply(run=run, actor=p.director, reason="New territories")

    assert changed == 2
    assert owner_of(p.account) == p.other_kam
    assert owner_of(p.other_account) == p.kam
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED and run.decided_by == p.director
    # the step over the cap is recorded on the ownership that took it
    overrides = Ownership.objects.exclude(cap_override_reason="")
    assert [o.cap_override_reason for o in overrides] == [
        f"KAM assignment #{run.pk}: a swap between KAMs, within the cap once applied"
    ]
    transfer = Event.objects.filter(account_id=p.account.pk, object_type="accounts.ownership")
    assert transfer.filter(reason__contains="New territories").exists()
    # and once applied, every KAM is within the cap again
    for kam in (p.kam, p.other_kam):
        assert (
            Ownership.objects.filter(
                user=kam,
                ended_at__isnull=True,
                account__programme_status__in=["pilot", "key_account"],
            ).count()
            == 1
        )


def test_keeping_current_owners_changes_nothing_for_owned_accounts(crossed):
    run = assignment_run_create(
        actor=crossed.director, weights=REGION_ONLY, keep_current_owners=True
    )

    assert all(not p.changes_owner for p in run.proposals.all())


def test_a_run_is_applied_once(crossed):
    run = assignment_run_create(actor=crossed.director, weights=REGION_ONLY)
    assignment_run_apply(run=run, actor=crossed.director, reason="Go")

    with pytest.raises(Conflict, match="already applied"):
        assignment_run_apply(run=run, actor=crossed.director, reason="Again")


def test_a_run_made_stale_by_a_transfer_is_refused_and_changes_nothing(crossed):
    p = crossed
    run = assignment_run_create(actor=p.director, weights=REGION_ONLY)
    third = KamFactory.create(username="kam3")
    account_services.account_transfer_owner(
        account=p.account, to_user=third, actor=p.director, reason="Moved"
    )

    with pytest.raises(Conflict, match="owner of Acme Industries changed"):
        assignment_run_apply(run=run, actor=p.director, reason="Go")

    assert owner_of(p.other_account) == p.other_kam


def test_covering_more_accounts_than_the_cap_allows_is_refused_with_the_numbers(programme):
    globex2 = account_services.account_create(
        actor=programme.director, name="Globex 2", programme_status="candidate"
    )
    with pytest.raises(ValidationFailed, match="3 accounts but room for only 2"):
        assignment_run_create(
            actor=programme.director, statuses=["candidate", "pilot", "key_account"]
        )
    assert globex2.ownerships.count() == 0


def test_only_a_director_runs_applies_or_discards(crossed):
    p = crossed
    with pytest.raises(Forbidden):
        assignment_run_create(actor=p.kam)
    run = assignment_run_create(actor=p.director, weights=REGION_ONLY)
    with pytest.raises(Forbidden):
        assignment_run_apply(run=run, actor=p.executive, reason="x")
    with pytest.raises(Forbidden):
        assignment_run_discard(run=run, actor=p.kam)


def test_applying_needs_a_reason(crossed):
    run = assignment_run_create(actor=crossed.director, weights=REGION_ONLY)

    with pytest.raises(ValidationFailed, match="Say why"):
        assignment_run_apply(run=run, actor=crossed.director, reason="  ")


def test_keeping_owners_respects_a_cap_override_the_director_made(programme):
    third = account_services.account_create(
        actor=programme.director, name="Hooli", programme_status="candidate"
    )
    account_services.account_change_status(
        account=third,
        actor=programme.director,
        to_status="pilot",
        reason="Pilot",
        owner=programme.kam,
        cap_override_reason="Kim knows them well",
    )

    run = assignment_run_create(actor=programme.director, keep_current_owners=True, cover_all=False)

    assert {p.account_id: p.proposed_owner_id for p in run.proposals.all()}[third.pk] == (
        programme.kam.pk
    )
