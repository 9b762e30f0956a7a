"""`accountable backup [--output FILE]`: the whole database into one backup file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accountable.core.errors import DomainError
from accountable.demo.progress import ProgressBar
from accountable.ops.services import backup_write


class Command(BaseCommand):
    help = (
        "Back up the whole database (every table, all history) into one file that "
        "`accountable restore` reads back, on SQLite or PostgreSQL alike."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help="The file to write (default: var/backups/accountable-<date>-<time>.zip); "
            "'-' writes to standard output.",
        )
        parser.add_argument("--database", default="default", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        if options["output"] == "-":
            progress = ProgressBar(sys.stderr, interactive=False)
            manifest = self._write(sys.stdout.buffer, using, progress)
            sys.stdout.buffer.flush()
            return
        target = Path(options["output"] or self._default_name())
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed at the end: a backup that failed half-way
        # never sits where a good one is expected.
        partial = target.with_name(f".{target.name}.partial")
        try:
            with open(partial, "wb") as stream:
                manifest = self._write(stream, using, ProgressBar(cast(TextIO, self.stderr._out)))
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest.rows:,} rows of {len(manifest.tables)} tables to {target} "
                f"({target.stat().st_size / 1e6:,.1f} MB)."
            )
        )

    def _write(self, stream: Any, using: str, progress: ProgressBar) -> Any:
        try:
            return backup_write(stream=stream, using=using, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(
                f"The backup could not be written: {exc}. Nothing was kept."
            ) from exc

    @staticmethod
    def _default_name() -> Path:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return Path(settings.VAR_DIR) / "backups" / f"accountable-{stamp}.zip"
