"""API shapes for customer accounts, their ownership, status, external ids and teams.

Input schemas check form (types, lengths, enums); every business rule is the services' to
enforce, so the API and the pages refuse the same things with the same messages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema, field_validator

from accountable.accounts.filters import SORTS
from accountable.accounts.models import (
    MONEY_DIGITS,
    Account,
    ProgrammeStatus,
    SizeBand,
    TeamKind,
    TeamMember,
    Tier,
)
from accountable.accounts.selectors import Access, AccountPage, TreeNode
from accountable.core.api_base import BodyIn, Id, Page, QueryIn, omissible
from accountable.people.schemas import PersonRef, PositionOut

RaciRole = Literal["R", "A", "C", "I"]
# A new account enters the programme as one of these; pilots and key accounts need an owner,
# which a status change names.
StartStatus = Literal["prospect", "candidate", "exited"]
if TYPE_CHECKING:
    AccountSort = str
    TierOrBlank = str
    SizeBandOrBlank = str
else:
    AccountSort = Literal[tuple(SORTS)]
    # Empty clears the field; one Literal (not a union) gives one clear message for a bad value.
    TierOrBlank = Literal[("", *Tier.values)]
    SizeBandOrBlank = Literal[("", *SizeBand.values)]

# Money as both databases keep it exactly: up to 13 digits before the point and 2 after (15
# significant digits: SQLite keeps decimals as 64-bit floats); a JSON number or a decimal
# string (exact, e.g. "1500000.50").
Amount = Annotated[
    Decimal,
    Field(max_digits=MONEY_DIGITS, decimal_places=2, ge=0),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "exclusiveMaximum": 1e13, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^\d{1,13}(\.\d{1,2})?$"},
            ]
        }
    ),
]

# --- Out ---------------------------------------------------------------------------------------


class AccountRow(Schema):
    """An account in the list."""

    id: int
    name: str
    industry: str
    country: str
    region: str
    programme_status: ProgrammeStatus
    tier: str
    parent_id: int | None
    root_id: int | None
    employees: int | None
    updated_at: dt.datetime
    owner: PersonRef | None

    @staticmethod
    def resolve_country(obj: Account) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_owner(obj: Account) -> Any:
        return getattr(obj, "current_owner", None)


class AccountPageOut(Page[AccountRow]):
    pass


class ExternalIdOut(Schema):
    id: int
    account_id: int
    source: str
    value: str


class OwnershipOut(Schema):
    """A period during which one KAM was the accountable owner."""

    id: int
    account_id: int
    user: PersonRef
    started_at: dt.datetime
    ended_at: dt.datetime | None
    is_current: bool
    reason: str
    end_reason: str
    cap_override_reason: str = Field(description="Why a director let the KAM go over the cap.")
    cap_overridden_by: PersonRef | None


class StatusChangeOut(Schema):
    id: int
    from_status: str
    to_status: ProgrammeStatus
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    reason: str


class AccountOut(Schema):
    """An account: profile, programme status, current owner and external ids."""

    id: int
    name: str
    parent_id: int | None
    root_id: int | None
    industry: str
    country: str
    region: str
    size_band: str
    employees: int | None
    annual_revenue: Decimal | None
    website: str
    programme_status: ProgrammeStatus
    status_changed_at: dt.datetime
    tier: str
    business_model: str
    strategy: str
    core_values: str
    current_initiatives: str
    culture: str
    company_history: str
    decision_process: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = Field(description="Send it back with PATCH; a stale version is refused.")
    owner: OwnershipOut | None
    external_ids: list[ExternalIdOut]
    can_edit: bool = Field(description="Whether the caller may change this account.")
    key_accounts_per_kam_cap: int


def account_out(page: AccountPage) -> AccountOut:
    """The API view of the account page's data."""
    account = page.account
    return AccountOut(
        **{name: getattr(account, name) for name in _PROFILE_FIELDS},
        country=str(account.country),
        owner=OwnershipOut.from_orm(page.ownership) if page.ownership else None,
        external_ids=[ExternalIdOut.from_orm(e) for e in page.external_ids],
        can_edit=page.access >= Access.WRITE,
        key_accounts_per_kam_cap=page.cap,
    )


_PROFILE_FIELDS = tuple(
    name
    for name in AccountOut.model_fields
    if name not in {"country", "owner", "external_ids", "can_edit", "key_accounts_per_kam_cap"}
)


class TreeNodeOut(Schema):
    """One account of a global account, with figures rolled up from everything below it.

    Accounts the caller may not see keep their place and figures but not their name."""

    id: int
    parent_id: int | None
    depth: int
    visible: bool
    name: str | None
    programme_status: str | None
    country: str | None
    employees: int
    annual_revenue: Decimal
    accounts: int
    key_accounts: int
    team_size: int


class TreeOut(Schema):
    account_id: int
    root_id: int
    nodes: list[TreeNodeOut] = Field(description="The whole tree, parents before children.")
    rollup: TreeNodeOut | None = Field(description="This account with everything below it.")


def tree_node_out(node: TreeNode) -> TreeNodeOut:
    account = node.account
    return TreeNodeOut(
        id=account.pk,
        parent_id=account.parent_id,
        depth=node.depth,
        visible=node.visible,
        name=account.name if node.visible else None,
        programme_status=account.programme_status if node.visible else None,
        country=str(account.country) if node.visible else None,
        employees=node.employees,
        annual_revenue=node.annual_revenue,
        accounts=node.accounts,
        key_accounts=node.key_accounts,
        team_size=node.team_size,
    )


