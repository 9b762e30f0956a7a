"""Reads of stakeholders, relationships and activity, filtered by what the user may see
(the accounts app's rules: an account's readers read them; its owner and the director change
them; team members may also log interactions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accountable.accounts.models import Account, TeamMember
from accountable.accounts.selectors import (
    Access,
    account_get_for_user,
    account_object_get_for_user,
    account_visible_queryset,
)
from accountable.people.models import User
from accountable.relationships.gaps import Facts, Gap, PairShare, Thresholds, gaps_of
from accountable.relationships.models import (
    Attitude,
    BuyingRole,
    DmuRole,
    Influence,
    Insight,
    Interaction,
    RelationshipOwner,
    RelationshipSettings,
    RelationshipStrength,
    Stakeholder,
)


def account_get_for_logging(*, user: Any, id: int) -> Account:
    """The account if `user` may log interactions on it: its owner, a director, or someone on
    its team (404 for outsiders, 403 for readers who are not on the team)."""
    account = account_get_for_user(user=user, id=id)
    if account.access >= Access.WRITE:  # type: ignore[attr-defined]
        return account
    on_team = getattr(account, "user_on_team", None)
    if on_team is None:
        on_team = TeamMember.objects.filter(account=account, user=user).exists()
    if not on_team:
        raise PermissionDenied("Only the account team logs interactions on this account.")
    return account


def stakeholder_get_for_user(*, user: Any, id: Any, write: bool = False) -> Stakeholder:
    return account_object_get_for_user(
        user=user,
        queryset=Stakeholder.objects.select_related("buying_centre", "reports_to"),
        id=id,
        label="stakeholder",
        write=write,
    )


def relationship_owner_get_for_user(
    *, user: Any, id: Any, write: bool = False
) -> RelationshipOwner:
    return account_object_get_for_user(
        user=user,
        queryset=RelationshipOwner.objects.select_related("user", "stakeholder"),
        id=id,
        label="relationship owner",
        write=write,
    )


def interaction_get_for_user(*, user: Any, id: Any, write: bool = False) -> Interaction:
    """An interaction; to change it one must have logged it (and still log on the account) or
    be its account's owner or a director."""
    interaction = account_object_get_for_user(
        user=user,
        queryset=Interaction.objects.select_related("logged_by", "business_unit"),
        id=id,
        label="interaction",
        write=False,
    )
    if write:
        account = account_get_for_logging(user=user, id=interaction.account_id)
        if account.access < Access.WRITE and interaction.logged_by_id != user.pk:  # type: ignore[attr-defined]
            raise PermissionDenied("Only whoever logged it, the owner or a director may change it.")
    return interaction


def insight_get_for_user(*, user: Any, id: Any, write: bool = False) -> Insight:
    insight = account_object_get_for_user(
        user=user, queryset=Insight.objects.all(), id=id, label="insight", write=False
    )
    if write:
        interaction_get_for_user(user=user, id=insight.interaction_id, write=True)
    return insight


def _owners_prefetch() -> Prefetch:
    return Prefetch(
        "owners",
        queryset=RelationshipOwner.objects.select_related("user").order_by("-is_primary", "id"),
    )


def stakeholder_list_for_account(
    *, account: Account, include_left: bool = True
) -> list[Stakeholder]:
    """The account's stakeholders with manager, buying centre, owners and each owner's computed
    strength (`owner.strength`) and the primary owner (`stakeholder.primary`): 3 queries."""
    qs = (
        Stakeholder.objects.filter(account=account)
        .select_related("buying_centre", "reports_to")
        .prefetch_related(_owners_prefetch())
        .order_by("name", "id")
    )
    if not include_left:
        qs = qs.filter(left_at__isnull=True)
    stakeholders = list(qs)
    strengths = strength_map_for_account(account_id=account.pk)
    for s in stakeholders:
        s.primary = None  # type: ignore[attr-defined]
        for owner in s.owners.all():
            owner.strength = strengths.get((s.pk, owner.user_id))  # type: ignore[attr-defined]
            if owner.is_primary:
                s.primary = owner  # type: ignore[attr-defined]
    return stakeholders


def strength_map_for_account(*, account_id: int) -> dict[tuple[int, int], int]:
    """(stakeholder id, user id) → computed strength, for one account."""
    return {
        (sid, uid): score
        for sid, uid, score in RelationshipStrength.objects.filter(
            account_id=account_id
        ).values_list("stakeholder_id", "user_id", "score")
    }


def _interaction_qs() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("logged_by", "business_unit").prefetch_related(
        "participants", "stakeholders", "insights"
    )


def interaction_feed_for_account(*, account: Account, limit: int = 20) -> list[Interaction]:
    """The account's latest interactions, newest first: 4 queries whatever the limit."""
    return list(_interaction_qs().filter(account=account).order_by("-occurred_on", "-id")[:limit])


