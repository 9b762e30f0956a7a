"""The plans API beyond permissions: stale edits, the workflow, what an action's owner may do."""

from __future__ import annotations

from accountable.history.models import Event
from accountable.plans.models import AccountPlan, PlanAction
from accountable.plans.tests.conftest import make_plan
from tests.api.conftest import error_of


def test_a_stale_plan_patch_is_409_and_changes_nothing(api, world) -> None:
    # given
    plan = make_plan(world).plan  # type: ignore[arg-type]
    path = f"/api/v1/account-plans/{plan.pk}"
    assert api.as_("kam").patch(path, {"version": 1, "competitors": "Dow"}).status_code == 200
    events = Event.objects.count()

    # when
    response = api.as_("director").patch(path, {"version": 1, "competitors": "BASF"})

    # then
    assert response.status_code == 409
    assert error_of(response)["code"] == "stale_edit"
    assert AccountPlan.objects.get().competitors == "Dow"
    assert Event.objects.count() == events


def test_the_plan_shows_progress_completeness_and_nested_actions(api, world) -> None:
    plan = make_plan(world).plan  # type: ignore[arg-type]
    body = api.as_("member").get(f"/api/v1/account-plans/{plan.pk}").json()
    assert body["completeness_percent"] == 21  # business model, objectives, actions: 3 of 14
    assert "Risks" in body["missing_sections"]
    objective = body["objectives"][0]
    assert objective["standing"] in {"on_track", "at_risk", "off_track"}
    assert objective["initiatives"][0]["actions"][0]["title"] == "Send samples"


def test_submit_approve_and_read_the_frozen_version(api, world) -> None:
    plan = make_plan(world).plan  # type: ignore[arg-type]
    base = f"/api/v1/account-plans/{plan.pk}"
    assert api.as_("kam").post(f"{base}/submit", {"version": 1}).json()["status"] == "submitted"
    approved = api.as_("director").post(f"{base}/approve", {"version": 2, "comment": "Go"})
    version = api.as_("member").get(f"/api/v1/plan-versions/{approved.json()['id']}").json()
    assert approved.json()["number"] == 1
    assert version["snapshot"]["objectives"][0]["title"] == "Grow share of wallet"


def test_approving_a_draft_is_a_conflict(api, world) -> None:
    plan = make_plan(world).plan  # type: ignore[arg-type]
    response = api.as_("director").post(f"/api/v1/account-plans/{plan.pk}/approve", {"version": 1})
    assert response.status_code == 409
    assert AccountPlan.objects.get().status == "draft"


def test_an_actions_owner_may_change_its_status_but_nothing_else(api, world) -> None:
    action = make_plan(world).action  # type: ignore[arg-type]
    path = f"/api/v1/plan-actions/{action.pk}"
    refused = api.as_("member").patch(path, {"title": "Renamed"})
    allowed = api.as_("member").patch(path, {"status": "in_progress"})
    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert PlanAction.objects.get().title == "Send samples"
    assert PlanAction.objects.get().status == "in_progress"


def test_a_plan_for_a_prospect_is_refused_with_the_field(api, world) -> None:
    response = api.as_("director").post("/api/v1/account-plans/", {"account_id": world.prospect.pk})
    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "account": [f"{world.prospect.name} is not a pilot or key account; plans are for those."]
    }


def test_a_delegate_approves_through_the_api_and_others_may_not(api, world) -> None:
    from accountable.plans import services

    plan = make_plan(world).plan  # type: ignore[arg-type]
    services.plan_submit(plan=plan, actor=world.kam)
    path = f"/api/v1/account-plans/{plan.pk}/approve"
    refused = api.as_("executive").post(path, {"version": 2})
    services.plan_settings_update(
        actor=world.director, review_cadence_days=91, approvers=[world.executive]
    )
    allowed = api.as_("executive").post(path, {"version": 2})
    assert refused.status_code == 403
    assert allowed.status_code == 200 and allowed.json()["number"] == 1
