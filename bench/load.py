"""The load test's users (a locustfile): what the people of a key account programme do all day.

Run by `make load` (bench/load_run.py starts the server and prints the figures); by hand:

    locust -f bench/load.py --host http://127.0.0.1:8000 --headless -u 100 -r 10 -t 5m

Against the demo programme (`accountable demo`): everyone signs in with the demo password.

    KAMs (most users)     their accounts on the home page, the account list with filters,
                          search and sorting, their accounts' tabs, colleagues' pages, the
                          people search; now and then an edit of the profile of an account
                          they own or of a team member's allocation, or a colleague added to
                          a team (and taken off again)
    directors             the programme overview, the whole list with filters and paging,
                          any account, the settings page
    team members          their accounts and their tabs
    executives            the overview, the list of key accounts, account pages
    API clients           paged lists and details with a token

A later feature adds its pages here: a @task on the users who use it (e.g. a plan tab on
KamUser), with a name= that groups the URLs of one page.
"""

from __future__ import annotations

import random
import re
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = "accountable-demo"
ACCOUNT_LINK = re.compile(r'href="/accounts/(\d+)/"')
PERSON_LINK = re.compile(r'href="/people/(\d+)/"')
MY_PAGE = re.compile(r'href="/people/(\d+)/">My page<')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = ("an", "group", "tech", "steel", "bio", "GmbH", "ltd", "energy", "pharma", "auto")
FILTERS = (
    {"status": "key_account"},
    {"status": "pilot"},
    {"status": "candidate", "sort": "-updated"},
    {"tier": "A"},
    {"sort": "-owner"},
    {"sort": "status"},
    {"country": "DE"},
    {"industry": "Automotive"},
)
# The demo programme's people (accountable demo): 14 KAMs, 12 team members.
KAMS = [f"kam{i}" for i in range(1, 15)]
MEMBERS = [f"member{i}" for i in range(1, 13)]


class Person(HttpUser):
    """Someone who signs in through the form and then browses."""

    abstract = True
    wait_time = between(1, 5)
    usernames: list[str] = []

    def on_start(self) -> None:
        self.username = random.choice(self.usernames)
        page = self.client.get("/login/", name="sign in (form)")
        token = CSRF.search(page.text)
        if token is None:
            raise StopUser()
        with self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{self.username} could not sign in ({answer.status_code})")
                raise StopUser()
        self.accounts = self._visible_accounts()
        people = self.client.get("/people/", name="people").text
        self.people = sorted(set(PERSON_LINK.findall(people)))

    def _visible_accounts(self) -> list[str]:
        found: list[str] = []
        for page in (1, 2):
            html = self.client.get(f"/accounts/?page={page}", name="account list, page N").text
            found += ACCOUNT_LINK.findall(html)
        return sorted(set(found)) or ["1"]

    # --- What everyone does -------------------------------------------------------------------

    def home(self) -> None:
        self.client.get("/", name="home")

    def account_list(self) -> None:
        choice = random.random()
        if choice < 0.35:
            self.client.get(
                "/accounts/", params=random.choice(FILTERS), name="account list, filtered"
            )
        elif choice < 0.6:
            self.client.get(
                "/accounts/", params={"q": random.choice(SEARCHES)}, name="account list, search"
            )
        elif choice < 0.75:
            self.client.get(
                "/accounts/", params={"page": random.randint(2, 5)}, name="account list, page N"
            )
        else:
            self.client.get("/accounts/", name="account list")

    def account_tabs(self) -> None:
        account = random.choice(self.accounts)
        self.client.get(f"/accounts/{account}/", name="account: overview")
        tab = random.random()
        if tab < 0.5:
            self.client.get(f"/accounts/{account}/team/", name="account: team")
        elif tab < 0.75:
            self.client.get(f"/accounts/{account}/history/", name="account: history")

    def person(self) -> None:
        if self.people:
            self.client.get(f"/people/{random.choice(self.people)}/", name="person")

    def people_search(self) -> None:
        self.client.get(
            "/people/lookup/",
            params={"q": random.choice(("an", "er", "son", "ma")), "for": "id_user"},
            name="people search (lookup)",
        )


