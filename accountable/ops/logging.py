"""Structured logs: one JSON object per line, with the request id of the request that logged it.

`LOG_FORMAT=json` (the default) is what a log shipper (journald, Loki, CloudWatch, …) wants;
`LOG_FORMAT=plain` is easier on a person watching a terminal. Both carry the request id, so
every line a request caused can be found from the id a user quotes off an error page.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextvars import ContextVar
from typing import Any

# The id of the request being served on this thread (set by RequestLogMiddleware).
request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# Attributes every LogRecord has; anything else was passed in `extra=` and is logged as a field.
# `request` (Django's, on django.request records) is left out: its repr repeats the path.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "request_id", "taskName", "request"}
)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request's id ("" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, the
    record's extra fields and, for an exception, its type and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
            if record.exc_info[0] is not None:
                entry["exception_type"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """Human-readable, with the request id and the request fields when there are any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", "")
        return f"{line} [{request_id}]" if request_id else line


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """The LOGGING setting: everything to stderr in one format, request ids on every line."""
    if fmt not in ("json", "plain"):
        raise ValueError(f"LOG_FORMAT must be json or plain, not {fmt!r}")
    formatter = (
        "accountable.ops.logging.JsonFormatter"
        if fmt == "json"
        else ("accountable.ops.logging.PlainFormatter")
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "accountable.ops.logging.RequestIdFilter"}},
        "formatters": {"main": {"()": formatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request comes from accountable.request; Django's own would repeat
            # every 4xx/5xx (5xx tracebacks still come from django.request).
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            # Gunicorn's access log is off (accountable.request says more); its own messages
            # (workers started, timed out) stay. Gunicorn stops this logger propagating.
            "gunicorn.error": {"level": level, "handlers": ["console"], "propagate": False},
            # django-axes logs every failed sign-in at INFO; lockouts come at WARNING.
            "axes": {"level": "WARNING"},
        },
    }
