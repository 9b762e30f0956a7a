"""Import benchmark: the Online Retail II file (or its first N lines) into a fresh database.

    python bench/imports.py [--rows 1067370] [--db sqlite|postgres|both] [--postgres-url URL]

1. Writes the first N data rows of ../shared/data/online_retail_ii/online_retail_II.csv.gz to
   a gzipped CSV under var/bench (all of them by default: the real file itself is used).
2. For each database, a child process migrates a fresh database (var/bench/imports.sqlite3;
   on PostgreSQL the tables of the database at --postgres-url are dropped first: give it a
   database of its own), imports the file with the online-retail-ii preset and reports the
   wall time, lines per second and its peak memory (max RSS).
3. It checks revenue per customer and per month against an independent computation from the
   source file (the overlapping days of the two yearly sheets counted once, as the data
   README says), and must match to the cent.
4. It then imports the next 10,000 lines and times the rollup refresh for the accounts they
   touched (target: <= 2 s). Targets for the whole file (issue #5): <= 120 s on SQLite,
   <= 60 s on PostgreSQL, peak memory <= 500 MB.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SOURCE = ROOT.parent / "shared" / "data" / "online_retail_ii" / "online_retail_II.csv.gz"
TOTAL_ROWS = 1_067_370
FIRST_SHEET_ROWS = 525_461  # data rows 1-525,461: the first yearly sheet (README)
SECOND_COPY_END = 547_985  # the last data row of the second copy of 2010-12-01..09
EXTRA_ROWS = 10_000
DEFAULT_POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://accountable:accountable@127.0.0.1:5432/accountable_bench"
)


def slice_file(rows: int, start: int = 0) -> Path:
    """Data rows start+1..start+rows of the source as a gzipped CSV (the source itself when
    that is all of it)."""
    if start == 0 and rows >= TOTAL_ROWS:
        return SOURCE
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"online_retail_{start}_{rows}.csv.gz"
    if path.exists():
        return path
    with (
        gzip.open(SOURCE, "rt", encoding="utf-8", newline="") as src,
        gzip.open(path, "wt", encoding="utf-8", newline="") as out,
    ):
        reader, writer = csv.reader(src), csv.writer(out)
        writer.writerow(next(reader))
        for number, row in enumerate(reader, start=1):
            if number > start + rows:
                break
            if number > start:
                writer.writerow(row)
    return path


def new_timestamp_at_or_after(row: int) -> int:
    """The first data row at or after `row` whose InvoiceDate differs from the row before:
    exports are split by date, never within one invoice's minute."""
    previous = None
    with gzip.open(SOURCE, "rt", encoding="utf-8", newline="") as src:
        for number, r in enumerate(csv.DictReader(src), start=1):
            if number >= row and previous is not None and r["InvoiceDate"] != previous:
                return number
            previous = r["InvoiceDate"]
    return row


def expected_totals(rows: int) -> tuple[dict[str, str], dict[str, str]]:
    """Per customer and per month, Σ Quantity x Price straight from the source."""
    drop_overlap = rows >= SECOND_COPY_END
    per_customer: dict[str, Decimal] = defaultdict(Decimal)
    per_month: dict[str, Decimal] = defaultdict(Decimal)
    with gzip.open(SOURCE, "rt", encoding="utf-8", newline="") as src:
        for number, r in enumerate(csv.DictReader(src), start=1):
            if number > rows:
                break
            if drop_overlap and number <= FIRST_SHEET_ROWS and r["InvoiceDate"] >= "2010-12-01":
                continue
            if not r["Customer ID"]:
                continue
            amount = Decimal(r["Quantity"]) * Decimal(r["Price"])
            per_customer[r["Customer ID"]] += amount
            per_month[r["InvoiceDate"][:7]] += amount
    cent = Decimal("0.01")
    return (
        {k: str(v.quantize(cent)) for k, v in per_customer.items()},
        {k: str(v.quantize(cent)) for k, v in per_month.items()},
    )