class KamUser(Person):
    weight = 6
    usernames = KAMS

    def on_start(self) -> None:
        super().on_start()
        # The accounts this KAM owns (and so may edit): the table on their own page.
        home = self.client.get("/", name="home").text
        me = MY_PAGE.search(home)
        page = self.client.get(f"/people/{me[1]}/", name="person").text if me else ""
        owned = page.split('data-testid="owned-accounts"', 1)[-1].split("</table>", 1)[0]
        self.mine = sorted(set(ACCOUNT_LINK.findall(owned))) if me else []
        if not self.mine:
            raise StopUser()  # a KAM who owns nothing (there are none in the demo)
        options = self.environment.parsed_options
        self.colleague = str(getattr(options, "colleague", "") or "") if options else ""

    @task(4)
    def browse_the_list(self) -> None:
        self.account_list()

    @task(3)
    def my_accounts(self) -> None:
        self.home()

    @task(5)
    def open_an_account(self) -> None:
        self.account_tabs()

    @task(1)
    def colleagues(self) -> None:
        self.person()
        self.people_search()

    @task(1)
    def edit_a_profile(self) -> None:
        account = random.choice(self.mine)
        form = self.client.get(f"/accounts/{account}/edit/", name="account: edit form")
        if form.status_code != 200:
            return  # a member-only account on the home page: nothing to edit
        data = _form_fields(form.text, f"/accounts/{account}/edit/")
        data["current_initiatives"] = f"Load test note {random.randint(1, 10**6)}"
        with self.client.post(
            f"/accounts/{account}/edit/",
            data,
            name="account: save profile",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            stale = "was changed by someone else" in answer.text
            if answer.status_code != 302 and not stale:
                answer.failure(f"profile not saved ({answer.status_code})")

    @task(1)
    def change_a_team_members_allocation(self) -> None:
        account = random.choice(self.mine)
        team = self.client.get(f"/accounts/{account}/team/", name="account: team")
        # Not the colleague other sessions add and take off: they may be gone by the next click.
        rows = [r for r in team.text.split("<tr>") if f'href="/people/{self.colleague}/"' not in r]
        links = re.findall(rf'href="(/accounts/{account}/team/\d+/edit/)"', "".join(rows))
        if not links:
            return
        url = random.choice(links)
        form = self.client.get(url, name="team member: edit form")
        data = _form_fields(form.text, url)
        data["allocation_pct"] = str(random.randint(5, 40))
        with self.client.post(
            url, data, name="team member: save", allow_redirects=False, catch_response=True
        ) as answer:
            stale = "was changed by someone else" in answer.text
            if answer.status_code != 302 and not stale:
                answer.failure(f"team member not saved ({answer.status_code})")

    @task(1)
    def add_a_colleague_to_a_team_and_take_them_off(self) -> None:
        """The colleague is someone no simulated user signs in as (the demo's outsider), so
        that nobody loses sight of an account in the middle of the run."""
        if not self.colleague:
            return
        account = random.choice(self.mine)
        url = f"/accounts/{account}/team/add/"
        form = self.client.get(url, name="team: add form")
        data = _form_fields(form.text, url)
        data.update({"user": self.colleague, "kind": "shared", "allocation_pct": "5"})
        with self.client.post(
            url, data, name="team: add", allow_redirects=False, catch_response=True
        ) as added:
            if added.status_code == 200 and "already on the" in added.text:
                added.success()  # picked someone on the team already: a form error, fine
                return
            if added.status_code == 200 and "is-invalid" in added.text:
                added.success()  # an inactive person or the like: the form said so
                return
            if added.status_code != 302:
                added.failure(f"not added ({added.status_code})")
                return
        team = self.client.get(f"/accounts/{account}/team/", name="account: team")
        for row in team.text.split("<tr>"):
            if f'href="/people/{self.colleague}/"' not in row:
                continue
            removal = re.search(rf'href="(/accounts/{account}/team/\d+/remove/)"', row)
            if removal is None:
                return
            form = self.client.get(removal[1], name="team: remove form")
            data = _form_fields(form.text, removal[1])
            data["reason"] = "Load test"
            self.client.post(removal[1], data, name="team: remove", allow_redirects=False)
            return


class DirectorUser(Person):
    weight = 2
    usernames = ["director"]

    @task(3)
    def overview(self) -> None:
        self.home()

    @task(5)
    def browse_the_list(self) -> None:
        self.account_list()

    @task(4)
    def open_an_account(self) -> None:
        self.account_tabs()

    @task(1)
    def settings(self) -> None:
        self.client.get("/programme/settings/", name="programme settings")

    @task(1)
    def colleagues(self) -> None:
        self.person()


class MemberUser(Person):
    weight = 1
    usernames = MEMBERS

    @task(2)
    def my_accounts(self) -> None:
        self.home()

    @task(3)
    def open_an_account(self) -> None:
        self.account_tabs()

    @task(1)
    def browse_the_list(self) -> None:
        self.account_list()


class ExecutiveUser(Person):
    weight = 1
    usernames = ["executive"]

    @task(2)
    def overview(self) -> None:
        self.home()

    @task(2)
    def key_accounts(self) -> None:
        self.client.get(
            "/accounts/", params={"status": "key_account"}, name="account list, filtered"
        )

    @task(2)
    def open_an_account(self) -> None:
        self.account_tabs()


class ApiClient(HttpUser):
    """A program (a CRM sync, a BI extract) reading through the API with a token."""

    weight = 1
    wait_time = between(1, 5)

    def on_start(self) -> None:
        token = self.environment.parsed_options.api_token if self.environment.parsed_options else ""
        if not token:
            raise StopUser()
        self.client.headers["Authorization"] = f"Bearer {token}"
        listed = self.client.get("/api/v1/accounts/", params={"limit": 100}, name="api: accounts")
        self.ids = [row["id"] for row in listed.json()["items"]] or [1]

    @task(3)
    def list_accounts(self) -> None:
        self.client.get(
            "/api/v1/accounts/",
            params={"limit": 50, "offset": random.randint(0, 300), "sort": "name"},
            name="api: accounts",
        )

    @task(3)
    def an_account(self) -> None:
        account = random.choice(self.ids)
        self.client.get(f"/api/v1/accounts/{account}", name="api: account")
        self.client.get(f"/api/v1/accounts/{account}/team-members", name="api: team members")

    @task(1)
    def history(self) -> None:
        self.client.get("/api/v1/history/", params={"limit": 50}, name="api: history")

    @task(1)
    def people(self) -> None:
        self.client.get("/api/v1/people/", params={"limit": 50}, name="api: people")


def _form_fields(html: str, action: str) -> dict[str, Any]:
    """The fields of the form posting to `action`, as the page filled them in."""
    part = html.split(f'action="{action}"', 1)
    form = part[1].split("</form>", 1)[0] if len(part) == 2 else ""
    fields: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            fields[name[1]] = _unescape(value[1]) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen[1] if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = _unescape(text.strip("\n"))
    return fields


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _add_options(parser: Any) -> None:
    parser.add_argument("--api-token", default="", help="an API token for the API clients")
    parser.add_argument(
        "--colleague", default="", help="id of a person the KAMs add to teams and take off"
    )


try:  # register the option when run by locust
    from locust import events

    @events.init_command_line_parser.add_listener
    def _on_parser(parser: Any) -> None:
        _add_options(parser)

except ImportError:  # pragma: no cover
    pass
