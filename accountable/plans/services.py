"""Every write to account plans.

Rules enforced here (and by constraints where a database can):
- one plan per account, for pilot and key accounts;
- a save of the plan or of an objective based on an older version is refused (optimistic
  locking on `version`): the caller keeps their text and sees what is saved now;
- actions and initiatives are owned by the account's people (its owner or its team);
- the workflow is draft → submitted → approved; only a programme director approves or returns
  a plan, and approving freezes a numbered version (the previous one is superseded);
  changing an approved plan's analysis or objectives makes it a draft again;
- a review moves the plan's next review date.
Each service records history through the audit context, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accountable.accounts.models import OWNED_STATUSES, Account, Ownership, TeamMember
from accountable.core.errors import Conflict, Forbidden, StaleEdit, ValidationFailed
from accountable.history.services import audit_context
from accountable.plans.models import (
    SECTION_FIELDS,
    AccountPlan,
    ActionStatus,
    Indicator,
    Initiative,
    Level,
    Milestone,
    Objective,
    PlanAction,
    PlanApprover,
    PlanReview,
    PlanSettings,
    PlanStatus,
    PlanStep,
    PlanVersion,
    Risk,
    StepKind,
)

PLAN_FIELDS = ("title", "period_start", "period_end", "review_cadence_days", *SECTION_FIELDS)
OBJECTIVE_FIELDS = (
    "title",
    "metric",
    "unit",
    "baseline",
    "target",
    "current",
    "due_on",
    "indicator",
)
ACTION_FIELDS = ("title", "owner", "due_on", "status")
MONEY_LIMIT = Decimal(10) ** 13


def plan_settings_get() -> PlanSettings:
    settings = PlanSettings.objects.filter(pk=1).first()
    if settings is None:
        with audit_context(reason="default plan settings"):
            settings = PlanSettings.objects.create(pk=1)
    return settings


@transaction.atomic
def plan_settings_update(
    *,
    actor: Any,
    review_cadence_days: int,
    questions: dict[str, str] | None = None,
    approvers: list[Any] | None = None,
    reason: str = "",
) -> PlanSettings:
    """The plan template: the cadence new plans start with and each section's guiding
    question (empty: the built-in one). Programme directors only."""
    if not getattr(actor, "is_director", False):
        raise Forbidden("Only a programme director can change the plan template.")
    if not 7 <= review_cadence_days <= 366:
        raise ValidationFailed(
            "The review cadence is between 7 and 366 days.", field="review_cadence_days"
        )
    cleaned: dict[str, str] = {}
    for name, text in (questions or {}).items():
        if name not in SECTION_FIELDS:
            raise ValidationFailed(f"There is no section {name!r}.", field=name)
        text = (text or "").strip()
        if len(text) > 500:
            raise ValidationFailed("A guiding question is at most 500 characters.", field=name)
        if text:
            cleaned[name] = text
    settings = PlanSettings.objects.select_for_update().filter(pk=1).first() or PlanSettings(pk=1)
    settings.review_cadence_days = review_cadence_days
    settings.questions = cleaned
    with audit_context(actor=actor, reason=reason):
        settings.save()
        if approvers is not None:
            wanted = {person.pk for person in approvers}
            for row in PlanApprover.objects.exclude(user_id__in=wanted):
                row.delete()
            have = set(PlanApprover.objects.values_list("user_id", flat=True))
            for person in approvers:
                if person.pk not in have:
                    PlanApprover.objects.create(user=person)
    return settings


def plan_may_approve(user: Any) -> bool:
    """Programme directors and their delegates approve and return plans."""
    if getattr(user, "is_director", False):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return PlanApprover.objects.filter(user=user).exists()


def _clean(row: Any, exclude: list[str]) -> None:
    try:
        row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        name, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", field=name, errors=errors) from exc


def _text(value: Any, field: str, what: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(f"{what} is required.", field=field)
    return text


def _decimal(value: Any, field: str, *, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ValidationFailed("A number is required.", field=field)
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("Not a number.", field=field) from exc
    if not number.is_finite() or abs(number) >= MONEY_LIMIT:
        raise ValidationFailed(f"Must be less than {MONEY_LIMIT:,} in size.", field=field)
    return number.quantize(Decimal("0.01"))


def _is_account_person(account_id: int, user: Any) -> bool:
    if user is None:
        return False
    owner = Ownership.objects.filter(account_id=account_id, user=user, ended_at__isnull=True)
    return owner.exists() or TeamMember.objects.filter(account_id=account_id, user=user).exists()


def _check_person(account_id: int, user: Any, field: str) -> None:
    if user is not None and not _is_account_person(account_id, user):
        raise ValidationFailed(
            f"{user} is not on this account's team; add them to the team first.", field=field
        )


def _lock_plan(plan: AccountPlan) -> AccountPlan:
    return AccountPlan.objects.select_for_update().get(pk=plan.pk)


def _check_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and current != expected:
        raise StaleEdit(
            f"{what} was changed by someone else while you were editing (your version "
            f"{expected}, now {current}). Your changes were not saved; they are kept in the "
            "form: review the current values and save again."
        )


def _touch(plan: AccountPlan, *, actor: Any, back_to_draft: bool) -> None:
    """A change to an approved plan's content (objectives, initiatives, milestones, risks)
    makes it a draft of its next version. Progress (actions done, values measured, milestones
    reached) does not: that is the plan being carried out. The plan's own `version` moves only
    with its own fields and status, so that marking an action done does not make the owner's
    open edit of the analysis stale."""
    if not back_to_draft:
        return
    locked = _lock_plan(plan)
    if locked.status != PlanStatus.APPROVED:
        return
    locked.status = PlanStatus.DRAFT
    locked.version = F("version") + 1  # type: ignore[assignment]
    with audit_context(actor=actor, reason="Changed after approval"):
        locked.save(update_fields=["status", "version", "updated_at"])


# --- The plan ---------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    account: Account,
    actor: Any,
    title: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    **sections: str,
) -> AccountPlan:
    """Start the account's plan: a rolling year from today unless a period is given."""
    if account.programme_status not in OWNED_STATUSES:
        raise ValidationFailed(
            f"{account.name} is not a pilot or key account; plans are for those.",
            field="account",
        )
    unknown = set(sections) - set(SECTION_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if AccountPlan.objects.filter(account=account).exists():
        raise Conflict(f"{account.name} already has a plan; change that one.")
    today = timezone.localdate()
    start = period_start or today
    end = period_end or start.replace(year=start.year + 1) - dt.timedelta(days=1)
    if end < start:
        raise ValidationFailed("The period must end after it starts.", field="period_end")
    cadence = plan_settings_get().review_cadence_days
    plan = AccountPlan(
        account=account,
        title=(title or "").strip() or f"{account.name} account plan",
        period_start=start,
        period_end=end,
        review_cadence_days=cadence,
        next_review_on=today + dt.timedelta(days=cadence),
        **sections,
    )
    _clean(plan, exclude=["account"])
    with audit_context(actor=actor, reason="Plan started"):
        plan.save()
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: AccountPlan,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None,
    reason: str = "",
) -> AccountPlan:
    """Change the plan's title, period, cadence or sections; refused if someone saved the
    plan since `expected_version`. An approved plan becomes a draft of its next version."""
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown or read-only fields: {', '.join(sorted(unknown))}.")
    locked = _lock_plan(plan)
    _check_version(locked.version, expected_version, "The plan")
    for name, value in data.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if not locked.title:
        raise ValidationFailed("A plan needs a title.", field="title")
    if locked.period_end < locked.period_start:
        raise ValidationFailed("The period must end after it starts.", field="period_end")
    if not 7 <= locked.review_cadence_days <= 366:
        raise ValidationFailed(
            "The review cadence is between 7 and 366 days.", field="review_cadence_days"
        )
    _clean(locked, exclude=["account"])
    if locked.status == PlanStatus.APPROVED:
        locked.status = PlanStatus.DRAFT
    locked.version = F("version") + 1  # type: ignore[assignment]
    with audit_context(actor=actor, reason=reason):
        locked.save()
    locked.refresh_from_db()
    return locked


