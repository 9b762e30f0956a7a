"""API shapes for our people, positions and business units. No rules here: the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator

from accountable.accounts.selectors import PersonPage
from accountable.core.api_base import BodyIn, Id, Page, QueryIn, omissible
from accountable.people.models import User

Role = User.Role


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValueError("Enter a valid email address.") from exc
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Username = Annotated[
    str,
    Field(
        min_length=1,
        max_length=150,
        pattern=r"^[\w.@+-]+$",
        description="Letters, digits and @ . + - _ only.",
    ),
]


class PersonRef(Schema):
    """A person as other objects refer to them."""

    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)


class PositionOut(Schema):
    id: int
    name: str
    slug: str
    can_own_accounts: bool
    sort_order: int


class PositionIn(BodyIn):
    name: str = Field(min_length=1, max_length=100)
    can_own_accounts: bool = False
    sort_order: int = Field(100, ge=0, le=32767)


class BusinessUnitOut(Schema):
    id: int
    name: str
    code: str


class BusinessUnitIn(BodyIn):
    name: str = Field(min_length=1, max_length=100)
    code: str = Field(min_length=1, max_length=20)


class PersonRow(Schema):
    """A person in the people list, with their current load."""

    id: int
    username: str
    name: str
    first_name: str
    last_name: str
    email: str
    role: Role
    is_active: bool
    position: PositionOut | None
    business_unit: BusinessUnitOut | None
    owned_count: int = Field(description="Accounts this person currently owns.")
    allocation: int = Field(description="Sum of their allocation % over all account teams.")

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)


class PersonPageOut(Page[PersonRow]):
    pass


class PersonFilterIn(QueryIn):
    q: str | None = Field(None, max_length=150, description="Name or username contains.")
    position: Id | None = None
    business_unit: Id | None = None
    role: Role | None = None


class PersonAccountOut(Schema):
    """One account a person owns or sits on the team of."""

    account_id: int
    account_name: str
    programme_status: str
    relation: str = Field(description="owner or team_member")
    since: dt.datetime
    allocation_pct: int | None = None
    kind: str | None = None
    position: str | None = None
    cap_override_reason: str = ""


class PersonOut(Schema):
    """A person's page: who they are, the accounts the caller may see that they own or are on,
    and their load."""

    id: int
    username: str
    name: str
    first_name: str
    last_name: str
    email: str
    role: Role
    is_active: bool
    position: PositionOut | None
    business_unit: BusinessUnitOut | None
    manager: PersonRef | None
    owned: list[PersonAccountOut]
    memberships: list[PersonAccountOut]
    total_allocation: int = Field(description="Allocation % over all their teams.")
    key_accounts_owned: int = Field(description="Pilot and key accounts they own.")
    cap: int = Field(description="The programme's cap of pilot/key accounts per KAM.")
    over_cap: bool
    hidden_accounts: int = Field(description="Their accounts the caller may not see.")


class PersonCreateIn(BodyIn):
    username: Username
    password: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="Optional; without one the person cannot sign in with a password.",
    )
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: Email = ""
    role: Role = Role.STANDARD
    position_id: Id | None = None
    business_unit_id: Id | None = None
    manager_id: Id | None = None
    is_active: bool = True


class PersonPatchIn(BodyIn):
    """Only the fields sent are changed; `null` clears position, business unit and manager."""

    first_name: str = omissible(max_length=150)
    last_name: str = omissible(max_length=150)
    email: Email = omissible()
    role: Role = omissible()
    position_id: Id | None = None
    business_unit_id: Id | None = None
    manager_id: Id | None = None
    is_active: bool = omissible()
    reason: str = Field("", max_length=2000)


def person_out(page: PersonPage) -> PersonOut:
    """The API view of a person's page."""
    person = page.person
    owned = [
        PersonAccountOut(
            account_id=o.account_id,
            account_name=o.account.name,
            programme_status=o.account.programme_status,
            relation="owner",
            since=o.started_at,
            cap_override_reason=o.cap_override_reason,
        )
        for o in page.owned
    ]
    memberships = [
        PersonAccountOut(
            account_id=m.account_id,
            account_name=m.account.name,
            programme_status=m.account.programme_status,
            relation="team_member",
            since=m.added_at,
            allocation_pct=m.allocation_pct,
            kind=m.kind,
            position=m.position.name,
        )
        for m in page.memberships
    ]
    return PersonOut(
        id=person.pk,
        username=person.username,
        name=str(person),
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        role=Role(person.role),
        is_active=person.is_active,
        position=PositionOut.from_orm(person.position) if person.position else None,
        business_unit=(
            BusinessUnitOut.from_orm(person.business_unit) if person.business_unit else None
        ),
        manager=PersonRef.from_orm(person.manager) if person.manager else None,
        owned=owned,
        memberships=memberships,
        total_allocation=page.total_allocation,
        key_accounts_owned=page.key_accounts_owned,
        cap=page.cap,
        over_cap=page.key_accounts_owned > page.cap,
        hidden_accounts=page.hidden_accounts,
    )


class ApiTokenOut(Schema):
    """An API token: never its value (shown once, when it is made), only what identifies it."""

    id: int
    user_id: int
    username: str
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None = Field(description="To within five minutes.")
    revoked_at: dt.datetime | None


def api_token_out(token: Any) -> ApiTokenOut:
    return ApiTokenOut(
        id=token.pk,
        user_id=token.user_id,
        username=token.user.username,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


class ApiTokenPageOut(Page[ApiTokenOut]):
    pass
