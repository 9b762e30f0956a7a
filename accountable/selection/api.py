"""REST endpoints for the KAM assignment (programme directors only)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status

from accountable.core.api_base import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    PageIn,
    director_required,
    page_of,
)
from accountable.selection.assignment import Weights
from accountable.selection.models import AssignmentRun
from accountable.selection.schemas import (
    AssignmentProposalOut,
    AssignmentRunDetailOut,
    AssignmentRunIn,
    AssignmentRunOut,
    AssignmentRunPageOut,
    DecisionIn,
)
from accountable.selection.selectors import assignment_run_page
from accountable.selection.services import (
    assignment_run_apply,
    assignment_run_create,
    assignment_run_discard,
)

router = Router(tags=["selection"])
RunId = Path(..., ge=1, le=MAX_ID, description="The assignment run's id.")


def _run_or_404(id: int) -> AssignmentRun:
    run = AssignmentRun.objects.filter(pk=id).first()
    if run is None:
        raise Http404("No such KAM assignment.")
    return run


def _detail(id: int) -> dict[str, Any]:
    page = assignment_run_page(id=id)
    out = AssignmentRunOut.from_orm(page.run).model_dump()
    out["proposals"] = [
        AssignmentProposalOut(
            account_id=p.account_id,
            account_name=p.account.name,
            previous_owner_id=p.previous_owner_id,
            proposed_owner_id=p.proposed_owner_id,
            value=p.value,
            fit=p.fit,
            reasons=p.reasons,
            changes_owner=p.changes_owner,
        )
        for p in page.proposals
    ]
    return out


@router.get(
    "/assignment-runs/",
    response={200: AssignmentRunPageOut, **READ_ERRORS},
    summary="KAM assignment runs, newest first",
)
def assignment_run_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    director_required(request, "see KAM assignments")
    return page_of(request, AssignmentRun.objects.all(), page)


@router.post(
    "/assignment-runs/",
    response={201: AssignmentRunDetailOut, **WRITE_ERRORS},
    summary="Run the KAM assignment optimiser (a proposal: nothing changes hands)",
)
def assignment_run_start(request: HttpRequest, payload: AssignmentRunIn) -> Status[Any]:
    user = director_required(request, "run a KAM assignment")
    run = assignment_run_create(
        actor=user,
        statuses=payload.statuses,
        keep_current_owners=payload.keep_current_owners,
        cover_all=payload.cover_all,
        weights=Weights(
            industry=payload.industry,
            region=payload.region,
            relationship=payload.relationship,
            continuity=payload.continuity,
        ),
    )
    return Status(201, _detail(run.pk))


@router.get(
    "/assignment-runs/{id}",
    response={200: AssignmentRunDetailOut, **READ_ERRORS},
    summary="A KAM assignment run with its proposals",
)
def assignment_run_detail(request: HttpRequest, id: int = RunId) -> dict[str, Any]:
    director_required(request, "see KAM assignments")
    return _detail(_run_or_404(id).pk)


@router.post(
    "/assignment-runs/{id}/apply",
    response={200: AssignmentRunDetailOut, **WRITE_ERRORS},
    summary="Apply a run: hand each account to its proposed KAM",
)
def assignment_run_apply_endpoint(
    request: HttpRequest, payload: DecisionIn, id: int = RunId
) -> dict[str, Any]:
    user = director_required(request, "apply a KAM assignment")
    assignment_run_apply(run=_run_or_404(id), actor=user, reason=payload.reason)
    return _detail(id)


@router.post(
    "/assignment-runs/{id}/discard",
    response={200: AssignmentRunDetailOut, **WRITE_ERRORS},
    summary="Discard a run",
)
def assignment_run_discard_endpoint(
    request: HttpRequest, payload: DecisionIn, id: int = RunId
) -> dict[str, Any]:
    user = director_required(request, "discard a KAM assignment")
    assignment_run_discard(run=_run_or_404(id), actor=user, reason=payload.reason)
    return _detail(id)
