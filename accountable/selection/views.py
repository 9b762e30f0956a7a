"""Key account selection pages: the KAM assignment (director only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accountable.accounts.models import ProgrammeStatus
from accountable.accounts.selectors import Access, account_get_for_user
from accountable.accounts.services import current_ownership
from accountable.core.errors import DomainError, Forbidden, NotFound
from accountable.core.forms import form_add_domain_error
from accountable.core.views import redirect_after_post
from accountable.selection.assignment import Weights
from accountable.selection.forms import (
    AssignmentRunForm,
    BacktestForm,
    DecisionForm,
    PartnershipAssessmentForm,
    PortfolioFilterForm,
    SelectionDecisionForm,
)
from accountable.selection.models import PARTNERSHIP_QUESTIONS, AssignmentRun, ScoringModel
from accountable.selection.scoring import QUADRANT_STRATEGY
from accountable.selection.selectors import (
    account_score_latest,
    assignment_run_list,
    assignment_run_page,
    partnership_view,
    portfolio,
    programme_capacity,
)
from accountable.selection.services import (
    assignment_run_apply,
    assignment_run_create,
    assignment_run_discard,
    backtest_run,
    partnership_assessment_save,
    scoring_model_active,
    selection_decision_record,
)
from accountable.selection.tasks import compute_scores


def _require_director(request: HttpRequest) -> None:
    if not request.user.is_director:  # type: ignore[union-attr]
        raise PermissionDenied("Only a programme director can do this.")


def _runs_page(request: HttpRequest, form: AssignmentRunForm | None = None) -> HttpResponse:
    return render(
        request,
        "selection/assignment_list.html",
        {
            "form": form or AssignmentRunForm(),
            "runs": assignment_run_list()[:50],
            "capacity": programme_capacity(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_list(request: HttpRequest) -> HttpResponseBase:
    """The runs so far, and the form that starts a new one."""
    _require_director(request)
    if request.method == "POST":
        form = AssignmentRunForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = assignment_run_create(
                    actor=request.user,
                    statuses=data["statuses"],
                    keep_current_owners=data["keep_current_owners"],
                    cover_all=data["cover_all"],
                    weights=Weights(
                        industry=data["industry"],
                        region=data["region"],
                        relationship=data["relationship"],
                        continuity=data["continuity"],
                    ),
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, f"{run} is ready: review it, then apply or discard it.")
                return redirect_after_post(
                    request, reverse("selection:assignment_detail", args=[run.pk])
                )
        return _runs_page(request, form)
    return _runs_page(request)


def _run_or_404(id: int) -> AssignmentRun:
    try:
        return AssignmentRun.objects.get(pk=id)
    except AssignmentRun.DoesNotExist as exc:
        raise Http404("No such KAM assignment.") from exc


def _detail_page(request: HttpRequest, id: int, form: DecisionForm | None = None) -> HttpResponse:
    try:
        page = assignment_run_page(id=id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    context: dict[str, Any] = {"page": page, "form": form or DecisionForm()}
    return render(request, "selection/assignment_detail.html", context)


@login_required
def assignment_detail(request: HttpRequest, id: int) -> HttpResponseBase:
    _require_director(request)
    return _detail_page(request, id)


@login_required
@require_POST
def assignment_apply(request: HttpRequest, id: int) -> HttpResponseBase:
    _require_director(request)
    run = _run_or_404(id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            changed = assignment_run_apply(
                run=run, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Applied {run}: {changed} owner(s) changed.")
            return redirect_after_post(request, reverse("selection:assignment_detail", args=[id]))
    return _detail_page(request, id, form)


@login_required
@require_POST
def assignment_discard(request: HttpRequest, id: int) -> HttpResponseBase:
    _require_director(request)
    run = _run_or_404(id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            assignment_run_discard(run=run, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Discarded {run}.")
            return redirect_after_post(request, reverse("selection:assignment_detail", args=[id]))
    return _detail_page(request, id, form)


# --- An account's Selection tab: willingness to partner and the decision journal ---------------


def _selection_tab(
    request: HttpRequest,
    pk: int,
    *,
    assessment_form: PartnershipAssessmentForm | None = None,
    decision_form: SelectionDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    account = account_get_for_user(user=request.user, id=pk)
    user = request.user
    view = partnership_view(account=account)
    may_assess = bool(
        user.is_director  # type: ignore[union-attr]
        or getattr(account, "user_owns", False)
        or getattr(account, "user_on_team", False)
    )
    mine = next((a for a in view.assessments if a.assessor_id == user.pk), None)
    if assessment_form is None and may_assess:
        initial = (
            {name: getattr(mine, name) for name, _ in PARTNERSHIP_QUESTIONS}
            | {"comment": mine.comment}
            if mine
            else {}
        )
        assessment_form = PartnershipAssessmentForm(initial=initial)
    if decision_form is None and user.is_director:  # type: ignore[union-attr]
        decision_form = SelectionDecisionForm()
    context = {
        "account": account,
        "ownership": current_ownership(account),
        "can_write": account.access >= Access.WRITE,  # type: ignore[attr-defined]
        "is_director": user.is_director,  # type: ignore[union-attr]
        "tab": "selection",
        "view": view,
        "score": account_score_latest(account=account),
        "mine": mine,
        "assessment_form": assessment_form if may_assess else None,
        "decision_form": decision_form,
    }
    return render(request, "selection/account_selection.html", context, status=status)


@login_required
def account_selection(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _selection_tab(request, pk)


@login_required
@require_POST
def account_assess(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk)
    form = PartnershipAssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            partnership_assessment_save(
                account=account,
                assessor=request.user,
                answers={name: data[name] for name, _ in PARTNERSHIP_QUESTIONS},
                comment=data["comment"],
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Saved your assessment.")
            return redirect_after_post(request, reverse("selection:account", args=[pk]))
    return _selection_tab(request, pk, assessment_form=form)


@login_required
@require_POST
def account_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk)
    _require_director(request)
    form = SelectionDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            selection_decision_record(
                account=account,
                actor=request.user,
                decision=data["decision"],
                reason=data["reason"],
                review_on=data["review_on"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Recorded the decision in the journal.")
            return redirect_after_post(request, reverse("selection:account", args=[pk]))
    return _selection_tab(request, pk, decision_form=form)


# --- The portfolio matrix -----------------------------------------------------------------------


def _require_reads_everything(request: HttpRequest) -> None:
    if not request.user.reads_everything:  # type: ignore[union-attr]
        raise PermissionDenied("The portfolio is for programme directors and executives.")


@login_required
def portfolio_view(request: HttpRequest) -> HttpResponseBase:
    """Attractiveness against our strength for the candidates, pilots and key accounts."""
    _require_reads_everything(request)
    form = PortfolioFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # Reading the page creates nothing: without a model yet, it says so (scoring makes one).
    model = ScoringModel.objects.filter(is_active=True).first()
    data = portfolio(
        model=model,
        as_of=filters.get("as_of"),
        statuses=filters.get("statuses") or None,
        region=filters.get("region") or "",
        business_unit=filters["business_unit"].pk if filters.get("business_unit") else None,
    )
    chart = {
        "points": [
            {
                "id": p.account_id,
                "name": p.name,
                "status": p.status_label,
                "x": p.strength,
                "y": p.attractiveness,
                "size": p.size,
                "url": reverse("accounts:detail", args=[p.account_id]),
            }
            for p in data.points
        ],
        "statuses": [label for value, label in ProgrammeStatus.choices],
    }
    counts = {q: 0 for q in QUADRANT_STRATEGY}
    for p in data.points:
        counts[p.quadrant] += 1
    return render(
        request,
        "selection/portfolio.html",
        {
            "form": form,
            "portfolio": data,
            "chart": chart,
            "quadrants": [(q, counts[q], s) for q, s in QUADRANT_STRATEGY.items()],
            "factors": model.factors if model else [],
            "capacity": programme_capacity(),
        },
    )


@login_required
@require_POST
def portfolio_compute(request: HttpRequest) -> HttpResponseBase:
    """Score every account by the active model as of today, in the background."""
    _require_director(request)
    model = scoring_model_active()
    as_of = timezone.localdate().isoformat()
    transaction.on_commit(lambda: compute_scores.enqueue(model.pk, as_of))
    messages.success(
        request,
        f"Scoring every account by {model} as of {as_of} in the background: the matrix shows "
        "the new scores when it is done.",
    )
    return redirect_after_post(request, reverse("selection:portfolio"))


@login_required
def backtest_view(request: HttpRequest) -> HttpResponseBase:
    """Would the model have chosen better than past revenue? Run on the data as it was."""
    _require_reads_everything(request)
    form = BacktestForm(request.GET or None)
    result = None
    if form.is_valid():
        try:
            result = backtest_run(
                cutoff=form.cleaned_data["cutoff"],
                top=form.cleaned_data["top"],
                months=form.cleaned_data["months"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
    chart = None
    if result is not None:
        chart = {
            "groups": [f"Top {result.top} by the model", f"Top {result.top} by past revenue"],
            "before": [round(result.by_model.before, 2), round(result.by_revenue.before, 2)],
            "after": [round(result.by_model.after, 2), round(result.by_revenue.after, 2)],
            "months": result.months,
        }
    return render(
        request, "selection/backtest.html", {"form": form, "result": result, "chart": chart}
    )
