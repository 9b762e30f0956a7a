"""Our people: the list, a person's page (their accounts, load and the cap), their API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accountable.accounts.selectors import person_list, person_lookup, person_page_for_user
from accountable.core.errors import DomainError
from accountable.core.forms import form_add_domain_error
from accountable.core.views import lookup_response
from accountable.people.forms import ApiTokenCreateForm
from accountable.people.selectors import (
    api_token_get_for_user,
    api_token_owner_for_user,
    api_tokens_visible_to,
)
from accountable.people.services import api_token_create, api_token_revoke


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    people = person_list(q=q).select_related("manager")
    page_obj = Paginator(people, settings.ACCOUNTABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/list.html", {"page_obj": page_obj, "q": q})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone signed in may see a colleague's page; the accounts on it are only those the
    viewer may see, the others are counted."""
    viewer: Any = request.user
    page = person_page_for_user(viewer=viewer, id=pk)
    reports = list(page.person.reports.filter(is_active=True).select_related("position"))
    return render(
        request,
        "people/detail.html",
        {
            "page": page,
            "person": page.person,
            "reports": reports,
            "over_cap": page.key_accounts_owned > page.cap,
            "sees_tokens": page.person.pk == viewer.pk or viewer.is_director,
            "overloaded": page.total_allocation > 100,
        },
    )


@login_required
def person_lookup_view(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type results for choosing a person (adding someone to an account team)."""
    people = person_lookup(q=request.GET.get("q", ""))
    return lookup_response(
        request,
        [
            (
                p.pk,
                str(p),
                " · ".join(str(part) for part in (p.position, p.business_unit) if part),
            )
            for p in people
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's API tokens: theirs to make (the value is shown once, on this answer, and
    never again), theirs or a director's to revoke. Nobody else's page to see (404)."""
    person = api_token_owner_for_user(viewer=request.user, id=pk)
    own = person.pk == request.user.pk
    created = None
    form = ApiTokenCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not own:
            raise PermissionDenied("Only the person themselves can make their API tokens.")
        if form.is_valid():
            try:
                token, raw = api_token_create(
                    user=person, name=form.cleaned_data["name"], actor=request.user
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                created = {"token": token, "raw": raw}
                form = ApiTokenCreateForm()
    tokens = api_tokens_visible_to(viewer=request.user).filter(user=person)
    response = render(
        request,
        "people/tokens.html",
        {"person": person, "own": own, "tokens": tokens, "form": form, "created": created},
    )
    if created:
        response["Cache-Control"] = "no-store"  # the token's value must not be kept anywhere
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponseBase:
    token = api_token_get_for_user(viewer=request.user, id=token_pk)
    if token.user_id != pk:
        raise Http404("No such API token.")
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Revoked the API token {token.prefix}… ({token.name or 'no name'}).")
    return redirect("people:tokens", pk=pk)
