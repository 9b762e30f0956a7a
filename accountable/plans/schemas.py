"""API shapes for account plans. Input schemas check form (types, lengths, enums); the
services enforce the rules, so the API and the pages refuse the same things the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from accountable.core.api_base import BodyIn, Id, IsoDate, omissible
from accountable.people.schemas import PersonRef
from accountable.plans.models import AccountPlan, Objective
from accountable.plans.selectors import ObjectiveRow, PlanPage

# Dates a plan can use: far enough to plan, near enough that a year added stays a date.
Day = IsoDate
Number = Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
Text = Annotated[str, Field(max_length=20000)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Comment = Annotated[str, Field(max_length=2000)]
ActionStatusIn = Literal["open", "in_progress", "done", "cancelled"]
LevelIn = Literal["low", "medium", "high"]


class PlanCreateIn(BodyIn):
    account_id: Id
    title: Annotated[str, Field(max_length=200)] = ""
    period_start: Day | None = None
    period_end: Day | None = None


class PlanPatchIn(BodyIn):
    version: int = Field(ge=1, le=2**31 - 1, description="The version you read; 409 if stale.")
    reason: Comment = ""
    title: Title = omissible()
    period_start: Day = omissible()
    period_end: Day = omissible()
    review_cadence_days: int = omissible(ge=7, le=366)
    business_model: Text = omissible()
    strategic_priorities: Text = omissible()
    industry_trends: Text = omissible()
    swot_strengths: Text = omissible()
    swot_weaknesses: Text = omissible()
    swot_opportunities: Text = omissible()
    swot_threats: Text = omissible()
    organisation: Text = omissible()
    competitors: Text = omissible()
    value_proposition: Text = omissible()


class WorkflowIn(BodyIn):
    version: int = Field(ge=1, le=2**31 - 1, description="The version you read; 409 if stale.")
    comment: Comment = ""


class ObjectiveIn(BodyIn):
    title: Title
    metric: Title
    unit: Annotated[str, Field(max_length=30)] = ""
    baseline: Number
    target: Number
    current: Number | None = None
    due_on: Day
    indicator: Literal["lead", "lag"] = "lag"


class ObjectivePatchIn(BodyIn):
    version: int = Field(ge=1, le=2**31 - 1, description="The version you read; 409 if stale.")
    title: Title = omissible()
    metric: Title = omissible()
    unit: Annotated[str, Field(max_length=30)] = omissible()
    baseline: Number = omissible()
    target: Number = omissible()
    current: Number | None = omissible()
    due_on: Day = omissible()
    indicator: Literal["lead", "lag"] = omissible()


class InitiativeIn(BodyIn):
    title: Title
    description: Text = ""
    owner_id: Id | None = None


class ActionIn(BodyIn):
    title: Title
    owner_id: Id
    due_on: Day


class ActionPatchIn(BodyIn):
    title: Title = omissible()
    owner_id: Id = omissible()
    due_on: Day = omissible()
    status: ActionStatusIn = omissible()


class MilestoneIn(BodyIn):
    title: Title
    due_on: Day


class RiskIn(BodyIn):
    title: Title
    severity: LevelIn = "medium"
    likelihood: LevelIn = "medium"
    owner_id: Id | None = None
    mitigation: Text = ""


class ReviewIn(BodyIn):
    held_on: Day
    attendees: Annotated[str, Field(min_length=1, max_length=2000)]
    changes: Text = ""
    decisions: Text = ""
    next_review_on: Day | None = None


# --- Out ---------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    initiative_id: int
    title: str
    owner: PersonRef
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    overdue: bool = False


class InitiativeOut(Schema):
    id: int
    objective_id: int
    title: str
    description: str
    owner: PersonRef | None
    progress_percent: int | None = None
    actions: list[ActionOut] = []


class ObjectiveOut(Schema):
    id: int
    plan_id: int
    title: str
    metric: str
    unit: str
    baseline: Decimal
    target: Decimal
    current: Decimal | None
    due_on: dt.date
    indicator: str
    version: int
    progress_percent: int | None = None
    standing: str | None = None
    initiatives: list[InitiativeOut] = []


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    reached_on: dt.date | None


class RiskOut(Schema):
    id: int
    title: str
    severity: str
    likelihood: str
    owner: PersonRef | None
    mitigation: str


class ReviewOut(Schema):
    id: int
    plan_id: int
    held_on: dt.date
    attendees: str
    changes: str
    decisions: str
    next_review_on: dt.date


class PlanRow(Schema):
    id: int
    account_id: int
    title: str
    status: str
    period_start: dt.date
    period_end: dt.date
    next_review_on: dt.date
    version: int


class PlanOut(PlanRow):
    review_cadence_days: int
    business_model: str
    strategic_priorities: str
    industry_trends: str
    swot_strengths: str
    swot_weaknesses: str
    swot_opportunities: str
    swot_threats: str
    organisation: str
    competitors: str
    value_proposition: str
    progress_percent: int
    completeness_percent: int
    missing_sections: list[str]
    overdue_actions: int
    objectives: list[ObjectiveOut]
    milestones: list[MilestoneOut]
    risks: list[RiskOut]


class VersionRow(Schema):
    id: int
    number: int
    approved_at: dt.datetime
    approved_by: PersonRef | None
    comment: str


class VersionOut(VersionRow):
    snapshot: dict[str, Any]


def objective_out(row: ObjectiveRow) -> dict[str, Any]:
    o = row.objective
    return {
        **_objective_fields(o),
        "progress_percent": row.progress.percent,
        "standing": row.progress.standing,
        "initiatives": [
            {
                "id": i.pk,
                "objective_id": i.objective_id,
                "title": i.title,
                "description": i.description,
                "owner": i.owner,
                "progress_percent": None if share is None else round(share * 100),
                "actions": actions,
            }
            for i, share, actions in row.initiatives
        ],
    }


def _objective_fields(o: Objective) -> dict[str, Any]:
    return {
        name: getattr(o, name)
        for name in (
            "id",
            "plan_id",
            "title",
            "metric",
            "unit",
            "baseline",
            "target",
            "current",
            "due_on",
            "indicator",
            "version",
        )
    }


def plan_out(page: PlanPage) -> dict[str, Any]:
    plan: AccountPlan = page.plan
    data = {name: getattr(plan, name) for name in PlanOut.model_fields if hasattr(plan, name)}
    data.update(
        progress_percent=page.progress_percent,
        completeness_percent=page.completeness.percent,
        missing_sections=page.completeness.missing,
        overdue_actions=len(page.overdue_actions),
        objectives=[objective_out(row) for row in page.objectives],
        milestones=page.milestones,
        risks=page.risks,
    )
    return data
