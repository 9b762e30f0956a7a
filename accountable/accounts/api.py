"""REST endpoints for customer accounts: the list, profiles, the global-account tree, programme
status, ownership, external ids and account teams.

Views only translate: they find the account through `account_get_for_user` (404 for outsiders,
403 for read-only callers), call a service or selector, and shape the answer. Errors raised on
the way become the one JSON error shape in `accountable.api`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from accountable.accounts import services
from accountable.accounts.models import Account, ExternalId, Ownership, TeamMember
from accountable.accounts.schemas import (
    AccountCreateIn,
    AccountFilterIn,
    AccountOut,
    AccountPageOut,
    AccountPatchIn,
    ExternalIdIn,
    ExternalIdOut,
    OptionalReasonIn,
    OwnerAssignIn,
    OwnerReleaseIn,
    OwnershipOut,
    OwnerTransferIn,
    ReasonIn,
    ResponsibilitiesIn,
    ResponsibilitiesOut,
    StatusChangeIn,
    StatusChangeOut,
    TeamMemberIn,
    TeamMemberOut,
    TeamMemberPatchIn,
    TreeOut,
    account_out,
    tree_node_out,
)
from accountable.accounts.selectors import (
    account_get_for_user,
    account_list_for_user,
    account_object_get_for_user,
    account_page_for_user,
    account_rows_with_owner,
    account_visible_queryset,
    ownership_list_for_account,
    team_member_list_for_account,
)
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
from accountable.core.errors import ValidationFailed
from accountable.people.models import Position, User

router = Router(tags=["accounts"])

AccountId = Path(..., ge=1, le=MAX_ID, description="The account's id.")
ObjectId = Path(..., ge=1, le=MAX_ID)


def _account_detail(request: HttpRequest, id: int) -> AccountOut:
    return account_out(account_page_for_user(user=caller(request), id=id))


def _person(id: int | None, field: str) -> User:
    return object_or_422(User.objects.select_related("position"), id, field, "person")


# --- Accounts ----------------------------------------------------------------------------------


@router.get("/accounts/", response={200: AccountPageOut, **READ_ERRORS}, summary="List accounts")
def account_list(
    request: HttpRequest, filters: Query[AccountFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """The accounts the caller may see, filtered and sorted like the account list page.

    Queries per call are fixed whatever the page size: count, page, current owners."""
    data = filters.model_dump(mode="json", exclude={"sort"}, exclude_none=True)
    data = {name: value for name, value in data.items() if value != []}
    queryset, filterset = account_list_for_user(
        user=caller(request), filters=data, sort=filters.sort
    )
    if filterset.errors:
        errors = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        name, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{name}: {messages[0]}", errors=errors)
    return page_of(request, queryset, page, rows=account_rows_with_owner)


@router.post("/accounts/", response={201: AccountOut, **WRITE_ERRORS}, summary="Create an account")
def account_create(request: HttpRequest, payload: AccountCreateIn) -> Status[AccountOut]:
    """Programme directors only. A new account is a prospect, candidate or exited account."""
    user = director_required(request, "create accounts")
    data = payload.model_dump(exclude_unset=True)
    external_ids = [(e["source"], e["value"]) for e in data.pop("external_ids", [])]
    if data.get("parent_id") is not None:
        data["parent"] = object_or_422(
            account_visible_queryset(user=user), data["parent_id"], "parent_id", "account"
        )
    data.pop("parent_id", None)
    account = services.account_create(actor=user, external_ids=external_ids, **data)
    return Status(201, _account_detail(request, account.pk))


@router.get("/accounts/{id}", response={200: AccountOut, **READ_ERRORS}, summary="An account")
def account_detail(request: HttpRequest, id: int = AccountId) -> AccountOut:
    return _account_detail(request, id)


@router.patch(
    "/accounts/{id}",
    response={200: AccountOut, **WRITE_ERRORS},
    summary="Change an account's profile",
)
def account_update(
    request: HttpRequest, payload: AccountPatchIn, id: int = AccountId
) -> AccountOut:
    """Owner or director. Send the `version` you read: if someone saved the account since, the
    change is refused with 409 `stale_edit` and nothing is saved."""
    user = caller(request)
    account = account_get_for_user(user=user, id=id, write=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    reason = data.pop("reason", "")
    if "parent_id" in data:
        parent_id = data.pop("parent_id")
        data["parent"] = (
            None
            if parent_id is None
            else object_or_422(
                account_visible_queryset(user=user), parent_id, "parent_id", "account"
            )
        )
    services.account_update(
        account=account, actor=user, data=data, expected_version=version, reason=reason
    )
    return _account_detail(request, id)


@router.delete("/accounts/{id}", response={204: None, **WRITE_ERRORS}, summary="Delete an account")
def account_delete(
    request: HttpRequest, params: Query[ReasonIn], id: int = AccountId
) -> Status[None]:
    """Programme directors only, with a reason (`?reason=…`); its history stays."""
    account = account_get_for_user(user=caller(request), id=id)
    user = director_required(request, "delete accounts")
    services.account_delete(account=account, actor=user, reason=params.reason)
    return Status(204, None)


@router.get(
    "/accounts/{id}/tree",
    response={200: TreeOut, **READ_ERRORS},
    summary="The global account this account belongs to",
)
def account_tree(request: HttpRequest, id: int = AccountId) -> TreeOut:
    """Every account under the same top-level account, figures rolled up each level."""
    page = account_page_for_user(user=caller(request), id=id)
    return TreeOut(
        account_id=page.account.pk,
        root_id=page.account.root_id or page.account.pk,
        nodes=[tree_node_out(node) for node in page.tree],
        rollup=tree_node_out(page.rollup) if page.rollup else None,
    )


# --- Programme status and ownership (programme directors) --------------------------------------


@router.post(
    "/accounts/{id}/status",
    response={200: AccountOut, **WRITE_ERRORS},
    summary="Move an account through the programme",
)
def account_status_change(
    request: HttpRequest, payload: StatusChangeIn, id: int = AccountId
) -> AccountOut:
    """A pilot or key account needs an owner: name one with `owner_id` if it has none. Over the
    KAM cap the change is refused (409 `cap_exceeded`) unless `cap_override_reason` is given."""
    account = account_get_for_user(user=caller(request), id=id)
    user = director_required(request, "change an account's programme status")
    owner = _person(payload.owner_id, "owner_id") if payload.owner_id is not None else None
    services.account_change_status(
        account=account,
        actor=user,
        to_status=payload.to_status,
        reason=payload.reason,
        owner=owner,
        cap_override_reason=payload.cap_override_reason,
    )
    return _account_detail(request, id)


@router.get(
    "/accounts/{id}/status-changes",
    response={200: list[StatusChangeOut], **READ_ERRORS},
    summary="An account's moves through the programme",
)
def account_status_changes(request: HttpRequest, id: int = AccountId) -> Any:
    account = account_get_for_user(user=caller(request), id=id)
    return account.status_changes.order_by("-at", "-id")


@router.post(
    "/accounts/{id}/owner",
    response={201: OwnershipOut, **WRITE_ERRORS},
    summary="Assign the accountable owner",
)
def owner_assign(
    request: HttpRequest, payload: OwnerAssignIn, id: int = AccountId
) -> Status[Ownership]:
    """For an account without an owner. An account has exactly one: a second is refused with
    409 (transfer instead)."""
    account = account_get_for_user(user=caller(request), id=id)
    user = director_required(request, "assign account owners")
    ownership = services.account_assign_owner(
        account=account,
        user=_person(payload.user_id, "user_id"),
        actor=user,
        reason=payload.reason,
        cap_override_reason=payload.cap_override_reason,
    )
    return Status(201, ownership)


@router.post(
    "/accounts/{id}/owner/transfer",
    response={200: OwnershipOut, **WRITE_ERRORS},
    summary="Transfer the ownership to another KAM",
)
def owner_transfer(
    request: HttpRequest, payload: OwnerTransferIn, id: int = AccountId
) -> Ownership:
    account = account_get_for_user(user=caller(request), id=id)
    user = director_required(request, "transfer account ownership")
    return services.account_transfer_owner(
        account=account,
        to_user=_person(payload.user_id, "user_id"),
        actor=user,
        reason=payload.reason,
        cap_override_reason=payload.cap_override_reason,
    )


@router.post(
    "/accounts/{id}/owner/release",
    response={204: None, **WRITE_ERRORS},
    summary="End the ownership of an account that needs no owner",
)
def owner_release(
    request: HttpRequest, payload: OwnerReleaseIn, id: int = AccountId
) -> Status[None]:
    account = account_get_for_user(user=caller(request), id=id)
    user = director_required(request, "release account owners")
    services.account_release_owner(account=account, actor=user, reason=payload.reason)
    return Status(204, None)


@router.get(
    "/accounts/{id}/ownerships",
    response={200: list[OwnershipOut], **READ_ERRORS},
    summary="Every ownership period, newest first",
)
def account_ownerships(request: HttpRequest, id: int = AccountId) -> Any:
    account = account_get_for_user(user=caller(request), id=id)
    return ownership_list_for_account(account=account)


# --- External ids ------------------------------------------------------------------------------


@router.get(
    "/accounts/{id}/external-ids",
    response={200: list[ExternalIdOut], **READ_ERRORS},
    summary="The account's ids in source systems",
)
def external_id_list(request: HttpRequest, id: int = AccountId) -> Any:
    account = account_get_for_user(user=caller(request), id=id)
    return account.external_ids.all()


@router.post(
    "/accounts/{id}/external-ids",
    response={201: ExternalIdOut, **WRITE_ERRORS},
    summary="Add an external id",
)
def external_id_add(
    request: HttpRequest, payload: ExternalIdIn, id: int = AccountId
) -> Status[ExternalId]:
    """Owner or director. Unique per source: one already used is refused with 409."""
    user = caller(request)
    account = account_get_for_user(user=user, id=id, write=True)
    external_id = services.external_id_add(
        account=account, actor=user, source=payload.source, value=payload.value
    )
    return Status(201, external_id)


@router.delete(
    "/external-ids/{id}", response={204: None, **WRITE_ERRORS}, summary="Remove an external id"
)
def external_id_remove(
    request: HttpRequest, params: Query[OptionalReasonIn], id: int = ObjectId
) -> Status[None]:
    external_id = account_object_get_for_user(
        user=caller(request),
        queryset=ExternalId.objects.all(),
        id=id,
        label="external id",
        write=True,
    )
    services.external_id_remove(
        external_id=external_id, actor=caller(request), reason=params.reason
    )
    return Status(204, None)


# --- Account teams -----------------------------------------------------------------------------


def _team_member(request: HttpRequest, id: int, *, write: bool) -> TeamMember:
    queryset = TeamMember.objects.select_related("account", "user", "position")
    if not write:  # a write's services re-read the RACI; a prefetched copy would go stale
        queryset = queryset.prefetch_related("raci")
    return account_object_get_for_user(
        user=caller(request), queryset=queryset, id=id, label="team member", write=write
    )


@router.get(
    "/accounts/{id}/team-members",
    response={200: list[TeamMemberOut], **READ_ERRORS},
    summary="The account team",
)
def team_member_list(request: HttpRequest, id: int = AccountId) -> Any:
    account: Account = account_get_for_user(user=caller(request), id=id)
    return team_member_list_for_account(account=account)


@router.post(
    "/accounts/{id}/team-members",
    response={201: TeamMemberOut, **WRITE_ERRORS},
    summary="Add someone to the account team",
)
def team_member_add(
    request: HttpRequest, payload: TeamMemberIn, id: int = AccountId
) -> Status[TeamMember]:
    """Owner or director. The position defaults to the person's own."""
    user = caller(request)
    account = account_get_for_user(user=user, id=id, write=True)
    position = (
        object_or_422(Position.objects.all(), payload.position_id, "position_id", "position")
        if payload.position_id is not None
        else None
    )
    member = services.team_member_add(
        account=account,
        user=_person(payload.user_id, "user_id"),
        actor=user,
        position=position,
        kind=payload.kind,
        allocation_pct=payload.allocation_pct,
        responsibilities=payload.responsibilities,
        reason=payload.reason,
    )
    return Status(201, member)


