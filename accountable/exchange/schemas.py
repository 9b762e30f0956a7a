"""API shapes for imports."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from accountable.core.api_base import Page


class ImportRunOut(Schema):
    id: int
    preset: str
    files: list[str]
    dry_run: bool
    status: str
    created_by_id: int | None
    created_by_name: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    rows_read: int
    counts: dict[str, dict[str, int]] = Field(
        description='e.g. {"sales lines": {"created": 10, "unchanged": 2}}'
    )
    rejected: int
    skipped: int
    message: str


class ImportRunPageOut(Page[ImportRunOut]):
    pass


class ImportRejectOut(Schema):
    file: str
    row: int = Field(description="The row in the file; the header is row 1.")
    column: str
    reason: str


class ImportRejectPageOut(Page[ImportRejectOut]):
    pass
