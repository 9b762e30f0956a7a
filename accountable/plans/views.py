"""Plan pages: the Plan tab of an account, the forms that change a plan, the workflow, the
versions and their comparison, and the exports. Views check access through the selectors and
call one service per form; the rules live in the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accountable.accounts.models import Account
from accountable.accounts.selectors import Access
from accountable.accounts.services import current_ownership
from accountable.core.errors import DomainError, StaleEdit
from accountable.core.forms import form_add_domain_error
from accountable.core.views import HtmxHttpRequest, is_htmx, redirect_after_post
from accountable.people.models import User
from accountable.plans import services
from accountable.plans.compare import snapshot_compare
from accountable.plans.exports import plan_pdf, plan_xlsx
from accountable.plans.forms import (
    ActionForm,
    ActionStatusForm,
    CompareForm,
    InitiativeForm,
    MilestoneForm,
    ObjectiveForm,
    PlanForm,
    PlanStartForm,
    PlanTemplateForm,
    ReviewForm,
    RiskForm,
    WorkflowForm,
)
from accountable.plans.models import (
    SECTION_FIELDS,
    SECTIONS,
    AccountPlan,
    Initiative,
    Milestone,
    Objective,
    PlanApprover,
    PlanStatus,
)
from accountable.plans.selectors import (
    account_people,
    account_team_summary,
    action_get_for_status_change,
    plan_for_account,
    plan_page,
    plan_sections,
    plan_settings_current,
    plan_version_pair,
    plan_visible_queryset,
    plans_review_overdue_for_user,
)
from accountable.plans.templatetags.plan_ui import action_row


def _tab_context(request: HtmxHttpRequest, account: Account) -> dict[str, Any]:
    """What the account page's header needs (account_base.html)."""
    return {
        "account": account,
        "ownership": current_ownership(account),
        "can_write": account.access >= Access.WRITE,  # type: ignore[attr-defined]
        "is_director": request.user.is_director,  # type: ignore[union-attr]
        "tab": "plan",
    }


def _plan_or_404(plan: AccountPlan | None) -> AccountPlan:
    if plan is None:
        raise Http404("This account has no plan yet.")
    return plan


def _plan_url(account: Account) -> str:
    return reverse("plans:detail", args=[account.pk])


def _form_page(
    request: HtmxHttpRequest, account: Account, form: Form, title: str, **extra: Any
) -> HttpResponse:
    context = {
        "account": account,
        "form": form,
        "title": title,
        "action": request.path,
        "cancel_url": _plan_url(account),
        **extra,
    }
    if is_htmx(request) and extra.get("inline"):
        return render(request, "core/partials/form.html", context)
    return render(request, "plans/form_page.html", context)


def _people(account: Account) -> list[tuple[int, str]]:
    return [(person.pk, str(person)) for person in account_people(account=account)]


def _person(person_id: int | None) -> User | None:
    return User.objects.filter(pk=person_id).first() if person_id is not None else None


# --- The list of plans -------------------------------------------------------------------------


