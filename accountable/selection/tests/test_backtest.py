"""The backtest: the model's picks against past revenue's, on what happened next."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from accountable.accounts import services as account_services
from accountable.core.errors import ValidationFailed
from accountable.selection.backtest import compare, model_rank
from accountable.selection.facts import revenue_model
from accountable.selection.services import backtest_run

HAS_REVENUE = apps.is_installed("accountable.revenue")


def test_each_group_takes_its_top_n_and_says_what_came_next():
    before = {1: 100.0, 2: 80.0, 3: 10.0, 4: 5.0, 5: 0.0}
    after = {1: 50.0, 2: 0.0, 3: 30.0, 4: 20.0}
    ranks = {1: 3.0, 2: 2.0, 3: 9.0, 4: 8.0, 5: 10.0}  # 5 bought nothing before: not eligible
    labels = {a: (f"C{a}", f"Customer {a}") for a in before}

    by_model, by_revenue = compare(ranks=ranks, before=before, after=after, labels=labels, top=2)

    assert [p.label for p in by_model.picks] == ["C3", "C4"]
    assert [p.label for p in by_revenue.picks] == ["C1", "C2"]
    assert (by_model.before, by_model.after, by_model.growth_pct) == (
        15.0,
        50.0,
        pytest.approx(233.33, 0.01),
    )
    assert (by_revenue.before, by_revenue.after, by_revenue.churned) == (180.0, 50.0, 1)
    accounts = by_revenue.as_dict()["accounts"]
    assert isinstance(accounts, list)
    assert accounts[1] == {
        "external_id": "C2",
        "name": "Customer 2",
        "revenue_before": 80.0,
        "revenue_after": 0.0,
        "growth_pct": -100.0,
    }


def test_the_model_ranks_by_the_axes_it_could_score():
    assert model_rank(8, 4) == 6
    assert model_rank(None, 4) == 4
    assert model_rank(None, None) is None


@pytest.mark.skipif(not HAS_REVENUE, reason="needs the revenue app (issue 5)")
def test_a_backtest_uses_only_data_before_the_cut_off(programme, capsys):
    rollup = revenue_model("MonthlyRollup")
    steady = account_services.account_create(
        actor=programme.director, name="Steady", external_ids=[("erp", "S-1")]
    )
    rising = account_services.account_create(
        actor=programme.director, name="Rising", external_ids=[("erp", "R-1")]
    )

    def sales(account, month, amount):
        rollup.objects.create(account=account, month=month, revenue=Decimal(amount))

    # Steady bought a lot once a year; Rising a little every month, and more after the cut-off.
    sales(steady, dt.date(2010, 3, 1), "1000")
    sales(steady, dt.date(2009, 3, 1), "1000")
    for m in range(1, 13):
        sales(rising, dt.date(2010, m, 1), "40")
        sales(rising, dt.date(2011, m, 1), "90")
    sales(steady, dt.date(2011, 3, 1), "400")

    result = backtest_run(cutoff=dt.date(2011, 1, 1), top=1)

    assert [p.label for p in result.by_revenue.picks] == ["S-1"]
    assert result.by_revenue.picks[0].before == 1000 and result.by_revenue.picks[0].after == 400
    assert [p.label for p in result.by_model.picks] == ["R-1"]  # growth and frequency
    assert result.by_model.after == 1080
    call_command("backtest", "--cutoff", "2011-01-01", "--top", "1", "--json")
    assert '"external_id": "R-1"' in capsys.readouterr().out


@pytest.mark.skipif(not HAS_REVENUE, reason="needs the revenue app (issue 5)")
def test_a_cut_off_in_the_middle_of_a_month_is_refused(programme):
    with pytest.raises(ValidationFailed, match="first day of a month"):
        backtest_run(cutoff=dt.date(2011, 1, 15), top=5)


def test_the_backtest_page_asks_for_a_cut_off_and_refuses_a_bad_one(login, programme):
    client = login(programme.executive)

    empty = client.get("/selection/backtest/")
    bad = client.get("/selection/backtest/?cutoff=2011-01-15&top=0&months=12")

    assert empty.status_code == 200 and "Run the backtest" in empty.content.decode()
    page = bad.content.decode()
    assert bad.status_code == 200
    assert "greater than or equal to 1" in page
    assert login(programme.kam).get("/selection/backtest/").status_code == 403
