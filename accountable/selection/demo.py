"""The demo programme's selection story: willingness-to-partner assessments by each key
account's team, the decision journal, and one KAM assignment proposal to review."""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from accountable.accounts.models import Account, Ownership, TeamMember
from accountable.core.errors import DomainError
from accountable.demo.services import ACTOR_LABEL
from accountable.history.models import Source
from accountable.history.services import audit_context
from accountable.people.models import User
from accountable.selection.models import PARTNERSHIP_QUESTIONS, PartnershipAssessment
from accountable.selection.services import (
    assignment_run_create,
    partnership_assessment_save,
    scores_compute,
    scoring_model_active,
    selection_decision_record,
)

SELECTED = [
    "Growth potential and a board that wants a partner, not a supplier",
    "Strategic fit: their plant modernisation needs our engineering",
    "Share of wallet low against their spend; willing to share forecasts",
]
DEFERRED = [
    "Willing, but reorganising their purchasing: look again after it",
    "Attractive, but no KAM has room under the cap this year",
]
DROPPED = [
    "Buys on price alone; would not dedicate a team",
    "Spend moved to a competitor after their merger",
]


def demo_selection(*, seed: int, now: dt.datetime, director_username: str = "director") -> None:
    with audit_context(source=Source.DEMO, actor_label=ACTOR_LABEL):
        _story(seed=seed, now=now, director=User.objects.get(username=director_username))


def _story(*, seed: int, now: dt.datetime, director: User) -> None:
    rng = random.Random(seed * 7919 + 6)
    accounts = list(
        Account.objects.filter(
            programme_status__in=["candidate", "pilot", "key_account", "exited"]
        ).order_by("pk")
    )
    owners = dict(
        Ownership.objects.filter(ended_at__isnull=True).values_list("account_id", "user_id")
    )
    team: dict[int, list[int]] = {}
    for account_id, user_id in TeamMember.objects.values_list("account_id", "user_id"):
        team.setdefault(account_id, []).append(user_id)
    users = User.objects.in_bulk()
    for account in accounts:
        if account.programme_status in ("pilot", "key_account"):
            # Each account has a "true" willingness; assessors see it with their own bias.
            truth = rng.uniform(2.0, 4.6)
            assessors = {director.pk, owners.get(account.pk), *team.get(account.pk, [])[:3]}
            for user_id in sorted(a for a in assessors if a is not None):
                answers = {
                    name: max(1, min(5, round(truth + rng.gauss(0, 0.9))))
                    for name, _ in PARTNERSHIP_QUESTIONS
                }
                partnership_assessment_save(
                    account=account, assessor=users[user_id], answers=answers
                )
            selection_decision_record(
                account=account, actor=director, decision="selected", reason=rng.choice(SELECTED)
            )
        elif account.programme_status == "candidate" and rng.random() < 0.4:
            selection_decision_record(
                account=account,
                actor=director,
                decision="deferred",
                reason=rng.choice(DEFERRED),
                # (from today: a demo planned for another date still gets future reviews)
                review_on=dt.date.today() + dt.timedelta(days=rng.randint(30, 180)),
            )
        elif account.programme_status == "exited":
            selection_decision_record(
                account=account, actor=director, decision="dropped", reason=rng.choice(DROPPED)
            )
    # Spread the assessments over the last year, as they happened (a date, not a change of
    # customer data: no history event for it).
    stamps = {
        a.pk: now - dt.timedelta(days=rng.randint(5, 360))
        for a in PartnershipAssessment.objects.only("pk")
    }
    for pk, at in stamps.items():
        PartnershipAssessment.objects.filter(pk=pk).update(assessed_at=at)
    # Scores by the default model, so that the portfolio matrix shows the programme.
    scores_compute(model=scoring_model_active(), as_of=now.date())
    # A proposal for the director to review: who would own the pilot and key accounts if the
    # owners were chosen afresh (none when the cap leaves no room).
    with contextlib.suppress(DomainError):
        assignment_run_create(actor=director, statuses=["pilot", "key_account"], cover_all=False)
