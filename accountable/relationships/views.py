"""Pages of the relationships app: the Stakeholders, Relationship map and Activity tabs of an
account, a stakeholder's page, and the forms that change them. Views check access through the
selectors and call one service per form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountable.accounts.models import Account
from accountable.accounts.selectors import Access, account_get_for_user
from accountable.accounts.services import current_ownership
from accountable.core.errors import DomainError
from accountable.core.forms import form_add_domain_error
from accountable.core.views import HtmxHttpRequest, redirect_after_post
from accountable.relationships import services
from accountable.relationships.forms import (
    InteractionForm,
    OwnerForm,
    SettingsForm,
    StakeholderForm,
)
from accountable.relationships.models import Influence, RelationshipSettings
from accountable.relationships.selectors import (
    account_get_for_logging,
    interaction_feed_for_account,
    interaction_list_for_stakeholder,
    relationship_map_for_account,
    relationship_settings_current,
    stakeholder_get_for_user,
    stakeholder_list_for_account,
    strength_map_for_account,
)

FEED_PAGE = 25


def _posted(request: HtmxHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _may_log(user: Any, account: Account) -> bool:
    if account.access >= Access.WRITE:  # type: ignore[attr-defined]
        return True
    return bool(getattr(account, "user_on_team", False))


def _tab_context(request: HtmxHttpRequest, account: Account, tab: str) -> dict[str, Any]:
    return {
        "account": account,
        "ownership": current_ownership(account),
        "can_write": account.access >= Access.WRITE,  # type: ignore[attr-defined]
        "can_log": _may_log(request.user, account),
        "is_director": request.user.is_director,  # type: ignore[union-attr]
        "tab": tab,
    }


# --- Tabs of the account page -----------------------------------------------------------------


@login_required
def stakeholder_list(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The customer's people: roles, attitude, influence, who owns each relationship."""
    account = account_get_for_user(user=request.user, id=pk)
    context = _tab_context(request, account, "stakeholders")
    stakeholders = stakeholder_list_for_account(account=account)
    context["current"] = [s for s in stakeholders if s.left_at is None]
    context["former"] = [s for s in stakeholders if s.left_at is not None]
    return render(request, "relationships/stakeholders.html", context)


