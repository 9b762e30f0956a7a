"""REST endpoints for our people, their positions and business units.

Everyone signed in may read the people directory; a person's accounts are limited to those the
caller may see. Creating and changing people, positions and business units is for programme
directors.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status

from accountable.accounts.selectors import person_list, person_page_for_user
from accountable.core.api_base import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    PageIn,
    caller,
    director_required,
    object_or_422,
    page_of,
)
from accountable.people import services
from accountable.people.models import BusinessUnit, Position, User
from accountable.people.schemas import (
    ApiTokenOut,
    ApiTokenPageOut,
    BusinessUnitIn,
    BusinessUnitOut,
    PersonCreateIn,
    PersonFilterIn,
    PersonOut,
    PersonPageOut,
    PersonPatchIn,
    PositionIn,
    PositionOut,
    api_token_out,
    person_out,
)
from accountable.people.selectors import api_token_get_for_user, api_tokens_visible_to

router = Router(tags=["people"])

PersonId = Path(..., ge=1, le=MAX_ID, description="The person's id.")


def _person_out(request: HttpRequest, id: int) -> PersonOut:
    return person_out(person_page_for_user(viewer=caller(request), id=id))


def _person_or_404(id: int) -> User:
    person = User.objects.filter(pk=id).first()
    if person is None:
        raise Http404("No such person.")
    return person


def _references(data: dict[str, Any]) -> dict[str, Any]:
    """Turn `position_id`, `business_unit_id` and `manager_id` into the objects (null clears)."""
    for field, model, label in (
        ("position", Position, "position"),
        ("business_unit", BusinessUnit, "business unit"),
        ("manager", User, "person"),
    ):
        key = f"{field}_id"
        if key in data:
            value = data.pop(key)
            data[field] = (
                None
                if value is None
                else object_or_422(model._default_manager.all(), value, key, label)
            )
    return data


@router.get("/people/", response={200: PersonPageOut, **READ_ERRORS}, summary="List our people")
def people_list(
    request: HttpRequest, filters: Query[PersonFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Active people with the accounts they own and their total allocation."""
    queryset = person_list(q=filters.q or "")
    if filters.position is not None:
        queryset = queryset.filter(position_id=filters.position)
    if filters.business_unit is not None:
        queryset = queryset.filter(business_unit_id=filters.business_unit)
    if filters.role is not None:
        queryset = queryset.filter(role=filters.role)
    return page_of(request, queryset, page)


@router.post("/people/", response={201: PersonOut, **WRITE_ERRORS}, summary="Add a person")
def person_create(request: HttpRequest, payload: PersonCreateIn) -> Status[PersonOut]:
    user = director_required(request, "add people")
    data = _references(payload.model_dump(exclude_unset=True))
    person = services.user_create(actor=user, **data)
    return Status(201, _person_out(request, person.pk))


@router.get("/people/{id}", response={200: PersonOut, **READ_ERRORS}, summary="A person")
def person_detail(request: HttpRequest, id: int = PersonId) -> PersonOut:
    """The accounts they own or are on (those the caller may see) and their load."""
    return _person_out(request, id)


@router.patch("/people/{id}", response={200: PersonOut, **WRITE_ERRORS}, summary="Change a person")
def person_update(request: HttpRequest, payload: PersonPatchIn, id: int = PersonId) -> PersonOut:
    user = director_required(request, "change people")
    person = _person_or_404(id)
    data = _references(payload.model_dump(exclude_unset=True))
    reason = data.pop("reason", "")
    services.user_update(actor=user, user=person, reason=reason, **data)
    return _person_out(request, id)


@router.get(
    "/positions/", response={200: list[PositionOut], **READ_ERRORS}, summary="Positions on our side"
)
def position_list(request: HttpRequest) -> Any:
    return Position.objects.order_by("sort_order", "name")


@router.post("/positions/", response={201: PositionOut, **WRITE_ERRORS}, summary="Add a position")
def position_create(request: HttpRequest, payload: PositionIn) -> Status[Position]:
    user = director_required(request, "add positions")
    position = services.position_create(
        actor=user,
        name=payload.name,
        can_own_accounts=payload.can_own_accounts,
        sort_order=payload.sort_order,
    )
    return Status(201, position)


@router.get(
    "/business-units/",
    response={200: list[BusinessUnitOut], **READ_ERRORS},
    summary="Our business units",
)
def business_unit_list(request: HttpRequest) -> Any:
    return BusinessUnit.objects.order_by("name")


@router.post(
    "/business-units/",
    response={201: BusinessUnitOut, **WRITE_ERRORS},
    summary="Add a business unit",
)
def business_unit_create(request: HttpRequest, payload: BusinessUnitIn) -> Status[BusinessUnit]:
    user = director_required(request, "add business units")
    unit = services.business_unit_create(actor=user, name=payload.name, code=payload.code)
    return Status(201, unit)


# --- API tokens ----------------------------------------------------------------------------------

TokenId = Path(..., ge=1, le=MAX_ID, description="The token's id.")


@router.get(
    "/api-tokens/",
    response={200: ApiTokenPageOut, **READ_ERRORS},
    summary="API tokens",
    tags=["api tokens"],
)
def api_token_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    """The caller's own tokens, newest first; a programme director's list has everyone's.
    Tokens are made on a person's page or with `accountable token USERNAME`, never through the
    API (a stolen token cannot make itself more)."""
    tokens = api_tokens_visible_to(viewer=caller(request))
    return page_of(request, tokens, page, rows=lambda items: [api_token_out(t) for t in items])


@router.post(
    "/api-tokens/{id}/revoke",
    response={200: ApiTokenOut, **WRITE_ERRORS},
    summary="Revoke an API token",
    tags=["api tokens"],
)
def api_token_revoke(request: HttpRequest, id: int = TokenId) -> ApiTokenOut:
    """Its owner or a programme director; at once, it authenticates nothing more (this call
    included, if made with it). Revoking a revoked token changes nothing."""
    user = caller(request)
    token = api_token_get_for_user(viewer=user, id=id)
    return api_token_out(services.api_token_revoke(token=token, actor=user))
