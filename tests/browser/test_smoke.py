"""Smoke test in a real browser: Debian's Chromium, driven by Playwright, against live_server.

Signs in through the login form, opens an account page, and keeps screenshots in
test-artifacts/. Run with `make test-browser` (CI does, after installing Chromium).
"""

import os
from pathlib import Path

import pytest

import accountable.core
from conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database access that fixtures and live_server make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VENDOR = Path(accountable.core.__file__).parent / "static" / "vendor"


@pytest.fixture
def page(live_server):
    """A fresh Chromium page. Started per test and after the database fixtures: while
    Playwright's event loop runs, Django hands this thread other connection objects."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: apt-get install chromium (or set CHROMIUM).")
    if not (VENDOR / "bootstrap" / "bootstrap.min.css").exists():
        pytest.fail(f"The front-end assets are missing from {VENDOR}: run make setup.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def test_a_kam_signs_in_and_opens_their_key_account(live_server, programme, page):
    # given
    ARTIFACTS.mkdir(exist_ok=True)
    static = []
    page.on("response", lambda r: static.append((r.url, r.status)) if "/static/" in r.url else None)

    # when: sign in through the form
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", programme.kam.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # and open the account page
    response = page.goto(f"{live_server.url}/accounts/{programme.account.pk}/")
    page.screenshot(path=str(ARTIFACTS / "account-page.png"), full_page=True)

    # then
    assert response is not None and response.status == 200
    assert page.get_by_test_id("account-name").inner_text() == "Acme Industries"
    assert any(url.endswith("/bootstrap.min.css") and status == 200 for url, status in static)
    assert [url for url, status in static if status != 200] == []


def test_an_outsider_signs_in_and_the_account_does_not_exist_for_them(live_server, programme, page):
    # given
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", programme.outsider.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # when
    response = page.goto(f"{live_server.url}/accounts/{programme.account.pk}/")
    page.screenshot(path=str(ARTIFACTS / "outsider-404.png"))

    # then
    assert response is not None and response.status == 404
    assert page.get_by_test_id("account-name").count() == 0


def test_a_kam_adds_a_colleague_to_the_team_by_searching_for_them(live_server, programme, page):
    # given the KAM on their account's Team tab
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", programme.kam.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/{programme.account.pk}/team/")

    # when they type part of a name, pick the result and add them
    page.fill("#id_user_search", "outsi")
    result = page.locator("[data-fill-target=id_user]", has_text="Oscar Outsider")
    result.wait_for()
    page.screenshot(path=str(ARTIFACTS / "team-lookup.png"))
    result.click()
    assert page.input_value("#id_user") == str(programme.outsider.pk)
    assert page.get_by_test_id("lookup-chosen").inner_text() == "Now: Oscar Outsider"
    page.select_option("#team-add-form select[name=position]", index=1)
    page.fill("#team-add-form input[name=allocation_pct]", "20")
    page.click("#team-add-form button[type=submit]")
    page.wait_for_selector("[data-testid=team-table] >> text=Oscar Outsider")
    page.screenshot(path=str(ARTIFACTS / "team-added.png"), full_page=True)

    # then they are on the team
    assert programme.account.team_members.filter(user=programme.outsider).exists()
