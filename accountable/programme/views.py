"""The programme director's settings page: the cap, positions, business units."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accountable.core.errors import DomainError
from accountable.core.forms import form_add_domain_error
from accountable.core.views import redirect_after_post
from accountable.people.forms import BusinessUnitForm, PositionForm
from accountable.people.models import BusinessUnit, Position
from accountable.people.services import business_unit_create, position_create
from accountable.programme.forms import CapForm
from accountable.programme.selectors import programme_settings
from accountable.programme.services import programme_settings_update


def _require_director(request: HttpRequest) -> None:
    if not request.user.is_director:  # type: ignore[union-attr]
        raise PermissionDenied("Only a programme director can change the programme's settings.")


def _settings_page(request: HttpRequest, **forms: Any) -> HttpResponse:
    current = programme_settings()
    context = {
        "settings": current,
        "cap_form": forms.get("cap_form")
        or CapForm(initial={"key_accounts_per_kam_cap": current.key_accounts_per_kam_cap}),
        "position_form": forms.get("position_form") or PositionForm(),
        "business_unit_form": forms.get("business_unit_form") or BusinessUnitForm(),
        "positions": Position.objects.annotate(people_count=Count("people")),
        "business_units": BusinessUnit.objects.annotate(people_count=Count("people")),
    }
    return render(request, "programme/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponseBase:
    """The page, and the cap form posted to it."""
    _require_director(request)
    if request.method == "POST":
        form = CapForm(request.POST)
        if form.is_valid():
            try:
                programme_settings_update(
                    actor=request.user,
                    key_accounts_per_kam_cap=form.cleaned_data["key_accounts_per_kam_cap"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    "Saved the cap: "
                    f"{form.cleaned_data['key_accounts_per_kam_cap']} pilot or key "
                    "account(s) per KAM.",
                )
                return redirect_after_post(request, reverse("programme:settings"))
        return _settings_page(request, cap_form=form)
    return _settings_page(request)


@login_required
@require_POST
def position_add(request: HttpRequest) -> HttpResponseBase:
    _require_director(request)
    form = PositionForm(request.POST)
    if form.is_valid():
        try:
            position = position_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                can_own_accounts=form.cleaned_data["can_own_accounts"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Added the position {position.name}.")
            return redirect_after_post(request, reverse("programme:settings"))
    return _settings_page(request, position_form=form)


@login_required
@require_POST
def business_unit_add(request: HttpRequest) -> HttpResponseBase:
    _require_director(request)
    form = BusinessUnitForm(request.POST)
    if form.is_valid():
        try:
            unit = business_unit_create(
                actor=request.user, name=form.cleaned_data["name"], code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, f"Added the business unit {unit.name}.")
            return redirect_after_post(request, reverse("programme:settings"))
    return _settings_page(request, business_unit_form=form)
