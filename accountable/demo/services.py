"""Loading a demo plan into the database, with its history.

Small plans (the demo programme) go through the domain services, so every rule is checked and
the history is exactly what people would have produced. Large plans (benchmark data sets) create
the customer accounts, their external ids and first status in bulk and record their history with
`event_record_many`; the programme's steps (status moves, owners, teams, RACI) still go through
the services.

The plan covers two years, but it is loaded in seconds: each step runs inside `_Clock.at(when)`,
which afterwards dates the rows the step wrote (history events, status changes, ownerships, team
memberships) to the moment the plan gives it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import F, Max

from accountable.accounts import services as account_services
from accountable.accounts.models import (
    Account,
    ExternalId,
    Ownership,
    ProgrammeStatus,
    ProgrammeStatusChange,
    Responsibility,
    TeamMember,
)
from accountable.demo.generator import (
    POSITIONS,
    AccountSpec,
    DemoPlan,
    OwnerRelease,
    OwnerTransfer,
    RaciSet,
    StatusChange,
    Step,
    TeamAdd,
    TeamRemove,
    TeamUpdate,
)
from accountable.history.models import Action, Event, Source
from accountable.history.services import audit_context, event_record_many, snapshot_of
from accountable.people import services as people_services
from accountable.people.models import Position, User
from accountable.plans.demo import plans_demo_load
from accountable.programme.models import ProgrammeSettings

Progress = Callable[[str, int, int], None]
ACTOR_LABEL = "demo generator"
IMPORTED = "Imported from the CRM"
BATCH = 2_000


@dataclass(frozen=True)
class DemoSummary:
    accounts: int
    people: int
    key_accounts: int
    pilots: int
    teams: int
    events: int


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


# --- Is the demo there? ---------------------------------------------------------------------------


def demo_state(*, director: str = "director") -> str:
    """ "demo" when the demo is loaded, "empty" when there is nothing it would clash with,
    "other" when the database holds accounts or people of its own."""
    user = User.objects.filter(username=director).first()
    if (
        user is not None
        and Event.objects.filter(
            object_type="people.user", object_id=str(user.pk), source=Source.DEMO
        ).exists()
    ):
        return "demo"
    if Account.objects.exists() or User.objects.filter(is_superuser=False).exists():
        return "other"
    return "empty"


def demo_summary() -> DemoSummary:
    return DemoSummary(
        accounts=Account.objects.count(),
        people=User.objects.count(),
        key_accounts=Account.objects.filter(programme_status=ProgrammeStatus.KEY_ACCOUNT).count(),
        pilots=Account.objects.filter(programme_status=ProgrammeStatus.PILOT).count(),
        teams=TeamMember.objects.values("account_id").distinct().count(),
        events=Event.objects.count(),
    )


def demo_reset() -> None:
    """Empty the whole database (every table, users included) so the demo can load afresh.

    What the migrations seed (the standard positions, the programme settings row) is put back
    as the migrations put it: without history, since no one made those changes.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # TRUNCATE refuses tables with deferred constraint checks still pending in the
        # transaction (rows written earlier in it): run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    Position.objects.bulk_create(
        [
            Position(slug=slug, name=name, can_own_accounts=can_own, sort_order=order)
            for slug, name, can_own, order in POSITIONS
        ]
    )
    ProgrammeSettings.objects.bulk_create([ProgrammeSettings(pk=1)])


# --- Loading -------------------------------------------------------------------------------------


