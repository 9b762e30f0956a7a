"""In a real browser: the Revenue tab draws its chart from json_script data under the CSP."""

import datetime as dt
from decimal import Decimal

import pytest

from accountable.revenue.models import SalesLine
from accountable.revenue.services import rollup_refresh
from tests.browser.test_content_security_policy import COLLECT_VIOLATIONS, _sign_in
from tests.browser.test_smoke import ARTIFACTS, page  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_revenue_tab_draws_its_chart_within_the_policy(live_server, programme, page):  # noqa: F811
    # given two quarters of sales for the key account
    for n, day in enumerate(("2024-02-10", "2024-05-10", "2024-05-20")):
        SalesLine.objects.create(
            account=programme.account,
            date=dt.date.fromisoformat(day),
            source="t",
            invoice=str(n),
            line="1",
            amount=Decimal("100"),
        )
    rollup_refresh()
    page.add_init_script(COLLECT_VIOLATIONS)
    _sign_in(page, live_server, programme.member.username)

    # when
    page.goto(f"{live_server.url}/revenue/accounts/{programme.account.pk}/")
    page.wait_for_selector("[data-revenue-chart] svg")

    # then
    page.screenshot(path=str(ARTIFACTS / "revenue-tab.png"))
    assert page.evaluate("window.__cspViolations") == []
    assert page.locator("[data-testid=revenue-total]").inner_text() == "300.00"
    assert page.locator("[data-revenue-chart] svg text", has_text="2024 Q2").count() >= 1
