"""Writes for key account selection: run the KAM assignment optimiser, apply or discard a run."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountable.accounts.models import OWNED_STATUSES, Account, Ownership, TeamMember
from accountable.accounts.services import account_assign_owner, account_transfer_owner
from accountable.core.errors import Conflict, Forbidden, ValidationFailed
from accountable.history.services import audit_context
from accountable.people.models import User
from accountable.programme.selectors import programme_settings
from accountable.selection.assignment import (
    AssignmentInfeasible,
    Candidate,
    Kam,
    Weights,
    fit_of,
    solve,
)
from accountable.selection.models import (
    PARTNERSHIP_QUESTIONS,
    AssignmentProposal,
    AssignmentRun,
    Decision,
    PartnershipAssessment,
    RunStatus,
    SelectionDecision,
)

ASSIGNABLE_STATUSES = ("candidate", "pilot", "key_account")


def _require_director(actor: Any) -> None:
    if not getattr(actor, "is_director", False):
        raise Forbidden("Only a programme director can run or apply a KAM assignment.")


def account_values(accounts: list[Account]) -> dict[int, float]:
    """The expected value the optimiser weighs each account by: the customer's own annual
    revenue (its potential), in millions; an account without one counts at the median of the
    others, so that a missing figure neither hides nor favours it."""
    known = [float(a.annual_revenue) / 1e6 for a in accounts if a.annual_revenue is not None]
    median = statistics.median(known) if known else 1.0
    return {
        a.pk: float(a.annual_revenue) / 1e6 if a.annual_revenue is not None else median
        for a in accounts
    }


def _kams_with_experience(
    *, cap: int, candidate_ids: set[int]
) -> tuple[list[Kam], dict[int, User]]:
    """Every active person who may own accounts, with their room under the cap (the pilot and
    key accounts they own outside this run stay theirs) and the industries and regions of the
    accounts they own or have owned."""
    users = list(
        User.objects.filter(is_active=True, position__can_own_accounts=True).order_by("pk")
    )
    industries: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    regions: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for user_id, _account_id, industry, region in (
        Ownership.objects.filter(user__in=users)
        .values_list("user_id", "account_id", "account__industry", "account__region")
        .order_by()
        .distinct()
    ):
        if industry:
            industries[user_id][industry] += 1
        if region:
            regions[user_id][region] += 1
    kept: dict[int, int] = defaultdict(int)
    for user_id in (
        Ownership.objects.filter(
            user__in=users, ended_at__isnull=True, account__programme_status__in=OWNED_STATUSES
        )
        .exclude(account_id__in=candidate_ids)
        .values_list("user_id", flat=True)
    ):
        kept[user_id] += 1
    kams = [
        Kam(
            user_id=u.pk,
            capacity=max(cap - kept[u.pk], 0),
            industries=dict(industries[u.pk]),
            regions=dict(regions[u.pk]),
        )
        for u in users
    ]
    return kams, {u.pk: u for u in users}


@transaction.atomic
def assignment_run_create(
    *,
    actor: Any,
    statuses: Iterable[str] = ("pilot", "key_account"),
    keep_current_owners: bool = False,
    cover_all: bool = True,
    weights: Weights | None = None,
) -> AssignmentRun:
    """Solve the assignment of KAMs to the accounts of the given statuses and keep the result
    as a proposal. Nothing changes hands until a director applies it."""
    _require_director(actor)
    statuses = sorted(set(statuses))
    unknown = [s for s in statuses if s not in ASSIGNABLE_STATUSES]
    if not statuses or unknown:
        raise ValidationFailed(
            "Choose the accounts to assign: candidates, pilots and/or key accounts.",
            field="statuses",
        )
    weights = weights or Weights()
    if any(w < 0 or w > 5 for w in asdict(weights).values()):
        raise ValidationFailed("Each bonus must be between 0 and 5.", field="weights")
    cap = programme_settings().key_accounts_per_kam_cap
    accounts = list(
        Account.objects.filter(programme_status__in=statuses)
        .only("pk", "name", "industry", "region", "annual_revenue", "programme_status")
        .order_by("pk")
    )
    ids = {a.pk for a in accounts}
    owners = dict(
        Ownership.objects.filter(account_id__in=ids, ended_at__isnull=True).values_list(
            "account_id", "user_id"
        )
    )
    owned_by: dict[int, set[int]] = defaultdict(set)
    for account_id, user_id in Ownership.objects.filter(account_id__in=ids).values_list(
        "account_id", "user_id"
    ):
        owned_by[account_id].add(user_id)
    team: dict[int, set[int]] = defaultdict(set)
    for account_id, user_id in TeamMember.objects.filter(account_id__in=ids).values_list(
        "account_id", "user_id"
    ):
        team[account_id].add(user_id)
    kams, users = _kams_with_experience(cap=cap, candidate_ids=ids)
    values = account_values(accounts)
    candidates = [
        Candidate(
            account_id=a.pk,
            value=values[a.pk],
            industry=a.industry,
            region=a.region,
            current_owner_id=owners.get(a.pk),
            must_stay=keep_current_owners and owners.get(a.pk) in users,
            team_user_ids=frozenset(team[a.pk]),
            owner_ids=frozenset(owned_by[a.pk]),
        )
        for a in accounts
    ]
    # Accounts kept with their owners keep them even where a director let that owner over
    # the cap: such an owner's room is at least what they keep.
    kept_here: dict[int, int] = defaultdict(int)
    for c in candidates:
        if c.must_stay and c.current_owner_id is not None:
            kept_here[c.current_owner_id] += 1
    kams = [
        replace(k, capacity=max(k.capacity, kept_here[k.user_id])) if kept_here[k.user_id] else k
        for k in kams
    ]
    try:
        result = solve(candidates, kams, weights, cover_all=cover_all)
    except AssignmentInfeasible as exc:
        raise ValidationFailed(str(exc), field="statuses") from exc

    kam_by_id = {k.user_id: k for k in kams}
    current_objective = sum(
        c.value * fit_of(kam_by_id[c.current_owner_id], c, weights)[0]
        for c in candidates
        if c.current_owner_id in kam_by_id
    )
    with audit_context(actor=actor):
        run = AssignmentRun.objects.create(
            created_by=actor,
            statuses=statuses,
            keep_current_owners=keep_current_owners,
            cover_all=cover_all,
            weights=asdict(weights),
            cap=cap,
            objective=round(result.objective, 4),
            current_objective=round(current_objective, 4),
            solve_ms=round(result.solve_seconds * 1000, 1),
            method=result.method,
        )
    AssignmentProposal.objects.bulk_create(
        [
            AssignmentProposal(
                run=run,
                account_id=choice.account_id,
                previous_owner_id=owners.get(choice.account_id),
                proposed_owner_id=choice.user_id,
                value=round(choice.value, 4),
                fit=round(choice.fit, 4),
                reasons=list(choice.reasons),
            )
            for choice in result.choices
        ],
        batch_size=1000,
    )
    return run


@transaction.atomic
def assignment_run_apply(*, run: AssignmentRun, actor: Any, reason: str) -> int:
    """Hand each account to its proposed KAM through the ownership services (so every rule
    holds and every change is in the history), all or nothing. Returns the owners changed.

    Owners change one at a time, so a swap between two KAMs at their cap would pass through a
    moment over it; such a step is taken with the cap overridden for this run, recorded on
    the ownership, and the run as a whole keeps every KAM within the cap."""
    _require_director(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Say why this assignment is applied.", field="reason")
    run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.PROPOSED:
        raise Conflict(f"{run} was already {run.get_status_display().lower()}.")
    if programme_settings().key_accounts_per_kam_cap != run.cap:
        raise Conflict(f"The cap changed since {run} was made; run the assignment again.")
    proposals = list(
        run.proposals.select_related("account", "proposed_owner").filter(
            proposed_owner__isnull=False
        )
    )
    current = dict(
        Ownership.objects.filter(
            account_id__in=[p.account_id for p in proposals], ended_at__isnull=True
        ).values_list("account_id", "user_id")
    )
    for p in proposals:
        if current.get(p.account_id) != p.previous_owner_id:
            raise Conflict(
                f"The owner of {p.account.name} changed since {run} was made; run the "
                "assignment again."
            )
    pending = [p for p in proposals if p.changes_owner]
    cap = run.cap
    load: dict[int, int] = defaultdict(int)
    for user_id in Ownership.objects.filter(
        ended_at__isnull=True, account__programme_status__in=OWNED_STATUSES
    ).values_list("user_id", flat=True):
        load[user_id] += 1
    note = f"{run}: {reason}"
    changed = 0

    def counts(p: AssignmentProposal) -> bool:
        return p.account.programme_status in OWNED_STATUSES

    while pending:
        # Take first the moves whose KAM has room now; when only a cycle of swaps is left,
        # take one over the cap (it is back within the cap once the cycle is done).
        ready = [p for p in pending if not counts(p) or load[p.proposed_owner_id or 0] < cap]
        step = ready[0] if ready else pending[0]
        override = "" if ready else f"{run}: a swap between KAMs, within the cap once applied"
        to_user = step.proposed_owner
        assert to_user is not None  # pending holds only proposals that change the owner
        if step.previous_owner_id is None:
            account_assign_owner(
                account=step.account,
                user=to_user,
                actor=actor,
                reason=note,
                cap_override_reason=override,
            )
        else:
            account_transfer_owner(
                account=step.account,
                to_user=to_user,
                actor=actor,
                reason=note,
                cap_override_reason=override,
            )
            if counts(step):
                load[step.previous_owner_id] -= 1
        if counts(step):
            load[to_user.pk] += 1
        pending.remove(step)
        changed += 1
    with audit_context(actor=actor, reason=reason):
        run.status = RunStatus.APPLIED
        run.decided_by = actor
        run.decided_at = timezone.now()
        run.reason = reason
        run.save()
    return changed


@transaction.atomic
def assignment_run_discard(*, run: AssignmentRun, actor: Any, reason: str = "") -> None:
    _require_director(actor)
    run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.PROPOSED:
        raise Conflict(f"{run} was already {run.get_status_display().lower()}.")
    with audit_context(actor=actor, reason=reason):
        run.status = RunStatus.DISCARDED
        run.decided_by = actor
        run.decided_at = timezone.now()
        run.reason = (reason or "").strip()
        run.save()


# --- Willingness to partner and the decision journal -------------------------------------------


def _may_assess(*, account: Account, user: Any) -> bool:
    """The director, the owner and the account team: the cross-functional view."""
    if getattr(user, "is_director", False):
        return True
    return (
        Ownership.objects.filter(account=account, user=user, ended_at__isnull=True).exists()
        or TeamMember.objects.filter(account=account, user=user).exists()
    )


@transaction.atomic
def partnership_assessment_save(
    *, account: Account, assessor: Any, answers: dict[str, int], comment: str = ""
) -> PartnershipAssessment:
    """Record (or revise) one person's assessment of the account's willingness to partner."""
    if not _may_assess(account=account, user=assessor):
        raise Forbidden(
            "Only the account's owner, its team and programme directors assess its "
            "willingness to partner."
        )
    errors = {
        name: ["Answer from 1 (not at all) to 5 (fully)."]
        for name, _ in PARTNERSHIP_QUESTIONS
        if not isinstance(answers.get(name), int) or not 1 <= answers[name] <= 5
    }
    if errors:
        raise ValidationFailed("Answer every question from 1 to 5.", errors=errors)
    values = {name: answers[name] for name, _ in PARTNERSHIP_QUESTIONS}
    with audit_context(actor=assessor):
        assessment, created = PartnershipAssessment.objects.select_for_update().get_or_create(
            account=account,
            assessor=assessor,
            defaults={**values, "comment": comment.strip()},
        )
        if not created:
            for name, value in values.items():
                setattr(assessment, name, value)
            assessment.comment = comment.strip()
            assessment.assessed_at = timezone.now()
            assessment.save()
    return assessment


@transaction.atomic
def selection_decision_record(
    *,
    account: Account,
    actor: Any,
    decision: str,
    reason: str,
    review_on: dt.date | None = None,
) -> SelectionDecision:
    """Write an entry in the decision journal (programme directors)."""
    _require_director(actor)
    if decision not in Decision.values:
        raise ValidationFailed("Choose selected, deferred or dropped.", field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Say why: the journal is there for the reasons.", field="reason")
    if review_on is not None and review_on < timezone.localdate():
        raise ValidationFailed("The review date is in the past.", field="review_on")
    with audit_context(actor=actor, reason=reason):
        return SelectionDecision.objects.create(
            account=account,
            decision=decision,
            reason=reason,
            decided_by=actor,
            review_on=review_on,
        )
