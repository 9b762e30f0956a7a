"""Health and readiness probes, and the pages of refusals that are not permission errors: a
sign-in locked after too many failures, a form that failed its CSRF check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accountable.ops.selectors import readiness_report


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answering (liveness): touches nothing else, so a database outage
    does not make the orchestrator restart healthy app servers."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: the database answers, its migrations are applied, the job queue is
    reachable (and the replica, if configured). 503 with the failing checks otherwise."""
    report = readiness_report()
    return JsonResponse(
        {"status": "ready" if report.ready else "not ready", "checks": report.checks},
        status=200 if report.ready else 503,
    )


def login_locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kw: Any) -> Any:
    """django-axes calls this instead of signing in once a username has failed too often from
    one address: the sign-in page again, with why and for how long, as 429."""
    from django.contrib.auth.forms import AuthenticationForm

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Unbound (a bound form would check the password again); the username is kept.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    message = (
        f"Too many failed sign-ins for this username from your network address. Sign-in is "
        f"paused for {minutes} minutes; try again then, or ask a programme director to lift "
        "the lock (Admin → Access attempts)."
    )
    form.errors[NON_FIELD_ERRORS] = form.error_class([message], error_class="nonfield")
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", "")},
        status=429,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form without a valid CSRF token (expired page, or posted from another site)."""
    return render(
        request,
        "core/error.html",
        {
            "status": 403,
            "message": "This form could not be accepted: it was opened too long ago or came "
            "from another site. Nothing was saved. Go back, reload the page and try again.",
            "bare": True,
        },
        status=403,
    )
