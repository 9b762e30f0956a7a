"""What every app's `api.py` builds on: the error and page schemas, strict input schemas, ids
that fit a database column, and the caller.

Kept apart from `accountable.api` (the NinjaAPI root) because the root imports each app's router;
an app importing the root back would make the import order matter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar, get_args

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, ValidationInfo, field_validator

from accountable.core.errors import ValidationFailed
from accountable.people.models import User

# Primary keys are 64-bit; a larger number is not an id of anything and must not reach the
# database driver (SQLite and PostgreSQL both raise on it).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _clean_text(value: Any) -> Any:
    """Refuse text no database stores: NUL characters (PostgreSQL) and lone surrogates (UTF-8)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("Text cannot contain NUL characters.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("Text must be valid Unicode.") from exc
    elif isinstance(value, list | tuple):
        for item in value:
            _clean_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key)
            _clean_text(item)
    return value


def _iso_datetime(value: Any) -> Any:
    """ISO 8601 only: pydantic would also read a bare number as seconds since 1970."""
    if isinstance(value, dt.datetime | None):
        return value
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
            if parsed is None and (day := parse_date(value)) is not None:
                parsed = dt.datetime.combine(day, dt.time())
        except ValueError as exc:
            raise ValueError("Not a valid date-time.") from exc
        if parsed is not None:
            return parsed
    raise ValueError("Expected an ISO 8601 date-time, e.g. 2026-01-31T09:00:00Z.")


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """A naive date-time means the server's time zone; every one must be expressible in UTC."""
    if value is None:
        return None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("Date-time out of range.") from exc
    return value


AwareDatetime = Annotated[dt.datetime, BeforeValidator(_iso_datetime), AfterValidator(_aware)]


def _iso_date(value: Any) -> Any:
    """ISO 8601 dates only (2026-01-31): pydantic would also read a number as a day in 1970."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("Expected an ISO 8601 date, e.g. 2026-01-31.") from exc
    raise ValueError("Expected an ISO 8601 date, e.g. 2026-01-31.")


# A date in a request: ISO 8601, and near enough that a few years added or taken stay a date.
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31)),
]


class QueryIn(Schema):
    """Query parameters: text checked like a body's; unknown parameters are ignored."""

    @field_validator("*")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _clean_text(value)


def omissible(**constraints: Any) -> Any:
    """A PATCH field that may be left out (then unchanged) but not sent as null: its type says
    what a value must be, and validation never runs on the default that marks it as left out."""
    return Field(None, **constraints)


class BodyIn(QueryIn):
    """A request body: unknown fields are refused, so a misspelt field is never silently lost;
    true/false is taken for a yes/no field only, and only true/false is."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _booleans_only_for_yes_no(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None or value is None:
            return value
        annotation = cls.model_fields[info.field_name].annotation
        yes_no = annotation is bool or bool in get_args(annotation)
        if isinstance(value, bool) and not yes_no:
            raise ValueError("Expected a value of the field's type, not true or false.")
        if yes_no and not isinstance(value, bool):
            raise ValueError("Expected true or false.")
        return value


# --- Errors ------------------------------------------------------------------------------------


class ErrorDetail(Schema):
    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(
        description="Stable, machine-readable: bad_request, unauthenticated, forbidden, "
        "not_found, method_not_allowed, conflict, cap_exceeded, stale_edit, validation_failed, "
        "server_error, service_unavailable."
    )
    message: str = Field(description="What went wrong and what to do, for a person to read.")
    fields: dict[str, list[str]] = Field(description="Messages per input field, if any.")


class ErrorOut(Schema):
    """The one error shape of the API."""

    error: ErrorDetail


READ_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# --- Pages -------------------------------------------------------------------------------------


class PageIn(QueryIn):
    limit: int = Field(
        settings.ACCOUNTABLE_PAGE_SIZE,
        ge=1,
        le=settings.ACCOUNTABLE_API_MAX_PAGE_SIZE,
        description=f"Items per page, at most {settings.ACCOUNTABLE_API_MAX_PAGE_SIZE}.",
    )
    offset: int = Field(0, ge=0, le=2**31 - 1, description="Items to skip.")


T = TypeVar("T")


class Page(Schema, Generic[T]):
    """One page of a list; follow `next` until it is null."""

    count: int = Field(description="Items in the whole filtered list.")
    limit: int
    offset: int
    next: str | None = Field(description="The next page's URL (path and query), or null.")
    previous: str | None = Field(description="The previous page's URL, or null.")
    items: list[T]


def page_of(
    request: HttpRequest,
    queryset: QuerySet[Any],
    page: PageIn,
    rows: Callable[[list[Any]], Sequence[Any]] | None = None,
) -> dict[str, Any]:
    """Two queries (count, page) plus whatever `rows` adds for the whole page at once."""
    count = queryset.count()
    items: Sequence[Any] = list(queryset[page.offset : page.offset + page.limit])
    if rows is not None:
        items = rows(list(items))

    def link(offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(page.limit)
        return f"{request.path}?{query.urlencode()}"

    end = page.offset + page.limit
    return {
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "next": link(end) if end < count else None,
        "previous": link(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
        "items": items,
    }


# --- The caller --------------------------------------------------------------------------------


def caller(request: HttpRequest) -> User:
    """The user the request's token belongs to (authentication has run)."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user


def director_required(request: HttpRequest, what: str) -> User:
    """The caller, if a programme director; otherwise 403 naming what they tried to do."""
    user = caller(request)
    if not user.is_director:
        raise PermissionDenied(f"Only a programme director can {what}.")
    return user


M = TypeVar("M", bound=Model)


def object_or_422(queryset: QuerySet[M], id: int | None, field: str, label: str) -> M:
    """The object a request body refers to by id; an unknown id is a field error (422), not a
    missing page (404), since the URL itself was right."""
    obj = queryset.filter(pk=id).first() if id is not None else None
    if obj is None:
        raise ValidationFailed(f"There is no {label} with id {id}.", field=field)
    return obj
