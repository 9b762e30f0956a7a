import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accountable.history.models import Event
from accountable.plans import services
from accountable.plans.models import AccountPlan, Objective, PlanAction, PlanStatus

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _url(name: str, programme, *args) -> str:
    return reverse(f"plans:{name}", args=[programme.account.pk, *args])


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_an_account_without_a_plan_offers_its_owner_to_start_one(programme, login) -> None:
    # when
    kam = login(programme.kam).get(_url("detail", programme))

    # then
    assert kam.status_code == 200
    assert b'data-testid="plan-empty"' in kam.content
    assert _url("start", programme).encode() in kam.content


def test_starting_a_plan_from_the_form(programme, login) -> None:
    response = login(programme.kam).post(_url("start", programme), {"title": "Acme 2027"})
    assert response.status_code == 302
    assert AccountPlan.objects.get().title == "Acme 2027"


def test_the_plan_tab_shows_progress_and_highlights_overdue_actions(
    programme, plan_world, login
) -> None:
    # given: an action of the member's past its date
    PlanAction.objects.filter(pk=plan_world.action.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3)
    )

    # when
    response = login(programme.member).get(_url("detail", programme))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="overdue"' in html
    assert 'class="table-danger"' in html
    assert '<span class="small text-muted" data-testid="overdue-count">' not in html
    assert "1 overdue" in html
    assert "Still empty: Strategic priorities" in html  # only the business model is written


def _grow(plan_world, programme, objectives: int, actions_each: int) -> None:
    today = timezone.localdate()
    for n in range(objectives):
        objective = services.objective_create(
            plan=plan_world.plan,
            actor=programme.kam,
            title=f"Objective {n}",
            metric="Revenue",
            baseline="1",
            target="2",
            due_on=today + dt.timedelta(days=90),
        )
        initiative = services.initiative_create(
            objective=objective, actor=programme.kam, title=f"Initiative {n}"
        )
        for m in range(actions_each):
            services.action_create(
                initiative=initiative,
                actor=programme.kam,
                title=f"Action {n}.{m}",
                owner=programme.member,
                due_on=today,
            )


