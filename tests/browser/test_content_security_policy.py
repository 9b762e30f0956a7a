"""In a real browser, no page breaks the Content Security Policy: every script, style, image
and request the product makes is allowed by it (Chromium reports each violation as a
`securitypolicyviolation` event, collected here from every page visited)."""

import pytest

from conftest import PASSWORD
from tests.browser.test_smoke import ARTIFACTS, page  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
                              " " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


def _sign_in(page, live_server, username):  # noqa: F811
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_no_page_breaks_the_content_security_policy(live_server, programme, page):  # noqa: F811
    # given a director (who sees the most: the chart, the admin, every form)
    page.add_init_script(COLLECT_VIOLATIONS)
    _sign_in(page, live_server, programme.director.username)
    a = programme.account.pk
    member = programme.account.team_members.get(user=programme.member).pk
    paths = [
        "/",
        "/accounts/",
        "/accounts/?status=key_account&sort=-owner",
        "/accounts/new/",
        f"/accounts/{a}/",
        f"/accounts/{a}/team/",
        f"/accounts/{a}/team/{member}/edit/",
        f"/accounts/{a}/history/",
        f"/accounts/{a}/edit/",
        f"/accounts/{a}/status/",
        f"/accounts/{a}/owner/",
        "/people/",
        f"/people/{programme.kam.pk}/",
        f"/people/{programme.director.pk}/tokens/",
        "/programme/settings/",
        "/api/v1/docs",
        "/admin/",
        "/admin/accounts/account/",
        f"/admin/accounts/account/{a}/change/",
        "/nowhere/",
    ]
    found = {}

    # when each page is opened and its scripts have run
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        if violations:
            found[path] = violations

    # and the search-as-you-type lookup swaps in its results
    page.goto(f"{live_server.url}/accounts/{a}/team/")
    page.fill("#id_user_search", "outsi")
    page.locator("[data-fill-target=id_user]").first.wait_for()
    violations = page.evaluate("window.__cspViolations")
    if violations:
        found["team lookup"] = violations
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-chart] svg")
    page.screenshot(path=str(ARTIFACTS / "csp-home-chart.png"))

    # and, to show the collector works, the page tries an inline script of its own
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    own = page.evaluate("window.__cspViolations")

    # then
    assert found == {}
    assert own[0].startswith("script-src-elem inline")
