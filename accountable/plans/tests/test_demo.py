"""The demo's plans: every pilot and key account has one, with the story the pages need."""

import datetime as dt

import pytest
from django.db.models import Count

from accountable.accounts.models import OWNED_STATUSES, Account
from accountable.demo.generator import demo_plan
from accountable.demo.services import demo_load
from accountable.history.models import Event
from accountable.plans.models import AccountPlan, PlanAction, PlanVersion
from accountable.plans.selectors import plan_page

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.xdist_group("demo")


@pytest.mark.django_db
def test_the_demo_plans_every_pilot_and_key_account_with_versions_and_progress() -> None:
    # when
    demo_load(plan=demo_plan(accounts=60, seed=42, now=NOW))

    # then
    owned = Account.objects.filter(programme_status__in=OWNED_STATUSES)
    assert set(AccountPlan.objects.values_list("account_id", flat=True)) == set(
        owned.values_list("id", flat=True)
    )
    versions = AccountPlan.objects.annotate(n=Count("versions")).values_list("n", flat=True)
    assert min(versions) >= 1 and max(versions) >= 2
    today = NOW.date()
    assert PlanAction.objects.filter(status="open", due_on__lt=today).exists()
    assert AccountPlan.objects.filter(next_review_on__lt=today).exists()
    standings = {
        row.progress.standing
        for plan in AccountPlan.objects.all()
        for row in plan_page(plan=plan, today=today).objectives
    }
    assert {"on_track", "off_track"} <= standings
    # with history, dated in the programme's past
    plan_events = Event.objects.filter(object_type__startswith="plans.")
    assert plan_events.count() > 0
    assert plan_events.filter(at__gt=NOW).count() == 0
    first = PlanVersion.objects.order_by("approved_at").first()
    assert first is not None and first.approved_at < NOW
