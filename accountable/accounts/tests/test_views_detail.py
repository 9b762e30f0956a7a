"""The account page's tabs: what they show, who may see them, and their query counts."""

from typing import cast

import pytest
from django.urls import reverse

from accountable.accounts import services
from accountable.accounts.models import Account
from accountable.history.models import Event
from accountable.people.models import User
from tests.factories import AccountFactory, KamFactory, UserFactory, position

TABS = ("detail", "team", "history")


def url(name: str, account: Account) -> str:
    return reverse(f"accounts:{name}", args=[account.pk])


# --- Who may see the tabs ----------------------------------------------------------------------


@pytest.mark.parametrize("tab", TABS)
def test_anonymous_is_sent_to_login(client, programme, tab):
    # when
    response = client.get(url(tab, programme.account))
    # then
    assert response.status_code == 302
    assert response.url == f"/login/?next={url(tab, programme.account)}"


@pytest.mark.parametrize("tab", TABS)
def test_outsider_gets_404_as_if_the_account_did_not_exist(login, programme, tab):
    # when
    response = login(programme.outsider).get(url(tab, programme.account))
    # then
    assert response.status_code == 404
    assert "Acme" not in response.content.decode()


@pytest.mark.parametrize("tab", TABS)
def test_kam_gets_404_on_an_account_they_have_no_part_in(login, programme, tab):
    response = login(programme.kam).get(url(tab, programme.other_account))
    assert response.status_code == 404


@pytest.mark.parametrize("tab", TABS)
def test_unknown_account_is_404(login, programme, tab):
    response = login(programme.director).get(reverse(f"accounts:{tab}", args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["director", "executive", "kam", "member"])
@pytest.mark.parametrize("tab", TABS)
def test_people_with_a_part_in_the_account_can_read_every_tab(login, programme, persona, tab):
    # when
    response = login(getattr(programme, persona)).get(url(tab, programme.account))
    # then
    assert response.status_code == 200
    assert '<h1 data-testid="account-name">Acme Industries</h1>' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "sees_edit", "sees_director_actions"),
    [
        ("director", True, True),
        ("kam", True, False),
        ("executive", False, False),
        ("member", False, False),
    ],
)
def test_action_buttons_match_what_the_user_may_do(
    login, programme, persona, sees_edit, sees_director_actions
):
    # when
    body = login(getattr(programme, persona)).get(url("detail", programme.account)).content.decode()
    # then
    assert (f'href="{url("edit", programme.account)}"' in body) is sees_edit
    assert (f'href="{url("status", programme.account)}"' in body) is sees_director_actions
    assert (f'href="{url("owner", programme.account)}"' in body) is sees_director_actions


# --- Overview ----------------------------------------------------------------------------------


def test_overview_shows_status_owner_and_facts(login, programme):
    # when
    body = login(programme.member).get(url("detail", programme.account)).content.decode()
    # then
    assert 'data-testid="account-status">Key account</span>' in body
    assert (
        f'<a href="/people/{programme.kam.pk}/" data-testid="account-owner">Kim Owner</a>' in body
    )
    assert '<dd class="col-7">Chemicals</dd>' in body
    assert '<dd class="col-7">Germany</dd>' in body


def test_overview_gives_hints_for_an_empty_profile(login, programme):
    body = login(programme.kam).get(url("detail", programme.account)).content.decode()
    assert 'data-testid="profile-empty"' in body
    assert "Who decides, who influences, and how does a purchase get approved?" in body
    assert "0 of 7 filled" in body


def test_overview_shows_the_profile_text(login, programme):
    # given
    services.account_update(
        account=programme.account,
        actor=programme.kam,
        data={
            "business_model": "Sells resins to carmakers.",
            "decision_process": "The CFO signs above 1m.",
        },
    )
    # when
    body = login(programme.member).get(url("detail", programme.account)).content.decode()
    # then
    assert "Sells resins to carmakers." in body
    assert "The CFO signs above 1m." in body
    assert "2 of 7 filled" in body
    assert 'data-testid="profile-empty"' not in body


def test_overview_shows_external_ids(login, programme):
    body = login(programme.member).get(url("detail", programme.account)).content.decode()
    assert '<span class="badge text-bg-light border">crm</span> <code>ACME-1</code>' in body


