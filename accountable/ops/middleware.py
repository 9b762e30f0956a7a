"""Request plumbing for production: the request id and the one log line per request, health
probes answered before anything else, and reads sent to the replica when that is safe."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from accountable.ops.logging import request_id_var
from accountable.ops.routers import PIN_COOKIE, replica_reads

logger = logging.getLogger("accountable.request")

# A request id from the proxy is kept only if it is short and plain: it goes into every log
# line and back out in a header.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEALTH_PATHS = ("/healthz", "/readyz")

Handler = Callable[[HttpRequest], HttpResponse]


def client_ip(request: HttpRequest) -> str:
    """The client's address: behind our reverse proxy (BEHIND_PROXY=true) the last address of
    X-Forwarded-For, the one the proxy itself appended (earlier ones the client can forge);
    otherwise the address of the connection."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id if authentication has already run; never a new query (the
    database may be what just failed)."""
    user: Any = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        wrapped = user._wrapped  # type: ignore[attr-defined]
        if wrapped is empty:
            return None
        user = wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "pk", None)


class RequestLogMiddleware:
    """First in the chain: gives each request an id (the proxy's X-Request-ID if it sent a
    plain one, else a new one), returns it in X-Request-ID, and logs one line when the response
    leaves: method, path, status, duration, user id, client address, request id."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            status = response.status_code
            # Load balancers probe every few seconds: log a probe only when it fails.
            if request.path not in HEALTH_PATHS or status != 200:
                level = logging.ERROR if status >= 500 else logging.INFO
                logger.log(
                    level,
                    "%s %s %s",
                    request.method,
                    request.path,
                    status,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                        "client_ip": client_ip(request),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before host checks, the HTTPS redirect, sessions and
    authentication: a load balancer probes an app server by its address over plain HTTP, and a
    probe must not depend on what it is probing (the session table, for one)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in HEALTH_PATHS and request.method in ("GET", "HEAD"):
            from accountable.ops import views

            return views.healthz(request) if request.path == "/healthz" else views.readyz(request)
        return self.get_response(request)


class ReplicaReadsMiddleware:
    """Lets a GET or HEAD read from the replica (when one is configured), except for a browser
    that wrote a moment ago: after a write it is pinned to the primary for a few seconds, so a
    user always sees their own change even if the replica lags behind."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not getattr(settings, "REPLICA_DATABASE", None):
            return self.get_response(request)
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        use_replica = safe and PIN_COOKIE not in request.COOKIES
        with replica_reads(use_replica):
            response = self.get_response(request)
        if not safe and response.status_code < 400:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
