"""Reads for key account selection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from accountable.accounts.models import Account
from accountable.core.errors import NotFound
from accountable.selection.models import (
    PARTNERSHIP_QUESTIONS,
    QUESTION_SHORT,
    AssignmentProposal,
    AssignmentRun,
    PartnershipAssessment,
    SelectionDecision,
)


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
