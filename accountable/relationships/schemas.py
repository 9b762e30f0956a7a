"""API shapes of stakeholders and interactions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from ninja import Field, Schema

from accountable.core.api_base import BodyIn, Id, IsoDate, Page, QueryIn, omissible
from accountable.people.schemas import PersonRef
from accountable.relationships.models import (
    Attitude,
    BuyingRole,
    DecisionOrientation,
    Direction,
    DmuRole,
    InteractionKind,
    Reaction,
)

if TYPE_CHECKING:
    BuyingRoleOrBlank = str
    DmuRoleOrBlank = str
    AttitudeChoice = str
    OrientationOrBlank = str
    KindChoice = str
    DirectionChoice = str
    ReactionOrBlank = str
else:
    BuyingRoleOrBlank = Literal[("", *BuyingRole.values)]
    DmuRoleOrBlank = Literal[("", *DmuRole.values)]
    AttitudeChoice = Literal[tuple(Attitude.values)]
    OrientationOrBlank = Literal[("", *DecisionOrientation.values)]
    KindChoice = Literal[tuple(InteractionKind.values)]
    DirectionChoice = Literal[tuple(Direction.values)]
    ReactionOrBlank = Literal[("", *Reaction.values)]

Text = Field("", max_length=20_000)


class OwnerOut(Schema):
    id: int
    user: PersonRef
    is_primary: bool
    assessment: int | None = Field(description="The owner's own view, 0-100.")


class StakeholderOut(Schema):
    id: int
    account_id: int
    name: str
    title: str
    seniority: int
    buying_centre_id: int | None
    reports_to_id: int | None
    buying_role: str
    dmu_role: str
    influence: int
    attitude: str
    decision_orientation: str
    cares_about: str
    email: str
    phone: str
    location: str
    left_at: dt.date | None
    source: str
    source_id: str
    owners: list[OwnerOut]


class StakeholderPageOut(Page[StakeholderOut]):
    pass


class StakeholderFilterIn(QueryIn):
    account_id: Id | None = None
    q: str = Field("", max_length=200, description="Part of the name.")


class StakeholderIn(BodyIn):
    account_id: Id
    name: str = Field(..., min_length=1, max_length=200)
    title: str = Field("", max_length=200)
    seniority: int = Field(2, ge=1, le=5)
    buying_centre_id: Id | None = None
    reports_to_id: Id | None = None
    buying_role: BuyingRoleOrBlank = ""
    dmu_role: DmuRoleOrBlank = ""
    influence: int = Field(3, ge=1, le=5)
    attitude: AttitudeChoice = "neutral"
    decision_orientation: OrientationOrBlank = ""
    cares_about: str = Text
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    location: str = Field("", max_length=200)
    left_at: IsoDate | None = None
    source: str = Field("", max_length=40)
    source_id: str = Field("", max_length=120)
    reason: str = Field("", max_length=2000)


class StakeholderPatchIn(BodyIn):
    name: str = omissible(min_length=1, max_length=200)
    title: str = omissible(max_length=200)
    seniority: int = omissible(ge=1, le=5)
    buying_centre_id: Id | None = None
    reports_to_id: Id | None = None
    buying_role: BuyingRoleOrBlank = omissible()
    dmu_role: DmuRoleOrBlank = omissible()
    influence: int = omissible(ge=1, le=5)
    attitude: AttitudeChoice = omissible()
    decision_orientation: OrientationOrBlank = omissible()
    cares_about: str = omissible(max_length=20_000)
    email: str = omissible(max_length=254)
    phone: str = omissible(max_length=50)
    location: str = omissible(max_length=200)
    left_at: IsoDate | None = None
    reason: str = Field("", max_length=2000)


class StakeholderRef(Schema):
    id: int
    name: str


class InsightOut(Schema):
    id: int
    topic: str
    value_to_them: str
    reaction: str
    outcome: str


class InteractionOut(Schema):
    id: int
    account_id: int
    occurred_on: dt.date
    kind: str
    direction: str
    participants: list[PersonRef]
    stakeholders: list[StakeholderRef]
    business_unit_id: int | None
    summary: str
    next_steps: str
    logged_by: PersonRef | None
    insights: list[InsightOut]


class InteractionPageOut(Page[InteractionOut]):
    pass


class InteractionFilterIn(QueryIn):
    account_id: Id | None = None
    stakeholder_id: Id | None = None


class InsightIn(BodyIn):
    topic: str = Field(..., min_length=1, max_length=200)
    value_to_them: str = Text
    reaction: ReactionOrBlank = ""
    outcome: str = Text


class InteractionIn(BodyIn):
    account_id: Id
    occurred_on: IsoDate | None = None
    kind: KindChoice
    direction: DirectionChoice = "ours"
    participant_ids: list[Id] = Field(
        default_factory=list, max_length=100, description="Defaults to the caller."
    )
    stakeholder_ids: list[Id] = Field(..., min_length=1, max_length=500)
    business_unit_id: Id | None = None
    summary: str = Field(..., min_length=1, max_length=20_000)
    next_steps: str = Text
    insights: list[InsightIn] = Field(default_factory=list, max_length=50)


class InteractionPatchIn(BodyIn):
    occurred_on: IsoDate = omissible()
    kind: KindChoice = omissible()
    direction: DirectionChoice = omissible()
    participant_ids: list[Id] = omissible(min_length=1, max_length=100)
    stakeholder_ids: list[Id] = omissible(min_length=1, max_length=500)
    business_unit_id: Id | None = None
    summary: str = omissible(min_length=1, max_length=20_000)
    next_steps: str = omissible(max_length=20_000)
    reason: str = Field("", max_length=2000)