# --- Objectives, initiatives, actions ----------------------------------------------------------


def _objective_values(data: dict[str, Any], current: Objective | None) -> dict[str, Any]:
    unknown = set(data) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown or read-only fields: {', '.join(sorted(unknown))}.")
    values = dict(data)
    for name, what in (("title", "A title"), ("metric", "A metric")):
        if name in values or current is None:
            values[name] = _text(values.get(name), name, what)
    for name in ("baseline", "target"):
        if name in values or current is None:
            values[name] = _decimal(values.get(name), name)
    if "current" in values:
        values["current"] = _decimal(values["current"], "current", required=False)
    if current is None and not values.get("due_on"):
        raise ValidationFailed("A due date is required.", field="due_on")
    indicator = values.get("indicator", current.indicator if current else Indicator.LAG)
    if indicator not in Indicator.values:
        raise ValidationFailed("Choose a lead or a lag indicator.", field="indicator")
    values["indicator"] = indicator
    baseline = values.get("baseline", current.baseline if current else None)
    target = values.get("target", current.target if current else None)
    if baseline == target:
        raise ValidationFailed(
            "The target must differ from the baseline: what would be measured?", field="target"
        )
    return values


@transaction.atomic
def objective_create(
    *, plan: AccountPlan, actor: Any, created_on: dt.date | None = None, **data: Any
) -> Objective:
    """Add an objective; `created_on` (default today) is when progress starts to be judged."""
    values = _objective_values(data, None)
    objective = Objective(
        plan=plan,
        account_id=plan.account_id,
        created_on=created_on or timezone.localdate(),
        **values,
    )
    _clean(objective, exclude=["plan", "account"])
    with audit_context(actor=actor):
        objective.save()
    _touch(plan, actor=actor, back_to_draft=True)
    return objective


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None,
    reason: str = "",
) -> Objective:
    """Change an objective. Recording a new current value keeps the plan's status: measuring
    is not re-planning; any other change makes an approved plan a draft."""
    locked = Objective.objects.select_for_update().get(pk=objective.pk)
    _check_version(locked.version, expected_version, f"The objective {locked.title!r}")
    values = _objective_values(data, locked)
    changed = {name for name, value in values.items() if getattr(locked, name) != value}
    for name, value in values.items():
        setattr(locked, name, value)
    _clean(locked, exclude=["plan", "account"])
    locked.version = F("version") + 1  # type: ignore[assignment]
    with audit_context(actor=actor, reason=reason):
        locked.save()
    locked.refresh_from_db()
    _touch(locked.plan, actor=actor, back_to_draft=bool(changed - {"current"}))
    return locked


