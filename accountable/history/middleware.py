from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accountable.history.models import Source
from accountable.history.services import audit_context


class AuditContextMiddleware:
    """Attribute changes made during a request to the signed-in user and the request's channel."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            source = Source.API  # the API's auth sets the actor once the token is checked
        elif request.path.startswith("/admin/"):
            source = Source.ADMIN
        else:
            source = Source.WEB
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with audit_context(actor=actor, source=source, actor_label="anonymous"):
            return self.get_response(request)
