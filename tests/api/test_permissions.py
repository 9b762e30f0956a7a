"""Every endpoint for every persona: who gets in, who gets 401/403/404, and that a refused request
changed nothing (no history event, the field as it was, every table as it was).

This is the API's permissions table; the pages' is tests/security/pages.py.

The table is checked against the OpenAPI schema, so an endpoint added without a row here fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from accountable.accounts.models import Account, ExternalId, Ownership, Responsibility, TeamMember
from accountable.api import api as ninja_api
from accountable.history.models import Event
from accountable.people.models import ApiToken, BusinessUnit, Position, User
from accountable.people.services import api_token_create
from accountable.plans import services as plan_services
from accountable.plans.models import (
    AccountPlan,
    Initiative,
    Milestone,
    Objective,
    PlanAction,
    PlanReview,
    Risk,
)
from accountable.programme.models import ProgrammeSettings
from accountable.selection.models import (
    AssignmentRun,
    PartnershipAssessment,
    ScoringModel,
    SelectionDecision,
)
from accountable.selection.services import assignment_run_create
from tests.api.conftest import PERSONAS, World, error_of
from tests.fingerprint import BOOKKEEPING, database_fingerprint

ACCOUNT_READERS = {"director", "executive", "kam", "member"}
EVERYONE = {"director", "executive", "kam", "member", "outsider"}


def _member_tm(w: World) -> TeamMember:
    return TeamMember.objects.get(account=w.account, user=w.member)


def _owner_id(account: Account) -> int | None:
    return (
        Ownership.objects.filter(account=account, ended_at__isnull=True)
        .values_list("user_id", flat=True)
        .first()
    )


def _assignment_run(w: World) -> int:
    run = AssignmentRun.objects.filter(status="proposed").first()
    return (run or assignment_run_create(actor=w.director, cover_all=False)).pk


def _spare_token(w: World) -> ApiToken:
    """A token of the KAM's that no test request is made with."""
    token = ApiToken.objects.filter(name="spare").first()
    return token or api_token_create(user=w.kam, name="spare")[0]


def _import_run() -> Any:
    from accountable.exchange.models import ImportRun

    run = ImportRun.objects.filter(preset="northwind").first()
    if run is None:
        run = ImportRun.objects.create(preset="northwind", files=["x.csv"], created_by_name="d")
        run.rejects.create(file="x.csv", row=2, column="CustomerID", reason="is empty")
    return run


@dataclass(frozen=True)
class Case:
    method: str
    template: str  # as in the OpenAPI schema, without the /api/v1 prefix
    id: Callable[[World], int] | None = None
    body: Callable[[World], Any] | None = None
    query: str = ""
    visible_to: frozenset[str] = frozenset(EVERYONE)  # others get 404
    allowed: frozenset[str] = frozenset(EVERYONE)  # visible but not allowed get 403
    success: int = 200
    probe: Callable[[World], Any] | None = None  # state a write changes

    def path(self, w: World) -> str:
        path = "/api/v1" + self.template
        if self.id is not None:
            path = path.replace("{id}", str(self.id(w)))
        return path + self.query

    def expected(self, persona: str) -> int:
        if persona in ("anonymous", "revoked"):
            return 401
        if persona not in self.visible_to:
            return 404
        if persona not in self.allowed:
            return 403
        return self.success

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def account_read(template: str, id: Callable[[World], int] = lambda w: w.account.pk) -> Case:
    return Case(
        "GET",
        template,
        id=id,
        visible_to=frozenset(ACCOUNT_READERS),
        allowed=frozenset(ACCOUNT_READERS),
    )


def account_write(
    method: str,
    template: str,
    *,
    by: set[str],
    success: int,
    probe: Callable[[World], Any],
    id: Callable[[World], int] = lambda w: w.account.pk,
    body: Callable[[World], Any] | None = None,
    query: str = "",
) -> Case:
    return Case(
        method,
        template,
        id=id,
        body=body,
        query=query,
        success=success,
        probe=probe,
        visible_to=frozenset(ACCOUNT_READERS),
        allowed=frozenset(by),
    )


def director_write(
    method: str,
    template: str,
    *,
    success: int,
    probe: Callable[[World], Any],
    body: Callable[[World], Any] | None = None,
    id: Callable[[World], int] | None = None,
) -> Case:
    return Case(
        method,
        template,
        id=id,
        body=body,
        success=success,
        probe=probe,
        allowed=frozenset({"director"}),
    )


