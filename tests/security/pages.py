"""THE PERMISSIONS TABLE FOR PAGES: who may open each page, who may post its form.

Every URL pattern of the site has a row here, keyed by its route as Django writes it; the test
(`test_permissions_matrix.py`) fails for a route without one, so a new page must say who may
use it before it can be merged. API endpoints have their table in
`tests/api/test_permissions.py` (checked against the OpenAPI schema the same way); the admin
site's model pages follow one rule, ADMIN, below.

Personas (the root conftest's `programme`): director, executive, kam (owns `account`), member
(on its team), outsider (on no team), anonymous. For each page:

    see      who gets the page (200) on GET            others signed in: 403 ...
    hidden   ... except these, for whom it does not exist (404)
    write    who may post the form (302 on success)    anonymous: 302 to the sign-in page
    post     valid form data: a refused post would have changed something, had it been let in;
             a page without a form answers a POST like a GET (and must change nothing)

How to add a page: one line with a helper, e.g.
    "plans/<int:pk>/": account_page(lambda p: {"pk": p.account.pk}),
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conftest import Programme
from tests.factories import KamFactory

PERSONAS = ("director", "executive", "kam", "member", "outsider", "anonymous")
SIGNED_IN = frozenset({"director", "executive", "kam", "member", "outsider"})
ACCOUNT_READERS = frozenset({"director", "executive", "kam", "member"})
OWNER_OR_DIRECTOR = frozenset({"director", "kam"})
DIRECTOR = frozenset({"director"})
NOBODY: frozenset[str] = frozenset()

Kwargs = Callable[[Programme], dict[str, Any]]
Data = Callable[[Programme], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    kwargs: Kwargs = lambda p: {}
    see: frozenset[str] = SIGNED_IN
    hidden: frozenset[str] = NOBODY
    write: frozenset[str] = NOBODY
    post: Data | None = None
    public: bool = False  # anonymous may GET it
    # Statuses that differ from the rule above, e.g. {"get": {"kam": 405}}.
    exceptions: dict[str, dict[str, int]] = field(default_factory=dict)
    changes_data: bool = True  # an allowed post changes some table (False: sign-out)

    def expected(self, method: str, persona: str) -> int:
        if persona in self.exceptions.get(method, {}):
            return self.exceptions[method][persona]
        if method == "post" and self.post is None:
            # A page without a form answers a POST as it answers a GET (and changes nothing).
            return self.expected("get", persona)
        if persona == "anonymous":
            return 200 if (method == "get" and self.public) else 302
        if persona in self.hidden:
            return 404
        if method == "get":
            return 200 if persona in self.see else 403
        return 302 if persona in self.write else 403


def signed_in_page(kwargs: Kwargs = lambda p: {}) -> Page:
    return Page(kwargs=kwargs)


def public_page(get: int = 200, post: int = 405, kwargs: Kwargs = lambda p: {}) -> Page:
    """The same answer for everyone, signed in or not (GET and a POST with no data)."""
    return Page(
        kwargs=kwargs,
        public=True,
        exceptions={"get": dict.fromkeys(PERSONAS, get), "post": dict.fromkeys(PERSONAS, post)},
    )


def account_page(kwargs: Kwargs) -> Page:
    """A tab of `account`: its readers see it, the outsider is told it does not exist."""
    return Page(kwargs=kwargs, see=ACCOUNT_READERS, hidden=frozenset({"outsider"}))


def account_form(kwargs: Kwargs, post: Data, write: frozenset[str] = OWNER_OR_DIRECTOR) -> Page:
    """A form that changes `account`: `write` may open and post it; its other readers are
    refused (403); the outsider is told it does not exist."""
    return Page(kwargs=kwargs, see=write, hidden=frozenset({"outsider"}), write=write, post=post)


def director_form(post: Data | None = None, post_only: bool = False) -> Page:
    exceptions = {"get": dict.fromkeys(SIGNED_IN, 405)} if post_only else {}
    return Page(see=DIRECTOR, write=DIRECTOR, post=post, exceptions=exceptions)


def _assignment_run(p: Programme) -> dict[str, Any]:
    from accountable.selection.services import assignment_run_create

    return {"id": assignment_run_create(actor=p.director).pk}


def _account(p: Programme) -> dict[str, Any]:
    return {"pk": p.account.pk}


def _member(p: Programme) -> dict[str, Any]:
    tm = p.account.team_members.get(user=p.member)
    return {"pk": p.account.pk, "member_pk": tm.pk}


def _external_id(p: Programme) -> dict[str, Any]:
    return {"pk": p.account.pk, "external_id_pk": p.account.external_ids.get().pk}


def _profile(p: Programme) -> dict[str, Any]:
    a = p.account
    return {
        "version": a.version,
        "name": "Acme Renamed",
        "parent": "",
        "industry": a.industry,
        "country": "DE",
        "region": "",
        "size_band": "",
        "employees": "",
        "annual_revenue": "",
        "website": "",
        "tier": "",
        "business_model": "Resins",
        "strategy": "",
        "core_values": "",
        "current_initiatives": "",
        "culture": "",
        "company_history": "",
        "decision_process": "",
        "reason": "",
    }


def _kams_token(p: Programme) -> dict[str, Any]:
    from accountable.people.services import api_token_create

    token, _ = api_token_create(user=p.kam, name="CRM sync")
    return {"pk": p.kam.pk, "token_pk": token.pk}


def _transfer(p: Programme) -> dict[str, Any]:
    spare = KamFactory.create(username="spare-kam", first_name="Sam", last_name="Spare")
    return {"action": "transfer", "transfer-user": spare.pk, "transfer-reason": "Rebalancing"}


def _stakeholder(p: Programme) -> dict[str, Any]:
    from accountable.relationships.models import Stakeholder

    s = Stakeholder.objects.filter(account=p.account).order_by("pk").first()
    if s is None:
        from accountable.relationships.services import stakeholder_create

        s = stakeholder_create(account=p.account, actor=p.director, name="Frank Finance")
    return {"pk": s.pk}


def _interaction_post(p: Programme) -> dict[str, Any]:
    return {
        "occurred_on": "2024-03-01",
        "kind": "meeting",
        "direction": "ours",
        "participants": [p.member.pk],
        "stakeholders": [_stakeholder(p)["pk"]],
        "summary": "Supply review",
    }


TEAM_LOGGERS = frozenset({"director", "kam", "member"})


def _alert(p: Programme) -> dict[str, Any]:
    from accountable.notifications.models import Alert
    from accountable.notifications.services import alert_raise

    alert = Alert.objects.filter(account=p.account).first() or alert_raise(
        account=p.account, kind="silo", subject_user=p.outsider, message="Oscar met the CFO."
    )
    assert alert is not None
    return {"pk": alert.pk}


def alert_action(post: Data) -> Page:
    """A POST-only action on an alert: its recipients who may change the account (owner,
    director) act; for everyone else the alert does not exist."""
    return Page(
        kwargs=_alert,
        see=NOBODY,
        hidden=frozenset({"executive", "member", "outsider"}),
        write=OWNER_OR_DIRECTOR,
        post=post,
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    )


def _upload(p: Programme) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    class Rewinding(SimpleUploadedFile):
        """Sent whole by every persona's post, not only by the first."""

        def read(self, *args: Any) -> bytes:
            self.seek(0)
            return super().read(*args)

    data = b"CategoryID,CategoryName,Description\n1,Beverages,Teas\n"
    return {
        "preset": "northwind",
        "uploads": Rewinding("categories.csv", data, "text/csv"),
        "dry_run": "",
    }


