"""Demo account plans: one for every pilot and key account, written through the services so
that their history is recorded, then dated back into the programme's past.

Each plan gets three objectives (one lag, two lead) with initiatives and actions, some done,
some overdue; milestones, risks, two reviews and one to three approved versions, so that the
pages show objectives on and off track, overdue actions and overdue reviews, and versions to
compare. Reproducible: choices come from a generator seeded with the account's name.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Max, Q

from accountable.accounts.models import OWNED_STATUSES, Account
from accountable.history.models import Event
from accountable.people.models import User
from accountable.plans import services
from accountable.plans.models import AccountPlan, PlanStep, PlanVersion
from accountable.plans.selectors import account_people

SECTIONS = {
    "business_model": "Sells {industry} products through distributors and direct key accounts; "
    "margins under pressure from raw material costs.",
    "strategic_priorities": "Grow in adjacent markets, cut working capital, and reach their "
    "2030 sustainability targets.",
    "industry_trends": "Consolidation among suppliers; regulation on emissions; digital "
    "ordering replacing phone and e-mail.",
    "swot_strengths": "Technical service on site; delivery reliability above 98%.",
    "swot_weaknesses": "Only one relationship above purchasing; slow quotes.",
    "swot_opportunities": "Their new plant opens next year; they want a partner for recycling.",
    "swot_threats": "A low-cost competitor courting their procurement team.",
    "organisation": "Central procurement decides frame contracts; plants choose within them. "
    "The COO signs off anything above one million.",
    "competitors": "Two global suppliers and a regional one, about 60% of their spend.",
    "value_proposition": "Fewer line stops and lower total cost through joint planning.",
}
OBJECTIVES = (
    ("Grow share of wallet", "Share of wallet", "%", "lag", Decimal("18"), Decimal("30")),
    (
        "Executive access",
        "Meetings with their board",
        "meetings",
        "lead",
        Decimal("0"),
        Decimal("4"),
    ),
    ("Insights delivered", "Insights presented", "insights", "lead", Decimal("1"), Decimal("8")),
)
INITIATIVES = (
    ("Joint business review", ("Prepare the review deck", "Hold the review", "Agree next steps")),
    ("Plant trial", ("Ship samples", "Run the trial", "Report the results")),
)
MILESTONES = ("Frame contract renewed", "Trial results presented")
RISKS = (
    ("Budget freeze at the customer", "high", "medium"),
    ("Our sponsor leaves", "medium", "low"),
)
Progress = Callable[[str, int, int], None]


def plans_demo_load(*, now: dt.datetime, director: User, progress: Progress) -> int:
    """A plan for every pilot and key account; returns how many were written."""
    accounts = list(
        Account.objects.filter(programme_status__in=OWNED_STATUSES)
        .exclude(Q(plan__isnull=False))
        .order_by("name", "id")
    )
    today = now.date()
    for n, account in enumerate(accounts, 1):
        _plan_for(account, today=today, director=director)
        progress("account plans", n, len(accounts))
    return len(accounts)


def _plan_for(account: Account, *, today: dt.date, director: User) -> AccountPlan:
    rng = random.Random(account.name)
    people = account_people(account=account)
    owner = next(
        (p for p in people if account.ownerships.filter(user=p, ended_at__isnull=True).exists()),
        director,
    )
    start = today - dt.timedelta(days=rng.randint(150, 300))
    approvals = [start + dt.timedelta(days=20 + 40 * k) for k in range(3)]
    marks = [(_last_event_id(), start)]
    plan = services.plan_create(
        account=account,
        actor=owner,
        period_start=start,
        period_end=start + dt.timedelta(days=364),
        **{
            k: v.format(industry=(account.industry or "industrial").lower())
            for k, v in SECTIONS.items()
            if k != "competitors"
        },
    )
    for title, metric, unit, indicator, baseline, target in OBJECTIVES:
        due = start + dt.timedelta(days=rng.choice((240, 300, 364)))
        objective = services.objective_create(
            plan=plan,
            actor=owner,
            title=title,
            metric=metric,
            unit=unit,
            baseline=baseline,
            target=target,
            due_on=due,
            indicator=indicator,
            # Set when the plan started: progress is judged against the time gone since.
            created_on=start,
        )
        for initiative_title, action_titles in INITIATIVES:
            initiative = services.initiative_create(
                objective=objective, actor=owner, title=initiative_title, owner=owner
            )
            for k, action_title in enumerate(action_titles):
                due_on = start + dt.timedelta(days=60 * (k + 1) + rng.randint(0, 40))
                action = services.action_create(
                    initiative=initiative,
                    actor=owner,
                    title=action_title,
                    owner=rng.choice(people) if people else owner,
                    due_on=due_on,
                )
                # Most past actions are done; some are left open: overdue.
                if due_on < today and rng.random() < 0.7:
                    services.action_update(
                        action=action,
                        actor=action.owner,
                        data={"status": "done"},
                        completed_on=due_on,
                    )
        # Measured progress: some objectives ahead of time, some well behind.
        share = Decimal(str(rng.choice((0.1, 0.3, 0.5, 0.8))))
        services.objective_update(
            objective=objective,
            actor=owner,
            data={"current": (baseline + (target - baseline) * share).quantize(Decimal("0.01"))},
            expected_version=None,
        )
    for k, title in enumerate(MILESTONES):
        milestone = services.milestone_create(
            plan=plan, actor=owner, title=title, due_on=start + dt.timedelta(days=120 * (k + 1))
        )
        if milestone.due_on < today and k == 0:
            services.milestone_reach(milestone=milestone, actor=owner, reached_on=milestone.due_on)
    for title, severity, likelihood in RISKS:
        services.risk_create(
            plan=plan,
            actor=owner,
            title=title,
            severity=severity,
            likelihood=likelihood,
            owner=owner,
            mitigation="Watch at every review; escalate to our sponsor.",
        )
    marks.append((_last_event_id(), approvals[0]))
    _approve(plan, owner, director, "First plan agreed with the team.")
    versions = rng.choice((1, 2, 3))
    competitors = [
        "Two global suppliers and a regional one, about 60% of their spend.",
        "Two global suppliers; the regional one went out of business.",
    ]
    for number in range(1, versions):
        marks.append((_last_event_id(), approvals[number]))
        services.plan_update(
            plan=plan,
            actor=owner,
            data={"competitors": competitors[(number - 1) % 2]},
            expected_version=None,
            reason="Quarterly review",
        )
        _approve(plan, owner, director, f"Review {number}: updated the competition.")
    # Two reviews; for about a third of the plans the next one is already overdue.
    first = start + dt.timedelta(days=60)
    marks.append((_last_event_id(), first))
    services.review_record(
        plan=plan,
        actor=owner,
        held_on=first,
        attendees=f"{owner}, the account team",
        changes="Objectives set with their procurement lead.",
        decisions="Start the plant trial.",
    )
    overdue = rng.random() < 0.35
    second = min(first + dt.timedelta(days=91), today - dt.timedelta(days=30))
    marks.append((_last_event_id(), second))
    services.review_record(
        plan=plan,
        actor=owner,
        held_on=second,
        attendees=f"{owner}, their COO",
        changes="Budget freeze announced at the customer.",
        decisions="Move the trial one quarter.",
        next_review_on=today - dt.timedelta(days=10) if overdue else None,
    )
    _date_events(marks)
    for version, day in zip(plan.versions.order_by("number"), approvals, strict=False):
        when = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
        PlanVersion.objects.filter(pk=version.pk).update(approved_at=when)
        PlanStep.objects.filter(plan=plan, comment=version.comment).update(at=when)
    return plan


def _last_event_id() -> int:
    return Event.objects.aggregate(n=Max("id"))["n"] or 0


def _date_events(marks: list[tuple[int, dt.date]]) -> None:
    """Date the history events written after each mark (an event id) and up to the next to
    that mark's day (09:00 UTC): the demo's story happened over the past months, not at the
    moment it was loaded."""
    ends = [m[0] for m in marks[1:]] + [_last_event_id()]
    for (start_id, day), end_id in zip(marks, ends, strict=True):
        moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
        Event.objects.filter(id__gt=start_id, id__lte=end_id).update(at=moment)


def _approve(plan: AccountPlan, owner: User, director: User, comment: str) -> None:
    services.plan_submit(plan=plan, actor=owner)
    services.plan_approve(plan=plan, actor=director, comment=comment)
