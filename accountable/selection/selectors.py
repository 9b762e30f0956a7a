"""Reads for key account selection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from accountable.accounts.models import Account, ProgrammeStatus, TeamMember
from accountable.core.errors import NotFound
from accountable.selection.models import (
    PARTNERSHIP_QUESTIONS,
    QUESTION_SHORT,
    AccountScore,
    AssignmentProposal,
    AssignmentRun,
    PartnershipAssessment,
    ScoringModel,
    SelectionDecision,
)
from accountable.selection.scoring import quadrant


def assignment_run_list() -> QuerySet[AssignmentRun]:
    return AssignmentRun.objects.select_related("created_by", "decided_by").annotate(
        accounts=Count("proposals"),
        changes=Count(
            "proposals",
            filter=Q(proposals__proposed_owner__isnull=False)
            & ~Q(proposals__proposed_owner=F("proposals__previous_owner")),
        ),
    )


@dataclass
class KamLoad:
    name: str
    before: int
    after: int


@dataclass
class RunPage:
    run: AssignmentRun
    proposals: list[AssignmentProposal]
    unassigned: int
    changes: int
    loads: list[KamLoad]


def assignment_run_page(*, id: int) -> RunPage:
    try:
        run = AssignmentRun.objects.select_related("created_by", "decided_by").get(pk=id)
    except AssignmentRun.DoesNotExist as exc:
        raise NotFound("No such KAM assignment.") from exc
    proposals = list(
        run.proposals.select_related("account", "previous_owner", "proposed_owner").order_by(
            "-value", "account_id"
        )
    )
    before: dict[Any, int] = {}
    after: dict[Any, int] = {}
    for p in proposals:
        if p.previous_owner is not None:
            before[p.previous_owner] = before.get(p.previous_owner, 0) + 1
        if p.proposed_owner is not None:
            after[p.proposed_owner] = after.get(p.proposed_owner, 0) + 1
    people = sorted(set(before) | set(after), key=lambda u: str(u))
    return RunPage(
        run=run,
        proposals=proposals,
        unassigned=sum(1 for p in proposals if p.proposed_owner_id is None),
        changes=sum(1 for p in proposals if p.changes_owner),
        loads=[KamLoad(str(u), before.get(u, 0), after.get(u, 0)) for u in people],
    )


@dataclass
class QuestionSummary:
    name: str
    label: str
    short: str
    scores: list[int | None]  # one per assessor, in the order of `assessments`
    mean: float | None
    spread: int  # highest minus lowest answer

    @property
    def disagreement(self) -> bool:
        """Two assessors two or more points apart: worth a conversation."""
        return self.spread >= 2


@dataclass
class PartnershipView:
    assessments: list[PartnershipAssessment]
    questions: list[QuestionSummary]
    mean: float | None
    decisions: list[SelectionDecision]


def partnership_view(*, account: Account) -> PartnershipView:
    """Every assessor's answers side by side, each question's mean and spread, and the
    decision journal: two queries."""
    assessments = list(
        PartnershipAssessment.objects.filter(account=account).select_related("assessor")
    )
    questions = []
    for name, label in PARTNERSHIP_QUESTIONS:
        scores = [getattr(a, name) for a in assessments]
        questions.append(
            QuestionSummary(
                name=name,
                label=label,
                short=QUESTION_SHORT[name],
                scores=scores,
                mean=sum(scores) / len(scores) if scores else None,
                spread=(max(scores) - min(scores)) if scores else 0,
            )
        )
    means = [q.mean for q in questions if q.mean is not None]
    return PartnershipView(
        assessments=assessments,
        questions=questions,
        mean=sum(means) / len(means) if means else None,
        decisions=list(
            SelectionDecision.objects.filter(account=account).select_related("decided_by")
        ),
    )


@dataclass
class PortfolioPoint:
    account_id: int
    name: str
    status: str
    status_label: str
    attractiveness: float
    strength: float
    size: float  # revenue, for the bubble
    quadrant: str


@dataclass
class Portfolio:
    model: ScoringModel | None
    as_of: dt.date | None
    dates: list[dt.date]
    points: list[PortfolioPoint]
    unscored: int  # accounts in the filter without a score on both axes


def portfolio(
    *,
    model: ScoringModel | None,
    as_of: dt.date | None = None,
    statuses: list[str] | None = None,
    region: str = "",
    business_unit: int | None = None,
    limit: int = 5000,
) -> Portfolio:
    """The matrix's points: scored accounts of the given statuses (default candidates, pilots
    and key accounts), optionally of one region or where one of our business units works."""
    if model is None:
        return Portfolio(model=None, as_of=None, dates=[], points=[], unscored=0)
    dates = list(
        AccountScore.objects.filter(model=model)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()[:50]
    )
    as_of = as_of if as_of in dates else (dates[0] if dates else None)
    if as_of is None:
        return Portfolio(model=model, as_of=None, dates=[], points=[], unscored=0)
    statuses = statuses or ["candidate", "pilot", "key_account"]
    rows = AccountScore.objects.filter(
        model=model, as_of=as_of, account__programme_status__in=statuses
    )
    if region:
        rows = rows.filter(account__region=region)
    if business_unit:
        rows = rows.filter(
            account_id__in=TeamMember.objects.filter(user__business_unit_id=business_unit).values(
                "account_id"
            )
        )
    labels = dict(ProgrammeStatus.choices)
    points = []
    unscored = 0
    size_keys = ("revenue_t12m", "customer_revenue")
    for account_id, name, status, attractiveness, strength, contributions in rows.values_list(
        "account_id",
        "account__name",
        "account__programme_status",
        "attractiveness",
        "strength",
        "contributions",
    ).order_by("-attractiveness", "account__name")[:limit]:
        if attractiveness is None or strength is None:
            unscored += 1
            continue
        values = {c["key"]: c["value"] for c in contributions}
        size = next((values[k] for k in size_keys if values.get(k) is not None), 0.0)
        points.append(
            PortfolioPoint(
                account_id=account_id,
                name=name,
                status=status,
                status_label=labels.get(status, status),
                attractiveness=round(attractiveness, 2),
                strength=round(strength, 2),
                size=float(size or 0.0),
                quadrant=quadrant(attractiveness, strength),
            )
        )
    return Portfolio(model=model, as_of=as_of, dates=dates, points=points, unscored=unscored)


def account_score_list(*, account: Account) -> QuerySet[AccountScore]:
    """The account's scores by the active model, newest first."""
    return (
        AccountScore.objects.filter(account=account, model__is_active=True)
        .select_related("model")
        .order_by("-as_of")
    )


def account_score_latest(*, account: Account) -> AccountScore | None:
    return account_score_list(account=account).first()


@dataclass
class Capacity:
    key_accounts: int  # pilot and key accounts
    kams: int  # active people who may own accounts
    cap: int
    room: int  # kams x cap

    @property
    def over(self) -> bool:
        return self.key_accounts > self.room


def programme_capacity() -> Capacity:
    """The key account list against what the KAMs can carry: too many key accounts is the
    classic failure of a programme."""
    from accountable.people.models import User
    from accountable.programme.selectors import programme_settings

    cap = programme_settings().key_accounts_per_kam_cap
    key_accounts = Account.objects.filter(programme_status__in=["pilot", "key_account"]).count()
    kams = User.objects.filter(is_active=True, position__can_own_accounts=True).count()
    return Capacity(key_accounts=key_accounts, kams=kams, cap=cap, room=kams * cap)
