"""Writes for key account selection: run the KAM assignment optimiser, apply or discard a run."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountable.accounts.models import (
    OWNED_STATUSES,
    Account,
    ExternalId,
    Ownership,
    TeamMember,
)
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
from accountable.selection.backtest import Group, compare, model_rank
from accountable.selection.facts import (
    account_facts,
    fact_catalogue,
    month_start_shifted,
    revenue_model,
)
from accountable.selection.models import (
    PARTNERSHIP_QUESTIONS,
    AccountScore,
    AssignmentProposal,
    AssignmentRun,
    Decision,
    PartnershipAssessment,
    RunStatus,
    ScoringModel,
    SelectionDecision,
)
from accountable.selection.scoring import Factor, ModelInvalid, score, validate

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


# --- Scoring models and scores -----------------------------------------------------------------

WILLINGNESS_CUTS = (1.5, 2.0, 2.5, 3.0, 3.4, 3.8, 4.2, 4.5, 4.8)
GROWTH_CUTS = (-30.0, -15.0, -5.0, 0.0, 5.0, 10.0, 20.0, 35.0, 60.0)


def default_factors() -> list[Factor]:
    """The model a new programme starts from: potential and our sales record for
    attractiveness, the customer's willingness and our foothold for strength."""
    catalogue = fact_catalogue()
    if "revenue_t12m" in catalogue:
        return [
            Factor("customer_revenue", "attractiveness", 25),
            Factor("revenue_t12m", "attractiveness", 25),
            Factor(
                "growth_yoy",
                "attractiveness",
                20,
                "thresholds",
                (-30, -15, -5, 0, 5, 10, 20, 35, 60),
            ),
            Factor("open_pipeline", "attractiveness", 15),
            Factor("breadth", "attractiveness", 15),
            Factor("willingness", "strength", 40, "thresholds", WILLINGNESS_CUTS),
            Factor("strategic_fit", "strength", 20, "thresholds", WILLINGNESS_CUTS),
            Factor("frequency", "strength", 20, "thresholds", (1, 2, 3, 4, 6, 8, 10, 11, 12)),
            Factor("team_size", "strength", 20, "thresholds", (1, 2, 3, 4, 5, 6, 7, 8, 10)),
        ]
    return [
        Factor("customer_revenue", "attractiveness", 70),
        Factor("employees", "attractiveness", 30),
        Factor("willingness", "strength", 50, "thresholds", WILLINGNESS_CUTS),
        Factor("strategic_fit", "strength", 25, "thresholds", WILLINGNESS_CUTS),
        Factor("team_size", "strength", 25, "thresholds", (1, 2, 3, 4, 5, 6, 7, 8, 10)),
    ]


