"""No lost updates, through real parallel HTTP requests: two people open the same form, both
save at the same moment against a live server (each request on its own thread and database
connection, PostgreSQL). Exactly one save wins; the other is refused with a clear message and
keeps its input; the saved record is exactly the winner's, never a blend."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest
import requests
from django.db import connection
from django.test import Client

from accountable.accounts.models import Account, TeamMember
from accountable.history.models import Event

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a server database with concurrent connections",
    ),
]

ROUNDS = 3


@dataclass
class Browser:
    """A signed-in browser: a session cookie, and the CSRF token of the last form it opened."""

    session: requests.Session
    base: str

    def open_form(self, page: str, action: str | None = None) -> dict[str, str]:
        """The fields of the page's form posting to `action` (the page itself by default), as
        the page filled them in: inputs, selects, textareas."""
        html = self.session.get(self.base + page).text
        form = html.split(f'action="{action or page}"', 1)[1].split("</form>", 1)[0]
        fields: dict[str, str] = {}
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
            fields[name] = value
        for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
            chosen = re.search(r'<option value="([^"]*)" selected', body)
            fields[name] = chosen.group(1) if chosen else ""
        for name, text in re.findall(
            r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
        ):
            fields[name] = text.strip()
        return fields


def _browser(live_server, user) -> Browser:
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    return Browser(session=session, base=live_server.url)


def _save_together(posts: list[tuple[Browser, str, dict[str, str]]]) -> list[requests.Response]:
    """Send the posts at the same moment, one thread each."""
    barrier = threading.Barrier(len(posts))
    responses: list[requests.Response | None] = [None] * len(posts)

    def send(i: int, browser: Browser, path: str, data: dict[str, str]) -> None:
        barrier.wait()
        responses[i] = browser.session.post(browser.base + path, data, allow_redirects=False)

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in responses if r is not None]


def test_two_people_saving_an_account_profile_at_once_never_lose_an_update(live_server, programme):
    kam = _browser(live_server, programme.kam)
    director = _browser(live_server, programme.director)
    path = f"/accounts/{programme.account.pk}/edit/"
    for round in range(ROUNDS):
        # given both opened the form at the same version
        kams, directors = kam.open_form(path), director.open_form(path)
        version = Account.objects.get(pk=programme.account.pk).version
        kams["strategy"] = f"Grow in Asia ({round})"
        directors["business_model"] = f"Resins for carmakers ({round})"
        events = Event.objects.count()

        # when both save at once
        responses = _save_together([(kam, path, kams), (director, path, directors)])

        # then one is saved and the other refused, keeping its text
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 302], round
        refused = next(r for r in responses if r.status_code == 200)
        assert "was changed by someone else while you were editing" in refused.text
        account = Account.objects.get(pk=programme.account.pk)
        assert account.version == version + 1
        kam_won = responses[0].status_code == 302
        assert (account.strategy == kams["strategy"]) is kam_won
        assert (account.business_model == directors["business_model"]) is not kam_won
        assert Event.objects.count() == events + 1


def test_two_people_saving_a_team_members_place_at_once_never_lose_an_update(
    live_server, programme
):
    kam = _browser(live_server, programme.kam)
    director = _browser(live_server, programme.director)
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    path = f"/accounts/{programme.account.pk}/team/{member.pk}/edit/"
    for round in range(ROUNDS):
        # given both opened the form on the same state
        kams, directors = kam.open_form(path), director.open_form(path)
        kams["allocation_pct"] = str(31 + round)
        directors["responsibilities"] = f"Quotes and samples ({round})"
        events = Event.objects.count()

        # when both save at once
        responses = _save_together([(kam, path, kams), (director, path, directors)])

        # then one is saved and the other refused, keeping its input
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 302], round
        refused = next(r for r in responses if r.status_code == 200)
        assert "was changed by someone else while you were editing" in refused.text
        saved = TeamMember.objects.get(pk=member.pk)
        winner = kams if responses[0].status_code == 302 else directors
        assert (str(saved.allocation_pct), saved.responsibilities) == (
            winner["allocation_pct"],
            winner["responsibilities"],
        )
        assert Event.objects.count() == events + 1


def test_two_people_setting_a_team_members_raci_at_once_never_lose_an_update(
    live_server, programme
):
    kam = _browser(live_server, programme.kam)
    director = _browser(live_server, programme.director)
    member = TeamMember.objects.get(account=programme.account, user=programme.member)
    path = f"/accounts/{programme.account.pk}/team/{member.pk}/raci/"
    form_page = f"/accounts/{programme.account.pk}/team/{member.pk}/edit/"
    # given both opened the RACI form on the same roles
    kams, directors = kam.open_form(form_page, path), director.open_form(form_page, path)
    kams["raci-strategy"] = "R"
    directors["raci-pricing"] = "C"

    # when both save at once
    responses = _save_together([(kam, path, kams), (director, path, directors)])

    # then one is saved and the other refused
    assert sorted(r.status_code for r in responses) == [200, 302]
    roles = dict(member.raci.values_list("area", "role"))
    assert roles in ({"strategy": "R"}, {"pricing": "C"})