def test_overview_shows_the_status_timeline_with_reasons(login, programme):
    # when
    body = login(programme.member).get(url("detail", programme.account)).content.decode()
    # then
    timeline = body.split('data-testid="status-timeline"')[1].split("</ol>")[0]
    assert timeline.index("Selected") < timeline.index("Account created")
    assert "director" in timeline


def test_overview_shows_a_cap_override_and_its_reason(login, programme):
    # given: kam already owns a key account; the director takes them over the cap
    extra = services.account_create(
        actor=programme.director, name="Hooli", programme_status="candidate"
    )
    services.account_change_status(
        account=extra,
        actor=programme.director,
        to_status="pilot",
        reason="Pilot",
        owner=programme.kam,
        cap_override_reason="Only KAM who speaks Finnish",
    )
    # when
    body = login(programme.kam).get(url("detail", extra)).content.decode()
    # then
    override = body.split('data-testid="cap-override"')[1].split("</div>")[0]
    assert "Only KAM who speaks Finnish" in override
    assert "Allowed by Dana Director" in override


def test_overview_lists_past_owners(login, programme):
    # given
    services.account_transfer_owner(
        account=programme.account,
        to_user=programme.other_kam,
        actor=programme.director,
        reason="Kim moves to Asia",
        cap_override_reason="Temporary",
    )
    # when
    body = login(programme.director).get(url("detail", programme.account)).content.decode()
    # then
    past = body.split('data-testid="past-owners"')[1].split("</ul>")[0]
    assert "Kim Owner" in past
    assert "Kim moves to Asia" in past


@pytest.fixture
def group(programme):
    """Acme under a holding, with two subsidiaries of its own; the KAM sees only Acme."""
    holding = AccountFactory(name="Acme Holding", employees=100, annual_revenue=1000)
    services.account_update(
        account=programme.account,
        actor=programme.director,
        data={"parent": holding, "employees": 50, "annual_revenue": 500},
    )
    programme.account.refresh_from_db()  # its root is now the holding's
    france = AccountFactory(
        name="Acme France", parent=programme.account, employees=20, annual_revenue=200
    )
    spain = AccountFactory(name="Acme Spain", parent=programme.account, employees=5)
    return holding, france, spain


def test_overview_shows_the_global_account_tree_with_rolled_up_figures(login, programme, group):
    # when
    body = login(programme.director).get(url("detail", programme.account)).content.decode()
    # then
    tree = body.split('data-testid="account-tree"')[1].split("</table>")[0]
    rows = tree.split("<tr")[2:]  # skip the header row
    assert [r.split("</td>")[0].count("Acme") for r in rows] == [1, 1, 1, 1]
    holding_row, acme_row, france_row, spain_row = rows
    assert "Acme Holding" in holding_row and ">175<" in holding_row  # 100 + 50 + 20 + 5
    assert ">1,700<" in holding_row  # revenue 1000 + 500 + 200
    assert "<strong>Acme Industries</strong>" in acme_row and ">75<" in acme_row
    assert 'aria-current="true"' in acme_row
    assert '<td class="num">3</td>' in acme_row  # accounts: itself and two subsidiaries
    assert "Acme France" in france_row and "Acme Spain" in spain_row


def test_tree_nodes_the_viewer_may_not_see_are_restricted_without_a_link(login, programme, group):
    # when
    body = login(programme.kam).get(url("detail", programme.account)).content.decode()
    # then
    tree = body.split('data-testid="account-tree"')[1].split("</table>")[0]
    assert tree.count("(restricted)") == 3
    assert "Acme Holding" not in tree and "Acme France" not in tree
    holding, france, _ = group
    assert f"/accounts/{holding.pk}/" not in tree
    assert f"/accounts/{france.pk}/" not in tree


def test_a_lone_account_explains_how_to_join_a_group(login, programme):
    body = login(programme.kam).get(url("detail", programme.account)).content.decode()
    assert "is not part of a global account" in body


# --- Team --------------------------------------------------------------------------------------


def test_team_tab_lists_members_with_position_kind_and_allocation(login, programme):
    # when
    body = login(programme.member).get(url("team", programme.account)).content.decode()
    # then
    team = body.split('data-testid="team-table"')[1].split("</table>")[0]
    assert 'Kim Owner</a> <span class="badge text-bg-primary">Owner</span>' in team
    assert "Mia Member" in team and "Sales rep" in team and "20 %" in team
    assert "Edit" not in team  # a member only reads


