"""Request/response plumbing shared by every app."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class ApiMethodNotAllowedMiddleware:
    """A wrong method on an API path answers in the API's one error shape, not Django's empty
    text/html 405 (django-ninja returns that before any of its exception handlers run)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            message = f"{request.method} is not allowed here" + (
                f"; use {allowed}." if allowed else "."
            )
            replaced = JsonResponse(
                {
                    "error": {
                        "status": 405,
                        "code": "method_not_allowed",
                        "message": message,
                        "fields": {},
                    }
                },
                status=405,
            )
            if allowed:
                replaced["Allow"] = allowed
            return replaced
        return response
