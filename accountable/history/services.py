"""Recording history: every change to customer and programme data, whoever or whatever made it.

How it works:
1. Each domain app declares which of its models are tracked (`track()` in its AppConfig.ready),
   and how to find the customer account a row belongs to.
2. Every save and delete of a tracked model writes one `Event` in the same transaction: the
   fields that changed, before → after, as display text. This catches changes made from the
   shell, the admin, a job or an import as well as those made through pages and the API;
   it is recording, not domain flow, which stays in the services.
3. *Who* and *why* come from the audit context: services open it with their `actor` and
   `reason`, the request middleware supplies the signed-in user and the source (web, api, admin),
   commands and jobs supply theirs; a change with no context is attributed to the operating-system
   user of the shell that made it.
4. Bulk writes (demo generator, imports) bypass model saves and call `event_record_many`.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from accountable.history.models import Action, Event, Source

MASKED_FIELDS = frozenset({"password"})


@dataclass(frozen=True)
class AuditContext:
    """Who is changing data, through what, and why."""

    actor: Any = None  # a people.User, or None for the system
    source: str = Source.SHELL
    reason: str = ""
    actor_label: str = ""  # used when there is no actor, e.g. "root (shell)"

    def actor_name(self) -> str:
        if self.actor is not None and getattr(self.actor, "is_authenticated", False):
            return str(self.actor.get_username())
        if self.actor_label:
            return self.actor_label
        try:
            who = getpass.getuser()
        except Exception:  # no login name in some containers
            who = "system"
        return f"{who} ({self.source})"


_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def audit_context_current() -> AuditContext:
    return _context.get() or AuditContext()


@contextmanager
def audit_context(
    *,
    actor: Any = None,
    source: str | None = None,
    reason: str | None = None,
    actor_label: str | None = None,
) -> Iterator[AuditContext]:
    """Set who/why for every change recorded inside the block; unset values are inherited."""
    current = audit_context_current()
    changes: dict[str, Any] = {}
    if actor is not None:
        changes["actor"] = actor
    if source is not None:
        changes["source"] = source
    if reason is not None:
        changes["reason"] = reason
    if actor_label is not None:
        changes["actor_label"] = actor_label
    token = _context.set(replace(current, **changes))
    try:
        yield _context.get() or AuditContext()
    finally:
        _context.reset(token)


@dataclass(frozen=True)
class Tracked:
    fields: tuple[models.Field, ...]
    account_of: Callable[[Any], int | None]


_tracked: dict[type[models.Model], Tracked] = {}


def object_type_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def track(
    model: type[models.Model],
    *,
    account_of: Callable[[Any], int | None],
    exclude: tuple[str, ...] = (),
) -> None:
    """Record every save and delete of `model` as history events."""
    fields = tuple(
        f for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude
    )
    _tracked[model] = Tracked(fields=fields, account_of=account_of)
    uid = object_type_of(model)
    pre_save.connect(_before_save, sender=model, weak=False, dispatch_uid=f"history-pre-{uid}")
    post_save.connect(_after_save, sender=model, weak=False, dispatch_uid=f"history-post-{uid}")
    post_delete.connect(_after_delete, sender=model, weak=False, dispatch_uid=f"history-del-{uid}")


def _normalise(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    try:
        return field.to_python(value)
    except Exception:
        return value


def _display(field: models.Field, value: Any) -> Any:
    """A JSON-safe, human-readable rendering of one stored value."""
    if value is None or value == "":
        return None
    if field.name in MASKED_FIELDS:
        return "••••••"
    if field.is_relation and field.related_model is not None:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    if field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return value
    return str(value)


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    tracked = _tracked[sender]
    before = None
    if instance.pk is not None and not instance._state.adding:
        before = (
            sender._base_manager.using(kwargs.get("using"))
            .filter(pk=instance.pk)
            .values(*[f.attname for f in tracked.fields])
            .first()
        )
    instance._history_before = before  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    tracked = _tracked[sender]
    before: dict[str, Any] | None = getattr(instance, "_history_before", None)
    changes: dict[str, list[Any]] = {}
    update_fields = kwargs.get("update_fields")
    for field in tracked.fields:
        if update_fields is not None and field.name not in update_fields:
            continue
        after_value = _normalise(field, getattr(instance, field.attname))
        if created or before is None:
            if after_value not in (None, ""):
                changes[field.name] = [None, _display(field, after_value)]
            continue
        before_value = _normalise(field, before.get(field.attname))
        if before_value != after_value:
            changes[field.name] = [_display(field, before_value), _display(field, after_value)]
    if not created and before is not None and not changes:
        return  # a save that changed nothing is not history
    action = Action.CREATED if (created or before is None) else Action.UPDATED
    _write(instance, tracked, action, changes)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    tracked = _tracked[sender]
    changes = {
        f.name: [_display(f, _normalise(f, getattr(instance, f.attname))), None]
        for f in tracked.fields
        if getattr(instance, f.attname) not in (None, "")
    }
    _write(instance, tracked, Action.DELETED, changes)


def _write(instance: models.Model, tracked: Tracked, action: str, changes: dict) -> None:
    ctx = audit_context_current()
    actor = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
    Event.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_name=ctx.actor_name(),
        source=ctx.source,
        account_id=tracked.account_of(instance),
        object_type=object_type_of(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        action=action,
        changes=changes,
        reason=ctx.reason,
    )


def event_record_many(rows: list[tuple[models.Model, str, dict]], *, batch_size: int = 2000) -> int:
    """Record events for rows written in bulk (bulk_create bypasses model saves).

    Each row is (instance, action, changes); who and why come from the audit context.
    """
    ctx = audit_context_current()
    actor = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
    now = timezone.now()
    events = []
    for instance, action, changes in rows:
        tracked = _tracked[type(instance)]
        events.append(
            Event(
                at=now,
                actor=actor,
                actor_name=ctx.actor_name(),
                source=ctx.source,
                account_id=tracked.account_of(instance),
                object_type=object_type_of(type(instance)),
                object_id=str(instance.pk),
                object_repr=str(instance)[:255],
                action=action,
                changes=changes,
                reason=ctx.reason,
            )
        )
    Event.objects.bulk_create(events, batch_size=batch_size)
    return len(events)


def snapshot_of(instance: models.Model) -> dict[str, list[Any]]:
    """Changes dict for a newly created row, for bulk recording."""
    tracked = _tracked[type(instance)]
    return {
        f.name: [None, _display(f, _normalise(f, getattr(instance, f.attname)))]
        for f in tracked.fields
        if getattr(instance, f.attname) not in (None, "")
    }
