"""Every write to stakeholders, relationship owners, interactions, insights and the
relationship settings.

Rules enforced here (and, where a database can, by constraints as well):
- a stakeholder's manager, buying centre and influences belong to the same account;
- reports-to never loops (a cycle is refused with the chain that would close);
- one primary owner per stakeholder (making someone primary moves the role, recorded);
- an interaction names at least one of their stakeholders and one of our people, all on
  the same account, and is not in the future.
Each service records history through the audit context, in the same transaction; the
many-to-many lists of an interaction are recorded as events of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accountable.accounts.models import Account
from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.models import Action
from accountable.history.services import audit_context, event_record_many
from accountable.people.models import BusinessUnit, User
from accountable.relationships.models import (
    Attitude,
    BuyingRole,
    DecisionOrientation,
    Direction,
    DmuRole,
    Influence,
    Insight,
    Interaction,
    InteractionKind,
    Reaction,
    RelationshipOwner,
    RelationshipSettings,
    Seniority,
    Stakeholder,
)

STAKEHOLDER_FIELDS = (
    "name",
    "title",
    "seniority",
    "buying_centre",
    "reports_to",
    "buying_role",
    "dmu_role",
    "influence",
    "attitude",
    "decision_orientation",
    "cares_about",
    "email",
    "phone",
    "location",
    "left_at",
    "source",
    "source_id",
)

CHOICES: dict[str, tuple[str, list[Any]]] = {
    "buying_role": ("buying role", ["", *BuyingRole.values]),
    "dmu_role": ("decision-making-unit role", ["", *DmuRole.values]),
    "attitude": ("attitude", Attitude.values),
    "decision_orientation": ("decision orientation", ["", *DecisionOrientation.values]),
    "seniority": ("seniority", Seniority.values),
}


def _clean_errors(exc: ValidationError) -> ValidationFailed:
    errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    first = next(iter(errors.items()))
    return ValidationFailed(f"{first[0]}: {first[1][0]}", field=first[0], errors=errors)


# --- Stakeholders ------------------------------------------------------------------------------


def _check_reports_to(stakeholder: Stakeholder | None, account: Account, manager: Any) -> None:
    """The manager is on the same account and the org chart does not loop."""
    if manager is None:
        return
    if manager.account_id != account.pk:
        raise ValidationFailed(
            f"{manager.name} is a stakeholder of another account.", field="reports_to"
        )
    if stakeholder is None or stakeholder.pk is None:
        return
    chain = [stakeholder.name]
    seen: set[int] = set()
    node: Stakeholder | None = manager
    while node is not None:
        chain.append(node.name)
        if node.pk == stakeholder.pk:
            raise ValidationFailed(
                f"{stakeholder.name} cannot report to {manager.name}: the org chart would go "
                f"round in a circle ({' → '.join(chain)}).",
                field="reports_to",
            )
        if node.pk in seen:  # a loop already in the data: stop rather than spin
            break
        seen.add(node.pk)
        node = (
            Stakeholder.objects.filter(pk=node.reports_to_id).first()
            if node.reports_to_id
            else None
        )


def _validate_stakeholder(account: Account, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown or read-only fields: {', '.join(sorted(unknown))}.")
    if "name" in fields:
        fields["name"] = str(fields["name"] or "").strip()
        if not fields["name"]:
            raise ValidationFailed("A stakeholder needs a name.", field="name")
    for name, (label, allowed) in CHOICES.items():
        if name in fields and fields[name] not in allowed:
            raise ValidationFailed(f"Unknown {label} {fields[name]!r}.", field=name)
    if "influence" in fields:
        try:
            influence = int(fields["influence"])
        except (TypeError, ValueError) as exc:
            raise ValidationFailed("Influence is a number from 1 to 5.", field="influence") from exc
        if not 1 <= influence <= 5:
            raise ValidationFailed("Influence is a number from 1 to 5.", field="influence")
        fields["influence"] = influence
    centre = fields.get("buying_centre")
    if centre is not None and centre.account_id != account.pk:
        raise ValidationFailed(
            f"{centre.name} is a buying centre of another account.", field="buying_centre"
        )
    left_at = fields.get("left_at")
    if left_at is not None and left_at > timezone.localdate():
        raise ValidationFailed("Someone cannot have left in the future.", field="left_at")


def _full_clean(obj: Any, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _clean_errors(exc) from exc


@transaction.atomic
def stakeholder_create(
    *, account: Account, actor: Any, name: str, reason: str = "", **fields: Any
) -> Stakeholder:
    fields["name"] = name
    _validate_stakeholder(account, fields)
    _check_reports_to(None, account, fields.get("reports_to"))
    stakeholder = Stakeholder(account=account, **fields)
    _full_clean(stakeholder, exclude=("account", "reports_to", "buying_centre"))
    if (
        stakeholder.source_id
        and Stakeholder.objects.filter(
            account=account, source=stakeholder.source, source_id=stakeholder.source_id
        ).exists()
    ):
        raise Conflict(
            f"{account.name} already has the stakeholder {stakeholder.source}:"
            f"{stakeholder.source_id}.",
            field="source_id",
        )
    with audit_context(actor=actor, reason=reason):
        stakeholder.save()
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, stakeholder: Stakeholder, actor: Any, reason: str = "", **fields: Any
) -> Stakeholder:
    # Lock the row: two edits of the same person's manager cannot both pass the cycle check.
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    account = Account.objects.get(pk=stakeholder.account_id)
    _validate_stakeholder(account, fields)
    if "reports_to" in fields:
        _check_reports_to(stakeholder, account, fields["reports_to"])
    was_there = stakeholder.left_at is None
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    _full_clean(stakeholder, exclude=("account", "reports_to", "buying_centre"))
    with audit_context(actor=actor, reason=reason):
        stakeholder.save()
    if was_there and stakeholder.left_at is not None and _is_sponsor(stakeholder):
        from accountable.notifications.models import AlertKind
        from accountable.notifications.services import alert_raise

        alert_raise(
            account=account,
            kind=AlertKind.STAKEHOLDER_LEFT,
            message=f"{stakeholder} left {account.name} on {stakeholder.left_at:%Y-%m-%d}: "
            f"{_sponsor_role(stakeholder)} is gone; who takes their place?",
        )
    return stakeholder


def _sponsor_role(stakeholder: Stakeholder) -> str:
    if stakeholder.buying_role == BuyingRole.ECONOMIC_BUYER:
        return "the economic buyer"
    if stakeholder.dmu_role == DmuRole.DECIDER:
        return "a decider"
    return "our sponsor"


def _is_sponsor(stakeholder: Stakeholder) -> bool:
    """The economic buyer, a decider, or a mentor (our sponsor inside the customer)."""
    return (
        stakeholder.buying_role == BuyingRole.ECONOMIC_BUYER
        or stakeholder.dmu_role == DmuRole.DECIDER
        or stakeholder.attitude == Attitude.MENTOR
    )


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder, actor: Any, reason: str = "") -> None:
    """Only for a stakeholder entered by mistake: one who left is marked `left_at`, not deleted,
    so that their interactions keep their names."""
    if stakeholder.interactions.exists():
        raise Conflict(f"{stakeholder.name} took part in interactions; mark them as left instead.")
    with audit_context(actor=actor, reason=reason):
        for report in Stakeholder.objects.filter(reports_to=stakeholder):
            report.reports_to = None
            report.save(update_fields=["reports_to", "updated_at"])
        stakeholder.delete()


@transaction.atomic
def influence_add(
    *, source: Stakeholder, target: Stakeholder, actor: Any, note: str = ""
) -> Influence:
    if source.account_id != target.account_id:
        raise ValidationFailed("Both stakeholders must be on the same account.", field="target")
    if source.pk == target.pk:
        raise ValidationFailed("Someone cannot influence themselves.", field="target")
    if Influence.objects.filter(source=source, target=target).exists():
        raise Conflict(f"{source.name} is already marked as influencing {target.name}.")
    with audit_context(actor=actor):
        return Influence.objects.create(
            account_id=source.account_id, source=source, target=target, note=note.strip()
        )


@transaction.atomic
def influence_remove(*, influence: Influence, actor: Any, reason: str = "") -> None:
    with audit_context(actor=actor, reason=reason):
        influence.delete()


# --- Relationship owners -----------------------------------------------------------------------


def _check_assessment(assessment: Any) -> int | None:
    if assessment is None or assessment == "":
        return None
    try:
        value = int(assessment)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            "The assessment is a number from 0 to 100.", field="assessment"
        ) from exc
    if not 0 <= value <= 100:
        raise ValidationFailed("The assessment is a number from 0 to 100.", field="assessment")
    return value


@transaction.atomic
def relationship_owner_set(
    *,
    stakeholder: Stakeholder,
    user: User,
    actor: Any,
    is_primary: bool = False,
    assessment: Any = None,
    reason: str = "",
) -> RelationshipOwner:
    """Put one of our people in touch with a stakeholder (or change their role or assessment).

    Making someone primary moves the primary role from whoever had it, recorded as two changes.
    """
    if not user.is_active:
        raise ValidationFailed(f"{user} no longer works here.", field="user")
    value = _check_assessment(assessment)
    # Lock the stakeholder so that two concurrent "make primary" requests queue up.
    Stakeholder.objects.select_for_update().filter(pk=stakeholder.pk).first()
    owner = RelationshipOwner.objects.filter(stakeholder=stakeholder, user=user).first()
    with audit_context(actor=actor, reason=reason):
        if is_primary:
            for other in RelationshipOwner.objects.filter(
                stakeholder=stakeholder, is_primary=True
            ).exclude(user=user):
                other.is_primary = False
                other.save(update_fields=["is_primary"])
        if owner is None:
            owner = RelationshipOwner.objects.create(
                account_id=stakeholder.account_id,
                stakeholder=stakeholder,
                user=user,
                is_primary=is_primary,
                assessment=value,
            )
        else:
            owner.is_primary = is_primary
            owner.assessment = value
            owner.save()
    return owner


@transaction.atomic
def relationship_owner_remove(*, owner: RelationshipOwner, actor: Any, reason: str = "") -> None:
    with audit_context(actor=actor, reason=reason):
        owner.delete()


# --- Interactions and insights -----------------------------------------------------------------


def _names(rows: Iterable[Any]) -> str:
    return ", ".join(sorted(str(getattr(r, "name", None) or r) for r in rows))


def _check_interaction(
    account: Account,
    *,
    kind: str,
    occurred_on: dt.date,
    direction: str,
    participants: list[User],
    stakeholders: list[Stakeholder],
    summary: str,
) -> None:
    if kind not in InteractionKind.values:
        raise ValidationFailed(f"Unknown type {kind!r}.", field="kind")
    if direction not in Direction.values:
        raise ValidationFailed(f"Unknown direction {direction!r}.", field="direction")
    if occurred_on > timezone.localdate():
        raise ValidationFailed(
            "An interaction is logged once it has happened; the date is in the future.",
            field="occurred_on",
        )
    if not participants:
        raise ValidationFailed(
            "Name at least one of our people who took part.", field="participants"
        )
    if not stakeholders:
        raise ValidationFailed(
            "Name at least one of their people who took part.", field="stakeholders"
        )
    foreign = [s for s in stakeholders if s.account_id != account.pk]
    if foreign:
        raise ValidationFailed(
            f"{_names(foreign)} {'is' if len(foreign) == 1 else 'are'} not a stakeholder of "
            f"{account.name}.",
            field="stakeholders",
        )
    if not (summary or "").strip():
        raise ValidationFailed("Say in a sentence or two what happened.", field="summary")


def _record_lists(interaction: Interaction, changes: dict[str, list[Any]]) -> None:
    """Many-to-many lists bypass model saves; record them as their own event."""
    if changes:
        event_record_many([(interaction, Action.UPDATED, changes)])


@transaction.atomic
def interaction_log(
    *,
    account: Account,
    actor: Any,
    kind: str,
    summary: str,
    participants: list[User],
    stakeholders: list[Stakeholder],
    occurred_on: dt.date | None = None,
    direction: str = Direction.OURS,
    business_unit: BusinessUnit | None = None,
    next_steps: str = "",
    insights: list[dict[str, Any]] | None = None,
) -> Interaction:
    """Log a meeting, call, email, visit or business review, with the insights we brought."""
    occurred_on = occurred_on or timezone.localdate()
    participants = list(dict.fromkeys(participants))
    stakeholders = list(dict.fromkeys(stakeholders))
    _check_interaction(
        account,
        kind=kind,
        occurred_on=occurred_on,
        direction=direction,
        participants=participants,
        stakeholders=stakeholders,
        summary=summary,
    )
    if business_unit is None:
        business_unit = getattr(actor, "business_unit", None)
    with audit_context(actor=actor):
        interaction = Interaction.objects.create(
            account=account,
            occurred_on=occurred_on,
            kind=kind,
            direction=direction,
            business_unit=business_unit,
            summary=summary.strip(),
            next_steps=(next_steps or "").strip(),
            logged_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        interaction.participants.set(participants)
        interaction.stakeholders.set(stakeholders)
        _record_lists(
            interaction,
            {
                "participants": [None, _names(participants)],
                "stakeholders": [None, _names(s.name for s in stakeholders)],
            },
        )
        for insight in insights or []:
            insight_add(interaction=interaction, actor=actor, **insight)
    # Silos made visible (requirement 4): people outside the team working on the account.
    from accountable.notifications.services import silo_check

    silo_check(
        account=account,
        actor=actor,
        people=participants,
        what=f"took part in a {interaction.get_kind_display().lower()} with "
        f"{_names(s.name for s in stakeholders)}",
    )
    _after_interaction_change(interaction)
    return interaction


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, actor: Any, reason: str = "", **fields: Any
) -> Interaction:
    allowed = {
        "occurred_on",
        "kind",
        "direction",
        "business_unit",
        "summary",
        "next_steps",
        "participants",
        "stakeholders",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(f"Unknown or read-only fields: {', '.join(sorted(unknown))}.")
    account = Account.objects.get(pk=interaction.account_id)
    old_participants = list(interaction.participants.all())
    old_stakeholders = list(interaction.stakeholders.all())
    participants = list(dict.fromkeys(fields.pop("participants", old_participants)))
    stakeholders = list(dict.fromkeys(fields.pop("stakeholders", old_stakeholders)))
    for name, value in fields.items():
        setattr(interaction, name, value)
    _check_interaction(
        account,
        kind=interaction.kind,
        occurred_on=interaction.occurred_on,
        direction=interaction.direction,
        participants=participants,
        stakeholders=stakeholders,
        summary=interaction.summary,
    )
    lists: dict[str, list[Any]] = {}
    if {p.pk for p in participants} != {p.pk for p in old_participants}:
        lists["participants"] = [_names(old_participants), _names(participants)]
    if {s.pk for s in stakeholders} != {s.pk for s in old_stakeholders}:
        lists["stakeholders"] = [
            _names(s.name for s in old_stakeholders),
            _names(s.name for s in stakeholders),
        ]
    with audit_context(actor=actor, reason=reason):
        interaction.save()
        interaction.participants.set(participants)
        interaction.stakeholders.set(stakeholders)
        _record_lists(interaction, lists)
    _after_interaction_change(interaction)
    return interaction


def _after_interaction_change(interaction: Interaction) -> None:
    """Strength depends on every interaction: recompute the account's once the log commits."""
    from accountable.relationships.tasks import strength_recompute_account

    account_id = interaction.account_id
    transaction.on_commit(lambda: strength_recompute_account.enqueue(account_id))


