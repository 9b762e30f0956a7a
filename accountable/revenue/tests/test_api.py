"""The revenue API serves the same figures as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client

from accountable.people.services import api_token_create
from accountable.revenue.models import Opportunity, OpportunityStage, SalesLine
from accountable.revenue.services import rollup_refresh


def _client(user) -> Client:
    _, secret = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_an_accounts_revenue_and_opportunities_come_from_the_api(programme):
    # given
    SalesLine.objects.create(
        account=programme.account,
        date=dt.date(2024, 2, 3),
        source="t",
        invoice="1",
        line="1",
        amount=Decimal("12.5"),
    )
    SalesLine.objects.create(
        account=programme.account,
        date=dt.date(2024, 8, 3),
        source="t",
        invoice="2",
        line="1",
        amount=Decimal("7.5"),
    )
    rollup_refresh()
    stage = OpportunityStage.objects.create(name="Proposal", order=3, probability=50)
    Opportunity.objects.create(
        account=programme.account,
        name="Line 4 retrofit",
        stage=stage,
        amount=Decimal("90000"),
        close_date=dt.date(2025, 1, 31),
    )
    client = _client(programme.member)

    # when
    revenue = client.get(f"/api/v1/accounts/{programme.account.pk}/revenue").json()
    opportunities = client.get(f"/api/v1/accounts/{programme.account.pk}/opportunities").json()
    rollups = client.get(f"/api/v1/accounts/{programme.account.pk}/monthly-rollups").json()

    # then
    assert revenue["total"] == "20.00"
    assert [(q["quarter"], q["revenue"]) for q in revenue["by_quarter"]] == [
        ("2024 Q1", "12.50"),
        ("2024 Q3", "7.50"),
    ]
    assert [(o["name"], o["stage"], o["amount"]) for o in opportunities] == [
        ("Line 4 retrofit", "Proposal", "90000.00")
    ]
    assert rollups["count"] == 2


def test_the_programme_opportunities_are_only_those_of_visible_accounts(programme):
    # given
    stage = OpportunityStage.objects.create(name="Proposal")
    Opportunity.objects.create(account=programme.account, name="Mine", stage=stage)
    Opportunity.objects.create(account=programme.other_account, name="Theirs", stage=stage)

    # when
    items = _client(programme.member).get("/api/v1/opportunities/").json()["items"]

    # then
    assert [o["name"] for o in items] == ["Mine"]
