"""REST endpoints for the KAM assignment (programme directors only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status

from accountable.accounts.selectors import account_get_for_user
from accountable.core.api_base import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    PageIn,
    caller,
    director_required,
    page_of,
)
from accountable.selection.assignment import Weights
from accountable.selection.facts import fact_catalogue
from accountable.selection.models import AssignmentRun, ScoringModel
from accountable.selection.schemas import (
    AccountScoreOut,
    AssignmentProposalOut,
    AssignmentRunDetailOut,
    AssignmentRunIn,
    AssignmentRunOut,
    AssignmentRunPageOut,
    BacktestIn,
    BacktestOut,
    ContributionOut,
    DecisionIn,
    FactOut,
    PartnershipAssessmentIn,
    PartnershipAssessmentOut,
    PortfolioOut,
    PortfolioPointOut,
    ScoringModelIn,
    ScoringModelOut,
    SelectionDecisionIn,
    SelectionDecisionOut,
)
from accountable.selection.scoring import Factor
from accountable.selection.selectors import (
    account_score_list,
    assignment_run_page,
    partnership_view,
    portfolio,
)
from accountable.selection.services import (
    assignment_run_apply,
    assignment_run_create,
    assignment_run_discard,
    backtest_run,
    partnership_assessment_save,
    scoring_model_create,
    selection_decision_record,
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


# --- An account's willingness to partner and decision journal ----------------------------------

AccountId = Path(..., ge=1, le=MAX_ID, description="The account's id.")


@router.get(
    "/accounts/{id}/partnership-assessments",
    response={200: list[PartnershipAssessmentOut], **READ_ERRORS},
    summary="Every assessor's view of the account's willingness to partner",
)
def partnership_assessment_list(request: HttpRequest, id: int = AccountId) -> Any:
    account = account_get_for_user(user=caller(request), id=id)
    return partnership_view(account=account).assessments


@router.post(
    "/accounts/{id}/partnership-assessments",
    response={200: PartnershipAssessmentOut, **WRITE_ERRORS},
    summary="Record or revise the caller's own assessment",
)
def partnership_assessment_put(
    request: HttpRequest, payload: PartnershipAssessmentIn, id: int = AccountId
) -> Any:
    """The owner, the account team and programme directors assess."""
    user = caller(request)
    account = account_get_for_user(user=user, id=id)
    data = payload.model_dump()
    comment = data.pop("comment")
    return partnership_assessment_save(
        account=account, assessor=user, answers=data, comment=comment
    )


@router.get(
    "/accounts/{id}/selection-decisions",
    response={200: list[SelectionDecisionOut], **READ_ERRORS},
    summary="The account's decision journal, newest first",
)
def selection_decision_list(request: HttpRequest, id: int = AccountId) -> Any:
    account = account_get_for_user(user=caller(request), id=id)
    return partnership_view(account=account).decisions


@router.post(
    "/accounts/{id}/selection-decisions",
    response={201: SelectionDecisionOut, **WRITE_ERRORS},
    summary="Record a selection decision (programme directors)",
)
def selection_decision_create(
    request: HttpRequest, payload: SelectionDecisionIn, id: int = AccountId
) -> Status[Any]:
    user = caller(request)
    account = account_get_for_user(user=user, id=id)
    decision = selection_decision_record(
        account=account,
        actor=user,
        decision=payload.decision,
        reason=payload.reason,
        review_on=payload.review_on,
    )
    return Status(201, decision)


# --- Scoring, the portfolio, the backtest ------------------------------------------------------


def _reads_everything(request: HttpRequest, what: str) -> Any:
    user = caller(request)
    if not user.reads_everything:
        raise PermissionDenied(f"Only programme directors and executives can {what}.")
    return user


@router.get(
    "/scoring-facts",
    response={200: list[FactOut], **READ_ERRORS},
    summary="The facts a scoring model can use",
)
def scoring_fact_list(request: HttpRequest) -> Any:
    _reads_everything(request, "see the scoring models")
    return [FactOut(key=f.key, label=f.label, unit=f.unit) for f in fact_catalogue().values()]


@router.get(
    "/scoring-models/",
    response={200: list[ScoringModelOut], **READ_ERRORS},
    summary="Every version of every scoring model",
)
def scoring_model_list(request: HttpRequest) -> Any:
    _reads_everything(request, "see the scoring models")
    return list(ScoringModel.objects.all()[:500])


@router.post(
    "/scoring-models/",
    response={201: ScoringModelOut, **WRITE_ERRORS},
    summary="Save a new version of a scoring model (programme directors)",
)
def scoring_model_new(request: HttpRequest, payload: ScoringModelIn) -> Status[Any]:
    user = director_required(request, "change the scoring model")
    model = scoring_model_create(
        actor=user,
        name=payload.name,
        factors=[Factor.from_dict(f.model_dump()) for f in payload.factors],
        notes=payload.notes,
        activate=payload.activate,
    )
    return Status(201, model)


@router.get(
    "/accounts/{id}/scores",
    response={200: list[AccountScoreOut], **READ_ERRORS},
    summary="The account's scores by the active model, newest first, explained",
)
def account_score_list_endpoint(request: HttpRequest, id: int = AccountId) -> Any:
    account = account_get_for_user(user=caller(request), id=id)
    rows = account_score_list(account=account)[:50]
    return [
        AccountScoreOut(
            account_id=s.account_id,
            model=str(s.model),
            as_of=s.as_of,
            attractiveness=s.attractiveness,
            strength=s.strength,
            contributions=[ContributionOut(**c) for c in s.contributions],
        )
        for s in rows
    ]


@router.get(
    "/portfolio",
    response={200: PortfolioOut, **READ_ERRORS},
    summary="The portfolio matrix's points by the active model",
)
def portfolio_points(request: HttpRequest) -> Any:
    _reads_everything(request, "see the portfolio")
    data = portfolio(model=ScoringModel.objects.filter(is_active=True).first())
    return PortfolioOut(
        model=str(data.model) if data.model else None,
        as_of=data.as_of,
        points=[
            PortfolioPointOut(
                account_id=p.account_id,
                name=p.name,
                status=p.status,
                attractiveness=p.attractiveness,
                strength=p.strength,
                size=p.size,
                quadrant=p.quadrant,  # type: ignore[arg-type]
            )
            for p in data.points
        ],
    )


@router.get(
    "/backtest",
    response={200: BacktestOut, **READ_ERRORS},
    summary="The model's top N against past revenue's top N after a cut-off",
)
def backtest(request: HttpRequest, params: Query[BacktestIn]) -> Any:
    _reads_everything(request, "run the backtest")
    return backtest_run(cutoff=params.cutoff, top=params.top, months=params.months).as_dict()