def _mapping_sample(p: Programme) -> dict[str, Any]:
    data = _upload(p)
    return {
        "name": "erp-lines",
        "target": "sales-lines",
        "source": "erp",
        "currency": "EUR",
        "sample": data["uploads"],
    }


def _whitespace_cell(p: Programme) -> dict[str, Any]:
    from accountable.revenue.models import ProductLine

    line, _ = ProductLine.objects.get_or_create(name="Coatings")
    return {
        "product_line": line.pk,
        "status": "competitor",
        "competitor": "Dow",
        "potential": "5000",
    }


def _import_run(p: Programme) -> dict[str, Any]:
    from accountable.exchange.models import ImportRun

    run = ImportRun.objects.order_by("pk").first() or ImportRun.objects.create(
        preset="northwind", files=["x.csv"], created_by_name="dana", rejected=1
    )
    if not run.rejects.exists():
        run.rejects.create(file="x.csv", row=2, column="CustomerID", reason="is empty")
    return {"pk": run.pk}


# --- Account plans (accountable/plans) -----------------------------------------------------------


def _plan(p: Programme) -> Any:
    """The account's plan with an objective, initiative, action (the member's), milestone."""
    from accountable.plans.models import AccountPlan
    from accountable.plans.tests.conftest import make_plan

    plan = AccountPlan.objects.filter(account=p.account).first()
    if plan is None:
        plan = make_plan(p).plan
    return plan


