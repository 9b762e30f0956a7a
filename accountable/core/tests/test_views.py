"""Signing in and out, the home page for each role, error pages, and page-wide rules."""

import json
import re
from typing import cast

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accountable.accounts import services
from accountable.accounts.models import Account
from accountable.core.views import server_error
from accountable.history.models import Event
from accountable.people.models import User
from tests.factories import AccountFactory, KamFactory

PASSWORD = "correct-horse-battery"


# --- Signing in and out ------------------------------------------------------------------------


def test_anonymous_home_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/"


def test_login_page_has_the_standard_fields_and_a_submit_button(client, db):
    body = client.get("/login/").content.decode()
    assert 'name="username"' in body and 'autocomplete="username"' in body
    assert 'name="password"' in body and 'type="password"' in body
    assert '<button type="submit"' in body
    assert 'id="main-nav"' not in body  # no navigation before signing in


def test_signing_in_lands_on_the_home_page(client, programme):
    # when
    response = client.post("/login/", {"username": "kam1", "password": PASSWORD}, follow=True)
    # then
    assert response.redirect_chain == [("/", 302)]
    assert '<h1 id="mine-heading">My accounts</h1>' in response.content.decode()


def test_a_wrong_password_is_refused_and_keeps_the_username(client, programme):
    # when
    response = client.post("/login/", {"username": "kam1", "password": "wrong"})
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password." in body
    assert 'value="kam1"' in body
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(login, programme):
    # given
    client = login(programme.kam)
    # when
    response = client.post("/logout/")
    # then
    assert response.status_code == 302
    assert response.url == "/login/"
    assert "_auth_user_id" not in client.session


def test_sign_out_by_get_is_refused(login, programme):
    client = login(programme.kam)
    assert client.get("/logout/").status_code == 405
    assert "_auth_user_id" in client.session


# --- Navigation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_programme"),
    [
        ("director", True),
        ("executive", False),
        ("kam", False),
        ("member", False),
    ],
)
def test_navigation_shows_programme_settings_only_to_directors(
    login, programme, persona, sees_programme
):
    body = login(getattr(programme, persona)).get("/accounts/").content.decode()
    assert ('href="/programme/settings/"' in body) is sees_programme
    assert (
        '<input class="form-control form-control-sm" type="search" id="nav-search" name="q"' in body
    )
    assert '<form method="post" action="/logout/">' in body


# --- Home --------------------------------------------------------------------------------------


def test_kam_home_lists_their_accounts_with_role_status_and_allocation(login, programme):
    # when
    body = login(programme.kam).get("/").content.decode()
    # then
    table = body.split('data-testid="my-accounts"')[1].split("</table>")[0]
    assert "Acme Industries" in table
    assert "<strong>Owner (KAM)</strong>" in table
    assert "Key account" in table
    assert "Direct account team" in table
    assert "You own 1 pilot/key account (cap 1)" in body
    assert "Programme overview" not in body


def test_member_home_shows_the_account_they_serve_and_its_kam(login, programme):
    body = login(programme.member).get("/").content.decode()
    table = body.split('data-testid="my-accounts"')[1].split("</table>")[0]
    assert "Acme Industries" in table
    assert "<td>Sales rep</td>" in table
    assert '<td class="num">20 %</td>' in table
    assert f'<a href="/people/{programme.kam.pk}/">Kim Owner</a>' in table
    assert "Globex" not in body


def test_outsider_home_says_what_to_do_next(login, programme):
    body = login(programme.outsider).get("/").content.decode()
    assert 'data-testid="my-accounts-empty"' in body
    assert "Ask your programme director to add you to an account team." in body


@pytest.mark.parametrize("persona", ["director", "executive"])
def test_programme_overview_counts_accounts_per_status(login, programme, persona):
    body = login(getattr(programme, persona)).get("/").content.decode()
    for status, count in [
        ("key_account", 1),
        ("pilot", 1),
        ("candidate", 0),
        ("prospect", 1),
        ("exited", 0),
    ]:
        card = body.split(f'data-testid="status-count-{status}"')[1].split("</a>")[0]
        assert f'<div class="fs-4 fw-semibold text-body">{count}</div>' in card


def test_programme_overview_feeds_the_kam_load_chart_as_json(login, programme):
    # given: a third KAM with nothing
    KamFactory(username="kam3")
    # when
    body = login(programme.director).get("/").content.decode()
    # then
    found = re.search(
        r'<script id="kam-load-data" type="application/json">(.*?)</script>', body, re.S
    )
    assert found is not None
    raw = found.group(1)
    assert json.loads(raw) == {
        "cap": 1,
        "rows": [{"name": "Kai Other", "owned": 1}, {"name": "Kim Owner", "owned": 1}],
    }
    assert 'data-chart="kam-load" data-chart-source="kam-load-data"' in body
    assert "1 person who may own accounts owns no pilot or key account yet." in body


