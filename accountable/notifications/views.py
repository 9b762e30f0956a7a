"""The notification list and the two actions on an alert."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accountable.core.errors import DomainError
from accountable.core.views import HtmxHttpRequest, redirect_after_post
from accountable.notifications import services
from accountable.notifications.selectors import alert_get_for_user, alert_list_for_user


class DismissForm(forms.Form):
    reason = forms.CharField(max_length=2000)


@login_required
def notification_list(request: HtmxHttpRequest) -> HttpResponse:
    page = Paginator(alert_list_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(
        request, "notifications/list.html", {"page_obj": page, "alerts": list(page.object_list)}
    )


@login_required
@require_POST
def add_to_team(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    alert = alert_get_for_user(user=request.user, id=pk, write=True)
    try:
        services.alert_add_to_team(alert=alert, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{alert.subject_user} is now on the {alert.account} team.")
    return redirect_after_post(request, reverse("notifications:list"))


@login_required
@require_http_methods(["POST"])
def dismiss(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    alert = alert_get_for_user(user=request.user, id=pk, write=True)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you dismiss the alert.")
        return redirect_after_post(request, reverse("notifications:list"))
    try:
        services.alert_dismiss(alert=alert, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Dismissed the alert.")
    return redirect_after_post(request, reverse("notifications:list"))
