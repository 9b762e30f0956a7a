"""REST endpoints for account plans: plans, objectives, initiatives, actions, milestones, risks,
reviews, approved versions and the workflow (`POST /account-plans/{id}/submit`, `/approve`,
`/return`).

Access follows the plan's account: its readers read, its owner and directors write, an action's
owner changes that action's status, only a programme director approves or returns a plan.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from accountable.accounts.selectors import Access, account_get_for_user
from accountable.core.api_base import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PageIn,
    caller,
    object_or_422,
    page_of,
)
from accountable.people.models import User
from accountable.plans import services
from accountable.plans.models import Initiative, Objective, PlanAction, PlanVersion
from accountable.plans.schemas import (
    ActionIn,
    ActionOut,
    ActionPatchIn,
    InitiativeIn,
    InitiativeOut,
    MilestoneIn,
    MilestoneOut,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatchIn,
    PlanCreateIn,
    PlanOut,
    PlanPatchIn,
    PlanRow,
    ReviewIn,
    ReviewOut,
    RiskIn,
    RiskOut,
    VersionOut,
    VersionRow,
    WorkflowIn,
    objective_out,
    plan_out,
)
from accountable.plans.selectors import (
    plan_get_for_user,
    plan_page,
    plan_row_get_for_user,
    plan_visible_queryset,
)

router = Router(tags=["plans"])
PlanId = Path(..., ge=1, le=MAX_ID, description="The plan's id.")
ObjectId = Path(..., ge=1, le=MAX_ID)


def _person(id: int | None, field: str) -> User | None:
    if id is None:
        return None
    return object_or_422(User.objects.all(), id, field, "person")


def _plan_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return plan_out(plan_page(plan=plan_get_for_user(user=caller(request), id=id)))


# --- Plans -------------------------------------------------------------------------------------


@router.get("/account-plans/", response={200: Page[PlanRow], **READ_ERRORS}, summary="List plans")
def plan_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    """The plans of the accounts the caller may see, by account name."""
    queryset = plan_visible_queryset(user=caller(request)).order_by("account__name", "id")
    return page_of(request, queryset, page)


@router.post(
    "/account-plans/", response={201: PlanOut, **WRITE_ERRORS}, summary="Start an account's plan"
)
def plan_create(request: HttpRequest, payload: PlanCreateIn) -> Status[dict[str, Any]]:
    """The account's owner or a director; one plan per pilot or key account."""
    user = caller(request)
    account = account_get_for_user(user=user, id=payload.account_id, write=True)
    data = payload.model_dump(exclude={"account_id"})
    plan = services.plan_create(account=account, actor=user, **data)
    return Status(201, _plan_detail(request, plan.pk))


@router.get(
    "/account-plans/{id}", response={200: PlanOut, **READ_ERRORS}, summary="A plan, in full"
)
def plan_detail(request: HttpRequest, id: int = PlanId) -> dict[str, Any]:
    """The plan with its objectives, initiatives and actions, progress and completeness."""
    return _plan_detail(request, id)


@router.patch(
    "/account-plans/{id}", response={200: PlanOut, **WRITE_ERRORS}, summary="Change a plan"
)
def plan_update(request: HttpRequest, payload: PlanPatchIn, id: int = PlanId) -> dict[str, Any]:
    """Owner or director. Send the `version` you read: if someone saved the plan since, the
    change is refused with 409 `stale_edit` and nothing is saved."""
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id, write=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    reason = data.pop("reason", "")
    services.plan_update(plan=plan, actor=user, data=data, expected_version=version, reason=reason)
    return _plan_detail(request, id)


@router.post(
    "/account-plans/{id}/submit",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Submit a plan for approval",
)
def plan_submit(request: HttpRequest, payload: WorkflowIn, id: int = PlanId) -> dict[str, Any]:
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id, write=True)
    services.plan_submit(
        plan=plan, actor=user, comment=payload.comment, expected_version=payload.version
    )
    return _plan_detail(request, id)