@transaction.atomic
def scoring_model_create(
    *, actor: Any, name: str, factors: list[Factor], notes: str = "", activate: bool = True
) -> ScoringModel:
    """Save a new version of the model called `name` (version 1 if new) and, by default, make
    it the active one."""
    _require_director(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("Name the model.", field="name")
    try:
        validate(factors, fact_catalogue())
    except ModelInvalid as exc:
        raise ValidationFailed(str(exc), errors=exc.errors) from exc
    latest = ScoringModel.objects.select_for_update().filter(name=name).order_by("-version").first()
    with audit_context(actor=actor):
        if activate:
            for active in ScoringModel.objects.filter(is_active=True):
                active.is_active = False
                active.save()
        return ScoringModel.objects.create(
            name=name,
            version=(latest.version + 1) if latest else 1,
            factors=[f.as_dict() for f in factors],
            is_active=activate,
            notes=notes.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )


def scoring_model_active() -> ScoringModel:
    """The active model; the default one is made (version 1) the first time it is needed."""
    model = ScoringModel.objects.filter(is_active=True).first()
    if model is not None:
        return model
    with transaction.atomic(), audit_context():
        model = ScoringModel.objects.select_for_update().filter(is_active=True).first()
        return model or ScoringModel.objects.create(
            name="Default",
            version=(ScoringModel.objects.filter(name="Default").count() + 1),
            factors=[f.as_dict() for f in default_factors()],
            is_active=True,
            notes="The starting model: change it to fit the programme.",
        )


def scores_compute(
    *,
    model: ScoringModel,
    as_of: dt.date,
    account_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 5000,
) -> int:
    """(Re)compute the scores of `model` as of `as_of` for the given accounts (all by
    default): idempotent, the previous scores for that model and date are replaced."""
    factors = [Factor.from_dict(f) for f in model.factors]
    ids = (
        list(account_ids)
        if account_ids is not None
        else list(Account.objects.order_by("pk").values_list("pk", flat=True))
    )
    facts = account_facts(account_ids=ids, as_of=as_of, keys={f.key for f in factors})
    scores = score(facts, factors, ids)
    now = timezone.now()
    done = 0
    with transaction.atomic():
        stale = AccountScore.objects.filter(model=model, as_of=as_of)
        if account_ids is not None:
            stale = stale.filter(account_id__in=ids)
        stale.delete()
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            AccountScore.objects.bulk_create(
                [
                    AccountScore(
                        model=model,
                        account_id=a,
                        as_of=as_of,
                        attractiveness=scores[a].attractiveness,
                        strength=scores[a].strength,
                        contributions=scores[a].contributions,
                        computed_at=now,
                    )
                    for a in chunk
                ],
                batch_size=batch_size,
            )
            done += len(chunk)
            if progress is not None:
                progress(done, len(ids))
    return done


# --- The backtest ------------------------------------------------------------------------------


@dataclass
class BacktestResult:
    cutoff: dt.date
    top: int
    months: int
    model: str
    accounts_with_data: int
    by_model: Group
    by_revenue: Group

    @property
    def overlap(self) -> int:
        return len(
            {p.account_id for p in self.by_model.picks}
            & {p.account_id for p in self.by_revenue.picks}
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "top": self.top,
            "months": self.months,
            "model": self.model,
            "accounts_with_data": self.accounts_with_data,
            "overlap": self.overlap,
            "groups": [self.by_model.as_dict(), self.by_revenue.as_dict()],
        }


def backtest_run(
    *, cutoff: dt.date, top: int, months: int = 12, model: ScoringModel | None = None
) -> BacktestResult:
    """Score every account that bought in the `months` before the cut-off from data before
    it only, and compare the model's top N with past revenue's top N over the `months` after.
    Reads only: nothing is written."""
    if "revenue_t12m" not in fact_catalogue():
        raise ValidationFailed("The backtest needs the sales data (the revenue app).")
    if not dt.date(1900, 1, 1) <= cutoff <= dt.date(2999, 1, 1):
        raise ValidationFailed("Choose a cut-off between 1900 and 2999.", field="cutoff")
    if cutoff.day != 1:
        raise ValidationFailed(
            "Revenue is kept by month: give the first day of a month as the cut-off.",
            field="cutoff",
        )
    if not 1 <= top <= 10_000:
        raise ValidationFailed("Choose between 1 and 10,000 accounts.", field="top")
    if not 1 <= months <= 60:
        raise ValidationFailed("Compare between 1 and 60 months.", field="months")
    model = model or ScoringModel.objects.filter(is_active=True).first()
    factors = (
        [Factor.from_dict(f) for f in model.factors] if model is not None else default_factors()
    )
    rollup = revenue_model("MonthlyRollup")
    start, end = month_start_shifted(cutoff, -months), month_start_shifted(cutoff, months)
    before: dict[int, float] = defaultdict(float)
    after: dict[int, float] = defaultdict(float)
    for account_id, month, revenue in rollup.objects.filter(
        month__gte=start, month__lt=end
    ).values_list("account_id", "month", "revenue"):
        (before if month < cutoff else after)[account_id] += float(revenue)
    ids = sorted(a for a, v in before.items() if v > 0)
    # Facts as of the day before the cut-off: nothing from after it enters the scores.
    facts = account_facts(
        account_ids=ids, as_of=cutoff - dt.timedelta(days=1), keys={f.key for f in factors}
    )
    scores = score(facts, factors, ids)
    ranks = {a: model_rank(s.attractiveness, s.strength) for a, s in scores.items()}
    labels: dict[int, tuple[str, str]] = {}
    names = dict(Account.objects.filter(pk__in=ids).values_list("pk", "name"))
    for account_id, value in (
        ExternalId.objects.filter(account_id__in=ids)
        .order_by("account_id", "source", "value")
        .values_list("account_id", "value")
    ):
        labels.setdefault(account_id, (value, names.get(account_id, "")))
    for account_id in ids:
        labels.setdefault(account_id, (names.get(account_id, str(account_id)),) * 2)
    by_model, by_revenue = compare(ranks=ranks, before=before, after=after, labels=labels, top=top)
    return BacktestResult(
        cutoff=cutoff,
        top=top,
        months=months,
        model=str(model) if model else "Default (not yet saved)",
        accounts_with_data=len(ids),
        by_model=by_model,
        by_revenue=by_revenue,
    )
