"""API shapes for key account selection."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from accountable.core.api_base import BodyIn, Page

Status = Literal["candidate", "pilot", "key_account"]
DEFAULT_STATUSES: tuple[Status, ...] = ("pilot", "key_account")


class AssignmentProposalOut(Schema):
    account_id: int
    account_name: str
    previous_owner_id: int | None
    proposed_owner_id: int | None = Field(description="null: the account gets no owner.")
    value: float = Field(description="The account's expected value the optimiser weighed.")
    fit: float = Field(description="The proposed KAM's fit: 1 plus the bonuses in `reasons`.")
    reasons: list[str]
    changes_owner: bool


class AssignmentRunOut(Schema):
    id: int
    created_by_id: int
    created_at: dt.datetime
    statuses: list[str]
    keep_current_owners: bool
    cover_all: bool
    weights: dict[str, float]
    cap: int
    objective: float = Field(description="Sum of value x fit over the proposed owners.")
    current_objective: float = Field(description="The same for the owners as they were.")
    solve_ms: float
    method: str
    status: Literal["proposed", "applied", "discarded"]
    decided_by_id: int | None
    decided_at: dt.datetime | None
    reason: str


class AssignmentRunDetailOut(AssignmentRunOut):
    proposals: list[AssignmentProposalOut]


class AssignmentRunIn(BodyIn):
    statuses: list[Status] = Field(
        default_factory=lambda: list(DEFAULT_STATUSES), min_length=1, max_length=3
    )
    keep_current_owners: bool = False
    cover_all: bool = True
    industry: float = Field(0.15, ge=0, le=5, description="Bonus for industry experience.")
    region: float = Field(0.10, ge=0, le=5, description="Bonus for region experience.")
    relationship: float = Field(0.20, ge=0, le=5, description="Bonus for being on the team.")
    continuity: float = Field(0.10, ge=0, le=5, description="Bonus for the current owner.")


class DecisionIn(BodyIn):
    reason: str = Field(..., min_length=1, max_length=2000)


class AssignmentRunPageOut(Page[AssignmentRunOut]):
    pass


class PartnershipAssessmentOut(Schema):
    id: int
    account_id: int
    assessor_id: int
    integrate: int
    dedicate_team: int
    share_data: int
    joint_funding: int
    strategic_fit: int
    comment: str
    assessed_at: dt.datetime


class PartnershipAssessmentIn(BodyIn):
    integrate: int = Field(
        ..., ge=1, le=5, description="Will they integrate parts of their business with ours?"
    )
    dedicate_team: int = Field(
        ..., ge=1, le=5, description="Will they dedicate a multi-disciplinary team?"
    )
    share_data: int = Field(..., ge=1, le=5, description="Will they share sensitive data?")
    joint_funding: int = Field(..., ge=1, le=5, description="Will they jointly fund initiatives?")
    strategic_fit: int = Field(..., ge=1, le=5, description="How well do our strategies fit?")
    comment: str = Field("", max_length=2000)


class SelectionDecisionOut(Schema):
    id: int
    account_id: int
    decision: Literal["selected", "deferred", "dropped"]
    reason: str
    decided_by_id: int
    decided_at: dt.datetime
    review_on: dt.date | None


class SelectionDecisionIn(BodyIn):
    decision: Literal["selected", "deferred", "dropped"]
    reason: str = Field(..., min_length=1, max_length=2000)
    review_on: dt.date | None = None