@router.get(
    "/team-members/{id}", response={200: TeamMemberOut, **READ_ERRORS}, summary="A team member"
)
def team_member_detail(request: HttpRequest, id: int = ObjectId) -> TeamMember:
    return _team_member(request, id, write=False)


@router.patch(
    "/team-members/{id}",
    response={200: TeamMemberOut, **WRITE_ERRORS},
    summary="Change a team member's position, kind, allocation or duties",
)
def team_member_update(
    request: HttpRequest, payload: TeamMemberPatchIn, id: int = ObjectId
) -> TeamMember:
    member = _team_member(request, id, write=True)
    data = payload.model_dump(exclude_unset=True)
    reason = data.pop("reason", "")
    if "position_id" in data:
        data["position"] = object_or_422(
            Position.objects.all(), data.pop("position_id"), "position_id", "position"
        )
    services.team_member_update(member=member, actor=caller(request), reason=reason, **data)
    return _team_member(request, id, write=False)


@router.delete(
    "/team-members/{id}",
    response={204: None, **WRITE_ERRORS},
    summary="Take someone off the account team",
)
def team_member_remove(
    request: HttpRequest, params: Query[OptionalReasonIn], id: int = ObjectId
) -> Status[None]:
    """The accountable owner stays on the team until the ownership is transferred (409)."""
    member = _team_member(request, id, write=True)
    services.team_member_remove(member=member, actor=caller(request), reason=params.reason)
    return Status(204, None)


@router.put(
    "/team-members/{id}/responsibilities",
    response={200: ResponsibilitiesOut, **WRITE_ERRORS},
    summary="Set who is Responsible, Accountable, Consulted or Informed",
)
def responsibilities_set(
    request: HttpRequest, payload: ResponsibilitiesIn, id: int = ObjectId
) -> ResponsibilitiesOut:
    """Replaces the member's whole RACI. One Accountable per area: a second is refused (409)."""
    member = _team_member(request, id, write=True)
    roles = services.responsibilities_set(
        member=member, actor=caller(request), roles=payload.model_dump()
    )
    raci: dict[str, Any] = {r.area: r.role for r in roles}
    return ResponsibilitiesOut(member_id=member.pk, raci=raci)