class TeamMemberOut(Schema):
    id: int
    account_id: int
    user: PersonRef
    position: PositionOut
    kind: TeamKind
    allocation_pct: int
    responsibilities: str
    raci: dict[str, RaciRole] = Field(description="Area → R, A, C or I.")
    added_at: dt.datetime

    @staticmethod
    def resolve_raci(obj: TeamMember) -> dict[str, str]:
        return {r.area: r.role for r in obj.raci.all()}


class ResponsibilitiesOut(Schema):
    member_id: int
    raci: dict[str, RaciRole]


# --- In ----------------------------------------------------------------------------------------


class AccountFilterIn(QueryIn):
    """The same filters as the account list page."""

    q: str | None = Field(None, max_length=200, description="Name contains, or an external id.")
    status: list[ProgrammeStatus] = Field(
        default_factory=list, description="Repeat for several: ?status=pilot&status=key_account"
    )
    tier: list[Tier] = Field(default_factory=list)
    owner: Id | None = Field(None, description="Current owner (a person's id).")
    industry: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=2, description="ISO 3166 code, e.g. DE.")
    region: str | None = Field(None, max_length=60)
    business_unit: Id | None = Field(None, description="Our business unit working on it.")
    parent: Id | None = None
    root: Id | None = Field(None, description="The global account (top of the tree).")
    sort: AccountSort = Field("name", description="A field, or -field for descending.")


class AccountFieldsIn(BodyIn):
    """Profile fields shared by create and update."""

    parent_id: Id | None = None
    industry: str = Field("", max_length=100)
    country: str = Field("", max_length=2, description="ISO 3166 code, e.g. DE; empty clears.")
    region: str = Field("", max_length=60)
    size_band: SizeBandOrBlank = ""
    employees: int | None = Field(None, ge=0, le=2_147_483_647)
    annual_revenue: Amount | None = None
    website: str = Field("", max_length=200)
    tier: TierOrBlank = ""
    business_model: str = Field("", max_length=20_000)
    strategy: str = Field("", max_length=20_000)
    core_values: str = Field("", max_length=20_000)
    current_initiatives: str = Field("", max_length=20_000)
    culture: str = Field("", max_length=20_000)
    company_history: str = Field("", max_length=20_000)
    decision_process: str = Field("", max_length=20_000)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return value.upper()


class ExternalIdIn(BodyIn):
    source: str = Field(min_length=1, max_length=40, description="e.g. crm, erp")
    value: str = Field(min_length=1, max_length=120)


class AccountCreateIn(AccountFieldsIn):
    name: str = Field(min_length=1, max_length=200)
    programme_status: StartStatus = "prospect"
    external_ids: list[ExternalIdIn] = Field(default_factory=list, max_length=50)
    reason: str = Field("", max_length=2000)


class AccountPatchIn(AccountFieldsIn):
    """Only the fields sent are changed. `version` is the one you read."""

    version: int = Field(ge=1, le=2_147_483_647)
    reason: str = Field("", max_length=2000)
    name: str = omissible(min_length=1, max_length=200)
    # Every other field: unset means unchanged (the defaults of AccountFieldsIn are not applied).


class ReasonIn(QueryIn):
    reason: str = Field(min_length=1, max_length=2000, description="Why; kept in history.")


class OptionalReasonIn(QueryIn):
    reason: str = Field("", max_length=2000)


class StatusChangeIn(BodyIn):
    to_status: ProgrammeStatus
    reason: str = Field(min_length=1, max_length=2000)
    owner_id: Id | None = Field(
        None,
        description="The owner to assign in the same step when a pilot or key account "
        "has none yet.",
    )
    cap_override_reason: str = Field("", max_length=2000)


class OwnerAssignIn(BodyIn):
    user_id: Id
    reason: str = Field("", max_length=2000)
    cap_override_reason: str = Field("", max_length=2000)


class OwnerTransferIn(BodyIn):
    user_id: Id
    reason: str = Field(min_length=1, max_length=2000)
    cap_override_reason: str = Field("", max_length=2000)


class OwnerReleaseIn(BodyIn):
    reason: str = Field(min_length=1, max_length=2000)


class TeamMemberIn(BodyIn):
    user_id: Id
    position_id: Id | None = Field(None, description="Defaults to the person's own position.")
    kind: TeamKind = TeamKind.DIRECT
    allocation_pct: int = Field(0, ge=0, le=100)
    responsibilities: str = Field("", max_length=20_000)
    reason: str = Field("", max_length=2000)


class TeamMemberPatchIn(BodyIn):
    position_id: Id = omissible()
    kind: TeamKind = omissible()
    allocation_pct: int = omissible(ge=0, le=100)
    responsibilities: str = omissible(max_length=20_000)
    reason: str = Field("", max_length=2000)


class ResponsibilitiesIn(BodyIn):
    """The member's whole RACI: an area left out or null has no role."""

    strategy: RaciRole | None = None
    relationships: RaciRole | None = None
    delivery: RaciRole | None = None
    pricing: RaciRole | None = None
    service: RaciRole | None = None
    supply_chain: RaciRole | None = None
