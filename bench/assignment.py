"""Benchmark: the KAM assignment optimiser at the size of issue #6's target.

    python bench/assignment.py [--accounts 2000] [--kams 200] [--runs 5] [--seed 42]

Generates a seeded problem (accounts with log-normal values in 15 industries and 4 regions, a
fifth of them with a current owner and two team members; KAMs with 8-12 places under the cap
and experience in 1-4 industries and a region), solves it `--runs` times with
`accountable.selection.assignment.solve` (building the gains, the solve, the explanation) and
prints the time of each step's median and worst. Target (issue #6): ≤ 5 s for 2,000 accounts
and 200 KAMs. Pure computation: no database.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accountable.selection.assignment import Candidate, Kam, solve

TARGET_S = 5.0


def problem(accounts: int, kams: int, seed: int) -> tuple[list[Candidate], list[Kam]]:
    rng = random.Random(seed)
    industries = [f"industry {i}" for i in range(15)]
    regions = ["EMEA", "APAC", "Americas", "LATAM"]
    kam_list = [
        Kam(
            user_id=k,
            capacity=rng.choice([8, 10, 12]),
            industries={i: rng.randint(1, 3) for i in rng.sample(industries, rng.randint(1, 4))},
            regions={rng.choice(regions): rng.randint(1, 5)},
        )
        for k in range(kams)
    ]
    candidates = []
    for a in range(accounts):
        owner = rng.randrange(kams) if rng.random() < 0.2 else None
        team = {rng.randrange(kams) for _ in range(2)} | ({owner} if owner is not None else set())
        candidates.append(
            Candidate(
                account_id=a,
                value=rng.lognormvariate(2, 1),
                industry=rng.choice(industries),
                region=rng.choice(regions),
                current_owner_id=owner,
                team_user_ids=frozenset(team),
                owner_ids=frozenset({owner} if owner is not None else set()),
            )
        )
    return candidates, kam_list


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--kams", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    candidates, kams = problem(args.accounts, args.kams, args.seed)
    room = sum(k.capacity for k in kams)
    print(
        f"KAM assignment: {args.accounts:,} accounts, {args.kams:,} KAMs ({room:,} places "
        f"under the cap), {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
        f"{dt.datetime.now().isoformat(timespec='minutes')}"
    )
    times = []
    for i in range(args.runs):
        started = time.perf_counter()
        result = solve(candidates, kams)
        times.append(time.perf_counter() - started)
        assigned = sum(1 for c in result.choices if c.user_id is not None)
        print(
            f"  run {i + 1}/{args.runs}: {times[-1]:.2f} s, {assigned:,} assigned, "
            f"objective {result.objective:,.1f}, {result.status}"
        )
    worst = max(times)
    print(
        f"median {statistics.median(times):.2f} s, worst {worst:.2f} s "
        f"(target ≤ {TARGET_S:.0f} s: {'met' if worst <= TARGET_S else 'MISSED'}); {result.method}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