@transaction.atomic
def insight_add(
    *,
    interaction: Interaction,
    actor: Any,
    topic: str,
    value_to_them: str = "",
    reaction: str = "",
    outcome: str = "",
) -> Insight:
    topic = (topic or "").strip()
    if not topic:
        raise ValidationFailed("An insight needs a topic.", field="topic")
    if reaction not in ("", *Reaction.values):
        raise ValidationFailed(f"Unknown reaction {reaction!r}.", field="reaction")
    insight = Insight(
        account_id=interaction.account_id,
        interaction=interaction,
        topic=topic,
        value_to_them=value_to_them.strip(),
        reaction=reaction,
        outcome=outcome.strip(),
    )
    _full_clean(insight, exclude=("account", "interaction"))
    with audit_context(actor=actor):
        insight.save()
    return insight


@transaction.atomic
def insight_update(*, insight: Insight, actor: Any, reason: str = "", **fields: Any) -> Insight:
    """Typically later: what came of the insight."""
    allowed = {"topic", "value_to_them", "reaction", "outcome"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(f"Unknown or read-only fields: {', '.join(sorted(unknown))}.")
    if "topic" in fields and not str(fields["topic"] or "").strip():
        raise ValidationFailed("An insight needs a topic.", field="topic")
    if fields.get("reaction", "") not in ("", *Reaction.values):
        raise ValidationFailed(f"Unknown reaction {fields['reaction']!r}.", field="reaction")
    for name, value in fields.items():
        setattr(insight, name, value)
    with audit_context(actor=actor, reason=reason):
        insight.save()
    return insight


# --- Settings ----------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "weight_recency",
    "weight_frequency",
    "weight_two_way",
    "weight_depth",
    "weight_seniority",
    "half_life_days",
    "frequency_target",
    "weak_below",
    "cold_after_days",
    "single_thread_share",
)


