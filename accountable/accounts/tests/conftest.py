"""Fixtures for the account page tests: a snapshot of everything a form could change."""

import pytest

from accountable.accounts.models import (
    Account,
    ExternalId,
    Ownership,
    ProgrammeStatusChange,
    Responsibility,
    TeamMember,
)
from accountable.history.models import Event


def db_state() -> dict[str, list]:
    """Every row a page form could write, as plain values, to compare before and after."""
    return {
        "events": list(Event.objects.order_by("id").values_list("id", flat=True)),
        "accounts": list(Account.objects.order_by("id").values()),
        "status_changes": list(ProgrammeStatusChange.objects.order_by("id").values()),
        "ownerships": list(Ownership.objects.order_by("id").values()),
        "team": list(TeamMember.objects.order_by("id").values()),
        "raci": list(Responsibility.objects.order_by("id").values()),
        "external_ids": list(ExternalId.objects.order_by("id").values()),
    }


@pytest.fixture
def snapshot():
    return db_state
