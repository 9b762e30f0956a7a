"""`accountable demo [--size small|large|N] [--seed 42] [--reset]`: load the demo programme."""

from __future__ import annotations

import time
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accountable.demo.generator import DEMO_PASSWORD, MIN_ACCOUNTS, SIZES, demo_plan
from accountable.demo.progress import ProgressBar
from accountable.demo.services import demo_load, demo_reset, demo_state, demo_summary


def accounts_for_size(size: str) -> int:
    if size in SIZES:
        return SIZES[size]
    try:
        accounts = int(size.replace("_", "").replace(",", ""))
    except ValueError as exc:
        raise CommandError(
            f"--size takes small ({SIZES['small']:,} accounts), large ({SIZES['large']:,}) or "
            f"a number of accounts, not {size!r}."
        ) from exc
    if accounts < MIN_ACCOUNTS:
        raise CommandError(f"The demo needs at least {MIN_ACCOUNTS} accounts.")
    return accounts


class Command(BaseCommand):
    help = (
        "Load the demo programme: a seeded, reproducible company with business units, our "
        "people, customer accounts in global-account trees, key accounts, a pilot group, "
        "account teams and two years of history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            default="small",
            help=f"small ({SIZES['small']:,} accounts, the default), large "
            f"({SIZES['large']:,}, for benchmarks) or a number of accounts.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=42,
            help="The same seed gives the same company (default 42).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the database first (every table, users included) and load afresh.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = accounts_for_size(options["size"])
        state = demo_state()
        if state == "demo" and not options["reset"]:
            summary = demo_summary()
            self.stdout.write(
                f"The demo programme is already loaded ({summary.accounts:,} accounts); nothing "
                "to do. Use --reset to load it afresh."
            )
            self._logins()
            return
        if state == "other" and not options["reset"]:
            raise CommandError(
                "This database already holds accounts or people that are not the demo's. Use a "
                "separate database (DATABASE_URL), or --reset to delete everything in this one "
                "and load the demo."
            )
        if options["reset"]:
            self.stdout.write("Emptying the database…")
            demo_reset()
        started = time.monotonic()
        plan = demo_plan(accounts=accounts, seed=options["seed"], now=timezone.now())
        self.stdout.write(
            f"Loading the demo programme of {plan.company}: {accounts:,} customer accounts, "
            f"{len(plan.people):,} people, seed {options['seed']}."
        )
        summary = demo_load(plan=plan, progress=ProgressBar(cast(TextIO, self.stdout._out)))
        if not plan.shape.bulk:
            # The selection story (assessments, decisions, scores, an assignment proposal)
            # comes on top of the programme; the benchmark's big data sets skip it.
            from accountable.selection.demo import demo_selection

            demo_selection(seed=plan.seed, now=plan.now)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded in {time.monotonic() - started:.1f}s: {summary.accounts:,} accounts "
                f"({summary.key_accounts} key accounts, {summary.pilots} pilots), "
                f"{summary.people:,} people, {summary.teams:,} account teams, "
                f"{summary.events:,} history events."
            )
        )
        self._logins()

    def _logins(self) -> None:
        self.stdout.write(
            "Sign in as director (programme director), executive (reads everything), kam1, "
            "kam2, … (key account managers), member1, member2, … (account team members) or "
            f"outsider (on no account team). Password for all of them: {DEMO_PASSWORD}"
        )