def relationship_settings_get() -> RelationshipSettings:
    settings, _ = RelationshipSettings.objects.get_or_create(pk=1)
    return settings


@transaction.atomic
def relationship_settings_update(
    *, actor: Any, reason: str = "", **fields: Any
) -> RelationshipSettings:
    """Programme director only (the caller checks). Weights are relative: they need not add up
    to 100, but not all of them may be 0."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    settings = RelationshipSettings.objects.select_for_update().get(
        pk=relationship_settings_get().pk
    )
    for name, value in fields.items():
        if value is None or int(value) < 0 or int(value) > 10_000:
            raise ValidationFailed("Use a whole number from 0 to 10,000.", field=name)
        setattr(settings, name, int(value))
    if settings.half_life_days < 1:
        raise ValidationFailed("The half-life is at least one day.", field="half_life_days")
    if settings.frequency_target < 1:
        raise ValidationFailed("The frequency target is at least 1.", field="frequency_target")
    for name in ("weak_below", "single_thread_share"):
        if getattr(settings, name) > 100:
            raise ValidationFailed("A percentage is at most 100.", field=name)
    weights = [getattr(settings, n) for n in SETTINGS_FIELDS if n.startswith("weight_")]
    if sum(weights) == 0:
        raise ValidationFailed("At least one weight must be above 0.", field="weight_recency")
    with audit_context(actor=actor, reason=reason):
        settings.save()
    return settings