def _stakeholder(w: World) -> Any:
    from accountable.relationships.models import Stakeholder
    from accountable.relationships.services import stakeholder_create

    found = Stakeholder.objects.filter(account=w.account).order_by("pk").first()
    return found or stakeholder_create(account=w.account, actor=w.director, name="Frank Finance")


def _interaction(w: World) -> Any:
    from accountable.relationships.models import Interaction
    from accountable.relationships.services import interaction_log

    found = Interaction.objects.filter(account=w.account).order_by("pk").first()
    return found or interaction_log(
        account=w.account,
        actor=w.kam,
        kind="call",
        summary="Intro call",
        participants=[w.kam],
        stakeholders=[_stakeholder(w)],
    )


def _interaction_count(w: World) -> int:
    from accountable.relationships.models import Interaction

    return Interaction.objects.count()


TEAM_LOGGERS = {"director", "kam", "member"}
# --- Account plans --------------------------------------------------------------------


def _api_plan(w: World) -> AccountPlan:
    """The account's plan, made on first use (objective, initiative, the member's action)."""
    from accountable.plans.tests.conftest import make_plan

    plan = AccountPlan.objects.filter(account=w.account).first()
    return plan or make_plan(w).plan  # type: ignore[arg-type]


def _submitted_plan(w: World) -> AccountPlan:
    plan = _api_plan(w)
    if plan.status == "draft":
        plan = plan_services.plan_submit(plan=plan, actor=w.kam)
    return plan


def _approved_version(w: World) -> int:
    plan = _submitted_plan(w)
    version = plan.versions.first()
    return (version or plan_services.plan_approve(plan=plan, actor=w.director)).pk


def _plan_version(w: World) -> int:
    return AccountPlan.objects.get(account=w.account).version


def _objective_of(w: World) -> Objective:
    return _api_plan(w).objectives.get()


def _plan_status(w: World) -> str:
    return AccountPlan.objects.get(account=w.account).status


OWNER_OR_DIRECTOR_AND_ACTION_OWNER = {"director", "kam", "member"}


OWNER_OR_DIRECTOR = {"director", "kam"}
DIRECTOR = {"director"}

