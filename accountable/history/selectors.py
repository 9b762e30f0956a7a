"""Reads of history, filtered by what the reader may see."""

from typing import Any

from django.db.models import Q, QuerySet

from accountable.accounts.selectors import account_visible_queryset
from accountable.history.models import Event


def event_list_for_account(*, account_id: int) -> QuerySet[Event]:
    """An account's history, newest first (the caller has checked access to the account)."""
    return Event.objects.filter(account_id=account_id).order_by("-at", "-id")


def event_list_for_user(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Event]:
    """Every event the user may read: all for directors and executives; otherwise the history of
    the accounts they can see and of their own record."""
    filters = filters or {}
    qs = Event.objects.all()
    if not user.reads_everything:
        visible = account_visible_queryset(user=user).values("id")
        qs = qs.filter(
            Q(account_id__in=visible) | Q(object_type="people.user", object_id=str(user.pk))
        )
    if filters.get("account"):
        qs = qs.filter(account_id=filters["account"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=str(filters["object_id"]))
    if filters.get("actor"):
        qs = qs.filter(actor_id=filters["actor"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("since"):
        qs = qs.filter(at__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(at__lt=filters["until"])
    return qs.order_by("-at", "-id")


def event_list_for_person(*, person_id: int) -> QuerySet[Event]:
    return Event.objects.filter(object_type="people.user", object_id=str(person_id)).order_by(
        "-at", "-id"
    )
