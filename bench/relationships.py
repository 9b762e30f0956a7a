"""Benchmark of the relationships feature (issue #3): the relationship map of a large account,
and the full recomputation of relationship strength.

    python bench/relationships.py [--map-stakeholders 2000] [--stakeholders 20000]
                                  [--interactions 100000] [--requests 20] [--database-url URL]

1. Loads its own database (var/bench/relationships.sqlite3 unless --database-url is given;
   emptied first): one account whose org chart has `--map-stakeholders` people (with owners,
   influences and two years of interactions), and further accounts up to `--stakeholders`
   stakeholders and `--interactions` interactions in all (two of our people and one or two of
   theirs each), written in bulk.
2. Times the relationship map page (HTML with its chart data) through django.test.Client as a
   programme director: warm-up, then N timed requests; p50, p95, queries per request.
   Target: <= 200 ms.
3. Times `strength_recompute_all` over everything, and prints pairs scored per second and what
   that rate means for 1 million stakeholders and 5 million interactions (target <= 60 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--map-stakeholders", type=int, default=2000)
    parser.add_argument("--stakeholders", type=int, default=20_000)
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{bench_dir / 'relationships.sqlite3'}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "accountable.config.settings",
            "DATABASE_URL": url,
            "ALLOWED_HOSTS": "testserver,localhost",
            "SECURE_COOKIES": "false",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.monotonic()
    account_id, director = load(args)
    print(f"loaded in {time.monotonic() - started:.1f}s", flush=True)
    map_figures(account_id, director, args.requests)
    strength_figures()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python "
        f"{platform.python_version()}, {connection.vendor}, {dt.date.today()}"
    )
    return 0


def load(args: argparse.Namespace) -> tuple[int, object]:
    from accountable.accounts.models import Account, TeamMember
    from accountable.people.models import Position, User
    from accountable.relationships.models import (
        Influence,
        Interaction,
        RelationshipOwner,
        Stakeholder,
    )

    rng = random.Random(42)
    today = dt.date.today()
    position = Position.objects.get_or_create(
        slug="key-account-manager",
        defaults={"name": "Key account manager", "can_own_accounts": True},
    )[0]
    director = User.objects.create(username="bench-director", role="director")
    team = User.objects.bulk_create(
        [User(username=f"bench-{i}", first_name=f"Person{i}", position=position) for i in range(12)]
    )
    total_s, total_i = args.stakeholders, args.interactions
    n_accounts = max(1, (total_s - args.map_stakeholders) // 200 + 1)
    accounts = Account.objects.bulk_create(
        [
            Account(name=f"Bench account {i:05d}", programme_status="key_account")
            for i in range(n_accounts)
        ]
    )
    TeamMember.objects.bulk_create(
        [TeamMember(account=a, user=u, position=position) for a in accounts for u in team[:8]]
    )
    sizes = [args.map_stakeholders] + [200] * (n_accounts - 1)
    sizes[-1] = max(20, sizes[-1])
    all_people: dict[int, list[int]] = {}
    for account, size in zip(accounts, sizes, strict=True):
        people = Stakeholder.objects.bulk_create(
            [
                Stakeholder(
                    account=account,
                    name=f"Stakeholder {k}",
                    title="Head of something",
                    seniority=rng.randint(1, 5),
                    influence=rng.randint(1, 5),
                    attitude=rng.choice(["mentor", "supporter", "neutral", "enemy"]),
                    buying_role=rng.choice(["", "", "", "economic_buyer", "coach"]),
                )
                for k in range(size)
            ],
            batch_size=2000,
        )
        for k, s in enumerate(people[1:], start=1):
            s.reports_to_id = people[rng.randrange(max(1, k // 4 + 1)) if k > 1 else 0].pk
        Stakeholder.objects.bulk_update(people[1:], ["reports_to"], batch_size=2000)
        all_people[account.pk] = [s.pk for s in people]
        RelationshipOwner.objects.bulk_create(
            [
                RelationshipOwner(
                    account=account, stakeholder=s, user=rng.choice(team), is_primary=True
                )
                for s in people[: size // 3]
            ],
            batch_size=2000,
        )
        Influence.objects.bulk_create(
            [
                Influence(account=account, source_id=a, target_id=b)
                for a, b in {
                    tuple(rng.sample(all_people[account.pk], 2)) for _ in range(size // 20)
                }
            ],
            batch_size=2000,
        )
    per_account = max(1, total_i // len(accounts))
    through_p = Interaction.participants.through
    through_s = Interaction.stakeholders.through
    for account in accounts:
        rows = Interaction.objects.bulk_create(
            [
                Interaction(
                    account=account,
                    occurred_on=today - dt.timedelta(days=rng.randint(0, 730)),
                    kind=rng.choice(["meeting", "call", "email", "visit"]),
                    direction=rng.choice(["ours", "theirs"]),
                    summary="Talked",
                )
                for _ in range(per_account)
            ],
            batch_size=2000,
        )
        person_ids = all_people[account.pk]
        through_p.objects.bulk_create(
            [
                through_p(interaction_id=i.pk, user_id=u.pk)
                for i in rows
                for u in rng.sample(team[:8], 2)
            ],
            batch_size=5000,
        )
        through_s.objects.bulk_create(
            [
                through_s(interaction_id=i.pk, stakeholder_id=s)
                for i in rows
                for s in set(rng.sample(person_ids, rng.randint(1, 2)))
            ],
            batch_size=5000,
        )
    print(
        f"data: {Stakeholder.objects.count():,} stakeholders in {len(accounts):,} accounts "
        f"(map account: {args.map_stakeholders:,}), {Interaction.objects.count():,} interactions",
        flush=True,
    )
    return accounts[0].pk, director


def map_figures(account_id: int, director: object, requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accountable.relationships.services.strength import strength_recompute_account

    strength_recompute_account(account_id=account_id)
    client = Client()
    client.force_login(director)  # type: ignore[arg-type]
    url = f"/accounts/{account_id}/relationship-map/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(requests):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"relationship map: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
        f"{len(queries)} queries, {len(response.content) / 1024:.0f} KiB (target <= 200 ms)",
        flush=True,
    )


def strength_figures() -> None:
    from accountable.relationships.models import Interaction, Stakeholder
    from accountable.relationships.services.strength import strength_recompute_all

    stakeholders, interactions = Stakeholder.objects.count(), Interaction.objects.count()
    t = time.perf_counter()
    pairs = strength_recompute_all()
    seconds = time.perf_counter() - t
    per_interaction = seconds / max(1, interactions)
    print(
        f"strength, full recomputation: {seconds:.1f}s for {stakeholders:,} stakeholders, "
        f"{interactions:,} interactions, {pairs:,} pairs "
        f"({interactions / seconds:,.0f} interactions/s; at this rate 5 million interactions "
        f"take ~{per_interaction * 5_000_000:.0f}s, target <= 60 s)",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