@transaction.atomic
def objective_delete(*, objective: Objective, actor: Any, reason: str = "") -> None:
    plan = objective.plan
    with audit_context(actor=actor, reason=reason):
        for initiative in objective.initiatives.all():
            for action in initiative.actions.all():
                action.delete()
            initiative.delete()
        objective.delete()
    _touch(plan, actor=actor, back_to_draft=True)


@transaction.atomic
def initiative_create(
    *,
    objective: Objective,
    actor: Any,
    title: str,
    description: str = "",
    owner: Any = None,
) -> Initiative:
    _check_person(objective.account_id, owner, "owner")
    initiative = Initiative(
        objective=objective,
        account_id=objective.account_id,
        title=_text(title, "title", "A title"),
        description=(description or "").strip(),
        owner=owner,
    )
    _clean(initiative, exclude=["objective", "account", "owner"])
    with audit_context(actor=actor):
        initiative.save()
    _touch(objective.plan, actor=actor, back_to_draft=True)
    return initiative


@transaction.atomic
def action_create(
    *, initiative: Initiative, actor: Any, title: str, owner: Any, due_on: dt.date | None
) -> PlanAction:
    if owner is None:
        raise ValidationFailed("Choose who owns the action.", field="owner")
    _check_person(initiative.account_id, owner, "owner")
    if due_on is None:
        raise ValidationFailed("A due date is required.", field="due_on")
    action = PlanAction(
        initiative=initiative,
        account_id=initiative.account_id,
        title=_text(title, "title", "A title"),
        owner=owner,
        due_on=due_on,
    )
    _clean(action, exclude=["initiative", "account", "owner"])
    with audit_context(actor=actor):
        action.save()
    _touch(initiative.objective.plan, actor=actor, back_to_draft=False)
    return action