@login_required
def plan_list(request: HtmxHttpRequest) -> HttpResponse:
    """The plans the user may see, next review first; above them, the overdue reviews they
    should chase (every one for a director, their own accounts' for a KAM)."""
    plans = plan_visible_queryset(user=request.user).select_related("account")
    page_obj = Paginator(plans.order_by("next_review_on", "id"), settings.ACCOUNTABLE_PAGE_SIZE)
    return render(
        request,
        "plans/list.html",
        {
            "page_obj": page_obj.get_page(request.GET.get("page")),
            "overdue": plans_review_overdue_for_user(user=request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_template(request: HtmxHttpRequest) -> HttpResponseBase:
    """The programme director words the guiding questions and sets the review cadence."""
    user: Any = request.user
    if not user.is_director:
        raise PermissionDenied("Only a programme director can change the plan template.")
    current = plan_settings_current()
    if request.method == "POST":
        form = PlanTemplateForm(request.POST)
        if form.is_valid():
            try:
                services.plan_settings_update(
                    actor=user,
                    review_cadence_days=form.cleaned_data["review_cadence_days"],
                    questions=form.questions(),
                    approvers=list(form.cleaned_data["approvers"]),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, "Saved the plan template.")
                return redirect_after_post(request, reverse("plans:template"))
    else:
        initial: dict[str, Any] = {
            "review_cadence_days": current.review_cadence_days,
            "approvers": list(PlanApprover.objects.values_list("user_id", flat=True)),
        }
        initial.update({f"q_{k}": v for k, v in (current.questions or {}).items()})
        form = PlanTemplateForm(initial=initial)
    return render(
        request,
        "plans/template.html",
        {"form": form, "title": "Plan template", "action": reverse("plans:template")},
    )


# --- The Plan tab ------------------------------------------------------------------------------


@login_required
def plan_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    account, plan = plan_for_account(user=request.user, account_id=pk)
    context = _tab_context(request, account)
    user: Any = request.user
    if plan is not None:
        page = plan_page(plan=plan)
        context["plan_page"] = page
        context["plan"] = plan
        context["workflow_form"] = WorkflowForm(initial={"version": plan.version})
        context["people"] = _people(account) if context["can_write"] else []
        context["chart"] = {
            "objectives": [
                {"title": row.objective.title, "progress": row.progress.percent}
                for row in page.objectives
            ]
        }
        context["can_approve"] = services.plan_may_approve(user)
    return render(request, "plans/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_start(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    account, plan = plan_for_account(user=request.user, account_id=pk, write=True)
    if plan is not None:
        return redirect_after_post(request, _plan_url(account))
    form = PlanStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_create(account=account, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Started the plan of {account.name}.")
            return redirect_after_post(request, _plan_url(account))
    return _form_page(
        request,
        account,
        form,
        "Start the account plan",
        submit_label="Start plan",
        intro="A rolling plan: reviewed every quarter and changed as the customer changes.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    account, found = plan_for_account(user=request.user, account_id=pk, write=True)
    plan = _plan_or_404(found)
    sections = plan_sections()
    conflicts: list[tuple[str, str]] = []
    if request.method == "POST":
        form = PlanForm(request.POST, sections=sections)
        if form.is_valid():
            try:
                services.plan_update(
                    plan=plan,
                    actor=request.user,
                    data=form.plan_fields(),
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleEdit as exc:
                # Keep their text; show what is saved now and move the form to the current
                # version, so that saving again is a deliberate choice over the newer values.
                current = AccountPlan.objects.get(pk=plan.pk)
                for name, heading, _ in SECTIONS:
                    saved = getattr(current, name)
                    if saved != form.cleaned_data.get(name, ""):
                        conflicts.append((heading, saved))
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = PlanForm(data, sections=sections)
                form.is_valid()
                form_add_domain_error(form, exc)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, "Saved the plan.")
                return redirect_after_post(request, _plan_url(account))
    else:
        initial = {name: getattr(plan, name) for name in SECTION_FIELDS}
        initial.update(
            version=plan.version,
            title=plan.title,
            period_start=plan.period_start,
            period_end=plan.period_end,
            review_cadence_days=plan.review_cadence_days,
        )
        form = PlanForm(initial=initial, sections=sections)
    return render(
        request,
        "plans/edit.html",
        {
            "account": account,
            "plan": plan,
            "form": form,
            "conflicts": conflicts,
            "approved": plan.status == PlanStatus.APPROVED,
            "plan_url": _plan_url(account),
            "submit_label": "Save the plan",
        },
    )


# --- Objectives, initiatives, actions ----------------------------------------------------------


def _simple_add(
    request: HtmxHttpRequest,
    pk: int,
    form_class: Callable[..., Form],
    title: str,
    create: Callable[[AccountPlan, dict[str, Any]], Any],
    *,
    people: bool = False,
    inline: bool = False,
    done: str = "Saved.",
) -> HttpResponseBase:
    account, found = plan_for_account(user=request.user, account_id=pk, write=True)
    plan = _plan_or_404(found)
    kwargs: dict[str, Any] = {"people": _people(account)} if people else {}
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            create(plan, form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect_after_post(request, _plan_url(account))
    return _form_page(request, account, form, title, inline=inline)


@login_required
@require_http_methods(["GET", "POST"])
def objective_add(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    def create(plan: AccountPlan, data: dict[str, Any]) -> Any:
        data = {k: v for k, v in data.items() if k != "version"}
        return services.objective_create(plan=plan, actor=request.user, **data)

    return _simple_add(request, pk, ObjectiveForm, "Add an objective", create, done="Added.")


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HtmxHttpRequest, pk: int, objective_pk: int) -> HttpResponseBase:
    account, found = plan_for_account(user=request.user, account_id=pk, write=True)
    plan = _plan_or_404(found)
    objective = Objective.objects.filter(pk=objective_pk, plan=plan).first()
    if objective is None:
        raise Http404("No such objective.")
    if request.method == "POST":
        form = ObjectiveForm(request.POST)
        if form.is_valid():
            try:
                services.objective_update(
                    objective=objective,
                    actor=request.user,
                    data=form.objective_fields(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as exc:
                current = Objective.objects.get(pk=objective.pk)
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = ObjectiveForm(data)
                form.is_valid()
                form_add_domain_error(form, exc)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, f"Saved the objective {objective.title}.")
                return redirect_after_post(request, _plan_url(account))
    else:
        form = ObjectiveForm(
            initial={
                "version": objective.version,
                **{name: getattr(objective, name) for name in services.OBJECTIVE_FIELDS},
            }
        )
    return _form_page(request, account, form, f"Edit the objective {objective.title}")


@login_required
@require_http_methods(["GET", "POST"])
def initiative_add(request: HtmxHttpRequest, pk: int, objective_pk: int) -> HttpResponseBase:
    def create(plan: AccountPlan, data: dict[str, Any]) -> Any:
        objective = Objective.objects.filter(pk=objective_pk, plan=plan).first()
        if objective is None:
            raise Http404("No such objective.")
        return services.initiative_create(
            objective=objective,
            actor=request.user,
            title=data["title"],
            description=data["description"],
            owner=_person(data["owner"]),
        )

    return _simple_add(
        request, pk, InitiativeForm, "Add an initiative", create, people=True, done="Added."
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HtmxHttpRequest, pk: int, initiative_pk: int) -> HttpResponseBase:
    def create(plan: AccountPlan, data: dict[str, Any]) -> Any:
        initiative = Initiative.objects.filter(pk=initiative_pk, objective__plan=plan).first()
        if initiative is None:
            raise Http404("No such initiative.")
        return services.action_create(
            initiative=initiative,
            actor=request.user,
            title=data["title"],
            owner=_person(data["owner"]),
            due_on=data["due_on"],
        )

    return _simple_add(
        request, pk, ActionForm, "Add an action", create, people=True, inline=True, done="Added."
    )


@login_required
@require_POST
def action_status(request: HtmxHttpRequest, pk: int, action_pk: int) -> HttpResponseBase:
    """Change an action's status (HTMX swaps the row): its owner, the account's owner or a
    director."""
    action = action_get_for_status_change(user=request.user, id=action_pk)
    if action.account_id != pk:
        raise Http404("No such action.")
    form = ActionStatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            action = services.action_update(
                action=action, actor=request.user, data={"status": form.cleaned_data["status"]}
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = "Choose a status."
    if is_htmx(request):
        action.overdue = action.is_open and action.due_on < timezone.localdate()  # type: ignore[attr-defined]
        row = action_row(
            action, account_id=pk, can_update=True, csrf=get_token(request), error=error
        )
        return HttpResponse(row, status=422 if error else 200)
    if error:
        messages.error(request, error)
    return redirect_after_post(request, reverse("plans:detail", args=[pk]))


# --- Milestones, risks, reviews ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    def create(plan: AccountPlan, data: dict[str, Any]) -> Any:
        return services.milestone_create(plan=plan, actor=request.user, **data)

    return _simple_add(request, pk, MilestoneForm, "Add a milestone", create, done="Added.")


@login_required
@require_POST
def milestone_reach(request: HtmxHttpRequest, pk: int, milestone_pk: int) -> HttpResponseBase:
    account, found = plan_for_account(user=request.user, account_id=pk, write=True)
    plan = _plan_or_404(found)
    milestone = Milestone.objects.filter(pk=milestone_pk, plan=plan).first()
    if milestone is None:
        raise Http404("No such milestone.")
    services.milestone_reach(milestone=milestone, actor=request.user)
    messages.success(request, f"Marked {milestone.title} as reached.")
    return redirect_after_post(request, _plan_url(account))


@login_required
@require_http_methods(["GET", "POST"])
def risk_add(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    def create(plan: AccountPlan, data: dict[str, Any]) -> Any:
        data = {**data, "owner": _person(data["owner"])}
        return services.risk_create(plan=plan, actor=request.user, **data)

    return _simple_add(request, pk, RiskForm, "Add a risk", create, people=True, done="Added.")


@login_required
@require_http_methods(["GET", "POST"])
def review_add(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    def create(plan: AccountPlan, data: dict[str, Any]) -> Any:
        return services.review_record(plan=plan, actor=request.user, **data)

    return _simple_add(request, pk, ReviewForm, "Record a review", create, done="Recorded.")


# --- Workflow ----------------------------------------------------------------------------------


def _workflow(
    request: HtmxHttpRequest, pk: int, step: str, *, director_only: bool
) -> HttpResponseBase:
    # Approvers need only read the account: a delegate (an executive, say) owns none.
    account, found = plan_for_account(user=request.user, account_id=pk, write=not director_only)
    plan = _plan_or_404(found)
    user: Any = request.user
    if director_only and not services.plan_may_approve(user):
        raise PermissionDenied("Only a programme director or their delegate can do this.")
    form = WorkflowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form was incomplete; reload the page and try again.")
        return redirect_after_post(request, _plan_url(account))
    version = form.cleaned_data["version"]
    comment = form.cleaned_data["comment"]
    try:
        if step == "submit":
            services.plan_submit(plan=plan, actor=user, comment=comment, expected_version=version)
            messages.success(request, "Submitted the plan for approval.")
        elif step == "approve":
            approved = services.plan_approve(
                plan=plan, actor=user, comment=comment, expected_version=version
            )
            messages.success(request, f"Approved the plan as version {approved.number}.")
        else:
            services.plan_return(plan=plan, actor=user, comment=comment, expected_version=version)
            messages.success(request, "Returned the plan to its owner.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect_after_post(request, _plan_url(account))


@login_required
@require_POST
def plan_submit(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    return _workflow(request, pk, "submit", director_only=False)


@login_required
@require_POST
def plan_approve(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    return _workflow(request, pk, "approve", director_only=True)


@login_required
@require_POST
def plan_return(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    return _workflow(request, pk, "return", director_only=True)


# --- Versions ----------------------------------------------------------------------------------


@login_required
def plan_versions(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The approved versions; with `left` and `right`, two of them side by side."""
    account, found = plan_for_account(user=request.user, account_id=pk)
    plan = _plan_or_404(found)
    context = _tab_context(request, account)
    versions = list(plan.versions.select_related("approved_by").defer("snapshot"))
    context.update({"plan": plan, "versions": versions})
    form = CompareForm(request.GET) if "left" in request.GET else None
    if form is not None and form.is_valid():
        left, right = plan_version_pair(
            plan=plan, left=form.cleaned_data["left"], right=form.cleaned_data["right"]
        )
        headings = {name: heading for name, heading, _ in SECTIONS}
        rows = snapshot_compare(left.snapshot, right.snapshot, headings)
        context.update(
            {
                "left": left,
                "right": right,
                "rows": rows,
                "changed": sum(1 for r in rows if r.change != "same"),
            }
        )
    elif form is not None:
        context["compare_error"] = "Choose two versions to compare."
    if len(versions) >= 2 and "left" not in context:
        context["default_left"] = versions[1].number
        context["default_right"] = versions[0].number
    return render(request, "plans/versions.html", context)


# --- Exports -----------------------------------------------------------------------------------


def _export_name(account: Account, suffix: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in account.name).strip("-") or "account"
    return f"{safe}-plan{suffix}"


@login_required
def plan_export_pdf(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The plan as a PDF; `?audience=customer` leaves out the internal sections and risks."""
    account, found = plan_for_account(user=request.user, account_id=pk)
    plan = _plan_or_404(found)
    customer = request.GET.get("audience") == "customer"
    team = account_team_summary(account=account)
    data = plan_pdf(
        plan_page(plan=plan), account_name=account.name, team=team, customer_facing=customer
    )
    response = HttpResponse(data, content_type="application/pdf")
    name = _export_name(account, "-customer.pdf" if customer else ".pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_export_xlsx(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    account, found = plan_for_account(user=request.user, account_id=pk)
    plan = _plan_or_404(found)
    response = HttpResponse(
        plan_xlsx(plan_page(plan=plan)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(account, ".xlsx")}"'
    return response
