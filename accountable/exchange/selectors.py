"""Reads of the exchange app: import runs, their rejected rows, reports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accountable.core.spreadsheets import safe_row
from accountable.exchange.models import ImportReject, ImportRun

REJECT_COLUMNS = ("file", "row", "column", "reason")


def import_run_list_for_user(*, user: Any) -> QuerySet[ImportRun]:
    """Imports touch many accounts at once: only programme directors run and see them."""
    if not getattr(user, "is_authenticated", False) or not user.is_director:
        raise PermissionDenied("Only a programme director can see imports.")
    return ImportRun.objects.all()


def import_run_get_for_user(*, user: Any, id: int) -> ImportRun:
    qs = import_run_list_for_user(user=user)
    try:
        return qs.get(pk=id)
    except (ImportRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such import.") from exc


def import_rejects(*, run: ImportRun) -> QuerySet[ImportReject]:
    return run.rejects.all()


def rejects_rows(*, run: ImportRun) -> Iterator[list[Any]]:
    yield list(REJECT_COLUMNS)
    for r in run.rejects.all().iterator():
        yield [r.file, r.row, r.column, r.reason]


def rejects_report_write(*, run: ImportRun) -> Path:
    """The rejected rows as CSV under var/imports; returns the path."""
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-{run.pk}-rejected.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for row in rejects_rows(run=run):
            writer.writerow(safe_row(row))
    return path