def test_team_tab_shows_the_raci_matrix(login, programme):
    # given
    member = programme.account.team_members.get(user=programme.member)
    services.responsibilities_set(
        member=member, actor=programme.kam, roles={"pricing": "A", "service": "C"}
    )
    # when
    body = login(programme.executive).get(url("team", programme.account)).content.decode()
    # then
    matrix = body.split('data-testid="raci-matrix"')[1].split("</table>")[0]
    mia = matrix.split("Mia Member")[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in mia.split("<td>")[1:]]
    assert ["A" in c and "raci-badge" in c for c in cells] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]
    assert [">C<" in c for c in cells] == [False, False, False, False, True, False]


def test_team_tab_offers_the_add_form_to_the_owner_only(login, programme):
    assert (
        'id="team-add-form"'
        in login(programme.kam).get(url("team", programme.account)).content.decode()
    )
    assert (
        'id="team-add-form"'
        not in login(programme.member).get(url("team", programme.account)).content.decode()
    )


# --- History -----------------------------------------------------------------------------------


def test_history_tab_shows_who_what_before_after_and_why(login, programme):
    # given
    services.account_update(
        account=programme.account,
        actor=programme.kam,
        data={"industry": "Plastics"},
        reason="They sold the chemicals arm",
    )
    # when
    body = login(programme.member).get(url("history", programme.account)).content.decode()
    # then
    first_row = body.split('data-testid="event-table"')[1].split("<tbody>")[1].split("</tr>")[0]
    assert "kam1" in first_row
    assert "Web page" not in first_row  # made from the shell in this test
    assert '<span class="change-before">Chemicals</span> →' in first_row
    assert '<span class="change-after">Plastics</span>' in first_row
    assert "They sold the chemicals arm" in first_row
    assert "Industry" in first_row


def test_history_tab_is_paginated(login, programme):
    # given: more events than a page holds
    for i in range(55):
        services.account_update(
            account=programme.account, actor=programme.kam, data={"region": f"R{i}"}
        )
    total = Event.objects.filter(account_id=programme.account.pk).count()
    # when
    first = login(programme.kam).get(url("history", programme.account)).content.decode()
    last = login(programme.kam).get(url("history", programme.account), {"page": 2}).content.decode()
    # then
    assert f"{total} changes, newest first" in first
    assert first.count("<time") == 50
    assert last.count("<time") == total - 50


# --- Query counts ------------------------------------------------------------------------------


@pytest.fixture
def bigger(programme, group):
    """Ten more team members with RACI roles, and two more subsidiaries."""
    for i in range(10):
        person = cast(User, UserFactory(username=f"extra{i}", position=position("inside-sales")))
        member = services.team_member_add(
            account=programme.account, user=person, actor=programme.director, allocation_pct=5
        )
        services.responsibilities_set(
            member=member, actor=programme.director, roles={"delivery": "R", "service": "I"}
        )
    france = Account.objects.get(name="Acme France")
    for i in range(2):
        AccountFactory(name=f"Acme France {i}", parent=france, employees=1)
    KamFactory(username="spare-kam")


# Session, user, the account (with the viewer's access to it, whoever they are), then per tab.
# Overview and Team: ownerships, team, RACI, the tree (accounts with their team sizes and
# whether the viewer may see each), status changes, external ids, programme settings; Team adds
# the positions of its add form for writers (the person is searched for, not listed). History:
# count, one page, current owner. Members get no add form.
QUERIES = {
    ("director", "detail"): 10,
    ("director", "team"): 11,
    ("director", "history"): 6,
    ("kam", "detail"): 10,
    ("kam", "team"): 11,
    ("kam", "history"): 6,
    ("member", "detail"): 10,
    ("member", "team"): 10,
    ("member", "history"): 6,
}


@pytest.mark.parametrize("size", ["small", "bigger"])
@pytest.mark.parametrize(("persona", "tab"), sorted(QUERIES))
def test_each_tab_runs_a_fixed_number_of_queries(
    login, programme, request, django_assert_num_queries, persona, tab, size
):
    # given
    if size == "bigger":
        request.getfixturevalue("bigger")
    client = login(getattr(programme, persona))
    # when / then
    with django_assert_num_queries(QUERIES[(persona, tab)]):
        response = client.get(url(tab, programme.account))
    assert response.status_code == 200