@transaction.atomic
def action_update(
    *,
    action: PlanAction,
    actor: Any,
    data: dict[str, Any],
    reason: str = "",
    completed_on: dt.date | None = None,
) -> PlanAction:
    """Change an action; moving it to done dates its completion (`completed_on`, by default
    today), moving it away clears that."""
    unknown = set(data) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown or read-only fields: {', '.join(sorted(unknown))}.")
    locked = PlanAction.objects.select_for_update().get(pk=action.pk)
    if "title" in data:
        locked.title = _text(data["title"], "title", "A title")
    if "owner" in data:
        if data["owner"] is None:
            raise ValidationFailed("Choose who owns the action.", field="owner")
        _check_person(locked.account_id, data["owner"], "owner")
        locked.owner = data["owner"]
    if "due_on" in data:
        if data["due_on"] is None:
            raise ValidationFailed("A due date is required.", field="due_on")
        locked.due_on = data["due_on"]
    if "status" in data:
        if data["status"] not in ActionStatus.values:
            raise ValidationFailed("Unknown status.", field="status")
        if data["status"] != locked.status:
            locked.status = data["status"]
            locked.completed_on = (
                (completed_on or timezone.localdate())
                if locked.status == ActionStatus.DONE
                else None
            )
    with audit_context(actor=actor, reason=reason):
        locked.save()
    _touch(locked.initiative.objective.plan, actor=actor, back_to_draft=False)
    return locked


# --- Milestones, risks, reviews ----------------------------------------------------------------


@transaction.atomic
def milestone_create(
    *, plan: AccountPlan, actor: Any, title: str, due_on: dt.date | None
) -> Milestone:
    if due_on is None:
        raise ValidationFailed("A date is required.", field="due_on")
    milestone = Milestone(
        plan=plan, account_id=plan.account_id, title=_text(title, "title", "A title"), due_on=due_on
    )
    _clean(milestone, exclude=["plan", "account"])
    with audit_context(actor=actor):
        milestone.save()
    _touch(plan, actor=actor, back_to_draft=True)
    return milestone


@transaction.atomic
def milestone_reach(
    *, milestone: Milestone, actor: Any, reached_on: dt.date | None = None
) -> Milestone:
    milestone.reached_on = reached_on or timezone.localdate()
    with audit_context(actor=actor):
        milestone.save()
    _touch(milestone.plan, actor=actor, back_to_draft=False)
    return milestone


@transaction.atomic
def risk_create(
    *,
    plan: AccountPlan,
    actor: Any,
    title: str,
    severity: str = Level.MEDIUM,
    likelihood: str = Level.MEDIUM,
    owner: Any = None,
    mitigation: str = "",
) -> Risk:
    for name, value in (("severity", severity), ("likelihood", likelihood)):
        if value not in Level.values:
            raise ValidationFailed(f"Choose low, medium or high {name}.", field=name)
    _check_person(plan.account_id, owner, "owner")
    risk = Risk(
        plan=plan,
        account_id=plan.account_id,
        title=_text(title, "title", "A title"),
        severity=severity,
        likelihood=likelihood,
        owner=owner,
        mitigation=(mitigation or "").strip(),
    )
    _clean(risk, exclude=["plan", "account", "owner"])
    with audit_context(actor=actor):
        risk.save()
    _touch(plan, actor=actor, back_to_draft=True)
    return risk