class _Clock:
    """Dates the rows written inside `at(when)` to `when`.

    Rows are found by id (everything above the last id seen before the block), so dating costs
    a few indexed queries per step whatever the size of the tables.
    """

    DATED: tuple[tuple[type[models.Model], str], ...] = (
        (Event, "at"),
        (ProgrammeStatusChange, "at"),
        (Ownership, "started_at"),
        (TeamMember, "added_at"),
    )

    def __init__(self) -> None:
        self.marks = self._last_ids()

    def _last_ids(self) -> dict[type[models.Model], int]:
        """The highest id of each dated table, in one query."""
        quote = connection.ops.quote_name
        columns = ", ".join(
            f"(SELECT MAX({quote(str(model._meta.pk.column))}) FROM {quote(model._meta.db_table)})"  # noqa: S608 - names from the models
            for model, _ in self.DATED
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns}")
            row = cursor.fetchone()
        return {model: row[n] or 0 for n, (model, _) in enumerate(self.DATED)}

    @contextmanager
    def at(
        self, when: dt.datetime, *, account: Account | None = None, ownership: bool = False
    ) -> Iterator[None]:
        """`account`: the step may have changed its status or ended its ownership;
        `ownership`: it may have written ownership history, whose start and end dates are
        given in the events' changes as well."""
        yield
        last = self._last_ids()
        if ownership:
            stamp = when.isoformat(timespec="seconds")
            for event in Event.objects.filter(
                pk__gt=self.marks[Event], object_type="accounts.ownership"
            ):
                dated = {
                    name: [before, stamp if name in ("started_at", "ended_at") and after else after]
                    for name, (before, after) in event.changes.items()
                }
                Event.objects.filter(pk=event.pk).update(changes=dated)
        for model, field in self.DATED:
            if last[model] > self.marks[model]:
                model._default_manager.filter(pk__gt=self.marks[model]).update(**{field: when})
        self.marks = last
        if account is not None:
            Account.objects.filter(pk=account.pk, status_changed_at__gt=when).update(
                status_changed_at=when
            )
            if ownership:
                Ownership.objects.filter(account=account, ended_at__gt=when).update(ended_at=when)


@transaction.atomic
def demo_load(
    *, plan: DemoPlan, progress: Progress | None = None, bulk: bool | None = None
) -> DemoSummary:
    """Write `plan` into an empty database; returns what it now holds.

    `bulk` defaults to the plan's size (bulk above BULK_THRESHOLD accounts); tests set it to
    check that both ways load the same programme.
    """
    progress = progress or _no_progress
    bulk = plan.shape.bulk if bulk is None else bulk
    with audit_context(source=Source.DEMO, actor_label=ACTOR_LABEL):
        clock = _Clock()
        positions = _positions()
        users = _people(plan, positions, clock, progress)
        if not bulk:
            accounts = _accounts_through_services(plan, clock, progress)
            _replay(plan.steps, users, accounts, positions, _Clock(), progress)
        else:
            accounts = _accounts_in_bulk(plan, progress)
            if connection.vendor == "postgresql":
                # The tables were empty when this transaction began, so the planner's
                # statistics say so and every dating step below (`id > n`) would scan the
                # hundreds of thousands of rows just written instead of reading the index.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            # Accounts whose story ends or hands over an ownership go through the services
            # (the cap is checked at each step, so they go first, while no other account is
            # owned); the rest of the programme is written in bulk.
            involved = {
                step.account
                for step in plan.steps
                if isinstance(step, OwnerTransfer | OwnerRelease | TeamRemove)
            }
            _replay(
                [s for s in plan.steps if s.account in involved],
                users,
                accounts,
                positions,
                _Clock(),
                progress,
            )
            _BulkReplay(users, accounts, positions, users[plan.director]).run(
                [s for s in plan.steps if s.account not in involved], progress
            )
        from accountable.revenue.demo import revenue_demo_load

        revenue_demo_load(now=plan.now, seed=plan.seed, progress=progress)
        # "Updated" on the list: the last change the story made to the account itself.
        Account.objects.update(updated_at=F("status_changed_at"))
        from accountable.relationships.demo import relationships_demo_load

        relationships_demo_load(now=plan.now, progress=progress)
        plans_demo_load(now=plan.now, director=users[plan.director], progress=progress)
    return demo_summary()


def _positions() -> dict[str, Position]:
    existing = {p.slug: p for p in Position.objects.all()}
    for slug, name, can_own, order in POSITIONS:
        if slug not in existing:
            existing[slug] = people_services.position_create(
                actor=None, name=name, can_own_accounts=can_own, sort_order=order
            )
    return existing


