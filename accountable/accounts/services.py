"""Every write to customer accounts: profile, hierarchy, status, ownership, team.

Rules enforced here (and, where a database can, by constraints as well):
- a pilot or key account has exactly one owner, a person whose position may own accounts;
- a second owner is refused; changing owner is an explicit transfer with a reason;
- a KAM owns at most `key_accounts_per_kam_cap` pilot/key accounts unless a programme director
  overrides it with a reason, which is kept on the ownership;
- a parent chain never loops;
- an edit based on an out-of-date version is refused (optimistic locking: the account's
  `version`; a team member's place and RACI by the key of what the form showed).
Each service records history through the audit context, in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from accountable.accounts.models import (
    MONEY_LIMIT,
    OWNED_STATUSES,
    Account,
    Area,
    BuyingCentre,
    BuyingCentreKind,
    ExternalId,
    Ownership,
    ProgrammeStatus,
    ProgrammeStatusChange,
    Raci,
    Responsibility,
    TeamKind,
    TeamMember,
)
from accountable.core.errors import (
    CapExceeded,
    Conflict,
    StaleEdit,
    ValidationFailed,
)
from accountable.history.services import audit_context
from accountable.people.models import Position, User
from accountable.programme.services import programme_settings_get

EDITABLE_FIELDS = (
    "name",
    "parent",
    "industry",
    "country",
    "region",
    "size_band",
    "employees",
    "annual_revenue",
    "website",
    "tier",
    "business_model",
    "strategy",
    "core_values",
    "current_initiatives",
    "culture",
    "company_history",
    "decision_process",
)

# Which moves through the programme are allowed. Exited accounts can be taken up again.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ProgrammeStatus.PROSPECT: {ProgrammeStatus.CANDIDATE, ProgrammeStatus.EXITED},
    ProgrammeStatus.CANDIDATE: {
        ProgrammeStatus.PROSPECT,
        ProgrammeStatus.PILOT,
        ProgrammeStatus.KEY_ACCOUNT,
        ProgrammeStatus.EXITED,
    },
    ProgrammeStatus.PILOT: {
        ProgrammeStatus.CANDIDATE,
        ProgrammeStatus.KEY_ACCOUNT,
        ProgrammeStatus.EXITED,
    },
    ProgrammeStatus.KEY_ACCOUNT: {ProgrammeStatus.PILOT, ProgrammeStatus.EXITED},
    ProgrammeStatus.EXITED: {ProgrammeStatus.PROSPECT, ProgrammeStatus.CANDIDATE},
}


def _label(status: str) -> str:
    return str(ProgrammeStatus(status).label)


def _require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(f"Give a reason for {what}.", field="reason")
    return reason


def _lock_account(account: Account) -> Account:
    """Re-read the account inside the transaction, locked against concurrent writers."""
    return Account.objects.select_for_update().get(pk=account.pk)


# --- Profile and hierarchy -------------------------------------------------------------------


def _check_parent(account: Account | None, parent: Account | None) -> None:
    if parent is None:
        return
    if account is not None and account.pk is not None:
        current: Account | None = parent
        seen: set[int] = set()
        while current is not None:
            if current.pk == account.pk:
                raise ValidationFailed(
                    f"{parent} is part of {account}'s own tree; an account cannot be its own "
                    "ancestor.",
                    field="parent",
                )
            if current.pk in seen:
                break
            seen.add(current.pk)
            current = current.parent


def _validate_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown or read-only fields: {', '.join(sorted(unknown))}")
    if "name" in fields and not str(fields["name"] or "").strip():
        raise ValidationFailed("An account needs a name.", field="name")
    employees = fields.get("employees")
    if employees is not None and int(employees) < 0:
        raise ValidationFailed("Employees cannot be negative.", field="employees")
    revenue = fields.get("annual_revenue")
    if revenue is not None and abs(revenue) >= MONEY_LIMIT:
        raise ValidationFailed(
            f"Customer revenue must be less than {MONEY_LIMIT:,}.", field="annual_revenue"
        )


def _clean_row(account: Account) -> None:
    from django.core.exceptions import ValidationError

    try:
        account.full_clean(
            exclude=["parent", "root"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(errors.items()))
        raise ValidationFailed(f"{first[0]}: {first[1][0]}", field=first[0], errors=errors) from exc


@transaction.atomic
def account_create(
    *,
    actor: Any,
    name: str,
    external_ids: list[tuple[str, str]] | None = None,
    reason: str = "",
    **fields: Any,
) -> Account:
    fields["name"] = name.strip() if name else name
    status = fields.pop("programme_status", ProgrammeStatus.PROSPECT)
    if status in OWNED_STATUSES or status not in ProgrammeStatus.values:
        raise ValidationFailed(
            "A new account starts as a prospect, candidate or exited account; it becomes a pilot "
            "or key account through a status change that names its owner.",
            field="programme_status",
        )
    _validate_fields(fields)
    account = Account(programme_status=status, **fields)
    _clean_row(account)
    with audit_context(actor=actor, reason=reason):
        account.save()
        account.root_id = account.parent.root_id if account.parent else account.pk
        Account.objects.filter(pk=account.pk).update(root_id=account.root_id)
        ProgrammeStatusChange.objects.create(
            account=account,
            from_status="",
            to_status=account.programme_status,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=_actor_name(actor),
            reason=reason or "Account created",
        )
        for source, value in external_ids or []:
            external_id_add(account=account, actor=actor, source=source, value=value)
    return account


def _actor_name(actor: Any) -> str:
    from accountable.history.services import audit_context_current

    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return audit_context_current().actor_name()


@transaction.atomic
def account_update(
    *,
    account: Account,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Account:
    """Change profile fields; refused if someone saved the account since `expected_version`."""
    _validate_fields(data)
    locked = _lock_account(account)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(
            f"{locked.name} was changed by someone else while you were editing "
            f"(your version {expected_version}, now {locked.version}). Your changes were not "
            "saved; review the current values and apply them again."
        )
    old_parent_id = locked.parent_id
    if "parent" in data:
        _check_parent(locked, data["parent"])
    for name, value in data.items():
        setattr(locked, name, value)
    _clean_row(locked)
    locked.version = F("version") + 1
    with audit_context(actor=actor, reason=reason):
        locked.save()
    locked.refresh_from_db()
    if locked.parent_id != old_parent_id:
        _reroot_subtree(locked)
    return locked


def _reroot_subtree(account: Account) -> None:
    """After a parent change, point the account and everything below it at its new root."""
    new_root = account.parent.root_id if account.parent_id and account.parent else account.pk
    old_root = Account.objects.filter(pk=account.pk).values_list("root_id", flat=True).first()
    candidates = Account.objects.filter(root_id=old_root).values_list("id", "parent_id")
    children: dict[int, list[int]] = {}
    for child_id, parent_id in candidates:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(child_id)
    subtree = [account.pk]
    frontier = [account.pk]
    while frontier:
        node = frontier.pop()
        for child in children.get(node, []):
            subtree.append(child)
            frontier.append(child)
    Account.objects.filter(pk__in=subtree).update(root_id=new_root)


@transaction.atomic
def account_delete(*, account: Account, actor: Any, reason: str) -> None:
    reason = _require_reason(reason, "deleting an account")
    locked = _lock_account(account)
    if locked.children.exists():
        raise Conflict(f"{locked.name} has subsidiaries; move or delete them first.")
    if locked.ownerships.filter(ended_at__isnull=True).exists() and locked.needs_owner:
        raise Conflict(
            f"{locked.name} is a {_label(locked.programme_status).lower()}; "
            "exit it from the programme before deleting it."
        )
    with audit_context(actor=actor, reason=reason):
        for member in locked.team_members.all():
            member.raci.all().delete()
            member.delete()
        for ext in locked.external_ids.all():
            ext.delete()
        for ownership in locked.ownerships.all():
            ownership.delete()
        locked.delete()


# --- External ids ------------------------------------------------------------------------------


@transaction.atomic
def external_id_add(*, account: Account, actor: Any, source: str, value: str) -> ExternalId:
    source = (source or "").strip().lower()
    value = (value or "").strip()
    if not source or not value:
        raise ValidationFailed("An external id needs a source and a value.", field="value")
    existing = ExternalId.objects.select_related("account").filter(source=source, value=value)
    clash = existing.first()
    if clash is not None:
        raise Conflict(f"{source}:{value} already belongs to {clash.account.name}.", field="value")
    try:
        with transaction.atomic(), audit_context(actor=actor):
            return ExternalId.objects.create(account=account, source=source, value=value)
    except IntegrityError as exc:
        raise Conflict(f"{source}:{value} already belongs to another account.") from exc


@transaction.atomic
def external_id_remove(*, external_id: ExternalId, actor: Any, reason: str = "") -> None:
    with audit_context(actor=actor, reason=reason):
        external_id.delete()


# --- Buying centres ----------------------------------------------------------------------------


def _check_buying_centre_parent(
    centre: BuyingCentre | None, account: Account, parent: BuyingCentre | None
) -> None:
    if parent is None:
        return
    if parent.account_id != account.pk:
        raise ValidationFailed(f"{parent.name} belongs to another account.", field="parent")
    seen: set[int] = set()
    node: BuyingCentre | None = parent
    while node is not None:
        if centre is not None and node.pk == centre.pk:
            raise ValidationFailed(
                f"{parent.name} is inside {centre.name}; a buying centre cannot sit under itself.",
                field="parent",
            )
        if node.pk in seen:  # a loop already in the data: stop rather than spin
            break
        seen.add(node.pk)
        node = node.parent


def _buying_centre_fields(name: str, kind: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("A buying centre needs a name.", field="name")
    if kind not in BuyingCentreKind.values:
        raise ValidationFailed(f"Unknown kind {kind!r}.", field="kind")
    return name, kind


@transaction.atomic
def buying_centre_create(
    *,
    account: Account,
    actor: Any,
    name: str,
    kind: str = BuyingCentreKind.DIVISION,
    parent: BuyingCentre | None = None,
    location: str = "",
    notes: str = "",
) -> BuyingCentre:
    name, kind = _buying_centre_fields(name, kind)
    _check_buying_centre_parent(None, account, parent)
    if BuyingCentre.objects.filter(account=account, name__iexact=name).exists():
        raise Conflict(f"{account.name} already has a buying centre called {name}.", field="name")
    with audit_context(actor=actor):
        return BuyingCentre.objects.create(
            account=account, name=name, kind=kind, parent=parent, location=location, notes=notes
        )


@transaction.atomic
def buying_centre_update(
    *, centre: BuyingCentre, actor: Any, reason: str = "", **fields: Any
) -> BuyingCentre:
    allowed = {"name", "kind", "parent", "location", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    name, kind = _buying_centre_fields(
        fields.get("name", centre.name), fields.get("kind", centre.kind)
    )
    if "parent" in fields:
        _check_buying_centre_parent(centre, centre.account, fields["parent"])
    clash = BuyingCentre.objects.filter(account_id=centre.account_id, name__iexact=name)
    if clash.exclude(pk=centre.pk).exists():
        raise Conflict(f"This account already has a buying centre called {name}.", field="name")
    for field, value in {**fields, "name": name, "kind": kind}.items():
        setattr(centre, field, value)
    with audit_context(actor=actor, reason=reason):
        centre.save()
    return centre


@transaction.atomic
def buying_centre_delete(*, centre: BuyingCentre, actor: Any, reason: str = "") -> None:
    if centre.children.exists():
        raise Conflict(f"{centre.name} has buying centres under it; move or delete them first.")
    with audit_context(actor=actor, reason=reason):
        centre.delete()


# --- Ownership ---------------------------------------------------------------------------------


def account_owner_sort_sync(*, account_ids: Iterable[int] | None = None) -> int:
    """Recompute `Account.owner_sort` from the current ownerships (all accounts when no ids are
    given); every service that starts or ends an ownership or renames an owner calls it.
    Not recorded in history: it only mirrors the ownership, which is."""
    current = Ownership.objects.filter(account=OuterRef("pk"), ended_at__isnull=True).annotate(
        key=Concat("user__last_name", Value(" "), "user__first_name", output_field=CharField())
    )
    qs = Account.objects.all()
    if account_ids is not None:
        qs = qs.filter(pk__in=account_ids)
    return qs.update(owner_sort=Coalesce(Subquery(current.values("key")[:1]), Value("")))


def current_ownership(account: Account) -> Ownership | None:
    return (
        Ownership.objects.select_related("user")
        .filter(account=account, ended_at__isnull=True)
        .first()
    )


def _owned_key_account_count(user: User, *, excluding: Account | None = None) -> int:
    qs = Ownership.objects.filter(
        user=user, ended_at__isnull=True, account__programme_status__in=OWNED_STATUSES
    )
    if excluding is not None:
        qs = qs.exclude(account=excluding)
    return qs.count()


def _check_can_own(user: User) -> None:
    if not user.is_active:
        raise ValidationFailed(f"{user} is not an active user.", field="user")
    if user.position is None or not user.position.can_own_accounts:
        position = user.position.name if user.position else "no position"
        raise ValidationFailed(
            f"{user} ({position}) cannot own accounts: the owner must be in a position that "
            "may own accounts, such as key account manager.",
            field="user",
        )


def _check_cap(
    *, user: User, account: Account, status: str, actor: Any, cap_override_reason: str
) -> str:
    """Return the override reason to record, or "" when under the cap; raise when refused."""
    if status not in OWNED_STATUSES:
        return ""
    # Lock the KAM's row so two concurrent assignments to one KAM are checked one after the other.
    User.objects.select_for_update().filter(pk=user.pk).first()
    cap = programme_settings_get().key_accounts_per_kam_cap
    owned = _owned_key_account_count(user, excluding=account)
    if owned < cap:
        return ""
    override = (cap_override_reason or "").strip()
    if not override:
        raise CapExceeded(
            f"{user} already owns {owned} pilot or key account{'s' if owned != 1 else ''}; the "
            f"cap is {cap} per KAM. A programme director can override the cap with a reason.",
            field="cap_override_reason",
        )
    if not getattr(actor, "is_director", False):
        raise CapExceeded(
            f"Only a programme director can take {user} over the cap of {cap}.",
            field="cap_override_reason",
        )
    return override


def _ensure_owner_on_team(account: Account, user: User, actor: Any) -> None:
    if not TeamMember.objects.filter(account=account, user=user).exists():
        position = user.position or Position.objects.filter(can_own_accounts=True).first()
        if position is None:
            return
        with audit_context(actor=actor):
            TeamMember.objects.create(
                account=account,
                user=user,
                position=position,
                kind=TeamKind.DIRECT,
                allocation_pct=0,
                responsibilities="Accountable owner (KAM)",
            )


@transaction.atomic
def account_assign_owner(
    *,
    account: Account,
    user: User,
    actor: Any,
    reason: str = "",
    cap_override_reason: str = "",
) -> Ownership:
    """Make `user` the accountable owner of an account that has none."""
    locked = _lock_account(account)
    existing = current_ownership(locked)
    if existing is not None:
        if existing.user_id == user.pk:
            raise Conflict(f"{user} already owns {locked.name}.", field="user")
        raise Conflict(
            f"{locked.name} already has an owner, {existing.user}. An account has exactly one "
            "accountable owner: transfer the ownership instead.",
            field="user",
        )
    _check_can_own(user)
    override = _check_cap(
        user=user,
        account=locked,
        status=locked.programme_status,
        actor=actor,
        cap_override_reason=cap_override_reason,
    )
    try:
        with transaction.atomic(), audit_context(actor=actor, reason=reason or override):
            ownership = Ownership.objects.create(
                account=locked,
                user=user,
                reason=reason.strip(),
                cap_override_reason=override,
                cap_overridden_by=actor if override else None,
            )
    except IntegrityError as exc:  # a concurrent assignment won the race
        raise Conflict(f"{locked.name} already has an owner.", field="user") from exc
    account_owner_sort_sync(account_ids=[locked.pk])
    _ensure_owner_on_team(locked, user, actor)
    return ownership


@transaction.atomic
def account_transfer_owner(
    *,
    account: Account,
    to_user: User,
    actor: Any,
    reason: str,
    cap_override_reason: str = "",
) -> Ownership:
    """Hand the account from its current owner to another KAM, with a reason."""
    reason = _require_reason(reason, "the transfer")
    locked = _lock_account(account)
    existing = current_ownership(locked)
    if existing is None:
        raise Conflict(f"{locked.name} has no owner to transfer from; assign one instead.")
    if existing.user_id == to_user.pk:
        raise Conflict(f"{to_user} already owns {locked.name}.", field="user")
    _check_can_own(to_user)
    override = _check_cap(
        user=to_user,
        account=locked,
        status=locked.programme_status,
        actor=actor,
        cap_override_reason=cap_override_reason,
    )
    now = timezone.now()
    with audit_context(actor=actor, reason=reason):
        existing.ended_at = now
        existing.end_reason = reason
        existing.save()
        ownership = Ownership.objects.create(
            account=locked,
            user=to_user,
            started_at=now,
            reason=reason,
            cap_override_reason=override,
            cap_overridden_by=actor if override else None,
        )
    account_owner_sort_sync(account_ids=[locked.pk])
    _ensure_owner_on_team(locked, to_user, actor)
    return ownership


@transaction.atomic
def account_release_owner(*, account: Account, actor: Any, reason: str) -> None:
    """End the current ownership of an account that does not need an owner."""
    reason = _require_reason(reason, "removing the owner")
    locked = _lock_account(account)
    if locked.needs_owner:
        raise Conflict(
            f"{locked.name} is a {_label(locked.programme_status).lower()} and must keep exactly "
            "one owner; transfer it instead."
        )
    existing = current_ownership(locked)
    if existing is None:
        raise Conflict(f"{locked.name} has no owner.")
    with audit_context(actor=actor, reason=reason):
        existing.ended_at = timezone.now()
        existing.end_reason = reason
        existing.save()
    account_owner_sort_sync(account_ids=[locked.pk])


# --- Programme status --------------------------------------------------------------------------


@transaction.atomic
def account_change_status(
    *,
    account: Account,
    actor: Any,
    to_status: str,
    reason: str,
    owner: User | None = None,
    cap_override_reason: str = "",
) -> Account:
    """Move an account through the programme; pilot and key accounts must have one owner.

    `owner` assigns the owner in the same step when the account has none yet.
    """
    reason = _require_reason(reason, "the status change")
    if to_status not in ProgrammeStatus.values:
        raise ValidationFailed(f"Unknown programme status {to_status!r}.", field="to_status")
    locked = _lock_account(account)
    from_status = locked.programme_status
    if to_status == from_status:
        raise Conflict(
            f"{locked.name} is already a {_label(to_status).lower()}.", field="to_status"
        )
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
        allowed = ", ".join(_label(s) for s in sorted(ALLOWED_TRANSITIONS[from_status]))
        raise ValidationFailed(
            f"A {_label(from_status).lower()} cannot become a {_label(to_status).lower()} "
            f"directly. Allowed from here: {allowed}.",
            field="to_status",
        )
    ownership = current_ownership(locked)
    if to_status in OWNED_STATUSES:
        if ownership is None and owner is None:
            raise ValidationFailed(
                f"A {_label(to_status).lower()} must have an accountable owner: choose its KAM.",
                field="owner",
            )
        if ownership is None and owner is not None:
            _check_can_own(owner)
        kam = ownership.user if ownership is not None else owner
        assert kam is not None
        if from_status not in OWNED_STATUSES:
            override = _check_cap(
                user=kam,
                account=locked,
                status=to_status,
                actor=actor,
                cap_override_reason=cap_override_reason,
            )
            if override and ownership is not None:
                with audit_context(actor=actor, reason=override):
                    ownership.cap_override_reason = override
                    ownership.cap_overridden_by = actor
                    ownership.save()
    now = timezone.now()
    with audit_context(actor=actor, reason=reason):
        locked.programme_status = to_status
        locked.status_changed_at = now
        locked.version = F("version") + 1
        locked.save()
        ProgrammeStatusChange.objects.create(
            account=locked,
            from_status=from_status,
            to_status=to_status,
            at=now,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=_actor_name(actor),
            reason=reason,
        )
    locked.refresh_from_db()
    if to_status in OWNED_STATUSES and ownership is None and owner is not None:
        # Status first, so the cap is checked against the new status and the override kept.
        with audit_context(actor=actor, reason=reason):
            _create_ownership_unchecked(locked, owner, actor, reason, cap_override_reason)
    return locked


def _create_ownership_unchecked(
    account: Account, owner: User, actor: Any, reason: str, cap_override_reason: str
) -> None:
    override = (cap_override_reason or "").strip()
    cap = programme_settings_get().key_accounts_per_kam_cap
    over = _owned_key_account_count(owner, excluding=account) >= cap
    try:
        with transaction.atomic():
            Ownership.objects.create(
                account=account,
                user=owner,
                reason=reason,
                cap_override_reason=override if over else "",
                cap_overridden_by=actor if over and override else None,
            )
    except IntegrityError as exc:
        raise Conflict(f"{account.name} already has an owner.", field="owner") from exc
    account_owner_sort_sync(account_ids=[account.pk])
    _ensure_owner_on_team(account, owner, actor)


# --- Team --------------------------------------------------------------------------------------


def _validate_member_fields(allocation_pct: Any, kind: str) -> int:
    try:
        pct = int(allocation_pct)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            "Allocation must be a whole number from 0 to 100.", field="allocation_pct"
        ) from exc
    if not 0 <= pct <= 100:
        raise ValidationFailed("Allocation must be from 0 to 100 %.", field="allocation_pct")
    if kind not in TeamKind.values:
        raise ValidationFailed("Choose direct account team or shared resource.", field="kind")
    return pct


@transaction.atomic
def team_member_add(
    *,
    account: Account,
    user: User,
    actor: Any,
    position: Position | None = None,
    kind: str = TeamKind.DIRECT,
    allocation_pct: int = 0,
    responsibilities: str = "",
    reason: str = "",
) -> TeamMember:
    pct = _validate_member_fields(allocation_pct, kind)
    if not user.is_active:
        raise ValidationFailed(f"{user} is not an active user.", field="user")
    position = position or user.position
    if position is None:
        raise ValidationFailed(f"Choose the position {user} holds on this team.", field="position")
    locked = _lock_account(account)
    if TeamMember.objects.filter(account=locked, user=user).exists():
        raise Conflict(f"{user} is already on the {locked.name} team.", field="user")
    try:
        with transaction.atomic(), audit_context(actor=actor, reason=reason):
            return TeamMember.objects.create(
                account=locked,
                user=user,
                position=position,
                kind=kind,
                allocation_pct=pct,
                responsibilities=responsibilities.strip(),
            )
    except IntegrityError as exc:
        raise Conflict(f"{user} is already on the {locked.name} team.", field="user") from exc


def team_member_edit_key(member: TeamMember) -> str:
    """What a team member's edit form shows, as a short key. The form carries the key it was
    opened with; a save over a change someone made since is refused (optimistic locking,
    without a version column)."""
    state = [member.position_id, member.kind, member.allocation_pct, member.responsibilities]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:16]


def raci_edit_key(member: TeamMember) -> str:
    """The member's RACI roles as a short key (see `team_member_edit_key`)."""
    roles = sorted(Responsibility.objects.filter(member=member).values_list("area", "role"))
    return hashlib.sha256(json.dumps(roles).encode()).hexdigest()[:16]


