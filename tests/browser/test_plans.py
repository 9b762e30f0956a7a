"""An account plan in a real browser: the KAM starts a plan and adds an action (HTMX),
submits it; the director approves it, twice, compares the two versions and exports the PDF,
whose text is checked."""

import io

import pytest
from pypdf import PdfReader

from accountable.plans import services
from accountable.plans.models import AccountPlan, PlanAction
from conftest import PASSWORD
from tests.browser.test_smoke import ARTIFACTS, page  # noqa: F401 - the browser fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _sign_in(tab, base: str, username: str) -> None:
    tab.goto(f"{base}/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{base}/")


def test_plan_from_start_to_approved_versions_compared_and_exported(
    live_server,
    programme,
    page,  # noqa: F811
):
    base = live_server.url
    plan_url = f"{base}/accounts/{programme.account.pk}/plan/"
    ARTIFACTS.mkdir(exist_ok=True)

    # given: the KAM starts the plan from the Plan tab
    _sign_in(page, base, programme.kam.username)
    page.goto(plan_url)
    page.get_by_role("link", name="Start the plan").click()
    page.fill("input[name=title]", "Acme joint plan")
    page.get_by_role("button", name="Start plan").click()
    page.wait_for_url(plan_url)
    assert page.get_by_test_id("plan-title").inner_text() == "Acme joint plan"
    plan = AccountPlan.objects.get()
    objective = services.objective_create(
        plan=plan,
        actor=programme.kam,
        title="Grow share of wallet",
        metric="Share of wallet",
        baseline=12,
        target=20,
        due_on="2030-06-30",
    )
    services.initiative_create(objective=objective, actor=programme.kam, title="Plant trial")

    # when: they add an action through the inline (HTMX) form
    page.goto(plan_url)
    page.get_by_text("Add an action").click()
    page.locator("input[name=title]").fill("Ship samples")
    page.locator("select[name=owner]").select_option(label="Mia Member")
    page.locator("input[name=due_on]").fill("2030-01-15")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("[data-testid=action-row]")
    assert "Ship samples" in page.get_by_test_id("action-row").inner_text()
    assert PlanAction.objects.get().owner == programme.member

    # and submit it for approval
    page.get_by_test_id("submit-plan").click()
    page.wait_for_selector("[data-testid=plan-status]:has-text('Submitted')")
    page.screenshot(path=str(ARTIFACTS / "plan-submitted.png"), full_page=True)

    # then the director approves it, and after a change, approves the next version
    director = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    tab = director.new_page()
    _sign_in(tab, base, programme.director.username)
    tab.goto(plan_url)
    tab.get_by_test_id("approve-plan").click()
    tab.wait_for_selector("[data-testid=plan-status]:has-text('Approved')")
    plan.refresh_from_db()
    services.plan_update(
        plan=plan, actor=programme.kam, data={"competitors": "Dow"}, expected_version=None
    )
    services.plan_submit(plan=plan, actor=programme.kam)
    tab.goto(plan_url)
    tab.get_by_test_id("approve-plan").click()
    tab.wait_for_selector("[data-testid=plan-status]:has-text('Approved')")

    # and compares the two versions
    tab.goto(f"{plan_url}versions/")
    tab.get_by_test_id("compare").click()
    tab.wait_for_selector("[data-testid=compare-table]")
    tab.screenshot(path=str(ARTIFACTS / "plan-compare.png"), full_page=True)
    assert (
        "1 difference between version 1 and version 2"
        in tab.get_by_test_id("compare-summary").inner_text()
    )
    changed = tab.locator("tr[data-change=changed]")
    assert changed.count() == 1 and "Dow" in changed.inner_text()

    # and exports the PDF
    response = director.request.get(f"{plan_url}export.pdf")
    assert response.status == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Acme joint plan" in text
    assert "Grow share of wallet" in text
    assert "Ship samples" in text
    director.close()