@transaction.atomic
def review_record(
    *,
    plan: AccountPlan,
    actor: Any,
    held_on: dt.date | None,
    attendees: str,
    changes: str = "",
    decisions: str = "",
    next_review_on: dt.date | None = None,
) -> PlanReview:
    """Record a review; the plan's next review date becomes the one agreed (by default one
    cadence after this review)."""
    if held_on is None:
        raise ValidationFailed("When was the review held?", field="held_on")
    if held_on > timezone.localdate():
        raise ValidationFailed("A review is recorded once it has been held.", field="held_on")
    locked = _lock_plan(plan)
    next_on = next_review_on or held_on + dt.timedelta(days=locked.review_cadence_days)
    if next_on <= held_on:
        raise ValidationFailed("The next review must come after this one.", field="next_review_on")
    review = PlanReview(
        plan=locked,
        account_id=locked.account_id,
        held_on=held_on,
        attendees=_text(attendees, "attendees", "Who attended"),
        changes=(changes or "").strip(),
        decisions=(decisions or "").strip(),
        next_review_on=next_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with audit_context(actor=actor):
        review.save()
        locked.next_review_on = next_on
        locked.version = F("version") + 1  # type: ignore[assignment]
        locked.save(update_fields=["next_review_on", "version", "updated_at"])
    return review


# --- Workflow and versions ---------------------------------------------------------------------


def plan_snapshot(plan: AccountPlan) -> dict[str, Any]:
    """The whole plan as plain JSON: what an approved version keeps."""
    objectives = []
    for objective in plan.objectives.prefetch_related(
        "initiatives__owner", "initiatives__actions__owner"
    ):
        objectives.append(
            {
                "title": objective.title,
                "metric": objective.metric,
                "unit": objective.unit,
                "baseline": str(objective.baseline),
                "target": str(objective.target),
                "current": None if objective.current is None else str(objective.current),
                "due_on": objective.due_on.isoformat(),
                "indicator": objective.indicator,
                "initiatives": [
                    {
                        "title": initiative.title,
                        "owner": str(initiative.owner) if initiative.owner else "",
                        "actions": [
                            {
                                "title": action.title,
                                "owner": str(action.owner),
                                "due_on": action.due_on.isoformat(),
                                "status": action.status,
                            }
                            for action in initiative.actions.all()
                        ],
                    }
                    for initiative in objective.initiatives.all()
                ],
            }
        )
    return {
        "title": plan.title,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "sections": {name: getattr(plan, name) for name in SECTION_FIELDS},
        "objectives": objectives,
        "milestones": [
            {
                "title": m.title,
                "due_on": m.due_on.isoformat(),
                "reached_on": m.reached_on.isoformat() if m.reached_on else None,
            }
            for m in plan.milestones.all()
        ],
        "risks": [
            {
                "title": r.title,
                "severity": r.severity,
                "likelihood": r.likelihood,
                "owner": str(r.owner) if r.owner else "",
                "mitigation": r.mitigation,
            }
            for r in plan.risks.select_related("owner")
        ],
    }


def _step(plan: AccountPlan, actor: Any, kind: str, comment: str) -> PlanStep:
    return PlanStep.objects.create(
        plan=plan,
        account_id=plan.account_id,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
    )


def _move(plan: AccountPlan, *, expected_version: int | None, frm: str, to: str) -> AccountPlan:
    locked = _lock_plan(plan)
    _check_version(locked.version, expected_version, "The plan")
    if locked.status != frm:
        raise Conflict(
            f"The plan is {locked.get_status_display().lower()}; only a "
            f"{PlanStatus(frm).label.lower()} plan can be {PlanStatus(to).label.lower()}."
            if to != PlanStatus.DRAFT
            else f"The plan is {locked.get_status_display().lower()}, not submitted."
        )
    locked.status = to
    locked.version = F("version") + 1  # type: ignore[assignment]
    locked.save(update_fields=["status", "version", "updated_at"])
    locked.refresh_from_db()
    return locked


@transaction.atomic
def plan_submit(
    *, plan: AccountPlan, actor: Any, comment: str = "", expected_version: int | None = None
) -> AccountPlan:
    """The owner (or a director) asks for approval of the plan as it stands."""
    with audit_context(actor=actor, reason=comment):
        locked = _move(
            plan, expected_version=expected_version, frm=PlanStatus.DRAFT, to=PlanStatus.SUBMITTED
        )
        _step(locked, actor, StepKind.SUBMITTED, comment.strip())
    return locked


def _require_approver(actor: Any, what: str) -> None:
    if not plan_may_approve(actor):
        raise Forbidden(f"Only a programme director or their delegate can {what} a plan.")


@transaction.atomic
def plan_approve(
    *, plan: AccountPlan, actor: Any, comment: str = "", expected_version: int | None = None
) -> PlanVersion:
    """Approve a submitted plan: its content is frozen as the next numbered version, and the
    version before it is superseded."""
    _require_approver(actor, "approve")
    with audit_context(actor=actor, reason=comment):
        locked = _move(
            plan,
            expected_version=expected_version,
            frm=PlanStatus.SUBMITTED,
            to=PlanStatus.APPROVED,
        )
        last = locked.versions.aggregate(n=Max("number"))["n"] or 0
        version = PlanVersion.objects.create(
            plan=locked,
            account_id=locked.account_id,
            number=last + 1,
            approved_by=actor if getattr(actor, "is_authenticated", False) else None,
            comment=comment.strip(),
            snapshot=plan_snapshot(locked),
        )
        _step(locked, actor, StepKind.APPROVED, comment.strip())
    return version


@transaction.atomic
def plan_return(
    *, plan: AccountPlan, actor: Any, comment: str, expected_version: int | None = None
) -> AccountPlan:
    """Send a submitted plan back to its owner as a draft, saying what to change."""
    _require_approver(actor, "return")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed("Say what should change before it is approved.", field="comment")
    with audit_context(actor=actor, reason=comment):
        locked = _move(
            plan, expected_version=expected_version, frm=PlanStatus.SUBMITTED, to=PlanStatus.DRAFT
        )
        _step(locked, actor, StepKind.RETURNED, comment)
    return locked
