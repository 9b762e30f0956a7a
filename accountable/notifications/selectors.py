"""Reads of alerts: a user's notification list, and one alert checked like its account."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accountable.accounts.selectors import account_get_for_user
from accountable.notifications.models import Alert


def alert_list_for_user(*, user: Any) -> QuerySet[Alert]:
    """The alerts sent to `user`, open ones first, newest first."""
    return (
        Alert.objects.filter(recipients=user)
        .select_related("account", "subject_user", "resolved_by")
        .order_by("resolved_at", "-created_at", "-id")
    )


def alert_get_for_user(*, user: Any, id: Any, write: bool = False) -> Alert:
    """An alert sent to the user (404 otherwise); acting on it needs write access to its
    account (403 for a recipient who may only read it)."""
    alert = alert_list_for_user(user=user).filter(pk=id).first() if str(id).isdigit() else None
    if alert is None:
        raise Http404("No such notification.")
    account_get_for_user(user=user, id=alert.account_id, write=write)
    return alert