def _people(
    plan: DemoPlan, positions: dict[str, Position], clock: _Clock, progress: Progress
) -> dict[str, User]:
    """Business units and our people, through the services; one password hash for all."""
    users: dict[str, User] = {}
    with clock.at(plan.people_created_at()):
        units = {
            code: people_services.business_unit_create(actor=None, name=name, code=code)
            for name, code in plan.business_units
        }
        for n, person in enumerate(plan.people, start=1):
            users[person.username] = people_services.user_create(
                actor=None,
                username=person.username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                role=person.role,
                position=positions[person.position] if person.position else None,
                business_unit=units[person.business_unit] if person.business_unit else None,
                manager=users[person.manager] if person.manager else None,
            )
            progress("people", n, len(plan.people))
    # Hashing is slow on purpose; the demo's people share one known password, so one hash.
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(
        password=make_password(plan.password), date_joined=plan.people_created_at()
    )
    return users


def _account_fields(spec: AccountSpec) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "industry": spec.industry,
        "country": spec.country,
        "region": spec.region,
        "size_band": spec.size_band,
        "employees": spec.employees,
        "annual_revenue": Decimal(spec.annual_revenue),
        "website": spec.website,
        "tier": spec.tier,
    }
    fields.update(spec.profile)
    return fields


def _accounts_through_services(
    plan: DemoPlan, clock: _Clock, progress: Progress
) -> dict[int, Account]:
    accounts: dict[int, Account] = {}
    by_date: dict[dt.datetime, list[AccountSpec]] = defaultdict(list)
    for spec in plan.accounts:
        by_date[spec.created_at].append(spec)
    done = 0
    for when in sorted(by_date):
        created: list[int] = []
        with clock.at(when):
            for spec in by_date[when]:
                account = account_services.account_create(
                    actor=None,
                    name=spec.name,
                    reason=IMPORTED,
                    parent=accounts[spec.parent] if spec.parent is not None else None,
                    external_ids=list(spec.external_ids),
                    **_account_fields(spec),
                )
                accounts[spec.index] = account
                created.append(account.pk)
                done += 1
                progress("accounts", done, len(plan.accounts))
        Account.objects.filter(pk__in=created).update(created_at=when, status_changed_at=when)
    return accounts


def _accounts_in_bulk(plan: DemoPlan, progress: Progress) -> dict[int, Account]:
    """Accounts level by level (parents first), their external ids and first status, in
    batches, with one history event per row written."""
    total = len(plan.accounts)
    accounts: dict[int, Account] = {}
    depth = 0
    while len(accounts) < total:
        level = [s for s in plan.accounts if s.depth == depth]
        for start in range(0, len(level), BATCH):
            batch = []
            for spec in level[start : start + BATCH]:
                parent = accounts[spec.parent] if spec.parent is not None else None
                batch.append(
                    Account(
                        name=spec.name,
                        parent=parent,
                        root_id=parent.root_id if parent is not None else None,
                        created_at=spec.created_at,
                        status_changed_at=spec.created_at,
                        **_account_fields(spec),
                    )
                )
            Account.objects.bulk_create(batch)
            for spec, account in zip(level[start : start + BATCH], batch, strict=True):
                if account.root_id is None:
                    account.root_id = account.pk
                accounts[spec.index] = account
            progress("accounts", len(accounts), total)
        if depth == 0:
            Account.objects.filter(parent__isnull=True, root__isnull=True).update(root_id=F("pk"))
        depth += 1

    ordered = [accounts[spec.index] for spec in plan.accounts]
    _record_created(
        ordered,
        [spec.created_at for spec in plan.accounts],
        "account history",
        progress,
        display=lambda a: {"parent": a.parent.name} if a.parent else {},
    )

    external: list[ExternalId] = []
    external_at: list[dt.datetime] = []
    for spec in plan.accounts:
        for source, value in spec.external_ids:
            external.append(ExternalId(account=accounts[spec.index], source=source, value=value))
            external_at.append(spec.created_at)
    for start in range(0, len(external), BATCH):
        ExternalId.objects.bulk_create(external[start : start + BATCH])
        progress("external ids", min(start + BATCH, len(external)), len(external))
    _record_created(
        external,
        external_at,
        "external id history",
        progress,
        display=lambda e: {"account": e.account.name},
    )

    changes = [
        ProgrammeStatusChange(
            account=accounts[spec.index],
            from_status="",
            to_status=ProgrammeStatus.PROSPECT,
            at=spec.created_at,
            actor=None,
            actor_name=ACTOR_LABEL,
            reason=IMPORTED,
        )
        for spec in plan.accounts
    ]
    for start in range(0, len(changes), BATCH):
        ProgrammeStatusChange.objects.bulk_create(changes[start : start + BATCH])
        progress("status history", min(start + BATCH, len(changes)), len(changes))
    return accounts


