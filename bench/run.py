"""The benchmark: server time of the account list and the account page on a large programme.

    python bench/run.py [--accounts 100000] [--db sqlite|postgres|both] [--requests 30]
                        [--regenerate] [--postgres-url URL]

1. For each database, a child process loads the demo generator's large data set (100,000
   accounts, 200 KAMs, 1,000 account teams, ~500 people by default) into the benchmark's OWN
   database: var/bench/bench-<N>.sqlite3, and the PostgreSQL database `accountable_bench`
   (skipped if the server cannot be reached). A database that already holds that data set is
   reused; --regenerate loads it afresh.
2. It requests each page through django.test.Client (the whole Django stack, no network) as a
   programme director and as a KAM: a few warm-up requests, then N timed ones; p50 and p95 in
   milliseconds, and the number of database queries one request makes.
3. The parent prints one table with the data size, the machine and the date, and writes the
   figures to var/bench/results.json. Targets (issue #2): account list p95 ≤ 100 ms, account
   page p95 ≤ 25 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DEFAULT_POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/accountable_bench"
)
LIST_TARGET_MS = 100.0
PAGE_TARGET_MS = 25.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="load the data set afresh even if the database holds it",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        print(f"\n--- {db} ---", flush=True)
        out = BENCH_DIR / f"result-{db}.json"
        out.unlink(missing_ok=True)
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "accountable.config.settings",
                "DATABASE_URL": database_url(db, args),
                "ALLOWED_HOSTS": "testserver,localhost",
                "SECURE_COOKIES": "false",
                "DEBUG": "false",
                "LOG_LEVEL": "WARNING",
                "BENCH_OUT": str(out),
            }
        )
        argv = [
            sys.executable,
            __file__,
            "--child",
            "--db",
            db,
            "--accounts",
            str(args.accounts),
            "--requests",
            str(args.requests),
            "--seed",
            str(args.seed),
        ]
        if args.regenerate:
            argv.append("--regenerate")
        code = subprocess.call(argv, env=env, cwd=ROOT)
        if code == 0 and out.exists():
            results.append(json.loads(out.read_text()))
        else:
            print(f"{db}: not measured (exit code {code})", file=sys.stderr)
            results.append({"db": db, "skipped": f"exit code {code}"})
    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "accounts": args.accounts,
        "requests": args.requests,
        "results": results,
    }
    (BENCH_DIR / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    measured = [r for r in results if "pages" in r]
    return 0 if measured else 1


def database_url(db: str, args: argparse.Namespace) -> str:
    if db == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'bench-{args.accounts}.sqlite3'}"
    return args.postgres_url


def machine() -> dict[str, Any]:
    ram = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    return {
        "cores": os.cpu_count(),
        "ram_gib": round(ram / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpu": cpu_model(),
    }


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


# --- The child: one database --------------------------------------------------------------------


def child(args: argparse.Namespace) -> int:
    if args.db == "postgres" and not ensure_postgres_database(os.environ["DATABASE_URL"]):
        return 3
    import django

    django.setup()
    from django.core.management import call_command

    # Production settings serve hashed static files: collect them, as `accountable serve` does.
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)
    loaded_in = load(args)
    analyse()
    result: dict[str, Any] = {"db": args.db, "db_version": db_version(), "loaded_in_s": loaded_in}
    result["rows"] = row_counts()
    result["pages"] = measure(args.requests)
    result["selection"] = measure_selection(args.requests)
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(result, indent=2))
    return 0


def ensure_postgres_database(url: str) -> bool:
    """Create the benchmark's database if the server is there and it is missing."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        print(
            f"PostgreSQL is not reachable at {admin_url} ({exc}); set BENCH_POSTGRES_URL or "
            "--postgres-url. Skipping PostgreSQL.",
            file=sys.stderr,
        )
        return False
    return True


