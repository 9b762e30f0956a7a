"""Monthly rollups follow the sales lines; the Revenue tab reads them, for an account and its
global account (parent and subsidiaries)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountable.accounts import services as account_services
from accountable.people.models import BusinessUnit
from accountable.revenue.models import MonthlyRollup, ProductLine, SalesLine
from accountable.revenue.selectors import revenue_summary_for_account
from accountable.revenue.services import rollup_refresh


def sale(account, day: str, amount: str, invoice: str, line: str = "1", **extra) -> SalesLine:
    return SalesLine.objects.create(
        account=account,
        date=dt.date.fromisoformat(day),
        source="test",
        invoice=invoice,
        line=line,
        amount=Decimal(amount),
        **extra,
    )


def test_rollups_sum_lines_per_month_product_line_and_business_unit(programme):
    # given
    bu = BusinessUnit.objects.get(code="IND")
    resins = ProductLine.objects.create(name="Resins")
    acme = programme.account
    sale(acme, "2024-01-05", "100.25", "A1", product_line=resins, business_unit=bu)
    sale(acme, "2024-01-20", "50.10", "A2", product_line=resins, business_unit=bu)
    sale(acme, "2024-01-20", "-20.00", "C1", product_line=resins, business_unit=bu)
    sale(acme, "2024-02-01", "7.00", "A3")

    # when
    rollup_refresh(account_ids=[acme.pk])

    # then
    rows = sorted(
        MonthlyRollup.objects.filter(account=acme).values_list(
            "month", "product_line__name", "revenue", "orders", "lines"
        )
    )
    assert rows == [
        (dt.date(2024, 1, 1), "Resins", Decimal("130.3500"), 3, 3),
        (dt.date(2024, 2, 1), None, Decimal("7.0000"), 1, 1),
    ]


def test_a_refresh_replaces_the_accounts_rollups_and_leaves_others_alone(programme):
    # given
    acme, globex = programme.account, programme.other_account
    sale(acme, "2024-01-05", "100", "A1")
    sale(globex, "2024-01-05", "40", "G1")
    rollup_refresh()
    SalesLine.objects.filter(invoice="A1").update(amount=Decimal("60"))
    SalesLine.objects.filter(invoice="G1").update(amount=Decimal("1"))

    # when
    rollup_refresh(account_ids=[acme.pk])

    # then
    assert MonthlyRollup.objects.get(account=acme).revenue == Decimal("60")
    assert MonthlyRollup.objects.get(account=globex).revenue == Decimal("40")


def test_revenue_adds_up_the_global_account_tree(programme):
    # given
    acme = programme.account
    child = account_services.account_create(
        actor=programme.director, name="Acme Iberia", parent=acme
    )
    grandchild = account_services.account_create(
        actor=programme.director, name="Acme Porto", parent=child
    )
    sale(acme, "2023-03-01", "100", "A1")
    sale(child, "2023-04-01", "10", "B1")
    sale(grandchild, "2024-01-01", "1", "C1")
    rollup_refresh()

    # when
    summary = revenue_summary_for_account(account=acme, user=programme.director)

    # then
    assert summary.total == Decimal("100.00")
    assert summary.tree_total == Decimal("111.00")
    assert summary.by_year == [
        (2023, Decimal("100.00"), Decimal("110.00")),
        (2024, Decimal("0.00"), Decimal("1.00")),
    ]
    assert [q for q, _, _ in summary.by_quarter] == ["2023 Q1", "2023 Q2", "2024 Q1"]
    assert [(c.name, total) for c, total in summary.subsidiaries] == [
        ("Acme Iberia", Decimal("11.00"))
    ]


def test_the_revenue_tab_shows_the_figures_in_a_fixed_number_of_queries(client, programme):
    # given
    for i in range(30):
        sale(programme.account, f"2024-{i % 12 + 1:02d}-01", "10", f"A{i}")
    rollup_refresh()
    client.force_login(programme.member)
    url = reverse("revenue:account", args=[programme.account.pk])
    client.get(url)

    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    # then
    assert response.status_code == 200
    assert b'data-testid="revenue-total">300.00<' in response.content
    assert b'id="revenue-chart-data"' in response.content
    assert b"<script>" not in response.content  # data only, via json_script
    assert len(queries) == 13  # session, user, access, owner, tree, 4 revenue, 1 pipeline, …