CASES = [
    # Accounts
    Case("GET", "/accounts/"),
    director_write(
        "POST",
        "/accounts/",
        success=201,
        body=lambda w: {"name": "Hooli"},
        probe=lambda w: Account.objects.count(),
    ),
    account_read("/accounts/{id}"),
    account_write(
        "PATCH",
        "/accounts/{id}",
        by=OWNER_OR_DIRECTOR,
        success=200,
        body=lambda w: {"version": w.account.version, "name": "Acme Renamed"},
        probe=lambda w: Account.objects.get(pk=w.account.pk).name,
    ),
    account_write(
        "DELETE",
        "/accounts/{id}",
        by=DIRECTOR,
        success=204,
        id=lambda w: w.candidate.pk,
        query="?reason=Merged",
        probe=lambda w: Account.objects.filter(pk=w.candidate.pk).exists(),
    ),
    account_read("/accounts/{id}/tree"),
    # Programme status and ownership
    account_write(
        "POST",
        "/accounts/{id}/status",
        by=DIRECTOR,
        success=200,
        body=lambda w: {"to_status": "pilot", "reason": "Scaling back"},
        probe=lambda w: Account.objects.get(pk=w.account.pk).programme_status,
    ),
    account_read("/accounts/{id}/status-changes"),
    account_write(
        "POST",
        "/accounts/{id}/owner",
        by=DIRECTOR,
        success=201,
        id=lambda w: w.unowned.pk,
        body=lambda w: {"user_id": w.kam.pk},
        probe=lambda w: _owner_id(w.unowned),
    ),
    account_write(
        "POST",
        "/accounts/{id}/owner/transfer",
        by=DIRECTOR,
        success=200,
        body=lambda w: {"user_id": w.spare_kam.pk, "reason": "Rebalancing"},
        probe=lambda w: _owner_id(w.account),
    ),
    account_write(
        "POST",
        "/accounts/{id}/owner/release",
        by=DIRECTOR,
        success=204,
        id=lambda w: w.candidate.pk,
        body=lambda w: {"reason": "Parked"},
        probe=lambda w: _owner_id(w.candidate),
    ),
    account_read("/accounts/{id}/ownerships"),
    # External ids
    account_read("/accounts/{id}/external-ids"),
    account_write(
        "POST",
        "/accounts/{id}/external-ids",
        by=OWNER_OR_DIRECTOR,
        success=201,
        body=lambda w: {"source": "erp", "value": "E-100"},
        probe=lambda w: w.account.external_ids.count(),
    ),
    account_write(
        "DELETE",
        "/external-ids/{id}",
        by=OWNER_OR_DIRECTOR,
        success=204,
        id=lambda w: w.account.external_ids.get(value="ACME-1").pk,
        probe=lambda w: w.account.external_ids.filter(value="ACME-1").exists(),
    ),
    # Teams
    account_read("/accounts/{id}/team-members"),
    account_write(
        "POST",
        "/accounts/{id}/team-members",
        by=OWNER_OR_DIRECTOR,
        success=201,
        body=lambda w: {"user_id": w.outsider.pk, "allocation_pct": 15},
        probe=lambda w: w.account.team_members.count(),
    ),
    account_read("/team-members/{id}", id=lambda w: _member_tm(w).pk),
    account_write(
        "PATCH",
        "/team-members/{id}",
        by=OWNER_OR_DIRECTOR,
        success=200,
        id=lambda w: _member_tm(w).pk,
        body=lambda w: {"allocation_pct": 35},
        probe=lambda w: _member_tm(w).allocation_pct,
    ),
    account_write(
        "DELETE",
        "/team-members/{id}",
        by=OWNER_OR_DIRECTOR,
        success=204,
        id=lambda w: _member_tm(w).pk,
        probe=lambda w: w.account.team_members.filter(user=w.member).exists(),
    ),
    account_write(
        "PUT",
        "/team-members/{id}/responsibilities",
        by=OWNER_OR_DIRECTOR,
        success=200,
        id=lambda w: _member_tm(w).pk,
        body=lambda w: {"strategy": "R", "pricing": "C"},
        probe=lambda w: sorted(Responsibility.objects.values_list("area", "role")),
    ),
    # History
    account_read("/accounts/{id}/history"),
    Case("GET", "/history/"),
    # People
    Case("GET", "/people/"),
    director_write(
        "POST",
        "/people/",
        success=201,
        body=lambda w: {"username": "newbie", "first_name": "Nia"},
        probe=lambda w: User.objects.count(),
    ),
    Case("GET", "/people/{id}", id=lambda w: w.kam.pk),
    director_write(
        "PATCH",
        "/people/{id}",
        success=200,
        id=lambda w: w.member.pk,
        body=lambda w: {"last_name": "Renamed"},
        probe=lambda w: User.objects.get(pk=w.member.pk).last_name,
    ),
    Case("GET", "/positions/"),
    director_write(
        "POST",
        "/positions/",
        success=201,
        body=lambda w: {"name": "Bid manager"},
        probe=lambda w: Position.objects.count(),
    ),
    Case("GET", "/business-units/"),
    director_write(
        "POST",
        "/business-units/",
        success=201,
        body=lambda w: {"name": "Logistics", "code": "LOG"},
        probe=lambda w: BusinessUnit.objects.count(),
    ),
    # API tokens: everyone lists their own; a token is revoked by its owner or a director
    Case("GET", "/api-tokens/"),
    Case(
        "POST",
        "/api-tokens/{id}/revoke",
        id=lambda w: _spare_token(w).pk,
        visible_to=frozenset(OWNER_OR_DIRECTOR),
        allowed=frozenset(OWNER_OR_DIRECTOR),
        probe=lambda w: ApiToken.objects.get(name="spare").revoked_at is not None,
    ),
    # Stakeholders and interactions
    Case("GET", "/stakeholders/"),
    Case(
        "POST",
        "/stakeholders/",
        body=lambda w: {"account_id": w.account.pk, "name": "Clara Chief", "seniority": 5},
        success=201,
        visible_to=frozenset(ACCOUNT_READERS),
        allowed=frozenset(OWNER_OR_DIRECTOR),
        probe=lambda w: w.account.stakeholders.count(),
    ),
    account_read("/stakeholders/{id}", id=lambda w: _stakeholder(w).pk),
    account_write(
        "PATCH",
        "/stakeholders/{id}",
        by=OWNER_OR_DIRECTOR,
        success=200,
        id=lambda w: _stakeholder(w).pk,
        body=lambda w: {"attitude": "mentor"},
        probe=lambda w: _stakeholder(w).attitude,
    ),
    Case("GET", "/interactions/"),
    Case(
        "POST",
        "/interactions/",
        body=lambda w: {
            "account_id": w.account.pk,
            "kind": "meeting",
            "stakeholder_ids": [_stakeholder(w).pk],
            "summary": "Supply review",
        },
        success=201,
        visible_to=frozenset(ACCOUNT_READERS),
        allowed=frozenset(TEAM_LOGGERS),
        probe=_interaction_count,
    ),
    account_read("/interactions/{id}", id=lambda w: _interaction(w).pk),
    account_write(
        "PATCH",
        "/interactions/{id}",
        by=OWNER_OR_DIRECTOR,
        success=200,
        id=lambda w: _interaction(w).pk,
        body=lambda w: {"summary": "Intro call, corrected"},
        probe=lambda w: _interaction(w).summary,
    ),
    # Revenue and pipeline (issue 5)
    account_read("/accounts/{id}/revenue"),
    account_read("/accounts/{id}/monthly-rollups"),
    account_read("/accounts/{id}/sales-lines"),
    account_read("/accounts/{id}/opportunities"),
    account_read("/accounts/{id}/whitespace"),
    Case("GET", "/opportunities/"),
    Case("GET", "/pricing-check", allowed=frozenset({"director", "executive"})),
    # Imports (issue 5): programme directors only
    Case("GET", "/imports/", allowed=frozenset(DIRECTOR)),
    Case("GET", "/imports/{id}", id=lambda w: _import_run().pk, allowed=frozenset(DIRECTOR)),
    Case(
        "GET", "/imports/{id}/rejects", id=lambda w: _import_run().pk, allowed=frozenset(DIRECTOR)
    ),
    # Programme settings
    Case("GET", "/programme-settings"),
    director_write(
        "PATCH",
        "/programme-settings",
        success=200,
        body=lambda w: {"key_accounts_per_kam_cap": 3},
        probe=lambda w: ProgrammeSettings.objects.get().key_accounts_per_kam_cap,
    ),
    # Willingness to partner and the decision journal
    account_read("/accounts/{id}/partnership-assessments"),
    account_write(
        "POST",
        "/accounts/{id}/partnership-assessments",
        by={"director", "kam", "member"},
        success=200,
        body=lambda w: {
            "integrate": 4,
            "dedicate_team": 3,
            "share_data": 2,
            "joint_funding": 3,
            "strategic_fit": 5,
        },
        probe=lambda w: PartnershipAssessment.objects.count(),
    ),
    account_read("/accounts/{id}/selection-decisions"),
    account_write(
        "POST",
        "/accounts/{id}/selection-decisions",
        by={"director"},
        success=201,
        body=lambda w: {"decision": "selected", "reason": "Growth"},
        probe=lambda w: SelectionDecision.objects.count(),
    ),
    # Scoring, the portfolio, the backtest (directors and executives read; directors change)
    Case("GET", "/scoring-facts", allowed=frozenset({"director", "executive"})),
    Case("GET", "/scoring-models/", allowed=frozenset({"director", "executive"})),
    director_write(
        "POST",
        "/scoring-models/",
        success=201,
        body=lambda w: {
            "name": "Ours",
            "factors": [
                {"key": "customer_revenue", "axis": "attractiveness", "weight": 100},
                {"key": "willingness", "axis": "strength", "weight": 100},
            ],
        },
        probe=lambda w: ScoringModel.objects.count(),
    ),
    account_read("/accounts/{id}/scores"),
    Case("GET", "/portfolio", allowed=frozenset({"director", "executive"})),
    Case(
        "GET",
        "/backtest",
        query="?cutoff=2011-01-01&top=5",
        allowed=frozenset({"director", "executive"}),
        # it needs the sales data (the revenue app), without which it says so (422)
        success=200 if apps.is_installed("accountable.revenue") else 422,
    ),
    # KAM assignment (directors only, reads included: it is the director's planning tool)
    Case("GET", "/assignment-runs/", allowed=frozenset(DIRECTOR)),
    director_write(
        "POST",
        "/assignment-runs/",
        success=201,
        body=lambda w: {"statuses": ["pilot", "key_account"]},
        probe=lambda w: AssignmentRun.objects.count(),
    ),
    Case("GET", "/assignment-runs/{id}", id=_assignment_run, allowed=frozenset(DIRECTOR)),
    director_write(
        "POST",
        "/assignment-runs/{id}/apply",
        id=_assignment_run,
        success=200,
        body=lambda w: {"reason": "New territories"},
        probe=lambda w: list(AssignmentRun.objects.values_list("status", flat=True)),
    ),
    director_write(
        "POST",
        "/assignment-runs/{id}/discard",
        id=_assignment_run,
        success=200,
        body=lambda w: {"reason": "Not now"},
        probe=lambda w: list(AssignmentRun.objects.values_list("status", flat=True)),
    ),
    # Account plans
    Case("GET", "/account-plans/"),
    Case(
        "POST",
        "/account-plans/",
        body=lambda w: {"account_id": w.account.pk, "title": "Acme plan"},
        success=201,
        probe=lambda w: AccountPlan.objects.count(),
        visible_to=frozenset(ACCOUNT_READERS),
        allowed=frozenset(OWNER_OR_DIRECTOR),
    ),
    account_read("/account-plans/{id}", id=lambda w: _api_plan(w).pk),
    account_write(
        "PATCH",
        "/account-plans/{id}",
        by=OWNER_OR_DIRECTOR,
        success=200,
        id=lambda w: _api_plan(w).pk,
        body=lambda w: {"version": _plan_version(w), "competitors": "Dow"},
        probe=lambda w: AccountPlan.objects.get(account=w.account).competitors,
    ),
    account_write(
        "POST",
        "/account-plans/{id}/submit",
        by=OWNER_OR_DIRECTOR,
        success=200,
        id=lambda w: _api_plan(w).pk,
        body=lambda w: {"version": _plan_version(w)},
        probe=_plan_status,
    ),
    account_write(
        "POST",
        "/account-plans/{id}/approve",
        by=DIRECTOR,
        success=200,
        id=lambda w: _submitted_plan(w).pk,
        body=lambda w: {"version": _plan_version(w), "comment": "Go"},
        probe=_plan_status,
    ),
    account_write(
        "POST",
        "/account-plans/{id}/return",
        by=DIRECTOR,
        success=200,
        id=lambda w: _submitted_plan(w).pk,
        body=lambda w: {"version": _plan_version(w), "comment": "Add risks"},
        probe=_plan_status,
    ),
    account_read("/account-plans/{id}/versions", id=lambda w: _api_plan(w).pk),
    account_read("/plan-versions/{id}", id=_approved_version),
    account_read("/account-plans/{id}/objectives", id=lambda w: _api_plan(w).pk),
    account_write(
        "POST",
        "/account-plans/{id}/objectives",
        by=OWNER_OR_DIRECTOR,
        success=201,
        id=lambda w: _api_plan(w).pk,
        body=lambda w: {
            "title": "Exec access",
            "metric": "Board meetings",
            "baseline": 0,
            "target": 4,
            "due_on": "2030-06-30",
            "indicator": "lead",
        },
        probe=lambda w: Objective.objects.count(),
    ),
    account_read("/objectives/{id}", id=lambda w: _objective_of(w).pk),
    account_write(
        "PATCH",
        "/objectives/{id}",
        by=OWNER_OR_DIRECTOR,
        success=200,
        id=lambda w: _objective_of(w).pk,
        body=lambda w: {"version": 1, "current": "13.5"},
        probe=lambda w: Objective.objects.get().current,
    ),
    account_write(
        "DELETE",
        "/objectives/{id}",
        by=OWNER_OR_DIRECTOR,
        success=204,
        id=lambda w: _objective_of(w).pk,
        probe=lambda w: Objective.objects.count(),
    ),
    account_write(
        "POST",
        "/objectives/{id}/initiatives",
        by=OWNER_OR_DIRECTOR,
        success=201,
        id=lambda w: _objective_of(w).pk,
        body=lambda w: {"title": "Board dinner", "owner_id": w.kam.pk},
        probe=lambda w: Initiative.objects.count(),
    ),
    account_write(
        "POST",
        "/initiatives/{id}/actions",
        by=OWNER_OR_DIRECTOR,
        success=201,
        id=lambda w: _objective_of(w).initiatives.get().pk,
        body=lambda w: {"title": "Book venue", "owner_id": w.member.pk, "due_on": "2030-01-10"},
        probe=lambda w: PlanAction.objects.count(),
    ),
    # The action is the member's: they may mark it done.
    account_write(
        "PATCH",
        "/plan-actions/{id}",
        by=OWNER_OR_DIRECTOR_AND_ACTION_OWNER,
        success=200,
        id=lambda w: PlanAction.objects.get(account=_api_plan(w).account).pk,
        body=lambda w: {"status": "done"},
        probe=lambda w: PlanAction.objects.get().status,
    ),
    account_write(
        "POST",
        "/account-plans/{id}/milestones",
        by=OWNER_OR_DIRECTOR,
        success=201,
        id=lambda w: _api_plan(w).pk,
        body=lambda w: {"title": "Trial signed", "due_on": "2030-03-01"},
        probe=lambda w: Milestone.objects.count(),
    ),
    account_write(
        "POST",
        "/account-plans/{id}/risks",
        by=OWNER_OR_DIRECTOR,
        success=201,
        id=lambda w: _api_plan(w).pk,
        body=lambda w: {"title": "Budget freeze", "severity": "high", "owner_id": w.member.pk},
        probe=lambda w: Risk.objects.count(),
    ),
    account_read("/account-plans/{id}/reviews", id=lambda w: _api_plan(w).pk),
    account_write(
        "POST",
        "/account-plans/{id}/reviews",
        by=OWNER_OR_DIRECTOR,
        success=201,
        id=lambda w: _api_plan(w).pk,
        body=lambda w: {"held_on": "2026-01-05", "attendees": "Kim, the COO"},
        probe=lambda w: PlanReview.objects.count(),
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_endpoint_answers_each_persona_as_the_roles_say(
    api, world, case: Case, persona: str
) -> None:
    # given
    path = case.path(world)
    body = case.body(world) if case.body else None
    events_before = Event.objects.count()
    state_before = case.probe(world) if case.probe else None
    tables_before = database_fingerprint(ignore=BOOKKEEPING)
    expected = case.expected(persona)

    # when
    if case.method == "GET":
        response = api.as_(persona).get(path)
    else:
        response = api.as_(persona).send(case.method, path, body)

    # then
    assert response.status_code == expected, response.content
    if expected >= 400:
        error = error_of(response)
        assert (
            error["code"]
            == {
                401: "unauthenticated",
                403: "forbidden",
                404: "not_found",
                422: "validation_failed",
            }[expected]
        )
        assert Event.objects.count() == events_before
        if case.probe:
            assert case.probe(world) == state_before
        assert database_fingerprint(ignore=BOOKKEEPING) == tables_before
    elif case.probe:
        assert case.probe(world) != state_before
        assert Event.objects.count() > events_before


def test_every_endpoint_of_the_schema_has_a_permission_case() -> None:
    # given
    schema = ninja_api.get_openapi_schema()

    # when
    operations = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, methods in schema["paths"].items()
        for method in methods
    }

    # then
    assert operations == {str(case) for case in CASES}


def test_outsider_is_told_an_account_does_not_exist_not_that_it_is_forbidden(api, world) -> None:
    # given
    path = f"/api/v1/accounts/{world.account.pk}"

    # when
    hidden = api.as_("outsider").get(path)
    missing = api.as_("outsider").get("/api/v1/accounts/999999")

    # then
    assert hidden.status_code == missing.status_code == 404
    assert error_of(hidden)["message"] == error_of(missing)["message"]


def test_an_outsider_lists_no_accounts_and_a_member_only_theirs(api, world) -> None:
    # when
    outsider = api.as_("outsider").get("/api/v1/accounts/").json()
    member = api.as_("member").get("/api/v1/accounts/").json()

    # then
    assert outsider["count"] == 0
    assert [row["name"] for row in member["items"]] == ["Acme Industries", "Umbrella", "Vandelay"]


def test_a_revoked_token_is_refused_with_the_bearer_challenge(api, world) -> None:
    # when
    response = api.as_("revoked").get("/api/v1/accounts/")

    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "unauthenticated"


def test_a_deactivated_users_token_stops_working(api, world) -> None:
    # given
    User.objects.filter(pk=world.kam.pk).update(is_active=False)

    # when
    response = api.as_("kam").get("/api/v1/accounts/")

    # then
    assert response.status_code == 401


def test_external_id_of_another_account_is_hidden_from_the_kam(api, world) -> None:
    # given
    other = ExternalId.objects.create(account=world.other_account, source="crm", value="GLX-1")

    # when
    response = api.as_("kam").delete(f"/api/v1/external-ids/{other.pk}")

    # then
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such external id."
    assert ExternalId.objects.filter(pk=other.pk).exists()
