"""The KAM assignment pages and the `accountable assign` command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountable.accounts.models import Ownership
from accountable.accounts.services import account_create
from accountable.selection.models import AssignmentRun, RunStatus
from accountable.selection.services import assignment_run_create

FORM = {
    "statuses": ["pilot", "key_account"],
    "cover_all": "on",
    "industry": "0.15",
    "region": "0.1",
    "relationship": "0.2",
    "continuity": "0.1",
}


def test_the_director_runs_an_assignment_and_sees_its_proposal(login, programme):
    client = login(programme.director)

    response = client.post("/selection/assignment/", FORM, follow=True)

    run = AssignmentRun.objects.get()
    assert response.redirect_chain[-1][0] == f"/selection/assignment/{run.pk}/"
    page = response.content.decode()
    assert "Acme Industries" in page and "Globex" in page
    assert "is ready: review it" in page
    assert 'data-testid="run-status">Proposed' in page


def test_bad_weights_get_form_errors_and_no_run(login, programme):
    client = login(programme.director)

    response = client.post("/selection/assignment/", {**FORM, "industry": "-1", "statuses": []})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 0" in page
    assert "This field is required" in page
    assert not AssignmentRun.objects.exists()


def test_an_impossible_assignment_says_why_on_the_form(login, programme):
    account_create(actor=programme.director, name="Hooli", programme_status="candidate")
    client = login(programme.director)

    response = client.post(
        "/selection/assignment/", {**FORM, "statuses": ["candidate", "pilot", "key_account"]}
    )

    assert response.status_code == 200
    assert "but room for only" in response.content.decode()
    assert not AssignmentRun.objects.exists()


def test_applying_from_the_page_needs_a_reason_then_applies(login, programme):
    run = assignment_run_create(actor=programme.director)
    client = login(programme.director)

    refused = client.post(f"/selection/assignment/{run.pk}/apply/", {"reason": ""})
    applied = client.post(f"/selection/assignment/{run.pk}/apply/", {"reason": "Go"})

    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    assert applied.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED


def test_the_run_page_takes_a_fixed_number_of_queries(login, programme):
    run = assignment_run_create(actor=programme.director)
    client = login(programme.director)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/selection/assignment/{run.pk}/")

    assert response.status_code == 200
    assert len(queries) <= 6, [q["sql"] for q in queries]


def test_a_run_that_does_not_exist_is_404(login, programme):
    assert login(programme.director).get("/selection/assignment/999999/").status_code == 404


def test_the_command_prints_the_proposal_and_applies_it_with_a_reason(programme, capsys):
    call_command("assign", "--as", "director", "--apply", "--reason", "Quarterly review")

    out = capsys.readouterr().out
    assert "KAM assignment #" in out and "Applied: 0 owner(s) changed." in out
    assert AssignmentRun.objects.get().status == RunStatus.APPLIED
    assert Ownership.objects.filter(ended_at__isnull=True).count() == 2


def test_the_command_refuses_apply_without_a_reason(programme):
    with pytest.raises(CommandError, match="--apply needs --reason"):
        call_command("assign", "--apply")
    assert not AssignmentRun.objects.exists()


def test_the_demo_tells_the_selection_story(db, capsys):
    from accountable.selection.models import (
        AccountScore,
        PartnershipAssessment,
        SelectionDecision,
    )

    call_command("demo")

    assert PartnershipAssessment.objects.values("account").distinct().count() == 16
    assert SelectionDecision.objects.filter(decision="selected").count() == 16
    assert AccountScore.objects.count() == 400
    assert AssignmentRun.objects.get().status == RunStatus.PROPOSED


def test_a_key_account_list_beyond_the_kams_room_is_warned_about(login, programme):
    client = login(programme.director)
    assert "capacity-warning" not in client.get("/selection/assignment/").content.decode()
    hooli = account_create(actor=programme.director, name="Hooli", programme_status="candidate")
    from accountable.accounts.services import account_change_status

    account_change_status(
        account=hooli,
        actor=programme.director,
        to_status="pilot",
        reason="Pilot",
        owner=programme.kam,
        cap_override_reason="Exception",
    )

    page = client.get("/selection/assignment/").content.decode()

    assert "capacity-warning" in page and "3 pilot and key accounts for 2 KAMs" in page