def child(args: argparse.Namespace) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "accountable.config.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from accountable.accounts.models import ExternalId
    from accountable.exchange.services import import_execute, import_run_create
    from accountable.revenue.models import MonthlyRollup, SalesLine
    from accountable.revenue.services import rollup_refresh

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)

    path = Path(args.file)
    started = time.perf_counter()
    run = import_execute(run=import_run_create(preset="online-retail-ii", paths=[path], actor=None))
    seconds = time.perf_counter() - started

    extra = Path(args.extra_file)
    before = set(SalesLine.objects.values_list("account_id", flat=True).distinct())
    started = time.perf_counter()
    extra_run = import_execute(
        run=import_run_create(preset="online-retail-ii", paths=[extra], actor=None)
    )
    extra_seconds = time.perf_counter() - started
    touched = set(
        SalesLine.objects.filter(import_run=extra_run).values_list("account_id", flat=True)
    )
    started = time.perf_counter()
    rollup_refresh(account_ids=touched)
    rollup_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cent = Decimal("0.01")
    ids = dict(
        ExternalId.objects.filter(source="online-retail-ii").values_list("account_id", "value")
    )
    per_customer = {
        ids[r["account_id"]]: str(Decimal(r["t"]).quantize(cent))
        for r in MonthlyRollup.objects.values("account_id").annotate(t=Sum("revenue"))
    }
    per_month = {
        r["m"].strftime("%Y-%m"): str(Decimal(r["t"]).quantize(cent))
        for r in SalesLine.objects.annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(t=Sum("amount"))
    }

    print(
        json.dumps(
            {
                "db": connection.vendor,
                "seconds": seconds,
                "rows": run.rows_read,
                "lines": SalesLine.objects.count(),
                "counts": run.counts,
                "peak_mb": peak_mb,
                "per_customer": per_customer,
                "per_month": per_month,
                "extra_rows": extra_run.rows_read,
                "extra_seconds": extra_seconds,
                "extra_accounts": len(touched),
                "extra_new_accounts": len(touched - before),
                "rollup_seconds": rollup_seconds,
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=TOTAL_ROWS)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--extra-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    rows = min(args.rows, TOTAL_ROWS)
    if FIRST_SHEET_ROWS < rows < SECOND_COPY_END:
        parser.error(
            f"--rows between {FIRST_SHEET_ROWS:,} and {SECOND_COPY_END:,} would cut the "
            "overlapping days in half; choose fewer or more."
        )
    if rows <= 2 * EXTRA_ROWS:
        parser.error(f"--rows must be more than {2 * EXTRA_ROWS:,}.")
    print(f"Preparing {rows:,} rows of Online Retail II …", flush=True)
    # The first rows - 10,000 in one import, the last 10,000 in a second one (whose rollup
    # refresh is timed on its own as well).
    cut = new_timestamp_at_or_after(rows - EXTRA_ROWS + 1) - 1  # data rows in the first file
    data = slice_file(cut)
    extra = slice_file(rows - cut, start=cut)
    want_customer, want_month = expected_totals(rows)
    targets = []
    if args.db in ("sqlite", "both"):
        sqlite_path = BENCH_DIR / "imports.sqlite3"
        sqlite_path.unlink(missing_ok=True)
        targets.append(("sqlite", f"sqlite:///{sqlite_path}", 120.0))
    if args.db in ("postgres", "both"):
        targets.append(("postgresql", args.postgres_url, 60.0))
    print(
        f"{platform.node()} · Python {platform.python_version()} · {os.cpu_count()} CPUs · "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · {rows:,} rows "
        f"({rows / TOTAL_ROWS:.0%} of the file)"
    )
    failed = False
    for name, url, target in targets:
        print(f"\n{name}: importing …", flush=True)
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--database-url", url, "--file", str(data),
             "--extra-file", str(extra)],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if done.returncode != 0:
            print(done.stderr[-3000:])
            failed = True
            continue
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        seconds = result["seconds"] + result["extra_seconds"]
        scaled = seconds * TOTAL_ROWS / max(rows, 1)
        customers_ok = result["per_customer"] == want_customer
        months_ok = result["per_month"] == want_month
        print(
            f"  import: {seconds:.1f} s for {rows:,} rows in two imports "
            f"({rows / seconds:,.0f} rows/s; whole file at this rate "
            f"≈ {scaled:.0f} s, target ≤ {target:.0f} s), {result['lines']:,} sales lines\n"
            f"  peak memory: {result['peak_mb']:.0f} MB (target ≤ 500 MB)\n"
            f"  totals per customer ({len(want_customer):,}) equal the source's: "
            f"{'yes' if customers_ok else 'NO'}; per month ({len(want_month)}): "
            f"{'yes' if months_ok else 'NO'}\n"
            f"  the last {result['extra_rows']:,} rows took {result['extra_seconds']:.1f} s; "
            f"rollup refresh of the {result['extra_accounts']:,} accounts they touched, alone: "
            f"{result['rollup_seconds']:.2f} s (target ≤ 2 s)"
        )
        failed = failed or not (customers_ok and months_ok)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
