"""Errors that services raise and that pages and the API turn into clear messages.

Each carries an HTTP status so that the API's one JSON error shape and the pages' form errors
come from the same place: a service never returns a half-done result, it raises one of these.
"""

from typing import ClassVar


class DomainError(Exception):
    """A business rule refused the request; nothing was written."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"

    def __init__(
        self, message: str, *, field: str | None = None, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.errors = errors or ({field: [message]} if field else {})


class Conflict(DomainError):
    """The request clashes with the current state (a second owner, a stale edit, a duplicate)."""

    status = 409
    code = "conflict"


class CapExceeded(Conflict):
    code = "cap_exceeded"


class StaleEdit(Conflict):
    code = "stale_edit"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
