"""accountable import PRESET FILE... [--dry-run] [--as USERNAME]"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountable.core.errors import DomainError
from accountable.exchange.presets import PRESETS
from accountable.exchange.selectors import rejects_report_write
from accountable.exchange.services import import_execute, import_run_create, imported_nothing
from accountable.history.models import Source
from accountable.history.services import audit_context
from accountable.people.models import User


class ProgressBar:
    """A one-line progress bar on stderr: percentage of bytes read, rows, rows per second."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, rows: int) -> None:
        share = done / total if total else 1.0
        filled = int(30 * share)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {share:6.1%}  {rows:,} rows  "
            f"{rows / elapsed:,.0f} rows/s"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Import CRM/ERP exports with a preset: "
        + ", ".join(sorted(PRESETS))
        + ", or a saved column mapping. A directory stands for the files in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("preset", help="A preset or the name of a saved column mapping.")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Count, write nothing.")
        parser.add_argument("--as", dest="username", help="Record the import as this user's.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"No user {options['username']!r}.")
        try:
            run = import_run_create(
                preset=options["preset"],
                paths=options["files"],
                actor=actor,
                dry_run=options["dry_run"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        bar = None if options["no_progress"] else ProgressBar(sys.stderr)
        with audit_context(actor=actor, source=Source.IMPORT):
            run = import_execute(run=run, actor=actor, progress=bar)
        if bar is not None:
            bar.close()
        out = self.stdout
        out.write(
            f"Import #{run.pk} ({run.preset}){' — dry run, nothing saved' if run.dry_run else ''}"
        )
        out.write(
            f"  {run.rows_read:,} rows read, {run.skipped:,} skipped, {run.rejected:,} rejected"
        )
        for kind, counts in run.counts.items():
            detail = ", ".join(f"{n:,} {what}" for what, n in counts.items() if n)
            out.write(f"  {kind}: {detail}")
        if run.message:
            out.write(f"  {run.message}")
        if run.rejected:
            path = rejects_report_write(run=run)
            out.write(f"  Rejected rows: {path}")
        if imported_nothing(run):
            raise CommandError("Nothing could be imported.")
