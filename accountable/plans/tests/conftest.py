"""A plan on the root conftest's `programme` account: one objective, initiative and action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accountable.plans import services
from accountable.plans.models import AccountPlan, Initiative, Objective, PlanAction
from conftest import Programme


@dataclass
class PlanWorld:
    plan: AccountPlan
    objective: Objective
    initiative: Initiative
    action: PlanAction  # owned by the team member, due in two weeks


def make_plan(p: Programme) -> PlanWorld:
    today = timezone.localdate()
    plan = services.plan_create(
        account=p.account, actor=p.kam, business_model="Makes resins for coatings."
    )
    objective = services.objective_create(
        plan=plan,
        actor=p.kam,
        title="Grow share of wallet",
        metric="Share of wallet",
        unit="%",
        baseline="12",
        target="20",
        due_on=today + dt.timedelta(days=180),
        indicator="lag",
    )
    initiative = services.initiative_create(
        objective=objective, actor=p.kam, title="Coatings line trial", owner=p.kam
    )
    action = services.action_create(
        initiative=initiative,
        actor=p.kam,
        title="Send samples",
        owner=p.member,
        due_on=today + dt.timedelta(days=14),
    )
    plan.refresh_from_db()
    return PlanWorld(plan=plan, objective=objective, initiative=initiative, action=action)


@pytest.fixture
def plan_world(programme: Programme) -> PlanWorld:
    return make_plan(programme)
