"""Raising and resolving alerts. Recipients are the account's current owner and every
programme director; an open silo alert about the same person on the same account is not
raised twice. Resolving is for the owner or a director (the caller checks access)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accountable.accounts.models import OWNED_STATUSES, Account, Ownership, TeamMember
from accountable.accounts.services import team_member_add
from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.services import audit_context
from accountable.notifications.models import Alert, AlertKind, Resolution
from accountable.people.models import User


def _recipients(account: Account) -> list[User]:
    owners = Ownership.objects.filter(account=account, ended_at__isnull=True).values("user_id")
    return list(
        User.objects.filter(is_active=True).filter(pk__in=owners)
        | User.objects.filter(is_active=True, role=User.Role.DIRECTOR)
    )


@transaction.atomic
def alert_raise(
    *, account: Account, kind: str, message: str, subject_user: User | None = None
) -> Alert | None:
    if kind == AlertKind.SILO and subject_user is not None:
        open_already = Alert.objects.filter(
            account=account, kind=kind, subject_user=subject_user, resolution=""
        ).exists()
        if open_already:
            return None
    with audit_context(reason="Raised automatically"):
        alert = Alert.objects.create(
            account=account, kind=kind, message=message, subject_user=subject_user
        )
    alert.recipients.set(_recipients(account))
    return alert


def silo_check(*, account: Account, actor: Any, people: list[User], what: str) -> list[Alert]:
    """On a pilot or key account, anyone acting who is not on its team (the one who logged it
    and our participants) raises a silo alert for the owner and the directors."""
    if account.programme_status not in OWNED_STATUSES:
        return []
    team = set(TeamMember.objects.filter(account=account).values_list("user_id", flat=True))
    team |= set(
        Ownership.objects.filter(account=account, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    alerts = []
    when = timezone.localdate().isoformat()
    for person in dict.fromkeys([actor, *people]):
        if not getattr(person, "is_authenticated", False) or person.pk in team:
            continue
        unit = f" ({person.business_unit})" if person.business_unit_id else ""
        alert = alert_raise(
            account=account,
            kind=AlertKind.SILO,
            subject_user=person,
            message=f"{person}{unit} is not on the {account.name} team but {what} on {when}.",
        )
        if alert is not None:
            alerts.append(alert)
    return alerts


def _resolve(alert: Alert, *, actor: Any, resolution: str, reason: str) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolution:
        raise Conflict(f"This alert was already resolved: {alert.get_resolution_display()}.")
    alert.resolution = resolution
    alert.resolved_at = timezone.now()
    alert.resolved_by = actor
    alert.reason = reason
    with audit_context(actor=actor, reason=reason):
        alert.save()
    return alert


@transaction.atomic
def alert_add_to_team(*, alert: Alert, actor: Any) -> Alert:
    """One click: put the person the silo alert is about on the account team."""
    if alert.kind != AlertKind.SILO or alert.subject_user is None:
        raise ValidationFailed("Only a silo alert names someone to add to the team.")
    account = Account.objects.get(pk=alert.account_id)
    if not TeamMember.objects.filter(account=account, user=alert.subject_user).exists():
        team_member_add(
            account=account,
            user=alert.subject_user,
            actor=actor,
            reason="Added from a silo alert",
        )
    return _resolve(alert, actor=actor, resolution=Resolution.ADDED, reason="Added to the team")


@transaction.atomic
def alert_dismiss(*, alert: Alert, actor: Any, reason: str) -> Alert:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Say why you dismiss it.", field="reason")
    return _resolve(alert, actor=actor, resolution=Resolution.DISMISSED, reason=reason)


def digest_send(*, since: Any, connection: Any = None) -> int:
    """Email each recipient their open alerts raised since `since` (one message each, through
    the configured email backend: the console in the demo). Returns the number of emails."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    open_alerts = (
        Alert.objects.filter(resolution="", created_at__gte=since)
        .select_related("account")
        .prefetch_related("recipients")
        .order_by("created_at", "id")
    )
    per_user: dict[User, list[Alert]] = {}
    for alert in open_alerts:
        for user in alert.recipients.all():
            if user.email:
                per_user.setdefault(user, []).append(alert)
    messages = []
    for user, alerts in sorted(per_user.items(), key=lambda kv: kv[0].username):
        lines = [f"- {a.account.name}: {a.message}" for a in alerts]
        messages.append(
            EmailMessage(
                subject=f"Accountable: {len(alerts)} open alert{'s' if len(alerts) != 1 else ''}",
                body="Open alerts on your accounts:\n\n"
                + "\n".join(lines)
                + "\n\nAdd to the team or dismiss them on the Notifications page.",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
        )
    if messages:
        (connection or get_connection()).send_messages(messages)
    return len(messages)
