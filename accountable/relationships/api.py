"""REST endpoints for stakeholders and interactions: `/api/v1/stakeholders/`,
`/api/v1/interactions/`. Access as on the pages: an account's readers read; its owner and the
director change stakeholders; its team, owner and the director log interactions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from accountable.accounts.models import BuyingCentre
from accountable.accounts.selectors import account_get_for_user
from accountable.core.api_base import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    PageIn,
    caller,
    object_or_422,
    page_of,
)
from accountable.core.errors import ValidationFailed
from accountable.people.models import BusinessUnit, User
from accountable.relationships import services
from accountable.relationships.models import Interaction, Stakeholder
from accountable.relationships.schemas import (
    InteractionFilterIn,
    InteractionIn,
    InteractionOut,
    InteractionPageOut,
    InteractionPatchIn,
    StakeholderFilterIn,
    StakeholderIn,
    StakeholderOut,
    StakeholderPageOut,
    StakeholderPatchIn,
)
from accountable.relationships.selectors import (
    account_get_for_logging,
    interaction_get_for_user,
    interaction_list_for_user,
    stakeholder_get_for_user,
    stakeholder_list_for_user,
)

router = Router(tags=["relationships"])

ObjectId = Path(..., ge=1, le=MAX_ID)


def _stakeholder_out(request: HttpRequest, id: int) -> Stakeholder:
    stakeholder = stakeholder_get_for_user(user=caller(request), id=id)
    return Stakeholder.objects.prefetch_related("owners__user").get(pk=stakeholder.pk)


def _refs(data: dict[str, Any], account_id: int) -> dict[str, Any]:
    """Turn `*_id` fields of a stakeholder body into rows of the same account (422 if not)."""
    if "buying_centre_id" in data:
        value = data.pop("buying_centre_id")
        data["buying_centre"] = (
            object_or_422(
                BuyingCentre.objects.filter(account_id=account_id),
                value,
                "buying_centre_id",
                "buying centre on this account",
            )
            if value is not None
            else None
        )
    if "reports_to_id" in data:
        value = data.pop("reports_to_id")
        data["reports_to"] = (
            object_or_422(
                Stakeholder.objects.filter(account_id=account_id),
                value,
                "reports_to_id",
                "stakeholder on this account",
            )
            if value is not None
            else None
        )
    return data


# --- Stakeholders ------------------------------------------------------------------------------


@router.get(
    "/stakeholders/",
    response={200: StakeholderPageOut, **READ_ERRORS},
    summary="List stakeholders",
)
def stakeholder_list(
    request: HttpRequest, filters: Query[StakeholderFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Stakeholders of the accounts the caller may see; `account_id` narrows to one account."""
    qs = stakeholder_list_for_user(
        user=caller(request), account_id=filters.account_id, q=filters.q
    ).prefetch_related("owners__user")
    return page_of(request, qs, page)


@router.post(
    "/stakeholders/",
    response={201: StakeholderOut, **WRITE_ERRORS},
    summary="Add a stakeholder",
)
def stakeholder_create(request: HttpRequest, payload: StakeholderIn) -> Status[Stakeholder]:
    """The account's owner or a director. A reports-to cycle is refused (422)."""
    user = caller(request)
    data = payload.model_dump(exclude_unset=False)
    account = account_get_for_user(user=user, id=data.pop("account_id"), write=True)
    reason = data.pop("reason")
    data = _refs(data, account.pk)
    stakeholder = services.stakeholder_create(account=account, actor=user, reason=reason, **data)
    return Status(201, _stakeholder_out(request, stakeholder.pk))


@router.get(
    "/stakeholders/{id}", response={200: StakeholderOut, **READ_ERRORS}, summary="A stakeholder"
)
def stakeholder_detail(request: HttpRequest, id: int = ObjectId) -> Stakeholder:
    return _stakeholder_out(request, id)


