"""`accountable backtest --cutoff DATE --top N [--months 12] [--json]`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accountable.core.errors import DomainError
from accountable.selection.services import backtest_run


class Command(BaseCommand):
    help = (
        "Score every account from the data before a cut-off, take the top N by the active "
        "model and the top N by past revenue, and show what each group's revenue did next."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cutoff", required=True, help="the first day of a month, YYYY-MM-DD")
        parser.add_argument("--top", type=int, required=True, help="accounts in each group")
        parser.add_argument("--months", type=int, default=12, help="months before and after")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cutoff = dt.date.fromisoformat(options["cutoff"])
        except ValueError as exc:
            raise CommandError(f"--cutoff takes a date as YYYY-MM-DD: {exc}") from exc
        try:
            result = backtest_run(cutoff=cutoff, top=options["top"], months=options["months"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"Backtest at {cutoff}: {result.accounts_with_data:,} accounts bought in the "
            f"{result.months} months before; top {result.top} by {result.model} and by past "
            f"revenue ({result.overlap} in both)."
        )
        for group in (result.by_model, result.by_revenue):
            growth = "n/a" if group.growth_pct is None else f"{group.growth_pct:+.1f}%"
            self.stdout.write(
                f"  by {group.name:<13} before {group.before:>14,.2f}  after "
                f"{group.after:>14,.2f}  growth {growth:>8}  stopped buying {group.churned}"
            )
