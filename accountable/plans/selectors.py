"""Reads of account plans: who may see and change what, the plan page, the version compare.

Access follows the account's: its readers (owner, team, directors, executives) read the plan;
its owner and directors change it; a team member changes the status of actions they own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accountable.accounts.models import Account, Ownership, TeamMember
from accountable.accounts.selectors import Access, account_get_for_user, account_visible_queryset
from accountable.people.models import User
from accountable.plans.models import (
    SECTIONS,
    AccountPlan,
    Initiative,
    Objective,
    PlanAction,
    PlanSettings,
    PlanStatus,
    PlanVersion,
)
from accountable.plans.progress import (
    ActionIn,
    Completeness,
    ObjectiveIn,
    ObjectiveProgress,
    action_is_overdue,
    objective_progress,
    plan_completeness,
)


def plan_visible_queryset(*, user: Any) -> QuerySet[AccountPlan]:
    """The plans of the accounts `user` may see."""
    return AccountPlan.objects.filter(account__in=account_visible_queryset(user=user))


def plan_for_account(
    *, user: Any, account_id: int, write: bool = False
) -> tuple[Account, AccountPlan | None]:
    """The account (checked like every account page: 404 outsiders, 403 read-only callers when
    `write`) and its plan, if it has one."""
    account = account_get_for_user(user=user, id=account_id, write=write)
    plan = AccountPlan.objects.filter(account=account).first()
    return account, plan


def plan_get_for_user(*, user: Any, id: int, write: bool = False) -> AccountPlan:
    """A plan by its own id, checked through its account; 404 for a plan that does not exist."""
    plan = AccountPlan.objects.filter(pk=id).first()
    if plan is None:
        raise Http404("No such plan.")
    try:
        account = account_get_for_user(user=user, id=plan.account_id, write=write)
    except Http404 as exc:
        raise Http404("No such plan.") from exc
    plan.access = account.access  # type: ignore[attr-defined]
    return plan


def plan_row_get_for_user(
    *, user: Any, queryset: QuerySet[Any], id: Any, label: str, write: bool = False
) -> Any:
    """A row under a plan (objective, initiative, milestone, …), checked through its account."""
    try:
        row = queryset.filter(pk=id).first()
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise Http404(f"No such {label}.")
    try:
        account = account_get_for_user(user=user, id=row.account_id, write=write)
    except Http404 as exc:
        raise Http404(f"No such {label}.") from exc
    row.access = account.access  # type: ignore[attr-defined]
    return row


def action_get_for_status_change(*, user: Any, id: Any) -> PlanAction:
    """An action whose status `user` may change: the account's owner and directors may, and so
    may the action's own owner; other readers get 403, outsiders 404."""
    action = plan_row_get_for_user(
        user=user, queryset=PlanAction.objects.select_related("initiative"), id=id, label="action"
    )
    if action.access < Access.WRITE and action.owner_id != user.pk:
        raise PermissionDenied("Only the action's owner, the account's owner or a director can.")
    return action  # type: ignore[no-any-return]


def account_people(*, account: Account) -> list[User]:
    """The account's people who may own its initiatives, actions and risks: its owner and
    its team, by name."""
    owner = Ownership.objects.filter(account=account, ended_at__isnull=True).values("user_id")
    team = TeamMember.objects.filter(account=account).values("user_id")
    return list(
        User.objects.filter(Q(pk__in=owner) | Q(pk__in=team)).order_by(
            "last_name", "first_name", "username"
        )
    )


def account_team_summary(*, account: Account) -> list[tuple[str, str]]:
    """Our side of the relationship for an export: (name, role), the owner first."""
    rows: list[tuple[str, str]] = []
    owner = (
        Ownership.objects.select_related("user")
        .filter(account=account, ended_at__isnull=True)
        .first()
    )
    if owner is not None:
        rows.append((str(owner.user), "Key account manager"))
    for member in TeamMember.objects.filter(account=account).select_related("user", "position"):
        if owner is None or member.user_id != owner.user_id:
            rows.append((str(member.user), str(member.position)))
    return rows


def plan_settings_current() -> PlanSettings:
    """The plan template; its defaults when the row is missing (a read never writes)."""
    return PlanSettings.objects.filter(pk=1).first() or PlanSettings(pk=1)


def plan_sections(settings: PlanSettings | None = None) -> list[tuple[str, str, str]]:
    """(field, heading, guiding question) of each section, in the director's words where
    they gave some."""
    questions = (settings or plan_settings_current()).questions or {}
    return [(name, heading, questions.get(name) or q) for name, heading, q in SECTIONS]


# --- The plan page ------------------------------------------------------------------------------


@dataclass
class ObjectiveRow:
    objective: Objective
    progress: ObjectiveProgress
    initiatives: list[tuple[Initiative, float | None, list[PlanAction]]]


