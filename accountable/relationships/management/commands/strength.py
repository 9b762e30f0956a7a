"""`accountable strength`: recompute relationship strength for every account, with progress."""

from __future__ import annotations

import time
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

from accountable.demo.progress import ProgressBar
from accountable.relationships.services.strength import strength_recompute_all
from accountable.relationships.tasks import strength_recompute_all as strength_job


class Command(BaseCommand):
    help = "Recompute relationship strength (0-100) of every stakeholder and our people in touch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue it for the worker (`accountable worker`) instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            result = strength_job.enqueue()
            self.stdout.write(f"Queued the strength job ({result.id}).")
            return
        started = time.monotonic()
        pairs = strength_recompute_all(progress=ProgressBar(cast(TextIO, self.stdout._out)))
        self.stdout.write(f"Scored {pairs:,} relationships in {time.monotonic() - started:.1f}s.")
