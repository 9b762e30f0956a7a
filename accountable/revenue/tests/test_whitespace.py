"""The whitespace matrix: cells set by the account's owner, current revenue from the rollups,
untapped potential, and what similar accounts buy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accountable.accounts.models import BuyingCentre
from accountable.core.errors import ValidationFailed
from accountable.history.models import Event
from accountable.revenue.models import ProductLine, SalesLine, WhitespaceCell
from accountable.revenue.selectors import whitespace_for_account
from accountable.revenue.services import rollup_refresh, whitespace_cell_set


def test_the_matrix_adds_current_revenue_and_untapped_potential(programme):
    # given
    resins = ProductLine.objects.create(name="Resins")
    ProductLine.objects.create(name="Coatings")
    plant = BuyingCentre.objects.create(account=programme.account, name="Ludwigshafen plant")
    whitespace_cell_set(
        account=programme.account,
        product_line=resins,
        buying_centre=plant,
        actor=programme.kam,
        status="deployed",
        potential=D("1000"),
    )
    SalesLine.objects.create(
        account=programme.account,
        date=dt.date(2024, 6, 1),
        source="t",
        invoice="1",
        line="1",
        amount=D("300"),
        product_line=resins,
    )
    rollup_refresh()

    # when
    ws = whitespace_for_account(account=programme.account)

    # then
    assert [c.name if c else None for c in ws.columns] == [None, "Ludwigshafen plant"]
    rows = {r.product_line.name: (r.current, r.potential, r.untapped) for r in ws.rows}
    assert rows == {
        "Coatings": (D("0.00"), D("0.00"), D("0.00")),
        "Resins": (D("300.00"), D("1000.00"), D("700.00")),
    }
    assert ws.untapped == D("700.00")


def test_a_competitor_cell_must_name_the_competitor(programme):
    line = ProductLine.objects.create(name="Resins")
    with pytest.raises(ValidationFailed, match="Name the competitor"):
        whitespace_cell_set(
            account=programme.account,
            product_line=line,
            buying_centre=None,
            actor=programme.kam,
            status="competitor",
        )
    assert not WhitespaceCell.objects.exists()


def test_setting_a_cell_on_the_page_is_recorded_in_history(client, programme):
    # given
    line = ProductLine.objects.create(name="Resins")
    client.force_login(programme.kam)

    # when
    response = client.post(
        reverse("revenue:whitespace", args=[programme.account.pk]),
        {"product_line": line.pk, "status": "competitor", "competitor": "Dow", "potential": "50"},
    )

    # then
    assert response.status_code == 302
    cell = WhitespaceCell.objects.get()
    assert (cell.status, cell.competitor, cell.potential) == ("competitor", "Dow", D("50"))
    event = Event.objects.get(object_type="revenue.whitespacecell")
    assert event.account_id == programme.account.pk
    assert event.actor == programme.kam


def test_similar_accounts_products_are_suggested(programme):
    # given: another chemicals account buys coatings; Acme does not
    from accountable.accounts.services import account_create

    peer = account_create(actor=programme.director, name="BASF", industry="Chemicals")
    coatings = ProductLine.objects.create(name="Coatings")
    SalesLine.objects.create(
        account=peer,
        date=dt.date(2024, 6, 1),
        source="t",
        invoice="9",
        line="1",
        amount=D("10"),
        product_line=coatings,
    )
    rollup_refresh()

    # when
    ws = whitespace_for_account(account=programme.account)

    # then
    assert [(line.name, n, peers) for line, n, peers in ws.suggestions] == [("Coatings", 1, 1)]