def _record_created(
    rows: list[Any],
    dates: list[dt.datetime],
    phase: str,
    progress: Progress,
    display: Callable[[Any], dict[str, str]],
) -> None:
    """One "created" event per bulk-written row, dated like the row.

    `display` names related rows the loader already holds, so that recording does not look each
    one up again.
    """
    by_date: dict[dt.datetime, list[tuple[Any, str, dict]]] = defaultdict(list)
    for row, when in zip(rows, dates, strict=True):
        by_date[when].append((row, Action.CREATED, _snapshot(row, display(row))))
    done = 0
    for when in sorted(by_date):
        mark = Event.objects.aggregate(last=Max("pk"))["last"] or 0
        group = by_date[when]
        for start in range(0, len(group), BATCH):
            with audit_context(reason=IMPORTED):
                event_record_many(group[start : start + BATCH], batch_size=BATCH)
            done += len(group[start : start + BATCH])
            progress(phase, done, len(rows))
        Event.objects.filter(pk__gt=mark).update(at=when)


def _snapshot(row: models.Model, known: dict[str, str]) -> dict[str, list[Any]]:
    """`snapshot_of(row)`, with the display text of relations and countries given rather than
    looked up row by row (one query per relation and row would dominate a bulk load)."""
    hidden: dict[str, Any] = {}
    for name in known:
        field = row._meta.get_field(name)
        assert isinstance(field, models.Field)
        attname = field.attname
        hidden[attname] = getattr(row, attname)
        setattr(row, attname, None)
    country = getattr(row, "country", None)
    if country:
        hidden["country"] = row.country  # type: ignore[attr-defined]
        row.country = ""  # type: ignore[attr-defined]
    try:
        changes = snapshot_of(row)
    finally:
        for attname, value in hidden.items():
            setattr(row, attname, value)
    for name, text in known.items():
        changes[name] = [None, text]
    if country:
        changes["country"] = [None, str(country.name)]
    return changes


# --- The programme's story -----------------------------------------------------------------------


def _replay(
    steps: list[Step],
    users: dict[str, User],
    accounts: dict[int, Account],
    positions: dict[str, Position],
    clock: _Clock,
    progress: Progress,
) -> None:
    """Run steps through the services, in order, each dated by the clock."""
    director = users["director"]
    for n, step in enumerate(steps, start=1):
        account = accounts[step.account]
        changes_owner = isinstance(step, OwnerTransfer | OwnerRelease) or (
            isinstance(step, StatusChange) and step.owner is not None
        )
        with (
            clock.at(
                step.at,
                account=account
                if isinstance(step, StatusChange | OwnerTransfer | OwnerRelease)
                else None,
                ownership=changes_owner,
            ),
            audit_context(reason=""),
        ):
            _run(step, account, users, positions, director)
        progress("programme history", n, len(steps))


def _member(account: Account, user: User) -> TeamMember:
    return TeamMember.objects.select_related("account").get(account=account, user=user)


