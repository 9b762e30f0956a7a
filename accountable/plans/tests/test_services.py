import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accountable.core.errors import Conflict, Forbidden, StaleEdit, ValidationFailed
from accountable.history.models import Event
from accountable.plans import services
from accountable.plans.models import AccountPlan, PlanStatus, PlanVersion
from accountable.plans.tests.conftest import PlanWorld

pytestmark = pytest.mark.django_db


def test_a_plan_is_for_pilot_and_key_accounts_only(programme) -> None:
    with pytest.raises(ValidationFailed, match="not a pilot or key account"):
        services.plan_create(account=programme.prospect, actor=programme.director)
    assert not AccountPlan.objects.exists()


def test_a_second_plan_for_an_account_is_refused(programme, plan_world: PlanWorld) -> None:
    with pytest.raises(Conflict, match="already has a plan"):
        services.plan_create(account=programme.account, actor=programme.director)
    assert AccountPlan.objects.count() == 1


def test_a_new_plan_runs_a_year_with_the_quarterly_review_due(programme) -> None:
    today = timezone.localdate()
    plan = services.plan_create(account=programme.account, actor=programme.kam)
    assert plan.title == "Acme Industries account plan"
    assert plan.period_start == today
    assert (plan.period_end - plan.period_start).days in (364, 365)
    assert plan.next_review_on == today + dt.timedelta(days=91)
    assert plan.status == PlanStatus.DRAFT


def test_a_stale_plan_save_is_refused_and_changes_nothing(programme, plan_world) -> None:
    # given: two people opened version 1; the first saves
    plan = plan_world.plan
    services.plan_update(
        plan=plan, actor=programme.kam, data={"competitors": "Dow"}, expected_version=plan.version
    )
    events = Event.objects.count()

    # when: the second saves on the version they opened
    with pytest.raises(StaleEdit, match="changed by someone else"):
        services.plan_update(
            plan=plan,
            actor=programme.director,
            data={"competitors": "BASF"},
            expected_version=plan.version,
        )

    # then
    assert AccountPlan.objects.get().competitors == "Dow"
    assert Event.objects.count() == events


def test_every_plan_change_is_in_history_with_before_and_after(programme, plan_world) -> None:
    services.plan_update(
        plan=plan_world.plan,
        actor=programme.kam,
        data={"value_proposition": "Fewer line stops"},
        expected_version=plan_world.plan.version,
        reason="Workshop",
    )
    event = Event.objects.filter(object_type="plans.accountplan").order_by("-id").first()
    assert event is not None
    assert event.account_id == programme.account.pk
    assert event.actor == programme.kam
    assert event.changes == {"value_proposition": [None, "Fewer line stops"]}
    assert event.reason == "Workshop"


def test_objective_needs_a_target_other_than_its_baseline(programme, plan_world) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.objective_create(
            plan=plan_world.plan,
            actor=programme.kam,
            title="Flat",
            metric="Revenue",
            baseline="10",
            target="10.00",
            due_on=timezone.localdate(),
        )
    assert info.value.field == "target"


def test_an_action_owner_must_be_on_the_account_team(programme, plan_world) -> None:
    with pytest.raises(ValidationFailed, match="not on this account's team"):
        services.action_create(
            initiative=plan_world.initiative,
            actor=programme.kam,
            title="Call",
            owner=programme.outsider,
            due_on=timezone.localdate(),
        )


def test_completing_an_action_dates_it_and_reopening_clears_the_date(programme, plan_world):
    action = services.action_update(
        action=plan_world.action, actor=programme.member, data={"status": "done"}
    )
    assert action.completed_on == timezone.localdate()
    action = services.action_update(action=action, actor=programme.member, data={"status": "open"})
    assert action.completed_on is None


