"""`accountable score`: score every account by the active scoring model, with progress."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from accountable.demo.progress import ProgressBar
from accountable.history.models import Source
from accountable.history.services import audit_context
from accountable.selection.services import scores_compute, scoring_model_active


class Command(BaseCommand):
    help = "Score every account by the active scoring model as of a date (default today)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", help="YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else dt.date.today()
        except ValueError as exc:
            raise CommandError(f"--as-of takes a date as YYYY-MM-DD: {exc}") from exc
        if not dt.date(1900, 1, 1) <= as_of <= dt.date(2999, 1, 1):
            raise CommandError("--as-of takes a date between 1900 and 2999.")
        model = scoring_model_active()
        bar = ProgressBar(cast(TextIO, self.stdout._out))
        started = time.perf_counter()
        with audit_context(source=Source.SHELL):
            done = scores_compute(
                model=model, as_of=as_of, progress=lambda d, t: bar("scoring", d, t)
            )
        self.stdout.write(
            f"Scored {done:,} accounts by {model} as of {as_of} in "
            f"{time.perf_counter() - started:.1f} s."
        )
