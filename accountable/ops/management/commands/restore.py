"""`accountable restore FILE [--force]`: put a backup back, every record and all history."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountable.core.errors import DomainError
from accountable.demo.progress import ProgressBar
from accountable.ops.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `accountable backup` into this database (DATABASE_URL): "
        "every row with its ids, then migrate it to this release. Refuses a database that "
        "is in use unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file (.zip) to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that is in use (people, accounts, history).",
        )
        parser.add_argument("--database", default="default", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no backup file at {path}.")
        try:
            summary = backup_restore(
                source=str(path),
                using=options["database"],
                force=options["force"],
                progress=ProgressBar(cast(TextIO, self.stderr._out)),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        made = summary.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.rows:,} rows in {summary.tables} tables from {path} "
                f"(made {made.created_at} by Accountable {made.accountable_version} on "
                f"{made.database})."
            )
        )
        if summary.migrated_forward:
            self.stdout.write(
                f"Then migrated it to this release: {', '.join(summary.migrated_forward)}."
            )