def test_workflow_approval_freezes_numbered_versions(programme, plan_world) -> None:
    # given
    plan = plan_world.plan
    plan = services.plan_submit(plan=plan, actor=programme.kam)

    # when
    first = services.plan_approve(plan=plan, actor=programme.director, comment="Good")
    services.plan_update(
        plan=plan,
        actor=programme.kam,
        data={"competitors": "Dow"},
        expected_version=AccountPlan.objects.get().version,
    )
    plan = services.plan_submit(plan=plan, actor=programme.kam)
    second = services.plan_approve(plan=plan, actor=programme.director)

    # then
    assert (first.number, second.number) == (1, 2)
    assert first.snapshot["sections"]["competitors"] == ""
    assert second.snapshot["sections"]["competitors"] == "Dow"
    assert first.snapshot["objectives"][0]["initiatives"][0]["actions"][0]["title"] == (
        "Send samples"
    )
    assert AccountPlan.objects.get().status == PlanStatus.APPROVED


def test_only_a_director_approves_and_a_refusal_changes_nothing(programme, plan_world) -> None:
    plan = services.plan_submit(plan=plan_world.plan, actor=programme.kam)
    with pytest.raises(Forbidden):
        services.plan_approve(plan=plan, actor=programme.kam)
    assert AccountPlan.objects.get().status == PlanStatus.SUBMITTED
    assert not PlanVersion.objects.exists()


def test_a_draft_cannot_be_approved_before_it_is_submitted(programme, plan_world) -> None:
    with pytest.raises(Conflict, match="only a submitted"):
        services.plan_approve(plan=plan_world.plan, actor=programme.director)


def test_returning_a_plan_needs_a_comment_and_makes_it_a_draft(programme, plan_world) -> None:
    plan = services.plan_submit(plan=plan_world.plan, actor=programme.kam)
    with pytest.raises(ValidationFailed):
        services.plan_return(plan=plan, actor=programme.director, comment=" ")
    plan = services.plan_return(plan=plan, actor=programme.director, comment="Add risks")
    assert plan.status == PlanStatus.DRAFT
    assert plan.steps.order_by("-id")[0].comment == "Add risks"


def test_changing_an_approved_plans_objectives_makes_it_a_draft(programme, plan_world) -> None:
    plan = services.plan_submit(plan=plan_world.plan, actor=programme.kam)
    services.plan_approve(plan=plan, actor=programme.director)
    # measuring progress keeps it approved
    services.objective_update(
        objective=plan_world.objective,
        actor=programme.kam,
        data={"current": "14"},
        expected_version=1,
    )
    assert AccountPlan.objects.get().status == PlanStatus.APPROVED
    # re-planning does not
    services.objective_update(
        objective=plan_world.objective,
        actor=programme.kam,
        data={"target": "25"},
        expected_version=2,
    )
    assert AccountPlan.objects.get().status == PlanStatus.DRAFT
    assert plan_world.objective.__class__.objects.get().target == Decimal("25.00")


def test_a_stale_objective_save_is_refused(programme, plan_world) -> None:
    services.objective_update(
        objective=plan_world.objective,
        actor=programme.kam,
        data={"current": "13"},
        expected_version=1,
    )
    with pytest.raises(StaleEdit):
        services.objective_update(
            objective=plan_world.objective,
            actor=programme.director,
            data={"current": "15"},
            expected_version=1,
        )
    assert plan_world.objective.__class__.objects.get().current == Decimal("13.00")


def test_a_review_moves_the_next_review_date(programme, plan_world) -> None:
    today = timezone.localdate()
    review = services.review_record(
        plan=plan_world.plan,
        actor=programme.kam,
        held_on=today,
        attendees="Kim, the customer's COO",
        decisions="Start the trial",
    )
    plan = AccountPlan.objects.get()
    assert review.next_review_on == today + dt.timedelta(days=91)
    assert plan.next_review_on == review.next_review_on


def test_a_review_in_the_future_is_refused(programme, plan_world) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.review_record(
            plan=plan_world.plan,
            actor=programme.kam,
            held_on=timezone.localdate() + dt.timedelta(days=1),
            attendees="Kim",
        )
    assert info.value.field == "held_on"