@login_required
def activity(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Everything the team did with the customer, newest first: the account's activity feed."""
    account = account_get_for_user(user=request.user, id=pk)
    context = _tab_context(request, account, "activity")
    page = Paginator(
        interaction_feed_for_account(account=account, limit=10_000), FEED_PAGE
    ).get_page(request.GET.get("page"))
    context["page_obj"] = page
    context["interactions"] = list(page.object_list)
    return render(request, "relationships/activity.html", context)


# --- A stakeholder -----------------------------------------------------------------------------


@login_required
def stakeholder_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stakeholder = stakeholder_get_for_user(user=request.user, id=pk)
    account = account_get_for_user(user=request.user, id=stakeholder.account_id)
    context = _tab_context(request, account, "stakeholders")
    strengths = strength_map_for_account(account_id=account.pk)
    owners = list(stakeholder.owners.select_related("user").order_by("-is_primary", "id"))
    for owner in owners:
        owner.strength = strengths.get((stakeholder.pk, owner.user_id))  # type: ignore[attr-defined]
    others = [
        (user_id, score)
        for (sid, user_id), score in strengths.items()
        if sid == stakeholder.pk and user_id not in {o.user_id for o in owners}
    ]
    context.update(
        {
            "stakeholder": stakeholder,
            "owners": owners,
            "other_contacts": others,
            "reports": list(stakeholder.reports.order_by("name")),
            "influences": list(
                Influence.objects.filter(source=stakeholder).select_related("target")
            ),
            "influenced_by": list(
                Influence.objects.filter(target=stakeholder).select_related("source")
            ),
            "interactions": list(interaction_list_for_stakeholder(stakeholder=stakeholder)[:50]),
        }
    )
    return render(request, "relationships/stakeholder.html", context)


def _form_page(
    request: HtmxHttpRequest, account: Account, form: Any, title: str, action: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "accounts/form_page.html",
        {"account": account, "form": form, "title": title, "action": action, **extra},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create_view(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    account = account_get_for_user(user=request.user, id=pk, write=True)
    form = StakeholderForm(_posted(request), account=account)
    if request.method == "POST" and form.is_valid():
        fields = form.stakeholder_fields()
        try:
            stakeholder = services.stakeholder_create(
                account=account,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                **fields,
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Added {stakeholder.name}.")
            return redirect_after_post(
                request, reverse("relationships:stakeholder", args=[stakeholder.pk])
            )
    return _form_page(
        request,
        account,
        form,
        "New stakeholder",
        reverse("relationships:stakeholder_create", args=[pk]),
        submit_label="Add stakeholder",
        cancel_url=reverse("relationships:stakeholders", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    stakeholder = stakeholder_get_for_user(user=request.user, id=pk, write=True)
    account = account_get_for_user(user=request.user, id=stakeholder.account_id, write=True)
    if request.method == "POST":
        form = StakeholderForm(request.POST, account=account, stakeholder=stakeholder)
        if form.is_valid():
            try:
                services.stakeholder_update(
                    stakeholder=stakeholder,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    **form.stakeholder_fields(),
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, f"Saved {stakeholder.name}.")
                return redirect_after_post(
                    request, reverse("relationships:stakeholder", args=[stakeholder.pk])
                )
    else:
        form = StakeholderForm(
            initial=StakeholderForm.initial_for(stakeholder),
            account=account,
            stakeholder=stakeholder,
        )
    return _form_page(
        request,
        account,
        form,
        f"Edit {stakeholder.name}",
        reverse("relationships:stakeholder_edit", args=[pk]),
        cancel_url=reverse("relationships:stakeholder", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def owner_set(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    """Name who on our side owns (or is in touch with) a stakeholder, with their assessment."""
    stakeholder = stakeholder_get_for_user(user=request.user, id=pk, write=True)
    account = account_get_for_user(user=request.user, id=stakeholder.account_id, write=True)
    form = OwnerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.relationship_owner_set(
                stakeholder=stakeholder,
                user=data["user"],
                actor=request.user,
                is_primary=data["is_primary"],
                assessment=data["assessment"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"{data['user']} is in touch with {stakeholder.name}.")
            return redirect_after_post(
                request, reverse("relationships:stakeholder", args=[stakeholder.pk])
            )
    return _form_page(
        request,
        account,
        form,
        f"Who owns the relationship with {stakeholder.name}",
        reverse("relationships:owner_set", args=[pk]),
        intro="One primary owner; others may also be in touch. Naming someone primary moves "
        "the role from whoever had it.",
        cancel_url=reverse("relationships:stakeholder", args=[pk]),
    )


# --- Interactions -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interaction_create(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    """Log a meeting, call, email, visit or business review: the account team, its owner or a
    director."""
    account = account_get_for_logging(user=request.user, id=pk)
    initial: dict[str, Any] = {"participants": [request.user.pk]}
    if (sid := request.GET.get("stakeholder", "")).isdigit():
        initial["stakeholders"] = [int(sid)]
    form = InteractionForm(_posted(request), account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.interaction_log(
                account=account,
                actor=request.user,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                direction=data["direction"],
                participants=list(data["participants"]),
                stakeholders=list(data["stakeholders"]),
                business_unit=data["business_unit"],
                summary=data["summary"],
                next_steps=data["next_steps"],
                insights=form.insights(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Logged the interaction.")
            return redirect_after_post(request, reverse("relationships:activity", args=[pk]))
    return _form_page(
        request,
        account,
        form,
        "Log an interaction",
        reverse("relationships:interaction_create", args=[pk]),
        submit_label="Log it",
        cancel_url=reverse("relationships:activity", args=[pk]),
    )


# --- Settings (programme director) -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HtmxHttpRequest) -> HttpResponseBase:
    if not request.user.is_director:  # type: ignore[union-attr]
        raise PermissionDenied("Only a programme director changes the relationship settings.")
    current = relationship_settings_current()
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.relationship_settings_update(
                    actor=request.user, reason=form.cleaned_data["reason"], **form.settings_fields()
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, "Saved the relationship settings.")
                return redirect_after_post(request, reverse("relationships:settings"))
    else:
        form = SettingsForm(
            initial={f.name: getattr(current, f.name) for f in RelationshipSettings._meta.fields}
        )
    return render(
        request,
        "accounts/form_page.html",
        {
            "form": form,
            "title": "Relationship settings",
            "action": reverse("relationships:settings"),
            "intro": "The weights of relationship strength (relative to each other), how fast "
            "it decays, and when a relationship counts as weak, cold or single-threaded.",
        },
    )


@login_required
def relationship_map(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The customer's org chart with our owners, the coverage grid and the gaps."""
    account = account_get_for_user(user=request.user, id=pk)
    context = _tab_context(request, account, "map")
    everyone = request.GET.get("grid") == "all"
    context["map"] = relationship_map_for_account(
        account=account, **({"grid_rows": None} if everyone else {})
    )
    return render(request, "relationships/map.html", context)