def _planned(p: Programme) -> dict[str, Any]:
    _plan(p)
    return {"pk": p.account.pk}


def _submitted(p: Programme) -> dict[str, Any]:
    from accountable.plans.services import plan_submit

    plan = _plan(p)
    if plan.status == "draft":
        plan_submit(plan=plan, actor=p.kam)
    return {"pk": p.account.pk}


def _objective(p: Programme) -> dict[str, Any]:
    return {"pk": p.account.pk, "objective_pk": _plan(p).objectives.get().pk}


def _initiative(p: Programme) -> dict[str, Any]:
    initiative = _plan(p).objectives.get().initiatives.get()
    return {"pk": p.account.pk, "initiative_pk": initiative.pk}


def _action(p: Programme) -> dict[str, Any]:
    from accountable.plans.models import PlanAction

    _plan(p)
    return {"pk": p.account.pk, "action_pk": PlanAction.objects.get(account=p.account).pk}


def _milestone(p: Programme) -> dict[str, Any]:
    from accountable.plans.services import milestone_create

    plan = _plan(p)
    import datetime as dt

    milestone = plan.milestones.first() or milestone_create(
        plan=plan, actor=p.kam, title="Trial signed", due_on=dt.date.fromisoformat(_day(30))
    )
    return {"pk": p.account.pk, "milestone_pk": milestone.pk}


def _day(offset: int) -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


def _plan_sections(p: Programme) -> dict[str, Any]:
    plan = _plan(p)
    return {
        "version": plan.version,
        "title": "Acme plan",
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "review_cadence_days": 91,
        "competitors": "Dow",
    }


def _workflow(p: Programme) -> dict[str, Any]:
    return {"version": _plan(p).version, "comment": "Looks right"}


def _objective_form(p: Programme) -> dict[str, Any]:
    return {
        "version": "1",
        "title": "Exec access",
        "metric": "Meetings with the board",
        "baseline": "0",
        "target": "4",
        "due_on": _day(90),
        "indicator": "lead",
    }


PLAN_WRITE = OWNER_OR_DIRECTOR


