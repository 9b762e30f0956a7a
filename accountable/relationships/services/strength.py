"""Recomputing relationship strength from the interactions in the database (the formula is the
pure module `accountable.relationships.strength`).

1. Read the settings as `Weights`, our people's seniority and the account's stakeholders'.
2. Read every (stakeholder, our person, date, type, direction) the account's interactions
   give, one query, sorted by pair.
3. Score each pair; replace the account's `RelationshipStrength` rows in one transaction.
Safe to run twice: the result depends only on the interactions and today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from itertools import groupby
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accountable.people.models import User
from accountable.relationships.models import (
    Interaction,
    RelationshipSettings,
    RelationshipStrength,
    Stakeholder,
)
from accountable.relationships.strength import Contact, Weights, strength_of

Progress = Callable[[str, int, int], None]


def weights_from(settings: RelationshipSettings) -> Weights:
    return Weights(
        recency=settings.weight_recency,
        frequency=settings.weight_frequency,
        two_way=settings.weight_two_way,
        depth=settings.weight_depth,
        seniority=settings.weight_seniority,
        half_life_days=settings.half_life_days,
        frequency_target=settings.frequency_target,
    )


def our_seniority(user: Any) -> int:
    """Our people on the stakeholders' 1-5 scale: executives meet the board, programme
    directors vice presidents, account owners heads of, everyone else managers."""
    if getattr(user, "role", "") == User.Role.EXECUTIVE:
        return 5
    if getattr(user, "role", "") == User.Role.DIRECTOR:
        return 4
    position = getattr(user, "position", None)
    if position is not None and position.can_own_accounts:
        return 3
    return 2


def _our_seniorities() -> dict[int, int]:
    result = {}
    for pk, role, can_own in User.objects.values_list("pk", "role", "position__can_own_accounts"):
        if role == User.Role.EXECUTIVE:
            result[pk] = 5
        elif role == User.Role.DIRECTOR:
            result[pk] = 4
        else:
            result[pk] = 3 if can_own else 2
    return result


def _settings() -> RelationshipSettings:
    """The saved settings or the defaults; reading them never writes (nor records history)."""
    return RelationshipSettings.objects.filter(pk=1).first() or RelationshipSettings(pk=1)


@lru_cache(maxsize=4096)
def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _as_date(value: Any) -> dt.date:
    """SQLite hands raw queries' dates back as text; two years are only ~730 distinct days."""
    return value if isinstance(value, dt.date) else _parse_date(str(value))


def _pairs_sql() -> str:
    through_s = connection.ops.quote_name(Interaction.stakeholders.through._meta.db_table)
    through_p = connection.ops.quote_name(Interaction.participants.through._meta.db_table)
    table = connection.ops.quote_name(Interaction._meta.db_table)
    return (
        f"SELECT s.stakeholder_id, p.user_id, i.occurred_on, i.kind, i.direction"  # noqa: S608
        f" FROM {through_s} s"
        f" JOIN {through_p} p ON p.interaction_id = s.interaction_id"
        f" JOIN {table} i ON i.id = s.interaction_id"
        f" WHERE i.account_id = %s"
        f" ORDER BY s.stakeholder_id, p.user_id"
    )


@transaction.atomic
def strength_recompute_account(
    *,
    account_id: int,
    today: dt.date | None = None,
    weights: Weights | None = None,
    seniorities: dict[int, int] | None = None,
) -> int:
    """Replace the strength of every pair on one account; returns the number of pairs."""
    today = today or timezone.localdate()
    if weights is None:
        weights = weights_from(_settings())
    ours = seniorities if seniorities is not None else _our_seniorities()
    theirs = dict(Stakeholder.objects.filter(account_id=account_id).values_list("pk", "seniority"))
    with connection.cursor() as cursor:
        cursor.execute(_pairs_sql(), [account_id])
        rows = cursor.fetchall()
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    results = []
    for (stakeholder_id, user_id), group in groupby(rows, key=lambda r: (r[0], r[1])):
        contacts = [Contact(on=_as_date(r[2]), kind=r[3], theirs=r[4] == "theirs") for r in group]
        s = strength_of(
            contacts,
            today=today,
            their_seniority=theirs.get(stakeholder_id, 2),
            our_seniority=ours.get(user_id, 2),
            weights=weights,
        )
        results.append(
            (
                account_id,
                stakeholder_id,
                user_id,
                s.score,
                ops.adapt_datefield_value(s.last_contact),
                s.count,
                now,
            )
        )
    RelationshipStrength.objects.filter(account_id=account_id).delete()
    # Plain INSERTs: building a model instance per pair cost more than scoring it (bench).
    table = ops.quote_name(RelationshipStrength._meta.db_table)
    columns = "account_id, stakeholder_id, user_id, score, last_contact, interactions, computed_at"
    with connection.cursor() as cursor:
        for start in range(0, len(results), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                results[start : start + 5000],
            )
    return len(results)


def strength_recompute_all(
    *, progress: Progress | None = None, today: dt.date | None = None
) -> int:
    """Every account with interactions, one transaction per account (a long job never holds
    one huge transaction); returns the number of pairs scored."""
    weights = weights_from(_settings())
    ours = _our_seniorities()
    account_ids = list(
        Interaction.objects.order_by("account_id").values_list("account_id", flat=True).distinct()
    )
    # Accounts whose interactions were all deleted keep no stale strengths.
    RelationshipStrength.objects.exclude(account_id__in=account_ids).delete()
    total = len(account_ids)
    pairs = 0
    for done, account_id in enumerate(account_ids, start=1):
        pairs += strength_recompute_account(
            account_id=account_id, today=today, weights=weights, seniorities=ours
        )
        if progress is not None:
            progress("Relationship strength", done, total)
    if progress is not None and total == 0:
        progress("Relationship strength", 0, 0)
    return pairs