@dataclass
class PlanPage:
    plan: AccountPlan
    objectives: list[ObjectiveRow]
    sections: list[tuple[str, str, str, str]]  # (field, heading, question, text)
    completeness: Completeness
    overdue_actions: list[PlanAction]
    milestones: list[Any]
    risks: list[Any]
    reviews: list[Any]
    steps: list[Any]
    versions: list[PlanVersion]
    review_overdue: bool
    actions_done: int
    actions_total: int

    @property
    def progress_percent(self) -> int:
        """The plan's progress: the mean of its objectives'."""
        if not self.objectives:
            return 0
        return round(100 * sum(r.progress.progress for r in self.objectives) / len(self.objectives))


def plan_page(*, plan: AccountPlan, today: dt.date | None = None) -> PlanPage:
    """Everything the plan tab shows, in a fixed number of queries whatever the plan's size."""
    today = today or timezone.localdate()
    # Owners are a handful of people: loaded once and attached to the rows, not joined
    # into each of 400 actions (a User object per row).
    actions = PlanAction.objects.only(
        "id", "initiative_id", "account_id", "title", "owner_id", "due_on", "status"
    ).order_by("due_on", "id")
    initiatives = (
        Initiative.objects.only(
            "id", "objective_id", "account_id", "title", "description", "owner_id"
        )
        .order_by("id")
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="action_list"))
    )
    # Plain lists (to_attr): `.all()` on a prefetched relation clones a queryset each time,
    # which for 40 objectives and 80 initiatives cost more than the queries.
    objectives: list[Any] = list(
        plan.objectives.prefetch_related(
            Prefetch("initiatives", queryset=initiatives, to_attr="initiative_list")
        )
    )
    owner_ids = {
        row.owner_id
        for objective in objectives
        for initiative in objective.initiative_list
        for row in (initiative, *initiative.action_list)
        if row.owner_id is not None
    }
    people = {
        person.pk: person
        for person in User.objects.filter(pk__in=owner_ids).only(
            "id", "username", "first_name", "last_name"
        )
    }
    rows: list[ObjectiveRow] = []
    overdue: list[PlanAction] = []
    done = total = 0
    for objective in objectives:
        initiatives = objective.initiative_list
        groups = [i.action_list for i in initiatives]
        for initiative, group in zip(initiatives, groups, strict=True):
            if initiative.owner_id is not None:
                initiative.owner = people[initiative.owner_id]
            for action in group:
                action.owner = people[action.owner_id]
        progress = objective_progress(
            ObjectiveIn(
                baseline=objective.baseline,
                target=objective.target,
                current=objective.current,
                created_on=objective.created_on,
                due_on=objective.due_on,
                initiatives=[[ActionIn(a.status, a.due_on) for a in g] for g in groups],
            ),
            today,
        )
        for group in groups:
            for action in group:
                action.overdue = action_is_overdue(  # type: ignore[attr-defined]
                    ActionIn(action.status, action.due_on), today
                )
                if action.overdue:  # type: ignore[attr-defined]
                    overdue.append(action)
        done += progress.actions_done
        total += progress.actions_total
        rows.append(
            ObjectiveRow(
                objective=objective,
                progress=progress,
                initiatives=[
                    (i, p, g)
                    for i, p, g in zip(initiatives, progress.initiatives, groups, strict=True)
                ],
            )
        )
    milestones = list(plan.milestones.all())
    risks = list(plan.risks.select_related("owner"))
    sections = [(name, heading, q, getattr(plan, name)) for name, heading, q in plan_sections()]
    completeness = plan_completeness(
        {name: text for name, _, _, text in sections},
        {name: heading for name, heading, _, _ in sections},
        objectives=len(objectives),
        actions=total,
        milestones=len(milestones),
        risks=len(risks),
    )
    overdue.sort(key=lambda a: (a.due_on, a.pk))
    return PlanPage(
        plan=plan,
        objectives=rows,
        sections=sections,
        completeness=completeness,
        overdue_actions=overdue,
        milestones=milestones,
        risks=risks,
        reviews=list(plan.reviews.select_related("recorded_by")[:10]),
        steps=list(plan.steps.select_related("actor")[:10]),
        versions=list(plan.versions.select_related("approved_by").defer("snapshot")),
        review_overdue=plan.next_review_on < today,
        actions_done=done,
        actions_total=total,
    )


def plans_review_overdue_for_user(*, user: Any, today: dt.date | None = None) -> list[AccountPlan]:
    """Plans whose review is overdue that `user` should chase: every one for a director, the
    plans of the accounts they own for anyone else."""
    today = today or timezone.localdate()
    qs = AccountPlan.objects.filter(next_review_on__lt=today).select_related("account")
    if not getattr(user, "is_director", False):
        qs = qs.filter(account__ownerships__user=user, account__ownerships__ended_at__isnull=True)
    return list(qs.order_by("next_review_on", "id")[:50])


def plan_version_pair(
    *, plan: AccountPlan, left: Any, right: Any
) -> tuple[PlanVersion, PlanVersion]:
    """Two approved versions of the plan by number; 404 for a number it does not have."""
    try:
        numbers = [int(left), int(right)]
    except (TypeError, ValueError) as exc:
        raise Http404("No such version.") from exc
    found = {v.number: v for v in plan.versions.filter(number__in=numbers)}
    if any(n not in found for n in numbers):
        raise Http404("No such version.")
    return found[numbers[0]], found[numbers[1]]


__all__ = ["PlanStatus"]
