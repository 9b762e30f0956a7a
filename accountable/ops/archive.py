"""The backup file: a zip archive any machine can open, the same for SQLite and PostgreSQL.

    manifest.json                 format, version, when, from what, the migration state, and per
                                  table its columns and row count
    data/<app>.<model>.jsonl      one JSON array per row, in primary-key order

Why this format and not pg_dump: it needs nothing but Python (a fresh machine may have no
PostgreSQL client, and never one matching the server's version), it is the same for SQLite and
PostgreSQL (a backup of the embedded database restores into PostgreSQL when a team moves up),
and it carries the migration state, so a backup made by an older release restores into a newer
one: the restore builds the schema as it was, loads the rows, then migrates forward. Rows are
read and written as column values (not Django's serialiser, which builds and saves one model
instance per row, and would set off history recording on every save), streamed in both
directions, so memory stays flat whatever the size. Each zip member carries a CRC-32 that is
checked on reading: a damaged file is refused rather than half restored.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.duration import duration_iso_string

FORMAT = "accountable-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def member_name(label: str) -> str:
    return f"data/{label}.jsonl"


def encode_value(field: models.Field, value: Any) -> Any:
    """A column value as JSON, losing nothing (microseconds, decimal places, bytes)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(field, models.JSONField):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list | dict):  # e.g. a database array
        return value
    return str(value)


def decode_value(field: models.Field, value: Any) -> Any:
    """The Python value of a column from its JSON form (the inverse of `encode_value`)."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    return field.to_python(value)


def encode_rows(fields: list[models.Field], rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    """Lines of JSON arrays, in chunks of about 1,000 rows (fewer, larger writes)."""
    chunk: list[str] = []
    for row in rows:
        chunk.append(
            json.dumps(
                [encode_value(f, v) for f, v in zip(fields, row, strict=True)],
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
        if len(chunk) >= 1000:
            yield ("\n".join(chunk) + "\n").encode()
            chunk = []
    if chunk:
        yield ("\n".join(chunk) + "\n").encode()


def decode_rows(fields: list[models.Field], lines: Iterable[bytes]) -> Iterator[list[Any]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"row {number} is not valid JSON ({exc})") from exc
        if not isinstance(values, list) or len(values) != len(fields):
            raise ValueError(f"row {number} has {len(values)} values, expected {len(fields)}")
        yield [decode_value(f, v) for f, v in zip(fields, values, strict=True)]
