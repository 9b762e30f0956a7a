"""The relationship map in a real browser: the org chart renders from the page's data, a click
on a person shows them and the link opens their stakeholder page; no CSP violation."""

from __future__ import annotations

import pytest

from accountable.relationships import services
from conftest import PASSWORD
from tests.browser.test_smoke import ARTIFACTS, page  # noqa: F401 - the Chromium page fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_org_chart_renders_and_a_node_opens_its_stakeholder(live_server, programme, page):  # noqa: F811
    # given an org chart of a CEO, a CFO who reports to her and their people
    a, d = programme.account, programme.director
    ceo = services.stakeholder_create(account=a, actor=d, name="Clara Chief", title="CEO")
    cfo = services.stakeholder_create(
        account=a, actor=d, name="Frank Finance", title="CFO", reports_to=ceo,
        buying_role="economic_buyer", influence=5, attitude="supporter",
    )  # fmt: skip
    for i in range(6):
        services.stakeholder_create(account=a, actor=d, name=f"Analyst {i}", reports_to=cfo)
    services.influence_add(source=ceo, target=cfo, actor=d)
    ARTIFACTS.mkdir(exist_ok=True)
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", programme.kam.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # when the KAM opens the relationship map
    page.goto(f"{live_server.url}/accounts/{a.pk}/relationship-map/")
    page.wait_for_selector("[data-testid=org-chart][data-ready=true]")
    page.wait_for_selector("[data-testid=org-chart] canvas")
    page.wait_for_timeout(800)  # the first layout animation
    page.screenshot(path=str(ARTIFACTS / "relationship-map.png"), full_page=True)

    # then every person is a node of the chart
    count = page.evaluate(
        "window.accountableOrgChart.getModel().getSeriesByIndex(0).getData().count()"
    )
    assert count == 8

    # when they click Frank Finance's node (found where the chart drew it)
    layout = page.evaluate(
        """() => {
          const chart = window.accountableOrgChart;
          const data = chart.getModel().getSeriesByIndex(0).getData();
          const index = data.indexOfName("Frank Finance");
          const el = data.getItemGraphicEl(index);
          const m = el.getComputedTransform();
          return m ? [m[4], m[5]] : [el.x, el.y];
        }"""
    )
    box = page.get_by_test_id("org-chart").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + layout[0], box["y"] + layout[1])

    # then the panel shows Frank, and its link opens his page
    detail = page.get_by_test_id("node-detail")
    detail.wait_for(state="visible")
    assert detail.locator("[data-field=name]").inner_text() == "Frank Finance"
    page.get_by_test_id("open-stakeholder").click()
    page.wait_for_url(f"{live_server.url}/stakeholders/{cfo.pk}/")
    assert page.get_by_test_id("stakeholder-name").inner_text() == "Frank Finance"
    assert violations == []
