"""Scoring models, computing scores, and the portfolio matrix page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from accountable.accounts import services as account_services
from accountable.core.errors import Forbidden, ValidationFailed
from accountable.selection.models import AccountScore, ScoringModel
from accountable.selection.scoring import Factor
from accountable.selection.services import (
    partnership_assessment_save,
    scores_compute,
    scoring_model_active,
    scoring_model_create,
)

SIMPLE = [
    Factor("customer_revenue", "attractiveness", 100),
    Factor("willingness", "strength", 100, "thresholds", (1.5, 2, 2.5, 3, 3.5, 4, 4.25, 4.5, 4.75)),
]
TODAY = dt.date.today()


@pytest.fixture
def scored(programme):
    p = programme
    revenues = ((p.account, Decimal("5000000000")), (p.other_account, Decimal("200000000")))
    for account, revenue in revenues:
        account_services.account_update(
            account=account, actor=p.director, data={"annual_revenue": revenue}
        )
    answers = {
        "integrate": 5,
        "dedicate_team": 5,
        "share_data": 4,
        "joint_funding": 4,
        "strategic_fit": 5,
    }
    partnership_assessment_save(account=p.account, assessor=p.kam, answers=answers)
    model = scoring_model_create(actor=p.director, name="Ours", factors=SIMPLE)
    scores_compute(model=model, as_of=TODAY)
    return p, model


def test_a_new_version_of_a_model_becomes_the_active_one_and_the_old_stays(programme):
    first = scoring_model_create(actor=programme.director, name="Ours", factors=SIMPLE)
    second = scoring_model_create(actor=programme.director, name="Ours", factors=SIMPLE[::-1])

    first.refresh_from_db()
    assert (first.version, first.is_active) == (1, False)
    assert (second.version, second.is_active) == (2, True)
    assert scoring_model_active() == second


def test_a_model_whose_weights_do_not_add_up_is_refused_with_each_problem(programme):
    with pytest.raises(ValidationFailed) as refused:
        scoring_model_create(
            actor=programme.director,
            name="Bad",
            factors=[Factor("customer_revenue", "attractiveness", 60)],
        )
    assert set(refused.value.errors) == {"attractiveness", "strength"}
    assert not ScoringModel.objects.exists()


def test_only_a_director_changes_the_model(programme):
    with pytest.raises(Forbidden):
        scoring_model_create(actor=programme.kam, name="Mine", factors=SIMPLE)


def test_scores_are_explained_and_recomputing_replaces_them(scored):
    p, model = scored

    acme = AccountScore.objects.get(model=model, account=p.account, as_of=TODAY)
    # revenue: one of the two accounts with a figure is below it (half: 6 points); Initech has
    # none and is left out of the ranking
    assert acme.attractiveness == 6
    assert acme.strength == 9  # willingness 4.6 passes eight of the nine cut points
    explained = {c["key"]: c for c in acme.contributions}
    assert explained["willingness"]["value"] == pytest.approx(4.6)
    assert explained["customer_revenue"]["value"] == pytest.approx(5000.0)

    count = AccountScore.objects.count()
    scores_compute(model=model, as_of=TODAY)
    assert AccountScore.objects.count() == count


def test_the_portfolio_page_plots_the_scored_accounts(login, scored):
    p, _ = scored

    page = login(p.executive).get("/selection/portfolio/").content.decode()

    assert 'id="portfolio-data"' in page and "Acme Industries" in page
    assert "Score every account now" not in page  # an executive reads, does not compute


def test_scoring_from_the_page_runs_in_the_background(
    login, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(programme.director).post("/selection/portfolio/compute/")

    assert response.status_code == 302
    assert AccountScore.objects.filter(as_of=TODAY).count() == 3


def test_the_score_command_scores_every_account(programme, capsys):
    call_command("score", "--as-of", TODAY.isoformat())

    assert "Scored 3 accounts by Default v1" in capsys.readouterr().out
    assert AccountScore.objects.count() == 3