@router.post(
    "/account-plans/{id}/approve",
    response={200: VersionRow, **WRITE_ERRORS},
    summary="Approve a submitted plan",
)
def plan_approve(request: HttpRequest, payload: WorkflowIn, id: int = PlanId) -> PlanVersion:
    """Programme directors and their delegates: freezes the plan as its next version."""
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id)
    if not services.plan_may_approve(user):
        raise PermissionDenied("Only a programme director or their delegate can approve a plan.")
    return services.plan_approve(
        plan=plan, actor=user, comment=payload.comment, expected_version=payload.version
    )


@router.post(
    "/account-plans/{id}/return",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Return a submitted plan to its owner",
)
def plan_return(request: HttpRequest, payload: WorkflowIn, id: int = PlanId) -> dict[str, Any]:
    """Programme directors and their delegates; the comment says what should change."""
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id)
    if not services.plan_may_approve(user):
        raise PermissionDenied("Only a programme director or their delegate can return a plan.")
    services.plan_return(
        plan=plan, actor=user, comment=payload.comment, expected_version=payload.version
    )
    return _plan_detail(request, id)


@router.get(
    "/account-plans/{id}/versions",
    response={200: list[VersionRow], **READ_ERRORS},
    summary="A plan's approved versions",
)
def plan_versions(request: HttpRequest, id: int = PlanId) -> list[PlanVersion]:
    plan = plan_get_for_user(user=caller(request), id=id)
    return list(plan.versions.select_related("approved_by").defer("snapshot"))


@router.get(
    "/plan-versions/{id}",
    response={200: VersionOut, **READ_ERRORS},
    summary="An approved version, as it was approved",
)
def plan_version_detail(request: HttpRequest, id: int = ObjectId) -> PlanVersion:
    return plan_row_get_for_user(  # type: ignore[no-any-return]
        user=caller(request),
        queryset=PlanVersion.objects.select_related("approved_by"),
        id=id,
        label="plan version",
    )


# --- Objectives, initiatives, actions ----------------------------------------------------------


@router.get(
    "/account-plans/{id}/objectives",
    response={200: list[ObjectiveOut], **READ_ERRORS},
    summary="A plan's objectives with their initiatives and actions",
)
def objective_list(request: HttpRequest, id: int = PlanId) -> list[dict[str, Any]]:
    plan = plan_get_for_user(user=caller(request), id=id)
    return [objective_out(row) for row in plan_page(plan=plan).objectives]


@router.post(
    "/account-plans/{id}/objectives",
    response={201: ObjectiveOut, **WRITE_ERRORS},
    summary="Add an objective",
)
def objective_create(
    request: HttpRequest, payload: ObjectiveIn, id: int = PlanId
) -> Status[Objective]:
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id, write=True)
    return Status(201, services.objective_create(plan=plan, actor=user, **payload.model_dump()))


def _objective(request: HttpRequest, id: int, *, write: bool = False) -> Objective:
    return plan_row_get_for_user(  # type: ignore[no-any-return]
        user=caller(request),
        queryset=Objective.objects.all(),
        id=id,
        label="objective",
        write=write,
    )


@router.get("/objectives/{id}", response={200: ObjectiveOut, **READ_ERRORS}, summary="An objective")
def objective_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    objective = _objective(request, id)
    page = plan_page(plan=objective.plan)
    return next(objective_out(r) for r in page.objectives if r.objective.pk == objective.pk)


