"""Reads of stakeholders, relationships and activity, filtered by what the user may see
(the accounts app's rules: an account's readers read them; its owner and the director change
them; team members may also log interactions)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accountable.accounts.models import Account, TeamMember
from accountable.accounts.selectors import (
    Access,
    account_get_for_user,
    account_object_get_for_user,
    account_visible_queryset,
)
from accountable.relationships.models import (
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
