"""The REST API root, `/api/v1/`: token auth, one JSON error shape, the routers of each app.

Every error is `{"error": {"status": int, "code": str, "message": str, "fields": {name: [msg]}}}`.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from accountable.core.errors import DomainError
from accountable.core.views import DATABASE_UNAVAILABLE
from accountable.history.services import audit_context_current
from accountable.people.services import api_token_authenticate

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        # Attribute API changes to the token's user (the middleware ran before auth).
        from accountable.history.services import _context

        _context.set(
            audit_context_current().__class__(actor=user, source="api", reason="", actor_label="")
        )
        return user


class StrictQueryParser(Parser):
    """A parameter given twice where the schema takes one value is refused (422), not read as
    its last value: `?industry=A&industry=B` must not quietly mean `?industry=B`."""

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in data:
            values = data.getlist(key)
            result[key] = values if key in list_fields or len(values) > 1 else values[0]
        return result


api = NinjaAPI(
    title="Accountable API",
    version="1",
    description="Key account management: customer accounts, our people, account teams, "
    "ownership and history. Authenticate with `Authorization: Bearer <token>` "
    "(create one with `accountable token USERNAME`).",
    auth=BearerToken(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    parser=StrictQueryParser(),
)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}},
        status=status,
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    fields = getattr(exc, "errors", None) or ({exc.field: [exc.message]} if exc.field else {})
    return error_response(request, exc.status, exc.code, exc.message, fields)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc) or "You may not do this.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = error_response(
        request, 401, "unauthenticated", "Send a valid API token: Authorization: Bearer <token>."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


# The names the apps' views give to a schema of fields (`payload: AccountPatchIn`,
# `filters: Query[AccountFilterIn]`); never shown in error field names.
PARAMETER_GROUPS = ("payload", "filters", "page", "params")


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "name") → "name": drop where the value came from and the name of
        # the view's parameter that groups the fields, neither of which the client sent.
        loc = [str(p) for p in error.get("loc", [])]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        if len(loc) > 1 and loc[0] in PARAMETER_GROUPS:
            loc = loc[1:]
        fields.setdefault(".".join(loc) or "request", []).append(str(error.get("msg", "invalid")))
    first = next(iter(fields.items()), ("request", ["invalid"]))
    return error_response(request, 422, "validation_failed", f"{first[0]}: {first[1][0]}", fields)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    fields = {k: [str(m) for m in v] for k, v in getattr(exc, "message_dict", {}).items()}
    return error_response(request, 422, "validation_failed", "; ".join(exc.messages), fields)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        422: "validation_failed",
        429: "too_many_requests",
    }
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database went away (restart, failover, network): 503, try again, nothing saved."""
    logger.error("Database unavailable in %s %s", request.method, request.path, exc_info=exc)
    response = error_response(request, 503, "service_unavailable", DATABASE_UNAVAILABLE)
    response["Retry-After"] = "30"
    return response


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug, not bad input: logged with its traceback, answered in the one error shape."""
    logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
    return error_response(
        request, 500, "server_error", "Something went wrong on our side; the error has been logged."
    )


def _register_routers() -> None:
    """Each domain app's `api.py` exposes `router`; mounted here under `/api/v1/`."""
    from importlib import import_module

    for module in (
        "accountable.accounts.api",
        "accountable.people.api",
        "accountable.history.api",
        "accountable.programme.api",
        "accountable.selection.api",
        "accountable.relationships.api",
        "accountable.revenue.api",
        "accountable.exchange.api",
        "accountable.plans.api",
    ):
        try:
            router = import_module(module).router
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        api.add_router("", router)


_register_routers()


def _unknown_endpoint() -> Router:
    """Mounted last: any other URL under /api/v1/ gets a 404 in the error shape, not a page."""
    router = Router()
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    def unknown(request: HttpRequest) -> HttpResponse:
        raise Http404("No such API endpoint; the schema at /api/v1/openapi.json lists them all.")

    @router.api_operation(methods, "/", auth=None, include_in_schema=False)
    def unknown_root(request: HttpRequest) -> HttpResponse:
        return unknown(request)

    @router.api_operation(methods, "/{path:rest}", auth=None, include_in_schema=False)
    def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
        return unknown(request)

    return router


api.add_router("", _unknown_endpoint())