def test_the_plan_tab_costs_the_same_queries_whatever_the_plans_size(
    programme, plan_world, login
) -> None:
    # given
    client = login(programme.kam)
    client.get(_url("detail", programme))  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(_url("detail", programme))

    # when
    _grow(plan_world, programme, objectives=4, actions_each=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(_url("detail", programme))

    # then
    assert response.content.decode().count('data-testid="action-row"') == 21
    assert len(large) == len(small)


def test_a_stale_save_of_the_analysis_is_refused_and_keeps_the_users_text(
    programme, plan_world, login
) -> None:
    # given: the director saved while the KAM had the form open at version 1
    plan = plan_world.plan
    services.plan_update(
        plan=plan, actor=programme.director, data={"competitors": "Dow"}, expected_version=1
    )
    data = {
        "version": 1,
        "title": plan.title,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "review_cadence_days": 91,
        "competitors": "BASF and Evonik",
    }

    # when
    response = login(programme.kam).post(_url("edit", programme), data)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in html
    assert "BASF and Evonik" in html  # their text, kept in the form
    assert 'data-testid="conflicts"' in html and "Dow" in html
    assert 'name="version" value="2"' in html
    assert AccountPlan.objects.get().competitors == "Dow"


def test_an_objective_form_error_is_shown_and_nothing_is_saved(
    programme, plan_world, login
) -> None:
    events = Event.objects.count()
    response = login(programme.kam).post(
        _url("objective_add", programme),
        {
            "title": "Flat",
            "metric": "Revenue",
            "baseline": "5",
            "target": "5",
            "due_on": timezone.localdate().isoformat(),
            "indicator": "lag",
        },
    )
    assert response.status_code == 200
    assert "The target must differ from the baseline" in response.content.decode()
    assert Objective.objects.count() == 1
    assert Event.objects.count() == events


def test_adding_an_action_through_htmx(programme, plan_world, login) -> None:
    client = login(programme.kam)
    url = _url("action_add", programme, plan_world.initiative.pk)

    # when: the inline form is fetched, then posted empty, then posted right
    form = client.get(url, headers=HTMX)
    invalid = client.post(url, {"title": ""}, headers=HTMX)
    valid = client.post(
        url,
        {"title": "Plant visit", "owner": programme.member.pk, "due_on": "2030-01-10"},
        headers=HTMX,
    )

    # then
    assert form.status_code == 200 and b"<html" not in form.content
    assert b'hx-post="' + url.encode() in form.content
    assert invalid.status_code == 200 and b"This field is required." in invalid.content
    assert valid.status_code == 200 and valid["HX-Redirect"] == _url("detail", programme)
    assert PlanAction.objects.filter(title="Plant visit", owner=programme.member).exists()


def test_an_action_owned_by_an_outsider_of_the_team_is_a_form_error(
    programme, plan_world, login
) -> None:
    response = login(programme.kam).post(
        _url("action_add", programme, plan_world.initiative.pk),
        {"title": "Call", "owner": programme.outsider.pk, "due_on": "2030-01-10"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PlanAction.objects.filter(title="Call").exists()


def test_a_team_member_completes_their_own_action_through_htmx(
    programme, plan_world, login
) -> None:
    response = login(programme.member).post(
        _url("action_status", programme, plan_world.action.pk), {"status": "done"}, headers=HTMX
    )
    assert response.status_code == 200
    assert b'<tr id="action-' in response.content
    action = PlanAction.objects.get(pk=plan_world.action.pk)
    assert action.status == "done"
    assert Event.objects.filter(object_type="plans.planaction", actor=programme.member).exists()


def test_a_team_member_cannot_change_someone_elses_action(programme, plan_world, login) -> None:
    kams = services.action_create(
        initiative=plan_world.initiative,
        actor=programme.kam,
        title="Kim's call",
        owner=programme.kam,
        due_on=timezone.localdate(),
    )
    response = login(programme.member).post(
        _url("action_status", programme, kams.pk), {"status": "done"}
    )
    assert response.status_code == 403
    assert PlanAction.objects.get(pk=kams.pk).status == "open"


def test_submit_approve_and_compare_two_versions(programme, plan_world, login) -> None:
    kam = login(programme.kam)
    kam.post(_url("submit", programme), {"version": 1, "comment": "First cut"})
    director = login(programme.director)
    director.post(_url("approve", programme), {"version": 2, "comment": "Go"})
    services.plan_update(
        plan=plan_world.plan,
        actor=programme.kam,
        data={"competitors": "Dow"},
        expected_version=3,
    )
    services.plan_submit(plan=plan_world.plan, actor=programme.kam)
    director.post(_url("approve", programme), {"version": 5, "comment": ""})

    # when
    response = login(programme.member).get(_url("versions", programme), {"left": 1, "right": 2})

    # then
    html = response.content.decode()
    assert AccountPlan.objects.get().status == PlanStatus.APPROVED
    assert "1 difference between version 1 and version 2." in html
    assert '<tr class="table-warning" data-change="changed">' in html
    assert "Dow" in html


def test_a_kam_cannot_approve_their_own_plan(programme, plan_world, login) -> None:
    services.plan_submit(plan=plan_world.plan, actor=programme.kam)
    response = login(programme.kam).post(_url("approve", programme), {"version": 2})
    assert response.status_code == 403
    assert AccountPlan.objects.get().status == PlanStatus.SUBMITTED


def test_the_pdf_has_the_objectives_and_the_customer_version_leaves_risks_out(
    programme, plan_world, login
) -> None:
    # given
    services.risk_create(plan=plan_world.plan, actor=programme.kam, title="Budget freeze")
    services.plan_update(
        plan=plan_world.plan,
        actor=programme.kam,
        data={"competitors": "Dow Chemical", "value_proposition": "Fewer line stops"},
        expected_version=1,
    )
    client = login(programme.member)

    # when
    internal = client.get(_url("export_pdf", programme))
    customer = client.get(_url("export_pdf", programme), {"audience": "customer"})

    # then
    assert internal["Content-Type"] == "application/pdf"
    text = _pdf_text(internal.content)
    assert "Grow share of wallet" in text
    assert "Send samples" in text
    assert "Budget freeze" in text
    assert "Dow Chemical" in text
    assert "Kim Owner" in text  # our side of the relationship
    shared = _pdf_text(customer.content)
    assert "Grow share of wallet" in shared and "Fewer line stops" in shared
    assert "Budget freeze" not in shared
    assert "Dow Chemical" not in shared


def test_the_workbook_lists_objectives_initiatives_and_actions(
    programme, plan_world, login
) -> None:
    PlanAction.objects.filter(pk=plan_world.action.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    response = login(programme.kam).get(_url("export_xlsx", programme))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Objectives", "Initiatives", "Actions"]
    objective = [c.value for c in book["Objectives"][2]]
    assert objective[1:7] == ["Grow share of wallet", "Share of wallet", "%", 12, 20, None]
    action = [c.value for c in book["Actions"][2]]
    assert action[3:5] == ["Send samples", "Mia Member"]
    assert action[6:] == ["Open", "yes"]


def test_overdue_reviews_show_to_the_owner_and_the_director_not_the_team(
    programme, plan_world, login
) -> None:
    # given
    AccountPlan.objects.update(next_review_on=timezone.localdate() - dt.timedelta(days=5))
    url = reverse("plans:list")

    # when
    pages = {
        who: login(getattr(programme, who)).get(url).content.decode()
        for who in ("director", "kam", "member")
    }

    # then
    assert 'data-testid="overdue-reviews"' in pages["director"]
    assert 'data-testid="overdue-reviews"' in pages["kam"]
    assert 'data-testid="overdue-reviews"' not in pages["member"]
    assert "Acme Industries" in pages["member"]  # the plan is listed, not chased


def test_the_directors_guiding_question_shows_on_every_plan(programme, plan_world, login) -> None:
    # given
    response = login(programme.director).post(
        reverse("plans:template"),
        {"review_cadence_days": 60, "q_competitors": "Who else do they buy resins from?"},
    )

    # when
    page = login(programme.kam).get(_url("detail", programme)).content.decode()
    form = login(programme.kam).get(_url("edit", programme)).content.decode()

    # then
    assert response.status_code == 302
    assert "Who else do they buy resins from?" in page
    assert "Who else do they buy resins from?" in form
    assert Event.objects.filter(object_type="plans.plansettings", actor=programme.director)


def test_a_template_question_too_long_is_a_form_error(programme, login) -> None:
    response = login(programme.director).post(
        reverse("plans:template"), {"review_cadence_days": 60, "q_competitors": "x" * 501}
    )
    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()


def test_a_delegate_named_by_the_director_approves_a_plan(programme, plan_world, login) -> None:
    # given: the executive is named a delegate; the KAM submits
    named = login(programme.director).post(
        reverse("plans:template"),
        {"review_cadence_days": 91, "approvers": [programme.executive.pk]},
    )
    services.plan_submit(plan=plan_world.plan, actor=programme.kam)

    # when
    page = login(programme.executive).get(_url("detail", programme)).content.decode()
    response = login(programme.executive).post(_url("approve", programme), {"version": 2})

    # then
    assert named.status_code == 302
    assert 'data-testid="approve-plan"' in page
    assert response.status_code == 302
    assert AccountPlan.objects.get().status == PlanStatus.APPROVED
    assert Event.objects.filter(object_type="plans.planapprover", actor=programme.director)
