"""The load test: 100 simulated users for 5 minutes against 4 gunicorn processes on PostgreSQL.

    python bench/load_run.py [--users 100] [--minutes 5] [--size small|large|N] [--fresh]
                             [--postgres-url URL] [--port 8150]

1. Makes sure the load test's own database (LOAD_POSTGRES_URL, by default the database
   `accountable_load` on the local server) exists, is migrated and holds the demo programme
   (`accountable demo --size …`, reused when it is already there).
2. Starts `accountable serve --workers 4` on 127.0.0.1 (loopback only) with the production
   settings, plain HTTP (no TLS on loopback), logging to var/load/server.log.
3. Runs locust headless (bench/load.py): the users start (and sign in) at --spawn-rate, then
   the figures are taken for --minutes with all of them in. Bounded: locust stops at the end
   whatever happens, and the server is stopped afterwards.
4. Prints, per page, requests, failures, p50 and p95 (ms), the totals, the machine and its
   load average before and after (other jobs share this machine: the figures are an upper
   bound), and writes var/load/results.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOAD_DIR = ROOT / "var" / "load"
BIN = Path(sys.executable).parent
DEFAULT_URL = os.environ.get(
    "LOAD_POSTGRES_URL", "postgres://accountable:accountable@127.0.0.1:5432/accountable_load"
)
P95_TARGET_MS = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--spawn-rate", type=float, default=2.0)
    parser.add_argument("--size", default="small", help="the demo's size (small, large or N)")
    parser.add_argument("--postgres-url", default=DEFAULT_URL)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8150")))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--fresh", action="store_true", help="load the demo afresh (earlier runs edited it)"
    )
    args = parser.parse_args()

    LOAD_DIR.mkdir(parents=True, exist_ok=True)
    env = server_environment(args.postgres_url)
    prepare_database(args, env)
    token = accountable(["token", "director", "--name", "load test"], env).strip()
    colleague = accountable(
        [
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from accountable.people.models import User; "
            "print(User.objects.get(username='outsider').pk)",
        ],
        env,
    ).strip()

    load_before = os.getloadavg()
    server = start_server(args, env)
    measured_from = time.time() + args.users / args.spawn_rate + 1
    try:
        stats = run_locust(args, token, colleague)
    finally:
        stop(server)
    load_after = os.getloadavg()
    failures = report(args, stats, load_before, load_after)
    server_times(measured_from)
    # A failed request is a broken page or a server error: make it fail the run (and CI).
    return 1 if failures else 0


def server_environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accountable.config.settings",
        "DATABASE_URL": url,
        "ACCOUNTABLE_VAR_DIR": str(LOAD_DIR),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: the cookies cannot be marked secure here.
        "SECURE_COOKIES": "false",
        "DEBUG": "false",
        "LOG_FORMAT": "json",
        # Locust's users all come from 127.0.0.1: the limiter counts per username and address,
        # and every sign-in here succeeds, so it does not get in the way.
    }


def accountable(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(BIN / "accountable"), *argv], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"accountable {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    """1. The database exists (created if the role may), is migrated, holds the demo."""
    import psycopg

    info: dict[str, Any] = dict(psycopg.conninfo.conninfo_to_dict(args.postgres_url))
    name = info.pop("dbname")
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **info) as admin:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            exists = admin.execute(query, [name]).fetchone()
            if not exists:
                print(f"Creating the database {name}.", flush=True)
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        sys.exit(f"PostgreSQL cannot be reached at {args.postgres_url}: {exc}")
    accountable(["migrate", "--no-input", "-v", "0"], env)
    print(f"Loading the demo programme ({args.size}) if it is not there yet…", flush=True)
    out = accountable(["demo", "--size", args.size, *(["--reset"] if args.fresh else [])], env)
    print(out.strip().splitlines()[0], flush=True)


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """2. gunicorn, 4 processes, on loopback."""
    log = open(LOAD_DIR / "server.log", "wb")  # noqa: SIM115 - the server writes to it
    server = subprocess.Popen(
        [
            str(BIN / "accountable"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/readyz", timeout=2) as r:
                if r.status == 200:
                    print(f"Server up: {args.workers} processes on 127.0.0.1:{args.port}.")
                    return server
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit(f"The server stopped; see {LOAD_DIR / 'server.log'}.")
        time.sleep(0.5)
    stop(server)
    sys.exit("The server did not become ready within 3 minutes.")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()


def run_locust(args: argparse.Namespace, token: str, colleague: str) -> list[dict[str, Any]]:
    """3. Headless, bounded in time."""
    prefix = LOAD_DIR / "locust"
    # Every user signs in as it starts (a PBKDF2 hash: ~0.3 s of CPU by design); the figures
    # are taken once all users are in (--reset-stats), for the full measuring time.
    ramp = int(args.users / args.spawn_rate) + 1
    seconds = ramp + int(args.minutes * 60)
    print(
        f"Starting {args.users} users ({args.spawn_rate:g}/s, {ramp} s), then measuring for "
        f"{args.minutes:g} min…",
        flush=True,
    )
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "load.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{args.port}",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--only-summary",
            "--reset-stats",
            "--loglevel",
            "WARNING",
            "--api-token",
            token,
            "--colleague",
            colleague,
        ],
        check=False,
        timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def report(
    args: argparse.Namespace,
    stats: list[dict[str, Any]],
    before: tuple[float, float, float],
    after: tuple[float, float, float],
) -> int:
    """4. One table, the machine, and results.json; returns the number of failed requests."""
    rows = [
        {
            "name": s["Name"],
            "method": s["Type"],
            "requests": int(s["Request Count"]),
            "failures": int(s["Failure Count"]),
            "p50_ms": float(s["50%"] or 0),
            "p95_ms": float(s["95%"] or 0),
            "rps": float(s["Requests/s"] or 0),
        }
        for s in stats
    ]
    total = next(r for r in rows if r["name"] == "Aggregated")
    pages = sorted((r for r in rows if r["name"] != "Aggregated"), key=lambda r: -r["requests"])
    print()
    print(f"{'page':<32}{'method':<7}{'requests':>9}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}")
    for r in [*pages, total]:
        print(
            f"{r['name'][:31]:<32}{r['method'] or '':<7}{r['requests']:>9,}{r['failures']:>6}"
            f"{r['p50_ms']:>8.0f}{r['p95_ms']:>8.0f}"
        )
    machine = {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in before],
        "load_average_after": [round(x, 2) for x in after],
        "users": args.users,
        "minutes": args.minutes,
        "app_processes": args.workers,
        "data": args.size,
    }
    print(
        f"\n{args.users} users, {args.minutes:g} min, {args.workers} gunicorn processes, "
        f"PostgreSQL, demo size {args.size}; {total['requests']:,} requests "
        f"({total['rps']:.1f}/s), {total['failures']} failed; p50 {total['p50_ms']:.0f} ms, "
        f"p95 {total['p95_ms']:.0f} ms (target p95 ≤ {P95_TARGET_MS} ms)."
    )
    print(
        f"Machine: {os.cpu_count()} cores, load average {before[0]:.2f} before and "
        f"{after[0]:.2f} after (the load test and anything else running). Other jobs share "
        "this machine: read the figures as an upper bound."
    )
    (LOAD_DIR / "results.json").write_text(
        json.dumps({"machine": machine, "pages": pages, "total": total}, indent=1)
    )
    failures_csv = LOAD_DIR / "locust_failures.csv"
    if total["failures"] and failures_csv.exists():
        print("\nFailures:\n" + failures_csv.read_text()[:3000])
    return int(total["failures"])


def server_times(since: float) -> None:
    """The time the app itself took (from its request log lines), beside what the users saw:
    the difference is waiting for a free process and for the CPU."""
    durations: list[float] = []
    errors = 0
    for line in (LOAD_DIR / "server.log").read_text(errors="replace").splitlines():
        if not line.startswith('{"time"') or '"accountable.request"' not in line:
            continue
        entry = json.loads(line)
        if dt.datetime.fromisoformat(entry["time"]).timestamp() < since:
            continue
        if str(entry.get("path", "")).startswith("/static/"):
            continue
        durations.append(float(entry["duration_ms"]))
        errors += int(entry["status"]) >= 500
    if not durations:
        return
    durations.sort()

    def pct(p: float) -> float:
        return durations[min(len(durations) - 1, int(p * len(durations)))]

    print(
        f"Server time (the app's own log, same window): {len(durations):,} requests, "
        f"p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms; "
        f"{errors} answered 5xx."
    )


if __name__ == "__main__":
    raise SystemExit(main())