def interaction_list_for_stakeholder(*, stakeholder: Stakeholder) -> QuerySet[Interaction]:
    return _interaction_qs().filter(stakeholders=stakeholder).order_by("-occurred_on", "-id")


def stakeholder_list_for_user(
    *, user: Any, account_id: int | None = None, q: str = ""
) -> QuerySet[Stakeholder]:
    """Stakeholders of the accounts the user may see (the API's list)."""
    qs = Stakeholder.objects.filter(account__in=account_visible_queryset(user=user))
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return qs.prefetch_related(_owners_prefetch()).order_by("account_id", "name", "id")


def interaction_list_for_user(
    *, user: Any, account_id: int | None = None, stakeholder_id: int | None = None
) -> QuerySet[Interaction]:
    qs = _interaction_qs().filter(account__in=account_visible_queryset(user=user))
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if stakeholder_id is not None:
        qs = qs.filter(stakeholders__id=stakeholder_id)
    return qs.order_by("-occurred_on", "-id")


def stakeholder_choices_for_account(*, account_id: int) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.filter(account_id=account_id).only(
        "id", "name", "title", "account_id"
    )


def not_found(label: str) -> Http404:
    return Http404(f"No such {label}.")


def relationship_settings_current() -> RelationshipSettings:
    """The settings, or the defaults when nobody has saved any (a read never writes)."""
    return RelationshipSettings.objects.filter(pk=1).first() or RelationshipSettings(pk=1)


# --- The relationship map ----------------------------------------------------------------------


GRID_ROWS = 60
ATTITUDE_LABELS = {str(k): str(v) for k, v in Attitude.choices}
BUYING_ROLE_LABELS = {str(k): str(v) for k, v in BuyingRole.choices}
DMU_ROLE_LABELS = {str(k): str(v) for k, v in DmuRole.choices}


class MapPerson(NamedTuple):
    """A stakeholder as the map needs them."""

    pk: int
    name: str
    title: str
    seniority: int
    reports_to_id: int | None
    buying_role: str
    dmu_role: str
    influence: int
    attitude: str


@dataclass
class GridRow:
    stakeholder: MapPerson
    url: str
    cells: list[tuple[int | None, bool]]  # (strength or None, is primary owner) per team column


@dataclass
class RelationshipMap:
    chart: dict[str, Any]  # for json_script: nodes and influence lines
    team: list[Any]  # our people, the grid's columns
    grid: list[GridRow]
    grid_total: int
    gaps: list[Gap]
    url_prefix: str  # a stakeholder's page is url_prefix + "<id>/"
    settings: RelationshipSettings


