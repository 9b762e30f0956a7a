"""The people list and a person's page: what they show, who sees which accounts, queries."""

from typing import cast

import pytest
from django.urls import reverse

from accountable.accounts import services
from accountable.accounts.models import Account
from accountable.people.models import User
from tests.factories import AccountFactory, UserFactory, position

LIST = "/people/"


def page(person: User) -> str:
    return reverse("people:detail", args=[person.pk])


@pytest.mark.parametrize("path", ["list", "detail"])
def test_anonymous_is_sent_to_login(client, programme, path):
    # given
    target = LIST if path == "list" else page(programme.kam)
    # when
    response = client.get(target)
    # then
    assert response.status_code == 302
    assert response.url == f"/login/?next={target}"


def test_list_shows_position_unit_manager_ownerships_and_allocation(login, programme):
    # given
    services.team_member_add(
        account=programme.other_account,
        user=programme.member,
        actor=programme.director,
        allocation_pct=30,
    )
    programme.member.manager = programme.kam
    programme.member.save()
    # when
    body = login(programme.outsider).get(LIST).content.decode()
    # then
    mia = body.split('data-testid="person-member1"')[1].split("</tr>")[0]
    assert "<td>Sales rep</td>" in mia
    assert "<td>Industrial</td>" in mia
    assert f'<a href="/people/{programme.kam.pk}/">Kim Owner</a>' in mia
    assert '<td class="num">0</td>' in mia
    assert '<td class="num">50 %' in mia  # 20 on Acme + 30 on Globex
    kim = body.split('data-testid="person-kam1"')[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in kim


def test_list_search_by_name(login, programme):
    body = login(programme.kam).get(LIST, {"q": "mia"}).content.decode()
    assert ">Mia Member</a>" in body
    assert ">Kim Owner</a>" not in body


def test_list_search_without_match_says_so(login, programme):
    body = login(programme.kam).get(LIST, {"q": "zzz"}).content.decode()
    assert "Nobody matches “zzz”." in body


def test_allocation_over_100_is_flagged_in_the_list(login, programme):
    # given
    services.team_member_add(
        account=programme.other_account,
        user=programme.member,
        actor=programme.director,
        allocation_pct=90,
    )
    # when
    body = login(programme.director).get(LIST).content.decode()
    # then
    assert '<td class="num load-over">110 %' in body


@pytest.mark.parametrize("extra", [0, 40])
def test_list_runs_a_fixed_number_of_queries(login, programme, django_assert_num_queries, extra):
    # given
    for i in range(extra):
        UserFactory(username=f"p{i}", position=position("finance"), manager=programme.kam)
    client = login(programme.member)
    # when / then: session, user, count, page
    with django_assert_num_queries(4):
        client.get(LIST)


def test_person_page_shows_owned_accounts_memberships_and_load(login, programme):
    # when
    body = login(programme.director).get(page(programme.kam)).content.decode()
    # then
    owned = body.split('data-testid="owned-accounts"')[1].split("</table>")[0]
    assert "Acme Industries" in owned and "Key account" in owned
    teams = body.split('data-testid="memberships"')[1].split("</table>")[0]
    assert "Acme Industries" in teams and "Key account manager" in teams
    assert (
        'data-testid="key-accounts-owned">1 <span class="fs-6 text-muted fw-normal">of cap 1'
        in body
    )


def test_person_page_warns_when_total_allocation_passes_100(login, programme):
    # given
    services.team_member_add(
        account=programme.other_account,
        user=programme.member,
        actor=programme.director,
        allocation_pct=85,
    )
    # when
    body = login(programme.member).get(page(programme.member)).content.decode()
    # then
    assert 'data-testid="total-allocation">105 %' in body
    assert "More than 100 % of their time is promised to account teams." in body


def test_person_page_shows_cap_overrides_with_who_and_why(login, programme):
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
        cap_override_reason="Sister company of Acme",
    )
    # when
    body = login(programme.executive).get(page(programme.kam)).content.decode()
    # then
    overrides = body.split('data-testid="person-overrides"')[1].split("</section>")[0]
    assert "Hooli" in overrides
    assert "allowed by Dana Director" in overrides
    assert "Sister company of Acme" in overrides
    assert "Over the cap" in body


def test_accounts_the_viewer_may_not_see_are_counted_not_listed(login, programme):
    # when: kam looks at the other KAM, who owns Globex (which kam may not see)
    body = login(programme.kam).get(page(programme.other_kam)).content.decode()
    # then
    assert "Globex" not in body
    assert 'data-testid="hidden-accounts">Also on 1 account you have no access to' in body


def test_person_page_shows_manager_and_reports(login, programme):
    # given
    programme.member.manager = programme.kam
    programme.member.save()
    # when
    body = login(programme.outsider).get(page(programme.kam)).content.decode()
    # then
    reports = body.split(">Reports</div>")[1].split("</div>")[0]
    assert f'<a href="/people/{programme.member.pk}/">Mia Member</a>' in reports


def test_unknown_person_is_404(login, programme):
    assert login(programme.kam).get(reverse("people:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
@pytest.mark.parametrize(("viewer", "queries"), [("director", 8), ("member", 8)])
def test_person_page_runs_a_fixed_number_of_queries(
    login, programme, django_assert_num_queries, extra, viewer, queries
):
    # given: the KAM on 1 or 13 account teams, with reports
    for i in range(extra):
        account = cast(Account, AccountFactory(name=f"Team account {i}"))
        services.team_member_add(
            account=account, user=programme.kam, actor=programme.director, allocation_pct=1
        )
        UserFactory(username=f"report{i}", manager=programme.kam)
    client = login(getattr(programme, viewer))
    # when / then: session, user, person, ownerships, memberships, the visible ones among
    # them, programme settings, reports
    with django_assert_num_queries(queries):
        response = client.get(page(programme.kam))
    assert response.status_code == 200


# --- the person lookup (adding someone to an account team) ---


def test_the_person_lookup_finds_active_people_by_name(login, programme):
    html = login(programme.kam).get("/people/lookup/", {"q": "owner", "for": "id_user"})
    body = html.content.decode()
    assert f'data-fill-value="{programme.kam.pk}"' in body
    assert 'data-fill-label="Kim Owner"' in body
    assert 'data-fill-target="id_user"' in body


def test_the_person_lookup_leaves_out_people_who_left(login, programme):
    gone = UserFactory.create(first_name="Gone", last_name="Owner", is_active=False)
    body = login(programme.kam).get("/people/lookup/", {"q": "owner"}).content.decode()
    assert f'data-fill-value="{gone.pk}"' not in body


def test_the_person_lookup_needs_a_sign_in(client, programme):
    response = client.get("/people/lookup/", {"q": "owner"})
    assert response.status_code == 302


def test_the_team_tab_offers_a_person_search_not_a_list_of_everyone(login, programme):
    body = login(programme.kam).get(f"/accounts/{programme.account.pk}/team/").content.decode()
    assert 'hx-get="/people/lookup/?for=id_user"' in body
    assert 'type="number" name="user"' in body
    assert 'name="user" id="id_user"' not in body.replace('type="number" ', "")  # no <select>