@router.patch(
    "/objectives/{id}", response={200: ObjectiveOut, **WRITE_ERRORS}, summary="Change an objective"
)
def objective_update(
    request: HttpRequest, payload: ObjectivePatchIn, id: int = ObjectId
) -> Objective:
    """Owner or director. Send the `version` you read (409 `stale_edit` if stale)."""
    objective = _objective(request, id, write=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    return services.objective_update(
        objective=objective, actor=caller(request), data=data, expected_version=version
    )


@router.delete(
    "/objectives/{id}", response={204: None, **WRITE_ERRORS}, summary="Remove an objective"
)
def objective_delete(request: HttpRequest, id: int = ObjectId) -> Status[None]:
    objective = _objective(request, id, write=True)
    services.objective_delete(objective=objective, actor=caller(request))
    return Status(204, None)


@router.post(
    "/objectives/{id}/initiatives",
    response={201: InitiativeOut, **WRITE_ERRORS},
    summary="Add an initiative to an objective",
)
def initiative_create(
    request: HttpRequest, payload: InitiativeIn, id: int = ObjectId
) -> Status[Initiative]:
    objective = _objective(request, id, write=True)
    initiative = services.initiative_create(
        objective=objective,
        actor=caller(request),
        title=payload.title,
        description=payload.description,
        owner=_person(payload.owner_id, "owner_id"),
    )
    return Status(201, initiative)


@router.post(
    "/initiatives/{id}/actions",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Add an action to an initiative",
)
def action_create(
    request: HttpRequest, payload: ActionIn, id: int = ObjectId
) -> Status[PlanAction]:
    initiative: Initiative = plan_row_get_for_user(
        user=caller(request),
        queryset=Initiative.objects.select_related("objective__plan"),
        id=id,
        label="initiative",
        write=True,
    )
    action = services.action_create(
        initiative=initiative,
        actor=caller(request),
        title=payload.title,
        owner=_person(payload.owner_id, "owner_id"),
        due_on=payload.due_on,
    )
    return Status(201, action)


@router.patch(
    "/plan-actions/{id}", response={200: ActionOut, **WRITE_ERRORS}, summary="Change an action"
)
def action_update(request: HttpRequest, payload: ActionPatchIn, id: int = ObjectId) -> PlanAction:
    """The account's owner or a director change anything; the action's own owner may change
    only its status (marking it done, for instance)."""
    user = caller(request)
    action: PlanAction = plan_row_get_for_user(
        user=user,
        queryset=PlanAction.objects.select_related("initiative__objective__plan", "owner"),
        id=id,
        label="action",
    )
    data = payload.model_dump(exclude_unset=True)
    writer = action.access >= Access.WRITE  # type: ignore[attr-defined]
    if not writer and (action.owner_id != user.pk or set(data) - {"status"}):
        raise PermissionDenied(
            "Only the account's owner or a director can change this; the action's owner "
            "can change its status."
        )
    if "owner_id" in data:
        data["owner"] = _person(data.pop("owner_id"), "owner_id")
    return services.action_update(action=action, actor=user, data=data)


# --- Milestones, risks, reviews ----------------------------------------------------------------


@router.post(
    "/account-plans/{id}/milestones",
    response={201: MilestoneOut, **WRITE_ERRORS},
    summary="Add a milestone",
)
def milestone_create(request: HttpRequest, payload: MilestoneIn, id: int = PlanId) -> Status[Any]:
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id, write=True)
    return Status(201, services.milestone_create(plan=plan, actor=user, **payload.model_dump()))


@router.post(
    "/account-plans/{id}/risks", response={201: RiskOut, **WRITE_ERRORS}, summary="Add a risk"
)
def risk_create(request: HttpRequest, payload: RiskIn, id: int = PlanId) -> Status[Any]:
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id, write=True)
    data = payload.model_dump()
    data["owner"] = _person(data.pop("owner_id"), "owner_id")
    return Status(201, services.risk_create(plan=plan, actor=user, **data))


@router.get(
    "/account-plans/{id}/reviews",
    response={200: list[ReviewOut], **READ_ERRORS},
    summary="A plan's reviews, newest first",
)
def review_list(request: HttpRequest, id: int = PlanId) -> list[Any]:
    plan = plan_get_for_user(user=caller(request), id=id)
    return list(plan.reviews.all())


@router.post(
    "/account-plans/{id}/reviews",
    response={201: ReviewOut, **WRITE_ERRORS},
    summary="Record a review",
)
def review_create(request: HttpRequest, payload: ReviewIn, id: int = PlanId) -> Status[Any]:
    user = caller(request)
    plan = plan_get_for_user(user=user, id=id, write=True)
    return Status(201, services.review_record(plan=plan, actor=user, **payload.model_dump()))