def load(args: argparse.Namespace) -> float | None:
    """Load the data set unless the database already holds it; seconds taken, or None."""
    from django.utils import timezone

    from accountable.accounts.models import Account
    from accountable.demo.generator import demo_plan
    from accountable.demo.progress import ProgressBar
    from accountable.demo.services import demo_load, demo_reset, demo_state

    if not args.regenerate and demo_state() == "demo" and Account.objects.count() == args.accounts:
        print(
            f"Reusing the {args.accounts:,}-account data set already in this database "
            "(--regenerate loads it afresh).",
            flush=True,
        )
        return None
    started = time.perf_counter()
    demo_reset()
    plan = demo_plan(accounts=args.accounts, seed=args.seed, now=timezone.now())
    demo_load(plan=plan, progress=ProgressBar(sys.stderr))
    took = time.perf_counter() - started
    print(f"Loaded {args.accounts:,} accounts in {took:.1f}s", flush=True)
    return round(took, 1)


def analyse() -> None:
    """Fresh planner statistics and, on PostgreSQL, the visibility map, as a database that has
    been running a while (autovacuum) would have: without it a COUNT(*) of 100,000 accounts
    reads the table (~22 ms) instead of an index (~6 ms)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def db_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def row_counts() -> dict[str, int]:
    from accountable.accounts.models import (
        Account,
        ExternalId,
        Ownership,
        ProgrammeStatusChange,
        Responsibility,
        TeamMember,
    )
    from accountable.history.models import Event
    from accountable.people.models import User

    models = {
        "accounts": Account,
        "external ids": ExternalId,
        "status changes": ProgrammeStatusChange,
        "ownerships": Ownership,
        "team members": TeamMember,
        "RACI": Responsibility,
        "history events": Event,
        "people": User,
    }
    counts = {label: model._default_manager.count() for label, model in models.items()}
    counts["account teams"] = TeamMember.objects.values("account_id").distinct().count()
    return counts


def pages_to_measure() -> list[tuple[str, str, str, str]]:
    """(page, kind, user, url): the list five ways and the account page's three tabs, as the
    programme director (on the largest global account a KAM owns) and as that account's KAM."""
    from django.db.models import Count

    from accountable.accounts.models import Account, Ownership

    owned = Ownership.objects.filter(
        ended_at__isnull=True, account__programme_status="key_account"
    ).select_related("account", "user")
    sizes = dict(
        Account.objects.filter(root_id__in=owned.values("account__root_id"))
        .values("root_id")
        .annotate(n=Count("id"))
        .values_list("root_id", "n")
    )
    ownership = max(
        owned, key=lambda o: (sizes.get(o.account.root_id or o.account_id, 0), -o.account_id)
    )
    account, kam = ownership.account, ownership.user.username
    word = account.name.split()[0]
    lists = [
        ("account list", "/accounts/"),
        ("list: key accounts", "/accounts/?status=key_account"),
        (f"list: search {word!r}", f"/accounts/?q={word}"),
        ("list: sort by owner", "/accounts/?sort=owner"),
        ("list: page 50", "/accounts/?page=50"),
    ]
    tabs = [
        ("account: Overview", f"/accounts/{account.pk}/"),
        ("account: Team", f"/accounts/{account.pk}/team/"),
        ("account: History", f"/accounts/{account.pk}/history/"),
    ]
    pages = []
    for user in ("director", kam):
        pages += [(label, "list", user, url) for label, url in lists]
        pages += [(label, "page", user, url) for label, url in tabs]
    return pages


