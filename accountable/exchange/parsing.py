"""Parsing the text of an exported cell: numbers, dates, booleans (no Django: pure functions).

Each raises `ValueError` with a message fit for the rejected-rows report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import lru_cache

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
)


def parse_decimal(text: str, *, what: str = "a number") -> Decimal:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        raise ValueError(f"is empty; expected {what}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not {what}") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not {what}")
    if abs(value) >= Decimal(10) ** 13:
        raise ValueError(f"{text!r} is too large")
    return value


def parse_optional_decimal(text: str) -> Decimal | None:
    return parse_decimal(text) if text.strip() else None


@lru_cache(maxsize=4096)
def parse_datetime(text: str) -> dt.datetime:
    """A date and time (naive values are taken as UTC). Cached: an invoice's lines repeat it."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("is empty; expected a date")
    for fmt in DATETIME_FORMATS:
        try:
            value = dt.datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(parse_date(cleaned), dt.time(), tzinfo=dt.UTC)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date:
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("is empty; expected a date")
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    for fmt in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (expected e.g. 2024-11-30 or 11/30/2024)")


def parse_optional_date(text: str) -> dt.date | None:
    return parse_date(text) if text.strip() else None


def parse_bool(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "y", "t")


def parse_percent(text: str) -> int | None:
    if not text.strip():
        return None
    value = parse_decimal(text, what="a percentage")
    if value < 0 or value > 100:
        raise ValueError(f"{text!r} is not between 0 and 100")
    return int(value)