def _run(
    step: Step,
    account: Account,
    users: dict[str, User],
    positions: dict[str, Position],
    director: User,
) -> None:
    if isinstance(step, StatusChange):
        account_services.account_change_status(
            account=account,
            actor=director,
            to_status=step.to_status,
            reason=step.reason,
            owner=users[step.owner] if step.owner else None,
            cap_override_reason=step.cap_override_reason,
        )
    elif isinstance(step, OwnerTransfer):
        account_services.account_transfer_owner(
            account=account, to_user=users[step.to_owner], actor=director, reason=step.reason
        )
    elif isinstance(step, OwnerRelease):
        account_services.account_release_owner(account=account, actor=director, reason=step.reason)
    elif isinstance(step, TeamAdd):
        account_services.team_member_add(
            account=account,
            user=users[step.user],
            actor=users[step.actor],
            position=positions[step.position],
            kind=step.kind,
            allocation_pct=step.allocation_pct,
            responsibilities=step.responsibilities,
        )
    elif isinstance(step, TeamUpdate):
        account_services.team_member_update(
            member=_member(account, users[step.user]),
            actor=users[step.actor],
            allocation_pct=step.allocation_pct,
            responsibilities=step.responsibilities,
        )
    elif isinstance(step, TeamRemove):
        account_services.team_member_remove(
            member=_member(account, users[step.user]), actor=users[step.actor], reason=step.reason
        )
    elif isinstance(step, RaciSet):
        account_services.responsibilities_set(
            member=_member(account, users[step.user]),
            actor=users[step.actor],
            roles=dict(step.roles),
        )
    else:  # pragma: no cover - the plan has no other kinds of step
        raise TypeError(f"unknown step {step!r}")