def relationship_map_for_account(
    *, account: Account, today: dt.date | None = None, grid_rows: int | None = GRID_ROWS
) -> RelationshipMap:
    """Everything the map page shows, in a fixed number of queries (about 8) whatever the
    number of stakeholders: the org chart, informal influence, the coverage grid and gaps."""
    from accountable.accounts.models import Ownership
    from accountable.relationships.services.strength import our_seniority

    today = today or timezone.localdate()
    settings = relationship_settings_current()
    # Plain rows, not model instances: at 2,000 people building instances cost more than
    # the query (the bench measures it).
    stakeholders = [
        MapPerson(*row)
        for row in Stakeholder.objects.filter(account=account, left_at__isnull=True)
        .order_by("name", "id")
        .values_list(
            "id", "name", "title", "seniority", "reports_to_id", "buying_role", "dmu_role",
            "influence", "attitude",
        )
    ]  # fmt: skip
    ids = {s.pk for s in stakeholders}
    owners = list(
        RelationshipOwner.objects.filter(account=account).values_list(
            "stakeholder_id", "user_id", "is_primary"
        )
    )
    strengths = list(
        RelationshipStrength.objects.filter(account=account).values_list(
            "stakeholder_id", "user_id", "score", "last_contact"
        )
    )
    # Our people: the team, the owner, and anyone owning or in touch with a stakeholder.
    team_ids = set(TeamMember.objects.filter(account=account).values_list("user_id", flat=True))
    team_ids |= set(
        Ownership.objects.filter(account=account, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    team_ids |= {uid for _, uid, _ in owners} | {uid for _, uid, _, _ in strengths}
    team = list(
        User.objects.filter(pk__in=team_ids)
        .select_related("position")
        .order_by("last_name", "first_name")
    )
    seniority_of = {u.pk: our_seniority(u) for u in team}
    name_of = {u.pk: str(u) for u in team}

    primary: dict[int, int] = {}
    owned: set[int] = set()
    for sid, uid, is_primary in owners:
        owned.add(sid)
        if is_primary:
            primary[sid] = uid
    score: dict[tuple[int, int], int] = {}
    best: dict[int, int] = {}
    last: dict[int, dt.date] = {}
    contacts: dict[int, list[int]] = {}
    for sid, uid, value, last_contact in strengths:
        score[(sid, uid)] = value
        if value > best.get(sid, -1):
            best[sid] = value
        contacts.setdefault(sid, []).append(seniority_of.get(uid, 2))
        if last_contact is not None and (sid not in last or last_contact > last[sid]):
            last[sid] = last_contact

    url_prefix = reverse("relationships:stakeholder", args=[0])[: -len("0/")]
    nodes = []
    for s in stakeholders:
        owner_id = primary.get(s.pk)
        nodes.append(
            {
                "id": s.pk,
                "name": s.name,
                "title": s.title,
                "parent": s.reports_to_id if s.reports_to_id in ids else None,
                "attitude": s.attitude,
                "attitude_label": ATTITUDE_LABELS.get(s.attitude, s.attitude),
                "buying_role": BUYING_ROLE_LABELS.get(s.buying_role, ""),
                "dmu_role": DMU_ROLE_LABELS.get(s.dmu_role, ""),
                "influence": s.influence,
                "owner": name_of.get(owner_id, "") if owner_id else "",
                "strength": score.get((s.pk, owner_id)) if owner_id else None,
                "url": url_prefix + f"{s.pk}/",
            }
        )
    influences = [
        [src, tgt]
        for src, tgt in Influence.objects.filter(account=account).values_list(
            "source_id", "target_id"
        )
        if src in ids and tgt in ids
    ]
    # The most influential people first; a grid of thousands of rows is unreadable and slow to
    # draw, so it stops at `grid_rows` unless asked for all of them.
    ranked = sorted(stakeholders, key=lambda s: (-s.influence, s.name))
    grid = [
        GridRow(
            stakeholder=s,
            url=url_prefix + f"{s.pk}/",
            cells=[(score.get((s.pk, u.pk)), primary.get(s.pk) == u.pk) for u in team],
        )
        for s in (ranked if grid_rows is None else ranked[:grid_rows])
    ]
    facts = [
        Facts(
            id=s.pk,
            name=s.name,
            seniority=s.seniority,
            buying_role=s.buying_role,
            dmu_role=s.dmu_role,
            has_owner=s.pk in owned,
            best_strength=best.get(s.pk),
            contact_seniorities=tuple(contacts.get(s.pk, ())),
            last_contact=last.get(s.pk),
        )
        for s in stakeholders
    ]
    gaps = gaps_of(
        facts,
        shares=_pair_shares(account, name_of, today=today),
        today=today,
        thresholds=Thresholds(
            weak_below=settings.weak_below,
            cold_after_days=settings.cold_after_days,
            single_thread_share=settings.single_thread_share,
        ),
    )
    return RelationshipMap(
        chart={"account": account.name, "nodes": nodes, "influences": influences},
        team=team,
        grid=grid,
        grid_total=len(stakeholders),
        gaps=gaps,
        url_prefix=url_prefix,
        settings=settings,
    )


def _pair_shares(account: Account, name_of: dict[int, str], *, today: dt.date) -> PairShare:
    """Over the last year: how many interactions the busiest (ours, theirs) pair took part in,
    counted by the database (one query, whatever the number of interactions)."""
    since = today - dt.timedelta(days=365)
    recent = Interaction.objects.filter(account=account, occurred_on__gte=since)
    total = recent.count()
    if total == 0:
        return PairShare()
    through_s = connection.ops.quote_name(Interaction.stakeholders.through._meta.db_table)
    through_p = connection.ops.quote_name(Interaction.participants.through._meta.db_table)
    table = connection.ops.quote_name(Interaction._meta.db_table)
    sql = (
        f"SELECT p.user_id, s.stakeholder_id, COUNT(*) AS n"  # noqa: S608 - names from models
        f" FROM {through_s} s"
        f" JOIN {through_p} p ON p.interaction_id = s.interaction_id"
        f" JOIN {table} i ON i.id = s.interaction_id"
        f" WHERE i.account_id = %s AND i.occurred_on >= %s"
        f" GROUP BY p.user_id, s.stakeholder_id ORDER BY n DESC, p.user_id, s.stakeholder_id"
        f" LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [account.pk, since])
        top = cursor.fetchone()
    if top is None:
        return PairShare(total=total)
    user_id, stakeholder_id, count = top
    theirs = Stakeholder.objects.filter(pk=stakeholder_id).values_list("name", flat=True).first()
    key = (name_of.get(user_id, f"#{user_id}"), theirs or f"#{stakeholder_id}")
    return PairShare(total=total, pairs={key: count})
