"""API shapes for history events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from accountable.core.api_base import AwareDatetime, Id, Page, QueryIn
from accountable.history.models import Action, Source


class EventOut(Schema):
    """One recorded change: who, when, through what, what changed (before → after), why."""

    id: int
    at: dt.datetime
    actor_id: int | None = Field(description="Null when the author was not a person (a job).")
    actor_name: str = Field(description="Kept as text: still names a since-removed author.")
    source: Source
    account_id: int | None
    object_type: str = Field(description="app.model, e.g. accounts.ownership")
    object_id: str
    object_repr: str
    action: Action
    changes: dict[str, list[Any]] = Field(description="Field → [before, after], as display text.")
    reason: str


class EventPageOut(Page[EventOut]):
    pass


class EventFilterIn(QueryIn):
    account: Id | None = Field(None, description="An account's id (also after it was deleted).")
    object_type: str | None = Field(None, max_length=60, description="e.g. accounts.account")
    object_id: str | None = Field(None, max_length=64)
    actor: Id | None = Field(None, description="A person's id.")
    source: Source | None = None
    since: AwareDatetime | None = Field(None, description="At or after (ISO 8601).")
    until: AwareDatetime | None = Field(None, description="Before (ISO 8601).")
