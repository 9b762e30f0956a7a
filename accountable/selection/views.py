"""Key account selection pages: the KAM assignment (director only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accountable.core.errors import DomainError, NotFound
from accountable.core.forms import form_add_domain_error
from accountable.core.views import redirect_after_post
from accountable.selection.assignment import Weights
from accountable.selection.forms import AssignmentRunForm, DecisionForm
from accountable.selection.models import AssignmentRun
from accountable.selection.selectors import assignment_run_list, assignment_run_page
from accountable.selection.services import (
    assignment_run_apply,
    assignment_run_create,
    assignment_run_discard,
)


def _require_director(request: HttpRequest) -> None:
    if not request.user.is_director:  # type: ignore[union-attr]
        raise PermissionDenied("Only a programme director can assign KAMs to accounts.")


def _runs_page(request: HttpRequest, form: AssignmentRunForm | None = None) -> HttpResponse:
    return render(
        request,
        "selection/assignment_list.html",
        {"form": form or AssignmentRunForm(), "runs": assignment_run_list()[:50]},
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