def test_programme_overview_lists_cap_overrides(login, programme):
    # given
    extra = services.account_create(
        actor=programme.director, name="Hooli", programme_status="candidate"
    )
    services.account_change_status(
        account=extra,
        actor=programme.director,
        to_status="pilot",
        reason="Pilot",
        owner=programme.kam,
        cap_override_reason="Shares a buyer with Acme",
    )
    # when
    body = login(programme.executive).get("/").content.decode()
    # then
    overrides = body.split('id="overrides-heading"')[1].split("</section>")[0]
    assert "Kim Owner</a> owns" in overrides
    assert "Hooli</a> over the cap." in overrides
    assert "“Shares a buyer with Acme” — Dana Director" in overrides
    assert "1 KAM over the cap." in body


def test_programme_overview_shows_recent_changes_newest_first(login, programme):
    # given
    services.account_update(
        account=programme.prospect,
        actor=programme.director,
        data={"industry": "Software"},
        reason="Checked their website",
    )
    # when
    body = login(programme.director).get("/").content.decode()
    # then
    recent = body.split('id="recent-heading"')[1].split("</section>")[0]
    first_row = recent.split("<tbody>")[1].split("</tr>")[0]
    assert f'<a href="/accounts/{programme.prospect.pk}/">Initech</a>' in first_row
    assert '<span class="change-after">Software</span>' in first_row
    assert "Checked their website" in first_row


def test_an_empty_programme_says_what_to_do_next(login, db):
    # given: a director and nothing else
    from tests.factories import UserFactory

    director = UserFactory(username="boss", role="director")
    Event.objects.all().delete()  # a fresh install: even creating the director is history
    # when
    body = login(director).get("/").content.decode()
    # then
    assert "No KAM owns a pilot or key account yet." in body
    assert "Nothing has changed yet." in body


@pytest.mark.parametrize("extra", [0, 15])
def test_director_home_runs_a_fixed_number_of_queries(
    login, programme, django_assert_num_queries, extra
):
    # given: more KAMs, each owning an account, and so more history
    for i in range(extra):
        kam = cast(User, KamFactory(username=f"k{i}"))
        account = cast(Account, AccountFactory())
        services.account_assign_owner(account=account, user=kam, actor=programme.director)
    client = login(programme.director)
    # when / then: session, user; my accounts (ownerships, memberships, settings — the director
    # has none, so no owners query); status counts; KAM load (settings, counts, people);
    # overrides; events; the names of their accounts
    with django_assert_num_queries(12):
        client.get("/")


@pytest.mark.parametrize("extra", [0, 15])
def test_kam_home_runs_a_fixed_number_of_queries(
    login, programme, django_assert_num_queries, extra
):
    for _ in range(extra):
        account = cast(Account, AccountFactory())
        services.team_member_add(account=account, user=programme.kam, actor=programme.director)
    client = login(programme.kam)
    # session, user, ownerships, memberships, owners, settings
    with django_assert_num_queries(6):
        client.get("/")


# --- Error pages -------------------------------------------------------------------------------


def test_404_page_is_the_product_page(login, programme):
    response = login(programme.kam).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="h3">Not found</h1>' in body
    assert 'id="main-nav"' in body


def test_403_page_says_why(login, programme):
    response = login(programme.member).get(reverse("accounts:edit", args=[programme.account.pk]))
    assert response.status_code == 403
    assert "You can read this account but not change it." in response.content.decode()


def test_500_page_does_not_touch_the_session_or_the_database(django_assert_num_queries, db):
    # given
    request = RequestFactory().get("/boom/")
    # when
    with django_assert_num_queries(0):
        response = server_error(request)
    # then
    assert response.status_code == 500
    assert "Something went wrong; nothing was saved." in response.content.decode()


# --- Rules every page keeps ----------------------------------------------------------------------


def every_page(programme) -> list[str]:
    a = programme.account.pk
    member = programme.account.team_members.get(user=programme.member).pk
    ext = programme.account.external_ids.get().pk
    return [
        "/",
        "/accounts/",
        "/accounts/new/",
        f"/accounts/{a}/",
        f"/accounts/{a}/team/",
        f"/accounts/{a}/history/",
        f"/accounts/{a}/edit/",
        f"/accounts/{a}/status/",
        f"/accounts/{a}/owner/",
        f"/accounts/{a}/team/add/",
        f"/accounts/{a}/team/{member}/edit/",
        f"/accounts/{a}/team/{member}/remove/",
        f"/accounts/{a}/external-ids/add/",
        f"/accounts/{a}/external-ids/{ext}/remove/",
        "/people/",
        f"/people/{programme.kam.pk}/",
        "/programme/settings/",
        "/nowhere/",
    ]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)


def test_no_page_has_inline_scripts_handlers_or_styles(login, programme):
    # A Content Security Policy without 'unsafe-inline' must be possible.
    client = login(programme.director)
    for path in every_page(programme):
        body = client.get(path).content.decode()
        assert not INLINE_SCRIPT.search(body), path
        assert not INLINE_HANDLER.search(body), path
        assert not INLINE_STYLE.search(body), path


def test_every_form_field_has_a_label(login, programme):
    client = login(programme.director)
    for path in every_page(programme):
        body = client.get(path).content.decode()
        fields = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', body
        )
        assert fields, path if "<form" in body else fields
        for field_id in fields:
            assert f'for="{field_id}"' in body, (path, field_id)


def test_favicon_ico_points_at_the_svg_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == "/static/core/favicon.svg"