@transaction.atomic
def team_member_update(
    *,
    member: TeamMember,
    actor: Any,
    reason: str = "",
    expected_key: str | None = None,
    **fields: Any,
) -> TeamMember:
    """Change a member's position, team, allocation or responsibilities; refused if someone
    changed them since the form showing `expected_key` was opened."""
    allowed = {"position", "kind", "allocation_pct", "responsibilities"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}")
    locked = TeamMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    if expected_key is not None and team_member_edit_key(locked) != expected_key:
        responsibilities = locked.responsibilities or "none"
        raise StaleEdit(
            f"{locked.user}'s place on the team was changed by someone else while you were "
            f"editing (now: {locked.allocation_pct} %, {locked.get_kind_display().lower()}, "
            f"responsibilities: {responsibilities}). Your changes were not saved; review them "
            "and save again."
        )
    pct = _validate_member_fields(
        fields.get("allocation_pct", locked.allocation_pct), fields.get("kind", locked.kind)
    )
    fields["allocation_pct"] = pct
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    with audit_context(actor=actor, reason=reason):
        locked.save()
    return locked


@transaction.atomic
def team_member_remove(*, member: TeamMember, actor: Any, reason: str = "") -> None:
    ownership = current_ownership(member.account)
    if ownership is not None and ownership.user_id == member.user_id:
        raise Conflict(
            f"{member.user} is the accountable owner of {member.account.name} and leads its "
            "team; transfer the ownership first."
        )
    with audit_context(actor=actor, reason=reason):
        for responsibility in member.raci.all():
            responsibility.delete()
        member.delete()


