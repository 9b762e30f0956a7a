"""API shapes for key account selection."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from accountable.core.api_base import BodyIn, IsoDate, Page, QueryIn

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
    review_on: IsoDate | None = None


class FactorIO(Schema):
    key: str = Field(..., max_length=60, description="A fact: see GET /scoring-facts")
    axis: Literal["attractiveness", "strength"]
    weight: float = Field(..., gt=0, le=100)
    method: Literal["percentile", "thresholds"] = "percentile"
    thresholds: list[float] = Field(default_factory=list, max_length=9)
    higher_is_better: bool = True


class ScoringModelOut(Schema):
    id: int
    name: str
    version: int
    is_active: bool
    factors: list[FactorIO]
    notes: str
    created_by_id: int | None
    created_at: dt.datetime


class ScoringModelIn(BodyIn):
    name: str = Field(..., min_length=1, max_length=100)
    factors: list[FactorIO] = Field(..., min_length=2, max_length=40)
    notes: str = Field("", max_length=2000)
    activate: bool = True


class FactOut(Schema):
    key: str
    label: str
    unit: str


class ContributionOut(Schema):
    key: str
    axis: str
    value: float | None
    points: int | None
    weight: float
    effective_weight: float
    contribution: float


class AccountScoreOut(Schema):
    account_id: int
    model: str
    as_of: dt.date
    attractiveness: float | None
    strength: float | None
    contributions: list[ContributionOut]


class PortfolioPointOut(Schema):
    account_id: int
    name: str
    status: str
    attractiveness: float
    strength: float
    size: float
    quadrant: Literal["strategic", "star", "status", "streamline"]


class PortfolioOut(Schema):
    model: str | None
    as_of: dt.date | None
    points: list[PortfolioPointOut]


class BacktestIn(QueryIn):
    cutoff: IsoDate = Field(..., description="The first day of a month.")
    top: int = Field(..., ge=1, le=10_000)
    months: int = Field(12, ge=1, le=60)


class BacktestAccountOut(Schema):
    external_id: str
    name: str
    revenue_before: float
    revenue_after: float
    growth_pct: float | None


class BacktestGroupOut(Schema):
    name: str
    revenue_before: float
    revenue_after: float
    growth_pct: float | None
    churned: int
    accounts: list[BacktestAccountOut]


class BacktestOut(Schema):
    cutoff: dt.date
    top: int
    months: int
    model: str
    accounts_with_data: int
    overlap: int
    groups: list[BacktestGroupOut]
