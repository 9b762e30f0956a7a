"""Reads for the home page: a person's own accounts and the programme overview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from accountable.accounts.models import (
    OWNED_STATUSES,
    Account,
    Ownership,
    ProgrammeStatus,
    TeamMember,
)
from accountable.accounts.selectors import account_rows_with_owner, kam_load_list
from accountable.history.models import Event
from accountable.history.selectors import event_list_for_user
from accountable.people.models import Position
from accountable.programme.selectors import programme_settings

STATUS_ORDER = {
    status.value: i
    for i, status in enumerate(
        (
            ProgrammeStatus.KEY_ACCOUNT,
            ProgrammeStatus.PILOT,
            ProgrammeStatus.CANDIDATE,
            ProgrammeStatus.PROSPECT,
            ProgrammeStatus.EXITED,
        )
    )
}


@dataclass
class MyAccountRow:
    """One account a person has a part in, and what that part is."""

    account: Account
    is_owner: bool
    position: Position | None
    kind_label: str
    allocation_pct: int | None
    responsibilities: str


@dataclass
class MyAccounts:
    rows: list[MyAccountRow]
    key_accounts_owned: int
    total_allocation: int
    cap: int


def my_accounts_for_user(*, user: Any) -> MyAccounts:
    """The accounts `user` owns or is on the team of, owned first, then by status and name.

    Four queries whatever the number of accounts: ownerships, memberships, the owners of those
    accounts, the programme settings.
    """
    owned = {
        o.account_id: o
        for o in Ownership.objects.select_related("account").filter(
            user=user, ended_at__isnull=True
        )
    }
    memberships = {
        m.account_id: m
        for m in TeamMember.objects.select_related("account", "position").filter(user=user)
    }
    accounts = {o.account_id: o.account for o in owned.values()}
    accounts.update(
        {m.account_id: m.account for m in memberships.values() if m.account_id not in accounts}
    )
    account_rows_with_owner(list(accounts.values()))
    rows = []
    for account_id, account in accounts.items():
        member = memberships.get(account_id)
        rows.append(
            MyAccountRow(
                account=account,
                is_owner=account_id in owned,
                position=member.position if member else None,
                kind_label=member.get_kind_display() if member else "",
                allocation_pct=member.allocation_pct if member else None,
                responsibilities=member.responsibilities if member else "",
            )
        )
    rows.sort(
        key=lambda r: (
            not r.is_owner,
            STATUS_ORDER.get(r.account.programme_status, 9),
            r.account.name.lower(),
        )
    )
    return MyAccounts(
        rows=rows,
        key_accounts_owned=sum(
            1 for o in owned.values() if o.account.programme_status in OWNED_STATUSES
        ),
        total_allocation=sum(m.allocation_pct for m in memberships.values()),
        cap=programme_settings().key_accounts_per_kam_cap,
    )


@dataclass
class ProgrammeOverview:
    status_counts: list[tuple[str, str, int]]  # (status, label, accounts)
    total_accounts: int
    cap: int
    kam_load: list[dict[str, Any]]  # KAMs who own at least one pilot/key account, most first
    idle_kams: int  # people who may own accounts but own no pilot/key account
    over_cap: list[dict[str, Any]]
    overrides: list[Ownership]
    recent_events: list[Event]


def programme_overview_for_user(*, user: Any, recent: int = 12) -> ProgrammeOverview:
    """The director's and executive's start page: the programme at a glance."""
    counts = dict(
        Account.objects.values("programme_status")
        .annotate(n=Count("id"))
        .values_list("programme_status", "n")
    )
    status_counts = [
        (s.value, str(s.label), counts.get(s.value, 0))
        for s in sorted(ProgrammeStatus, key=lambda s: STATUS_ORDER[s.value])
    ]
    load = kam_load_list()
    cap = load[0]["cap"] if load else programme_settings().key_accounts_per_kam_cap
    busy = sorted(
        (row for row in load if row["owned"]), key=lambda row: (-row["owned"], str(row["person"]))
    )
    overrides = list(
        Ownership.objects.select_related("account", "user", "cap_overridden_by")
        .filter(ended_at__isnull=True)
        .exclude(cap_override_reason="")
        .order_by("user__last_name", "account__name")
    )
    events = list(event_list_for_user(user=user)[:recent])
    names = dict(
        Account.objects.filter(pk__in={e.account_id for e in events if e.account_id}).values_list(
            "id", "name"
        )
    )
    for event in events:
        event.account_name = names.get(event.account_id or 0)  # type: ignore[attr-defined]
    return ProgrammeOverview(
        status_counts=status_counts,
        total_accounts=sum(counts.values()),
        cap=cap,
        kam_load=busy,
        idle_kams=len(load) - len(busy),
        over_cap=[row for row in busy if row["over"]],
        overrides=overrides,
        recent_events=events,
    )