def measure(requests: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accountable.people.models import User

    results = []
    clients: dict[str, Client] = {}
    for label, kind, username, url in pages_to_measure():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        for _ in range(3):  # warm-up: imports, template loading, the database's cache
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {username}: HTTP {response.status_code}")
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        results.append(
            {
                "page": label,
                "kind": kind,
                "user": username,
                "url": url,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
                "queries": len(queries),
            }
        )
        print(
            f"{label:<28} {username:<9} p50 {results[-1]['p50_ms']:7.1f} ms  "
            f"p95 {results[-1]['p95_ms']:7.1f} ms  {len(queries):3} queries",
            flush=True,
        )
    return results


def measure_selection(requests: int) -> dict[str, Any]:
    """Issue #6: scoring every account by the active model (a job), then the portfolio page
    (the candidates, pilots and key accounts) as the programme director."""
    import datetime as dt

    from django.test import Client

    from accountable.people.models import User
    from accountable.selection.models import AccountScore
    from accountable.selection.services import scores_compute, scoring_model_active

    model = scoring_model_active()
    started = time.perf_counter()
    scored = scores_compute(model=model, as_of=dt.date.today())
    scoring_s = time.perf_counter() - started
    points = AccountScore.objects.filter(
        model=model, account__programme_status__in=["candidate", "pilot", "key_account"]
    ).count()
    client = Client()
    client.force_login(User.objects.get(username="director"))
    for _ in range(3):
        if client.get("/selection/portfolio/").status_code != 200:
            raise SystemExit("/selection/portfolio/: not 200")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get("/selection/portfolio/")
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    result = {
        "model": str(model),
        "factors": [f["key"] for f in model.factors],
        "scored": scored,
        "scoring_s": round(scoring_s, 2),
        "portfolio_points": points,
        "portfolio_p50_ms": round(statistics.median(times), 1),
        "portfolio_p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
    }
    print(
        f"scoring {scored:,} accounts: {scoring_s:.2f} s; portfolio ({points:,} accounts) "
        f"p50 {result['portfolio_p50_ms']} ms p95 {result['portfolio_p95_ms']} ms",
        flush=True,
    )
    return result


# --- The report ---------------------------------------------------------------------------------


def print_table(report: dict[str, Any]) -> None:
    m = report["machine"]
    measured = [r for r in report["results"] if "pages" in r]
    print(
        f"\nAccountable benchmark, {report['date']}: {m['cores']} cores ({m['cpu']}), "
        f"{m['ram_gib']} GiB RAM, Python {m['python']}, {m['platform']}"
    )
    for r in report["results"]:
        if "pages" not in r:
            print(f"{r['db']}: not measured ({r['skipped']})")
    if not measured:
        return
    print("Data: " + ", ".join(f"{n:,} {label}" for label, n in measured[0]["rows"].items()))
    for r in measured:
        loaded = f"loaded in {r['loaded_in_s']} s" if r["loaded_in_s"] else "reused"
        print(f"  {r['db_version']}: {loaded}")
    header = f"{'page':<28} {'as':<9}"
    for r in measured:
        header += f" | {r['db_version']:^25}"
    print("\n" + header + " | target p95")
    sub = " " * 38 + "".join(f" | {'p50':>7} {'p95':>7} {'queries':>8}" for _ in measured)
    print(sub)
    print("-" * len(sub) + "-" * 14)
    for n, page in enumerate(measured[0]["pages"]):
        target = LIST_TARGET_MS if page["kind"] == "list" else PAGE_TARGET_MS
        line = f"{page['page']:<28} {page['user']:<9}"
        verdicts = []
        for r in measured:
            row = r["pages"][n]
            line += f" | {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['queries']:8}"
            verdicts.append(row["p95_ms"] <= target)
        print(f"{line} | ≤ {target:.0f} ms {'ok' if all(verdicts) else 'MISSED'}")
    print(
        f"Server time in ms (django.test.Client: the whole Django stack, no network); "
        f"p50 and p95 of {report['requests']} timed requests per row."
    )
    print("\nKey account selection (issue 6):")
    for r in measured:
        sel = r.get("selection")
        if not sel:
            continue
        print(
            f"  {r['db_version']}: scoring {sel['scored']:,} accounts by {sel['model']} "
            f"({', '.join(sel['factors'])}) {sel['scoring_s']} s (target ≤ 10 s); portfolio of "
            f"{sel['portfolio_points']:,} accounts p50 {sel['portfolio_p50_ms']} ms, p95 "
            f"{sel['portfolio_p95_ms']} ms (target ≤ 200 ms for 1,000)"
        )


if __name__ == "__main__":
    sys.exit(main())
