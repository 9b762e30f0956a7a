"""Reads for key account selection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from accountable.core.errors import NotFound
from accountable.selection.models import AssignmentProposal, AssignmentRun


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