@router.patch(
    "/stakeholders/{id}",
    response={200: StakeholderOut, **WRITE_ERRORS},
    summary="Change a stakeholder",
)
def stakeholder_update(
    request: HttpRequest, payload: StakeholderPatchIn, id: int = ObjectId
) -> Stakeholder:
    """Only the fields sent change. Someone who left gets `left_at`; they stay in history."""
    user = caller(request)
    stakeholder = stakeholder_get_for_user(user=user, id=id, write=True)
    data = payload.model_dump(exclude_unset=True)
    reason = data.pop("reason", "")
    data = _refs(data, stakeholder.account_id)
    services.stakeholder_update(stakeholder=stakeholder, actor=user, reason=reason, **data)
    return _stakeholder_out(request, id)


# --- Interactions ------------------------------------------------------------------------------


def _people(ids: list[int]) -> list[User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(f"There is no person with id {missing[0]}.", field="participant_ids")
    return [found[i] for i in ids]


def _stakeholders(ids: list[int], account_id: int) -> list[Stakeholder]:
    found = {s.pk: s for s in Stakeholder.objects.filter(pk__in=ids, account_id=account_id)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            f"There is no stakeholder with id {missing[0]} on this account.",
            field="stakeholder_ids",
        )
    return [found[i] for i in ids]


def _business_unit(id: int | None) -> BusinessUnit | None:
    if id is None:
        return None
    return object_or_422(BusinessUnit.objects.all(), id, "business_unit_id", "business unit")


def _interaction_out(request: HttpRequest, id: int) -> Interaction:
    interaction_get_for_user(user=caller(request), id=id)
    return interaction_list_for_user(user=caller(request)).get(pk=id)


@router.get(
    "/interactions/",
    response={200: InteractionPageOut, **READ_ERRORS},
    summary="List interactions (the activity feed)",
)
def interaction_list(
    request: HttpRequest, filters: Query[InteractionFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Newest first, on the accounts the caller may see."""
    qs = interaction_list_for_user(
        user=caller(request), account_id=filters.account_id, stakeholder_id=filters.stakeholder_id
    )
    return page_of(request, qs, page)


@router.post(
    "/interactions/",
    response={201: InteractionOut, **WRITE_ERRORS},
    summary="Log an interaction",
)
def interaction_create(request: HttpRequest, payload: InteractionIn) -> Status[Interaction]:
    """The account team, its owner or a director; with the insights we brought, if any."""
    user = caller(request)
    account = account_get_for_logging(user=user, id=payload.account_id)
    interaction = services.interaction_log(
        account=account,
        actor=user,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        direction=payload.direction,
        participants=_people(payload.participant_ids) if payload.participant_ids else [user],
        stakeholders=_stakeholders(payload.stakeholder_ids, account.pk),
        business_unit=_business_unit(payload.business_unit_id),
        summary=payload.summary,
        next_steps=payload.next_steps,
        insights=[i.model_dump() for i in payload.insights],
    )
    return Status(201, _interaction_out(request, interaction.pk))


@router.get(
    "/interactions/{id}", response={200: InteractionOut, **READ_ERRORS}, summary="An interaction"
)
def interaction_detail(request: HttpRequest, id: int = ObjectId) -> Interaction:
    return _interaction_out(request, id)


@router.patch(
    "/interactions/{id}",
    response={200: InteractionOut, **WRITE_ERRORS},
    summary="Correct an interaction",
)
def interaction_update(
    request: HttpRequest, payload: InteractionPatchIn, id: int = ObjectId
) -> Interaction:
    """Whoever logged it (while still on the team), the account's owner or a director."""
    user = caller(request)
    interaction = interaction_get_for_user(user=user, id=id, write=True)
    data = payload.model_dump(exclude_unset=True)
    reason = data.pop("reason", "")
    if "participant_ids" in data:
        data["participants"] = _people(data.pop("participant_ids"))
    if "stakeholder_ids" in data:
        data["stakeholders"] = _stakeholders(data.pop("stakeholder_ids"), interaction.account_id)
    if "business_unit_id" in data:
        data["business_unit"] = _business_unit(data.pop("business_unit_id"))
    services.interaction_update(interaction=interaction, actor=user, reason=reason, **data)
    return _interaction_out(request, id)
