"""accountable export WHAT --format csv|xlsx [--output FILE] [--account ID] [--since] [--until]"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountable.exchange.exports import EXPORTS
from accountable.revenue.exports import table_write_csv, table_write_xlsx


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Export accounts, opportunities, sales lines or monthly rollups as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=sorted(EXPORTS))
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", type=Path, help="The file (CSV: standard output if not given)."
        )
        parser.add_argument("--account", type=int, help="Only this account's rows.")
        parser.add_argument("--since", type=_date, help="From this date (YYYY-MM-DD).")
        parser.add_argument("--until", type=_date, help="Up to this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = EXPORTS[options["what"]](
            account=options["account"], since=options["since"], until=options["until"]
        )
        output: Path | None = options["output"]
        if options["format"] == "xlsx":
            if output is None:
                raise CommandError("An XLSX export needs --output FILE.")
            table_write_xlsx(rows, output)
        elif output is None:
            try:
                table_write_csv(rows, sys.stdout)
            except BrokenPipeError:  # `| head`: the reader has all it wanted
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            return
        else:
            with output.open("w", newline="", encoding="utf-8") as out:
                table_write_csv(rows, out)
        self.stderr.write(f"Wrote {output}")
