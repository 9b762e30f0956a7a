"""The home page, the error pages, and what every page view shares."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from accountable.core.selectors import my_accounts_for_user, programme_overview_for_user


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (for the type checker)."""

    htmx: HtmxDetails


def is_htmx(request: HttpRequest) -> bool:
    """True for an htmx request that wants a fragment (not a history restore, which needs the
    whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def lookup_response(request: HttpRequest, items: list[tuple[int, str, str]]) -> HttpResponse:
    """Search-as-you-type results for a `LookupInput`: (pk, label, detail) rows, each filling
    the field named by the request's `for` (checked to be a plain id, as it goes into markup)."""
    target = request.GET.get("for", "")
    if not target.replace("_", "").replace("-", "").isalnum():
        target = ""
    return render(
        request,
        "core/partials/lookup_results.html",
        {
            "results": [
                {"pk": pk, "label": label, "detail": detail} for pk, label, detail in items
            ],
            "target": target,
            "q": request.GET.get("q", "").strip(),
        },
    )


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponseBase:
    """Post/redirect/get; an htmx form gets a client-side redirect so the whole page reloads."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A KAM's or team member's own accounts; for directors and executives the programme
    overview as well."""
    user: Any = request.user
    context: dict[str, Any] = {"mine": my_accounts_for_user(user=user)}
    if user.reads_everything:
        overview = programme_overview_for_user(user=user)
        context["overview"] = overview
        context["kam_chart"] = {
            "cap": overview.cap,
            "rows": [
                {"name": str(row["person"]), "owned": row["owned"]} for row in overview.kam_load
            ],
        }
    return render(request, "core/home.html", context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "core/error.html", {"status": 400, "message": "Bad request."}, status=400
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception) if exception is not None and str(exception) else ("You may not do this.")
    )
    return render(request, "core/error.html", {"status": 403, "message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"status": 404, "message": "There is no such page, or it is not yours to see."},
        status=404,
    )


DATABASE_UNAVAILABLE = (
    "The database cannot be reached just now, so nothing was saved. Please try again in a "
    "minute; if it keeps happening, tell your administrator."
)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; a 503 that says so when the database went away (Django calls this inside
    its `except`, so the exception is at hand). An API path gets the API's JSON error shape."""
    failure = sys.exc_info()[1]
    if isinstance(failure, OperationalError | InterfaceError):
        status, code, message = 503, "service_unavailable", DATABASE_UNAVAILABLE
    else:
        status, code, message = 500, "server_error", "Something went wrong; nothing was saved."
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": {"status": status, "code": code, "message": message, "fields": {}}},
            status=status,
        )
    else:
        # `bare`: the page must not touch the session or the database, which may be what failed.
        response = render(
            request,
            "core/error.html",
            {
                "status": status,
                "message": message,
                "bare": True,
                "request_id": getattr(request, "request_id", ""),
            },
            status=status,
        )
    if status == 503:
        response["Retry-After"] = "30"
    return response