@transaction.atomic
def responsibilities_set(
    *,
    member: TeamMember,
    actor: Any,
    roles: dict[str, str | None],
    reason: str = "",
    expected_key: str | None = None,
) -> list[Responsibility]:
    """Set this member's R/A/C/I per area (None or "" clears it). One Accountable per area.
    Refused if someone changed this member's roles since the form showing `expected_key`."""
    for area, role in roles.items():
        if area not in Area.values:
            raise ValidationFailed(f"Unknown area {area!r}.", field=area)
        if role and role not in Raci.values:
            raise ValidationFailed(f"Unknown RACI role {role!r} for {area}.", field=area)
    Account.objects.select_for_update().filter(pk=member.account_id).first()
    if expected_key is not None and raci_edit_key(member) != expected_key:
        now = ", ".join(
            f"{Area(area).label} {role}"
            for area, role in sorted(member.raci.values_list("area", "role"))
        )
        raise StaleEdit(
            f"{member.user}'s roles were changed by someone else while you were editing "
            f"(now: {now or 'none'}). Your changes were not saved; review them and save again."
        )
    for area, role in roles.items():
        if role == Raci.ACCOUNTABLE:
            holder = (
                Responsibility.objects.select_related("member__user")
                .filter(account_id=member.account_id, area=area, role=Raci.ACCOUNTABLE)
                .exclude(member=member)
                .first()
            )
            if holder is not None:
                raise Conflict(
                    f"{holder.member.user} is already Accountable for "
                    f"{Area(area).label.lower()}; there is one Accountable per area.",
                    field=area,
                )
    current = {r.area: r for r in member.raci.all()}
    with audit_context(actor=actor, reason=reason):
        for area, role in roles.items():
            existing = current.get(area)
            if not role:
                if existing is not None:
                    existing.delete()
            elif existing is None:
                Responsibility.objects.create(
                    account_id=member.account_id, member=member, area=area, role=role
                )
            elif existing.role != role:
                existing.role = role
                existing.save()
    return list(member.raci.all())
