"""The key-account pricing check: volume-weighted medians per group, flags, the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accountable.revenue.models import Product, SalesLine
from accountable.revenue.pricing import KEY, OTHER, pricing_check, weighted_quantile
from accountable.revenue.selectors import pricing_check_for_user


def test_the_weighted_median_is_the_price_half_the_quantity_was_bought_below():
    assert weighted_quantile([(D("10"), D("1")), (D("8"), D("5")), (D("9"), D("1"))], 0.5) == D("8")
    assert weighted_quantile([(D("1"), D("1")), (D("2"), D("1"))], 0.5) == D("1")
    assert weighted_quantile([(D("1"), D("1")), (D("2"), D("3"))], 0.75) == D("2")


def test_a_product_is_flagged_when_others_pay_no_more_than_key_accounts():
    # given: product 1, key accounts pay 10, others 9; product 2, key 10, others 12
    rows = [
        (1, KEY, D("10"), D("100"), 5),
        (1, OTHER, D("9"), D("10"), 4),
        (2, KEY, D("10"), D("100"), 5),
        (2, OTHER, D("12"), D("10"), 4),
        (3, KEY, D("10"), D("100"), 5),  # bought by key accounts only: not compared
    ]

    # when
    checks = pricing_check(rows)

    # then
    assert [(c.product_id, c.flagged, c.gap_pct) for c in checks] == [
        (1, True, D("-10.0")),
        (2, False, D("20.0")),
    ]
    assert checks[0].key.quantity == D("100")
    assert checks[0].other.lines == 4


def test_too_few_lines_in_a_group_leave_a_product_out():
    assert pricing_check([(1, KEY, D("10"), D("1"), 2), (1, OTHER, D("9"), D("1"), 5)]) == []


def _line(account, product, price: str, qty: str, n: int) -> SalesLine:
    return SalesLine.objects.create(
        account=account,
        product=product,
        date=dt.date(2024, 5, 1),
        source="t",
        invoice=f"{account.pk}-{product.pk}-{n}",
        line="1",
        unit_price=D(price),
        quantity=D(qty),
        amount=D(price) * D(qty),
    )


def test_the_check_compares_key_accounts_with_everyone_else(programme):
    # given: the key account pays 10 for a mug; the prospect pays 8
    mug = Product.objects.create(source="t", code="MUG", name="Mug")
    for n in range(3):
        _line(programme.account, mug, "10", "50", n)
        _line(programme.prospect, mug, "8", "2", n)

    # when
    report = pricing_check_for_user(user=programme.director)

    # then
    assert [(c.product_id, c.flagged) for c in report.checks] == [(mug.pk, True)]
    assert report.checks[0].key.median == D("10")
    assert report.checks[0].other.median == D("8")


def test_the_check_is_for_directors_and_executives_only(programme):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        pricing_check_for_user(user=programme.kam)


def test_the_pricing_page_and_its_export(client, programme):
    # given
    mug = Product.objects.create(source="t", code="MUG", name="Mug")
    for n in range(3):
        _line(programme.account, mug, "10", "50", n)
        _line(programme.prospect, mug, "8", "2", n)
    client.force_login(programme.executive)

    # when
    page = client.get(reverse("revenue:pricing"))
    export = client.get(reverse("revenue:pricing") + "?format=csv")

    # then
    assert b'data-testid="pricing-flagged">1<' in page.content
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[1] == "MUG,Mug,yes,-20,3,150,10,10,10,10,10,3,6,8,8,8,8,8"
