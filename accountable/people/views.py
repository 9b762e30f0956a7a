"""Our people: the list and a person's page (their accounts, load and the cap)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accountable.accounts.selectors import person_list, person_lookup, person_page_for_user
from accountable.core.views import lookup_response


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
    page = person_page_for_user(viewer=request.user, id=pk)
    reports = list(page.person.reports.filter(is_active=True).select_related("position"))
    return render(
        request,
        "people/detail.html",
        {
            "page": page,
            "person": page.person,
            "reports": reports,
            "over_cap": page.key_accounts_owned > page.cap,
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
