"""The demo programme's relationships: an org chart of 20-300 people at each pilot and key
account, with buying roles, attitudes and owners on our side; two years of interactions with
insights; strengths computed. Reproducible: the same plan gives the same people and history.

Written in bulk (one insert per level of the org chart, per table), each row recorded in
history dated like the row, as the rest of the demo is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from accountable.accounts.models import OWNED_STATUSES, Account, Ownership, TeamMember
from accountable.people.models import User
from accountable.relationships.models import (
    Influence,
    Insight,
    Interaction,
    RelationshipOwner,
    Stakeholder,
)

Progress = Callable[[str, int, int], None]

FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Karin",
    "Luca",
    "Maya",
    "Nils",
    "Olga",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wim",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Amir",
    "Beatriz",
    "Chen",
    "Dara",
    "Emil",
    "Fatima",
    "Gustav",
    "Hana",
    "Ivan",
    "Julia",
    "Kenji",
    "Lena",
    "Marco",
    "Nora",
    "Omar",
    "Petra",
    "Rafael",
    "Sofia",
    "Tomas",
    "Ulla",
    "Viktor",
]
LAST = [
    "Andersen",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Martin",
    "Novak",
    "Olsen",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Urban",
    "Vogel",
    "Weber",
    "Yilmaz",
    "Zimmermann",
    "Bauer",
    "Conti",
    "Dahl",
    "Engel",
    "Fontaine",
    "Gruber",
    "Horvat",
    "Keller",
    "Lindqvist",
    "Moreau",
    "Nieminen",
    "Ortega",
]
C_LEVEL = (
    ("Chief Financial Officer", "economic_buyer", "decider", "financial"),
    ("Chief Operating Officer", "", "decider", "business"),
    ("Chief Technology Officer", "technical_buyer", "influencer", "technical"),
    ("Chief Procurement Officer", "", "buyer", "financial"),
    ("Chief Commercial Officer", "", "influencer", "relationship"),
    ("Chief Supply Chain Officer", "user_buyer", "influencer", "business"),
)
FUNCTIONS = (
    "Finance", "Operations", "Engineering", "Procurement", "Sales", "Supply chain",
    "Quality", "IT", "Logistics", "R&D", "Manufacturing", "Customer service",
)  # fmt: skip
CARES = (
    "Cutting working capital by 10 % this year.",
    "Fewer supplier incidents on the production lines.",
    "A second source for critical materials.",
    "Carbon reporting for the board (scope 3).",
    "Faster quotes and fewer approval loops.",
    "Digitising purchase-to-pay.",
    "Entering two new markets in Asia.",
    "Plant uptime and predictable lead times.",
)
SUMMARIES = {
    "meeting": "Met to go through {topic}; they want options by next quarter.",
    "call": "Call about {topic}: open questions on lead times and price.",
    "email": "Sent the follow-up on {topic} with the figures they asked for.",
    "visit": "Site visit: walked the line with them and discussed {topic}.",
    "business_review": "Quarterly business review: service levels, {topic}, next year's plan.",
}
TOPICS = (
    "the supply agreement", "a joint cost-down plan", "the new product launch",
    "freight consolidation", "quality escapes", "the sustainability roadmap",
    "payment terms", "a pilot in their second plant", "forecast sharing",
)  # fmt: skip
INSIGHTS = (
    ("Energy-price hedging used by peers", "Could take 3 % off their cost base."),
    ("Benchmark of supplier lead times in their industry", "Shows where they lose days."),
    ("Regulation coming on packaging waste", "Time to adapt their lines before 2027."),
    ("How a competitor consolidated freight", "Lower logistics cost and CO2."),
    ("Predictive maintenance data from our fleet", "Fewer unplanned stops."),
)
KINDS = ("email", "call", "meeting", "visit", "business_review")
KIND_WEIGHTS = (35, 25, 25, 8, 7)
ATTITUDES = ("mentor", "supporter", "neutral", "non_supporter", "enemy")
ATTITUDE_WEIGHTS = (6, 30, 44, 15, 5)


def _org_size(rng: random.Random, status: str) -> int:
    if status == "key_account":
        return int(rng.triangular(30, 300, 70))
    return rng.randint(20, 50)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def relationships_demo_load(*, now: dt.datetime, progress: Progress) -> dict[str, int]:
    """Stakeholders, owners, influences, interactions and insights for every pilot and key
    account already in the database, then their strength."""
    from accountable.demo.services import _record_created  # the demo's dated bulk recorder
    from accountable.relationships.services.strength import strength_recompute_all

    today = now.date()
    accounts = list(
        Account.objects.filter(programme_status__in=OWNED_STATUSES).order_by("name", "id")
    )
    owners_of = dict(
        Ownership.objects.filter(ended_at__isnull=True).values_list("account_id", "user_id")
    )
    team_of: dict[int, list[int]] = {}
    for account_id, user_id in TeamMember.objects.order_by("id").values_list(
        "account_id", "user_id"
    ):
        team_of.setdefault(account_id, []).append(user_id)
    users = {u.pk: u for u in User.objects.select_related("business_unit")}
    rngs = {a.pk: random.Random(f"relationships-{a.name}") for a in accounts}

    # 1. Org charts, one bulk insert per level so each level knows its managers' ids.
    levels: list[list[Stakeholder]] = [[] for _ in range(5)]
    created: dict[int, dt.date] = {}
    for account in accounts:
        rng = rngs[account.pk]
        size = _org_size(rng, account.programme_status)
        plan = _org_plan(rng, size)
        for depth, spec in plan:
            levels[depth].append(
                Stakeholder(account=account, **spec)  # reports_to set below
            )
    by_account_level: dict[tuple[int, int], list[Stakeholder]] = {}
    for depth, rows in enumerate(levels):
        for s in rows:
            rng = rngs[s.account_id]
            if depth > 0:
                managers = by_account_level[(s.account_id, depth - 1)]
                s.reports_to = managers[rng.randrange(len(managers))]
            if rng.random() < 0.03:
                s.left_at = today - dt.timedelta(days=rng.randint(30, 600))
        Stakeholder.objects.bulk_create(rows, batch_size=1000)
        for s in rows:
            by_account_level.setdefault((s.account_id, depth), []).append(s)
            created[s.pk] = today - dt.timedelta(days=730 - depth * 3)
        progress("stakeholders", depth + 1, len(levels))
    stakeholders = [s for rows in levels for s in rows]
    _record_created(
        stakeholders,
        [_noon(created[s.pk]) for s in stakeholders],
        "stakeholder history",
        progress,
        lambda s: {
            "account": s.account.name,
            **({"reports_to": str(s.reports_to)} if s.reports_to_id else {}),
        },
    )

    # 2. Who owns which relationship, informal influence.
    owners: list[RelationshipOwner] = []
    influences: list[Influence] = []
    per_account: dict[int, list[Stakeholder]] = {}
    for s in stakeholders:
        per_account.setdefault(s.account_id, []).append(s)
    for account in accounts:
        rng = rngs[account.pk]
        people = per_account.get(account.pk, [])
        kam = owners_of.get(account.pk)
        team = [u for u in team_of.get(account.pk, []) if u != kam]
        for s in people:
            important = s.influence >= 4 or s.buying_role or s.dmu_role == "decider"
            # A few gaps on purpose: some key people have no owner.
            if not important and rng.random() < 0.6:
                continue
            if important and rng.random() < 0.12:
                continue
            primary = kam if (s.seniority >= 5 and kam) else (rng.choice(team) if team else kam)
            if primary is None:
                continue
            owners.append(
                RelationshipOwner(
                    account=account,
                    stakeholder=s,
                    user_id=primary,
                    is_primary=True,
                    assessment=rng.choice([None, *range(30, 95, 5)]),
                )
            )
            extra = [u for u in [kam, *team] if u and u != primary]
            if extra and rng.random() < 0.3:
                owners.append(
                    RelationshipOwner(
                        account=account, stakeholder=s, user_id=rng.choice(extra), is_primary=False
                    )
                )
        for _ in range(max(1, len(people) // 12)):
            a, b = rng.sample(people, 2) if len(people) >= 2 else (None, None)
            if a is not None and b is not None and a.reports_to_id != b.pk:
                influences.append(Influence(account=account, source=a, target=b))
    RelationshipOwner.objects.bulk_create(owners, batch_size=1000)
    seen: set[tuple[int, int]] = set()
    unique_influences = []
    for i in influences:
        if (i.source.pk, i.target.pk) not in seen:
            seen.add((i.source.pk, i.target.pk))
            unique_influences.append(i)
    Influence.objects.bulk_create(unique_influences, batch_size=1000)
    _record_created(
        owners,
        [_noon(created[o.stakeholder.pk] + dt.timedelta(days=1)) for o in owners],
        "relationship history",
        progress,
        lambda o: {
            "account": o.account.name,
            "stakeholder": str(o.stakeholder),
            "user": str(users[o.user_id]),
        },
    )
    _record_created(
        unique_influences,
        [_noon(created[i.source.pk] + dt.timedelta(days=2)) for i in unique_influences],
        "influence history",
        progress,
        lambda i: {
            "account": i.account.name,
            "source": str(i.source),
            "target": str(i.target),
        },
    )

    # 3. Two years of interactions and the insights we brought.
    owned_by: dict[int, list[tuple[int, Stakeholder]]] = {}
    for o in owners:
        owned_by.setdefault(o.account.pk, []).append((o.user_id, o.stakeholder))
    interactions: list[Interaction] = []
    links: list[tuple[Interaction, list[int], list[int]]] = []
    insights: list[Insight] = []
    for n, account in enumerate(accounts, start=1):
        rng = rngs[account.pk]
        pairs = owned_by.get(account.pk, [])
        if not pairs:
            continue
        kam = owners_of.get(account.pk)
        team = [kam, *team_of.get(account.pk, [])] if kam else team_of.get(account.pk, [])
        count = min(60 + len(per_account.get(account.pk, [])), 260)
        # Some accounts hang on one thread: most contact between the KAM and one person.
        bow_tie = pairs[0] if rng.random() < 0.15 else None
        cold = {id(p[1]) for p in pairs if rng.random() < 0.15}  # owned but left to go cold
        for _ in range(count):
            ours, theirs = bow_tie if bow_tie and rng.random() < 0.7 else rng.choice(pairs)
            age = int(rng.triangular(0, 730, 60))
            if id(theirs) in cold:
                age = max(age, 200)
            day = today - dt.timedelta(days=age)
            if theirs.left_at and day > theirs.left_at:
                day = theirs.left_at - dt.timedelta(days=rng.randint(1, 60))
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            participants = [ours]
            if rng.random() < 0.3 and len(team) > 1:
                participants.append(rng.choice([u for u in team if u != ours] or [ours]))
            others = [s for s in per_account[account.pk] if s.reports_to_id == theirs.pk]
            their_ids = [theirs.pk] + (
                [rng.choice(others).pk] if others and rng.random() < 0.3 else []
            )
            topic = rng.choice(TOPICS)
            author = users[ours]
            interaction = Interaction(
                account=account,
                occurred_on=day,
                kind=kind,
                direction="theirs" if rng.random() < 0.35 else "ours",
                business_unit=author.business_unit,
                summary=SUMMARIES[kind].format(topic=topic),
                next_steps=rng.choice(["", "Send the proposal.", "Book the next review."]),
                logged_by=author,
                created_at=_noon(day),
            )
            interactions.append(interaction)
            links.append(
                (interaction, list(dict.fromkeys(participants)), list(dict.fromkeys(their_ids)))
            )
        progress("interactions", n, len(accounts))
    Interaction.objects.bulk_create(interactions, batch_size=1000)
    Interaction.participants.through.objects.bulk_create(
        [
            Interaction.participants.through(interaction_id=i.pk, user_id=u)
            for i, ours, _ in links
            for u in ours
        ],
        batch_size=2000,
    )
    Interaction.stakeholders.through.objects.bulk_create(
        [
            Interaction.stakeholders.through(interaction_id=i.pk, stakeholder_id=s)
            for i, _, theirs in links
            for s in theirs
        ],
        batch_size=2000,
    )
    for interaction in interactions:
        rng = rngs[interaction.account.pk]
        if interaction.kind in ("meeting", "visit", "business_review") and rng.random() < 0.25:
            topic, value = rng.choice(INSIGHTS)
            insights.append(
                Insight(
                    account=interaction.account,
                    interaction=interaction,
                    topic=topic,
                    value_to_them=value,
                    reaction=rng.choice(["enthusiastic", "interested", "neutral", "sceptical"]),
                    outcome=rng.choice(["", "", "Asked for a proposal.", "Pilot agreed."]),
                )
            )
    Insight.objects.bulk_create(insights, batch_size=1000)
    _record_created(
        interactions,
        [_noon(i.occurred_on) for i in interactions],
        "interaction history",
        progress,
        lambda i: {
            "account": i.account.name,
            **({"business_unit": str(i.business_unit)} if i.business_unit_id else {}),
            "logged_by": str(i.logged_by),
        },
    )
    _record_created(
        insights,
        [_noon(i.interaction.occurred_on) for i in insights],
        "insight history",
        progress,
        lambda i: {"account": i.account.name, "interaction": str(i.interaction)},
    )
    alerts = _silo_alerts(accounts, team_of, owners_of, users, rngs, today, _record_created)
    progress("silo alerts", alerts, alerts)
    pairs_scored = strength_recompute_all(today=today)
    return {
        "stakeholders": len(stakeholders),
        "interactions": len(interactions),
        "insights": len(insights),
        "strengths": pairs_scored,
        "alerts": alerts,
    }


def _org_plan(rng: random.Random, size: int) -> list[tuple[int, dict[str, Any]]]:
    """(depth, fields) for `size` people: a CEO, C-level, heads of, managers, staff."""
    names: set[str] = set()

    def name() -> str:
        while True:
            candidate = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if candidate not in names or len(names) > 1500:
                names.add(candidate)
                return candidate

    def person(title: str, seniority: int, influence: int, **extra: Any) -> dict[str, Any]:
        full = name()
        return {
            "name": full,
            "title": title,
            "seniority": seniority,
            "influence": max(1, min(5, influence)),
            "attitude": rng.choices(ATTITUDES, ATTITUDE_WEIGHTS)[0],
            "cares_about": rng.choice(CARES) if seniority >= 3 else "",
            "email": full.lower().replace(" ", ".") + "@example.com",
            **extra,
        }

    plan: list[tuple[int, dict[str, Any]]] = [
        (
            0,
            person(
                "Chief Executive Officer", 5, 5, dmu_role="decider", decision_orientation="business"
            ),
        )
    ]
    chiefs = C_LEVEL[: max(3, min(len(C_LEVEL), size // 15))]
    for title, buying, dmu, orientation in chiefs:
        plan.append(
            (
                1,
                person(
                    title,
                    5,
                    rng.randint(4, 5),
                    buying_role=buying,
                    dmu_role=dmu,
                    decision_orientation=orientation,
                ),
            )
        )
    has_coach = rng.random() < 0.8
    remaining = size - len(plan)
    heads = max(2, remaining // 6)
    managers = max(2, remaining // 3)
    staff = max(0, remaining - heads - managers)
    for _ in range(heads):
        function = rng.choice(FUNCTIONS)
        plan.append((2, person(f"Head of {function}", rng.choice([3, 4]), rng.randint(3, 4))))
    for _ in range(managers):
        function = rng.choice(FUNCTIONS)
        extra: dict[str, Any] = {}
        if function == "Procurement" and rng.random() < 0.5:
            extra = {"buying_role": "user_buyer", "dmu_role": "gatekeeper"}
        plan.append((3, person(f"{function} manager", 2, rng.randint(2, 3), **extra)))
    for _ in range(staff):
        function = rng.choice(FUNCTIONS)
        role = rng.choice(["specialist", "engineer", "analyst", "buyer", "planner"])
        plan.append(
            (
                4,
                person(
                    f"{function} {role}", 1, rng.randint(1, 2), dmu_role=rng.choice(["", "user"])
                ),
            )
        )
    if has_coach:
        # A supportive manager who guides us inside the account.
        for depth, spec in plan:
            if depth == 3:
                spec.update(buying_role="coach", attitude="mentor", influence=3)
                break
    return plan


def _silo_alerts(
    accounts: list[Account],
    team_of: dict[int, list[int]],
    owners_of: dict[int, int],
    users: dict[int, User],
    rngs: dict[int, random.Random],
    today: dt.date,
    record: Any,
) -> int:
    """A few silo alerts: someone from another business unit, not on the team, met the
    customer recently; for the owner and the directors to add or dismiss."""
    from accountable.notifications.models import Alert, AlertKind

    directors = [u.pk for u in users.values() if u.role == User.Role.DIRECTOR]
    outsiders = sorted(
        (u for u in users.values() if u.business_unit_id and u.role == User.Role.STANDARD),
        key=lambda u: u.username,
    )
    alerts: list[Alert] = []
    dates: list[dt.datetime] = []
    for account in accounts[:: max(1, len(accounts) // 4)][:4]:
        rng = rngs[account.pk]
        team = set(team_of.get(account.pk, [])) | {owners_of.get(account.pk)}
        candidates = [u for u in outsiders if u.pk not in team]
        if not candidates:
            continue
        person = rng.choice(candidates)
        day = today - dt.timedelta(days=rng.randint(2, 20))
        alerts.append(
            Alert(
                account=account,
                kind=AlertKind.SILO,
                subject_user=person,
                message=f"{person} ({person.business_unit}) is not on the {account.name} team "
                f"but took part in a meeting on {day.isoformat()}.",
                created_at=_noon(day),
            )
        )
        dates.append(_noon(day))
    Alert.objects.bulk_create(alerts)
    through = Alert.recipients.through
    through.objects.bulk_create(
        [
            through(alert_id=a.pk, user_id=uid)
            for a in alerts
            for uid in dict.fromkeys([owners_of.get(a.account.pk), *directors])
            if uid
        ]
    )
    record(
        alerts,
        dates,
        "alert history",
        lambda _p, _d, _t: None,
        lambda a: {"account": a.account.name, "subject_user": str(a.subject_user)},
    )
    return len(alerts)