class _BulkReplay:
    """Writes status moves, owners, teams and RACI in bulk, with the events the services would
    have recorded for them (same actor, reason, date, fields before → after).

    It covers the steps that only add: status changes (naming a first owner), team members,
    their updates and RACI. Transfers, releases and removals go through the services.
    """

    def __init__(
        self,
        users: dict[str, User],
        accounts: dict[int, Account],
        positions: dict[str, Position],
        director: User,
    ) -> None:
        self.users = users
        self.accounts = accounts
        self.positions = positions
        self.director = director
        self.status_changes: list[ProgrammeStatusChange] = []
        self.ownerships: list[Ownership] = []
        self.members: dict[tuple[int, int], TeamMember] = {}  # (account id, user id)
        self.responsibilities: list[Responsibility] = []
        self.changed: dict[int, Account] = {}
        # (when, actor, reason) → [(row, action, changes)], in the order they happened
        self.events: dict[tuple[dt.datetime, int, str], list[tuple[Any, str, dict]]] = {}

    def run(self, steps: list[Step], progress: Progress) -> None:
        for n, step in enumerate(steps, start=1):
            account = self.accounts[step.account]
            if isinstance(step, StatusChange):
                self.status(step, account)
            elif isinstance(step, TeamAdd):
                self.member_add(
                    step,
                    account,
                    self.users[step.actor],
                    self.users[step.user],
                    self.positions[step.position],
                    step.kind,
                    step.allocation_pct,
                    step.responsibilities,
                    reason="",
                )
            elif isinstance(step, TeamUpdate):
                self.member_update(step, account)
            elif isinstance(step, RaciSet):
                self.raci(step, account)
            else:  # pragma: no cover - routed to the services by demo_load
                raise TypeError(f"{type(step).__name__} is not written in bulk")
            progress("programme (bulk)", n, len(steps))
        self.write(progress)

    def record(
        self, when: dt.datetime, actor: User, reason: str, row: Any, action: str, changes: dict
    ) -> None:
        self.events.setdefault((when, actor.pk, reason), []).append((row, action, changes))

    def status(self, step: StatusChange, account: Account) -> None:
        before = account.programme_status
        account.programme_status = step.to_status
        account.status_changed_at = step.at
        account.version += 1
        self.changed[account.pk] = account
        self.status_changes.append(
            ProgrammeStatusChange(
                account=account,
                from_status=before,
                to_status=step.to_status,
                at=step.at,
                actor=self.director,
                actor_name=self.director.get_username(),
                reason=step.reason,
            )
        )
        self.record(
            step.at,
            self.director,
            step.reason,
            account,
            Action.UPDATED,
            {"programme_status": [_status_label(before), _status_label(step.to_status)]},
        )
        if step.owner:
            owner = self.users[step.owner]
            override = step.cap_override_reason
            ownership = Ownership(
                account=account,
                user=owner,
                started_at=step.at,
                reason=step.reason,
                cap_override_reason=override,
                cap_overridden_by=self.director if override else None,
            )
            self.ownerships.append(ownership)
            known = {"account": account.name, "user": str(owner)}
            if override:
                known["cap_overridden_by"] = str(self.director)
            self.record(
                step.at,
                self.director,
                step.reason,
                ownership,
                Action.CREATED,
                _snapshot(ownership, known),
            )
            if (account.pk, owner.pk) not in self.members and owner.position is not None:
                self.member_add(
                    step,
                    account,
                    self.director,
                    owner,
                    owner.position,
                    "direct",
                    0,
                    "Accountable owner (KAM)",
                    reason=step.reason,
                )

    def member_add(
        self,
        step: Step,
        account: Account,
        actor: User,
        user: User,
        position: Position,
        kind: str,
        allocation_pct: int,
        responsibilities: str,
        *,
        reason: str,
    ) -> None:
        member = TeamMember(
            account=account,
            user=user,
            position=position,
            kind=kind,
            allocation_pct=allocation_pct,
            responsibilities=responsibilities,
            added_at=step.at,
        )
        self.members[(account.pk, user.pk)] = member
        self.record(
            step.at,
            actor,
            reason,
            member,
            Action.CREATED,
            _snapshot(
                member, {"account": account.name, "user": str(user), "position": position.name}
            ),
        )

    def member_update(self, step: TeamUpdate, account: Account) -> None:
        member = self.members[(account.pk, self.users[step.user].pk)]
        changes: dict[str, list[Any]] = {}
        if member.allocation_pct != step.allocation_pct:
            changes["allocation_pct"] = [member.allocation_pct, step.allocation_pct]
            member.allocation_pct = step.allocation_pct
        if member.responsibilities != step.responsibilities:
            changes["responsibilities"] = [
                member.responsibilities or None,
                step.responsibilities or None,
            ]
            member.responsibilities = step.responsibilities
        if changes:
            self.record(step.at, self.users[step.actor], "", member, Action.UPDATED, changes)

    def raci(self, step: RaciSet, account: Account) -> None:
        member = self.members[(account.pk, self.users[step.user].pk)]
        for area, role in step.roles:
            row = Responsibility(account=account, member=member, area=area, role=role)
            self.responsibilities.append(row)
            self.record(
                step.at,
                self.users[step.actor],
                "",
                row,
                Action.CREATED,
                _snapshot(row, {"account": account.name, "member": str(member)}),
            )

    def write(self, progress: Progress) -> None:
        ProgrammeStatusChange.objects.bulk_create(self.status_changes, batch_size=BATCH)
        Ownership.objects.bulk_create(self.ownerships, batch_size=BATCH)
        TeamMember.objects.bulk_create(list(self.members.values()), batch_size=BATCH)
        Responsibility.objects.bulk_create(self.responsibilities, batch_size=BATCH)
        Account.objects.bulk_update(
            list(self.changed.values()),
            ["programme_status", "status_changed_at", "version"],
            batch_size=BATCH,
        )
        account_services.account_owner_sort_sync(
            account_ids={o.account_id for o in self.ownerships}
        )
        done = 0
        total = sum(len(rows) for rows in self.events.values())
        by_pk = {u.pk: u for u in self.users.values()}
        for (when, actor_pk, reason), rows in sorted(
            self.events.items(), key=lambda item: item[0][0]
        ):
            mark = Event.objects.aggregate(last=Max("pk"))["last"] or 0
            with audit_context(actor=by_pk[actor_pk], reason=reason):
                event_record_many(rows, batch_size=BATCH)
            Event.objects.filter(pk__gt=mark).update(at=when)
            done += len(rows)
            progress("programme history", done, total)


def _status_label(status: str) -> str | None:
    return str(ProgrammeStatus(status).label) if status else None