PAGES: dict[str, Page] = {
    # --- The start, signing in and out, probes, static ------------------------------------------
    "": signed_in_page(),
    "login/": Page(public=True, exceptions={"post": dict.fromkeys(PERSONAS, 200)}),
    "logout/": Page(
        write=SIGNED_IN,
        post=lambda p: {},
        changes_data=False,
        exceptions={"get": dict.fromkeys(PERSONAS, 405), "post": {"anonymous": 302}},
    ),
    "favicon.ico": public_page(get=301, post=301),
    "healthz": public_page(post=200),  # a POST reaches the page, not the probe: see below
    "readyz": public_page(post=200),
    # --- Customer accounts ----------------------------------------------------------------------
    "accounts/": signed_in_page(),
    "accounts/lookup/": signed_in_page(),
    "accounts/new/": Page(
        see=DIRECTOR,
        write=DIRECTOR,
        post=lambda p: {"name": "Hooli", "programme_status": "prospect"},
    ),
    "accounts/<int:pk>/": account_page(_account),
    "accounts/<int:pk>/team/": account_page(_account),
    "accounts/<int:pk>/history/": account_page(_account),
    "accounts/<int:pk>/edit/": account_form(_account, _profile),
    "accounts/<int:pk>/status/": account_form(
        _account, lambda p: {"to_status": "exited", "reason": "Lost"}, write=DIRECTOR
    ),
    "accounts/<int:pk>/owner/": account_form(_account, _transfer, write=DIRECTOR),
    "accounts/<int:pk>/team/add/": account_form(
        _account,
        lambda p: {"user": p.outsider.pk, "position": "", "kind": "direct", "allocation_pct": 10},
    ),
    "accounts/<int:pk>/team/<int:member_pk>/edit/": account_form(
        _member,
        lambda p: {
            "position": p.member.position_id,
            "kind": "shared",
            "allocation_pct": 30,
            "responsibilities": "Quotes",
        },
    ),
    "accounts/<int:pk>/team/<int:member_pk>/raci/": account_form(
        _member, lambda p: {"raci-strategy": "C", "raci-pricing": "R"}
    ),
    "accounts/<int:pk>/team/<int:member_pk>/remove/": account_form(
        _member, lambda p: {"reason": "Moved on"}
    ),
    "accounts/<int:pk>/external-ids/add/": account_form(
        _account, lambda p: {"source": "erp", "value": "E-100"}
    ),
    "accounts/<int:pk>/external-ids/<int:external_id_pk>/remove/": account_form(
        _external_id, lambda p: {"reason": "Duplicate"}
    ),
    # --- Account plans ----------------------------------------------------------------------------
    "accounts/plans/": signed_in_page(),
    "accounts/plans/template/": director_form(
        lambda p: {"review_cadence_days": 60, "q_competitors": "Who else do they buy from?"}
    ),
    "accounts/<int:pk>/plan/": account_page(_planned),
    "accounts/<int:pk>/plan/start/": account_form(_account, lambda p: {"title": "Acme plan"}),
    "accounts/<int:pk>/plan/edit/": account_form(_planned, _plan_sections),
    "accounts/<int:pk>/plan/objectives/add/": account_form(_planned, _objective_form),
    "accounts/<int:pk>/plan/objectives/<int:objective_pk>/edit/": account_form(
        _objective, _objective_form
    ),
    "accounts/<int:pk>/plan/objectives/<int:objective_pk>/initiatives/add/": account_form(
        _objective, lambda p: {"title": "Board dinner", "owner": p.kam.pk}
    ),
    "accounts/<int:pk>/plan/initiatives/<int:initiative_pk>/actions/add/": account_form(
        _initiative, lambda p: {"title": "Book venue", "owner": p.member.pk, "due_on": _day(7)}
    ),
    # The action is the member's: they may change its status too (a POST-only form).
    "accounts/<int:pk>/plan/actions/<int:action_pk>/status/": Page(
        kwargs=_action,
        see=NOBODY,
        hidden=frozenset({"outsider"}),
        write=frozenset({"director", "kam", "member"}),
        post=lambda p: {"status": "done"},
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "accounts/<int:pk>/plan/milestones/add/": account_form(
        _planned, lambda p: {"title": "Trial signed", "due_on": _day(30)}
    ),
    "accounts/<int:pk>/plan/milestones/<int:milestone_pk>/reach/": Page(
        kwargs=_milestone,
        see=NOBODY,
        hidden=frozenset({"outsider"}),
        write=PLAN_WRITE,
        post=lambda p: {},
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "accounts/<int:pk>/plan/risks/add/": account_form(
        _planned, lambda p: {"title": "Budget freeze", "severity": "high", "likelihood": "low"}
    ),
    "accounts/<int:pk>/plan/reviews/add/": account_form(
        _planned, lambda p: {"held_on": _day(0), "attendees": "Kim, Mia"}
    ),
    "accounts/<int:pk>/plan/submit/": Page(
        kwargs=_planned,
        see=NOBODY,
        hidden=frozenset({"outsider"}),
        write=PLAN_WRITE,
        post=_workflow,
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "accounts/<int:pk>/plan/approve/": Page(
        kwargs=_submitted,
        see=NOBODY,
        hidden=frozenset({"outsider"}),
        write=DIRECTOR,
        post=_workflow,
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "accounts/<int:pk>/plan/return/": Page(
        kwargs=_submitted,
        see=NOBODY,
        hidden=frozenset({"outsider"}),
        write=DIRECTOR,
        post=_workflow,
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "accounts/<int:pk>/plan/versions/": account_page(_planned),
    "accounts/<int:pk>/plan/export.pdf": account_page(_planned),
    "accounts/<int:pk>/plan/export.xlsx": account_page(_planned),
    # --- Our people -------------------------------------------------------------------------------
    "people/": signed_in_page(),
    "people/lookup/": signed_in_page(),
    "people/<int:pk>/": signed_in_page(lambda p: {"pk": p.kam.pk}),
    # A person's API tokens: theirs (and a director's) to see and revoke, theirs only to make.
    "people/<int:pk>/tokens/": Page(
        kwargs=lambda p: {"pk": p.kam.pk},
        see=frozenset({"director", "kam"}),
        hidden=frozenset({"executive", "member", "outsider"}),
        write=frozenset({"kam"}),
        post=lambda p: {"name": "CRM sync"},
        exceptions={"post": {"kam": 200}},  # the new token is shown on the answer, once
    ),
    "people/<int:pk>/tokens/<int:token_pk>/revoke/": Page(
        kwargs=_kams_token,
        see=NOBODY,
        hidden=frozenset({"executive", "member", "outsider"}),
        write=frozenset({"director", "kam"}),
        post=lambda p: {},
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    # --- Programme settings -----------------------------------------------------------------------
    "programme/settings/": director_form(lambda p: {"key_accounts_per_kam_cap": 3, "reason": ""}),
    "programme/settings/positions/add/": director_form(
        lambda p: {"name": "Bid manager"}, post_only=True
    ),
    "programme/settings/business-units/add/": director_form(
        lambda p: {"name": "Logistics", "code": "LOG"}, post_only=True
    ),
    # --- Key account selection (director only) -------------------------------------------------
    "selection/assignment/": director_form(
        lambda p: {
            "statuses": ["pilot", "key_account"],
            "cover_all": "on",
            "industry": 0.15,
            "region": 0.1,
            "relationship": 0.2,
            "continuity": 0.1,
        }
    ),
    "selection/assignment/<int:id>/": Page(kwargs=_assignment_run, see=DIRECTOR),
    "selection/assignment/<int:id>/apply/": Page(
        kwargs=_assignment_run,
        see=DIRECTOR,
        write=DIRECTOR,
        post=lambda p: {"reason": "New territories"},
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "selection/assignment/<int:id>/discard/": Page(
        kwargs=_assignment_run,
        see=DIRECTOR,
        write=DIRECTOR,
        post=lambda p: {"reason": "Not now"},
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "selection/portfolio/": Page(see=frozenset({"director", "executive"})),
    "selection/portfolio/compute/": director_form(lambda p: {}, post_only=True),
    "selection/backtest/": Page(see=frozenset({"director", "executive"})),
    "selection/accounts/<int:pk>/": account_page(_account),
    "selection/accounts/<int:pk>/assess/": Page(
        kwargs=_account,
        hidden=frozenset({"outsider"}),
        write=frozenset({"director", "kam", "member"}),
        post=lambda p: {
            "integrate": 4,
            "dedicate_team": 3,
            "share_data": 2,
            "joint_funding": 3,
            "strategic_fit": 5,
            "comment": "",
        },
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    "selection/accounts/<int:pk>/decide/": Page(
        kwargs=_account,
        hidden=frozenset({"outsider"}),
        write=DIRECTOR,
        post=lambda p: {"decision": "selected", "reason": "Growth and partnership"},
        exceptions={"get": dict.fromkeys(SIGNED_IN, 405)},
    ),
    # --- Stakeholders, relationships and activity -------------------------------------------------
    "accounts/<int:pk>/stakeholders/": account_page(_account),
    "accounts/<int:pk>/stakeholders/new/": account_form(
        _account,
        lambda p: {"name": "Clara Chief", "seniority": 5, "influence": 4, "attitude": "neutral"},
    ),
    "accounts/<int:pk>/activity/": account_page(_account),
    "accounts/<int:pk>/relationship-map/": account_page(_account),
    "accounts/<int:pk>/interactions/new/": Page(
        kwargs=_account,
        see=TEAM_LOGGERS,
        hidden=frozenset({"outsider"}),
        write=TEAM_LOGGERS,
        post=_interaction_post,
    ),
    "stakeholders/<int:pk>/": account_page(_stakeholder),
    "stakeholders/<int:pk>/edit/": account_form(
        _stakeholder,
        lambda p: {"name": "Frank Finance", "seniority": 4, "influence": 5, "attitude": "mentor"},
    ),
    "stakeholders/<int:pk>/owners/": account_form(
        _stakeholder, lambda p: {"user": p.kam.pk, "is_primary": "on", "assessment": 60}
    ),
    "relationships/settings/": director_form(
        lambda p: {
            "weight_recency": 30,
            "weight_frequency": 25,
            "weight_two_way": 15,
            "weight_depth": 20,
            "weight_seniority": 10,
            "half_life_days": 60,
            "frequency_target": 6,
            "weak_below": 40,
            "cold_after_days": 90,
            "single_thread_share": 60,
        }
    ),
    "notifications/": signed_in_page(),
    "notifications/<int:pk>/add-to-team/": alert_action(lambda p: {}),
    "notifications/<int:pk>/dismiss/": alert_action(lambda p: {"reason": "Known partner"}),
    # --- Revenue and imports (issue 5) -----------------------------------------------------------
    "revenue/accounts/<int:pk>/": account_page(_account),
    # A tab its readers see, with a form its owner and directors post.
    "revenue/accounts/<int:pk>/whitespace/": Page(
        kwargs=_account,
        see=ACCOUNT_READERS,
        hidden=frozenset({"outsider"}),
        write=OWNER_OR_DIRECTOR,
        post=_whitespace_cell,
    ),
    "revenue/pricing-check/": Page(see=frozenset({"director", "executive"})),
    "imports/": Page(see=DIRECTOR),
    "imports/new/": director_form(_upload),
    "imports/<int:pk>/": Page(kwargs=_import_run, see=DIRECTOR),
    # Step 1 of a mapping reads the sample and shows step 2 (200); nothing is saved until then.
    "imports/mappings/new/": Page(
        see=DIRECTOR,
        write=DIRECTOR,
        post=_mapping_sample,
        changes_data=False,
        exceptions={"post": {"director": 200}},
    ),
    "imports/<int:pk>/rejected.csv": Page(kwargs=_import_run, see=DIRECTOR),
    # --- The API's own pages (its endpoints: tests/api/test_permissions.py) ----------------------
    "api/v1/openapi.json": public_page(post=200),
    "api/v1/docs": public_page(post=200),
    "api/v1/": public_page(get=404, post=404),
    "api/v1/<path:rest>": public_page(get=404, post=404, kwargs=lambda p: {"rest": "nowhere"}),
}


# --- The admin site: one rule for every page of it -----------------------------------------------

ADMIN_PREFIX = "admin/"


def admin_expected(method: str, persona: str) -> int | None:
    """Nobody but a director gets past the admin's door: the others are sent to sign in (302),
    whatever the page and method. A director gets what the page's ModelAdmin gives (not
    asserted here beyond "no server error"; tested in accountable/core/tests/test_admin.py)."""
    if persona == "director":
        return None
    return 302
