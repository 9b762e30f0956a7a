"""The account list page: who sees what, search, filters, sort, pages, htmx, query count."""

import re
from typing import cast

import pytest
from django.urls import reverse

from accountable.accounts import services
from accountable.accounts.models import Account
from accountable.accounts.selectors import account_distinct_values, account_visible_queryset
from tests.factories import AccountFactory, KamFactory

LIST = "/accounts/"


def names_in(response) -> list[str]:
    """Account names in the result table, in display order."""
    table = response.content.decode().split('data-testid="account-table"', 1)
    if len(table) < 2:
        return []
    return re.findall(r'<td><a href="/accounts/\d+/">([^<]+)</a></td>', table[1])


@pytest.fixture
def more_accounts(programme):
    """`n` extra accounts; every third one owned by a KAM, so the owner column has work."""

    def make(n: int, *, owner=None) -> list[Account]:
        created = []
        for i in range(n):
            account = cast(
                Account, AccountFactory(name=f"Extra {i:03d}", industry="Logistics", country="FR")
            )
            if owner is not None or i % 3 == 0:
                services.account_assign_owner(
                    account=account, user=owner or programme.kam, actor=programme.director
                )
            created.append(account)
        return created

    return make


def test_anonymous_is_sent_to_login(client, programme):
    # when
    response = client.get(LIST)
    # then
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={LIST}"


def test_director_sees_every_account_sorted_by_name(login, programme):
    # when
    response = login(programme.director).get(LIST)
    # then
    assert response.status_code == 200
    assert names_in(response) == ["Acme Industries", "Globex", "Initech"]


def test_executive_sees_every_account(login, programme):
    response = login(programme.executive).get(LIST)
    assert names_in(response) == ["Acme Industries", "Globex", "Initech"]


def test_kam_sees_only_the_account_they_own(login, programme):
    response = login(programme.kam).get(LIST)
    assert names_in(response) == ["Acme Industries"]


def test_member_sees_only_the_account_whose_team_they_are_on(login, programme):
    response = login(programme.member).get(LIST)
    assert names_in(response) == ["Acme Industries"]


def test_outsider_sees_no_account_and_is_told_what_to_do(login, programme):
    # when
    response = login(programme.outsider).get(LIST)
    # then
    assert names_in(response) == []
    assert "ask your programme director to add you to an account team" in response.content.decode()


def test_search_by_part_of_the_name(login, programme):
    response = login(programme.director).get(LIST, {"q": "glob"})
    assert names_in(response) == ["Globex"]


def test_search_that_finds_nothing_says_so_and_offers_to_clear(login, programme):
    # when
    response = login(programme.director).get(LIST, {"q": "nothing-like-this"})
    # then
    body = response.content.decode()
    assert names_in(response) == []
    assert "No account matches “nothing-like-this”" in body
    assert "Clear the search and filters" in body


def test_status_filter_takes_several_statuses(login, programme):
    response = login(programme.director).get(LIST + "?status=pilot&status=prospect")
    assert names_in(response) == ["Globex", "Initech"]


def test_tier_filter(login, programme):
    # given
    services.account_update(
        account=programme.prospect, actor=programme.director, data={"tier": "2"}
    )
    # when
    response = login(programme.director).get(LIST, {"tier": "2"})
    # then
    assert names_in(response) == ["Initech"]


def test_owner_filter(login, programme):
    response = login(programme.director).get(LIST, {"owner": programme.other_kam.pk})
    assert names_in(response) == ["Globex"]


def test_industry_country_and_region_filters(login, programme):
    # given
    services.account_update(
        account=programme.prospect,
        actor=programme.director,
        data={"region": "EMEA", "industry": "Chemicals", "country": "DE"},
    )
    client = login(programme.director)
    # when / then
    assert names_in(client.get(LIST, {"industry": "chemicals"})) == ["Acme Industries", "Initech"]
    assert names_in(client.get(LIST, {"country": "de", "region": "emea"})) == ["Initech"]


def test_business_unit_filter_finds_accounts_our_unit_works_on(login, programme):
    # given: kam and member both belong to the Industrial unit and work on Acme only
    unit = programme.kam.business_unit
    # when
    response = login(programme.director).get(LIST, {"business_unit": unit.pk})
    # then
    assert names_in(response) == ["Acme Industries"]


def test_filter_options_come_from_the_accounts_the_user_may_see(login, programme):
    # given
    services.account_update(
        account=programme.other_account,
        actor=programme.director,
        data={"industry": "Secret Industry"},
    )
    # when
    body = login(programme.kam).get(LIST).content.decode()
    # then
    assert '<option value="Chemicals">Chemicals</option>' in body
    assert "Secret Industry" not in body


def test_invalid_filter_value_shows_a_warning_and_no_rows(login, programme):
    # when
    response = login(programme.director).get(LIST, {"owner": "999999"})
    # then
    assert response.status_code == 200
    assert names_in(response) == []
    assert "Some filters could not be used" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Acme Industries", "Globex", "Initech"]),
        ("-name", ["Initech", "Globex", "Acme Industries"]),
        # in programme order (prospect → candidate → pilot → key account → exited), which
        # is the reverse of the stored codes' alphabetical order for these three
        ("status", ["Initech", "Globex", "Acme Industries"]),
        ("-status", ["Acme Industries", "Globex", "Initech"]),
        ("unknown", ["Acme Industries", "Globex", "Initech"]),
    ],
)
def test_sort_by_column(login, programme, sort, expected):
    response = login(programme.director).get(LIST, {"sort": sort})
    assert names_in(response) == expected


def test_sort_by_owner_puts_unowned_accounts_first(login, programme):
    # owners: Acme → Kim Owner, Globex → Kai Other, Initech → none
    response = login(programme.director).get(LIST, {"sort": "owner"})
    assert names_in(response) == ["Initech", "Globex", "Acme Industries"]


def test_sorted_column_header_links_to_the_reverse_order(login, programme):
    # when
    body = login(programme.director).get(LIST, {"sort": "name", "q": "a"}).content.decode()
    # then
    assert 'aria-sort="ascending"' in body
    assert 'href="?sort=-name&amp;q=a"' in body


def test_owner_column_names_the_current_owner(login, programme):
    body = login(programme.director).get(LIST).content.decode()
    assert f'<a href="/people/{programme.kam.pk}/">Kim Owner</a>' in body
    assert f'<a href="/people/{programme.other_kam.pk}/">Kai Other</a>' in body


def test_pages_hold_fifty_accounts(login, programme, more_accounts):
    # given: 3 + 57 = 60 accounts
    more_accounts(57)
    client = login(programme.director)
    # when
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    # then
    assert len(names_in(first)) == 50
    assert len(names_in(second)) == 10
    assert "showing 51–60" in second.content.decode()


def test_page_number_out_of_range_shows_the_last_page(login, programme, more_accounts):
    more_accounts(57)
    response = login(programme.director).get(LIST, {"page": 99})
    assert len(names_in(response)) == 10


def test_htmx_filter_request_gets_only_the_results_fragment(login, programme):
    # when
    response = login(programme.director).get(
        LIST, {"status": "pilot"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="account-results"
    )
    # then
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="account-results"')
    assert "<html" not in body
    assert names_in(response) == ["Globex"]
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(login, programme):
    response = login(programme.director).get(
        LIST,
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="account-results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_filter_form_works_without_javascript(login, programme):
    # the form is a plain GET form to the list with a submit button
    body = login(programme.director).get(LIST).content.decode()
    assert 'method="get" action="/accounts/"' in body
    assert '<button type="submit" class="btn btn-sm btn-primary">Apply</button>' in body


# Queries for one list page: session, user, count, page of rows, owners of the page, and for
# the whole page the filter choices: industries, countries, owners, business units.
DIRECTOR_LIST_QUERIES = 9
# A KAM's visibility filter is inside the same queries; the count does not change.
KAM_LIST_QUERIES = 9
FRAGMENT_QUERIES = 5


@pytest.mark.parametrize("extra", [0, 57])
def test_list_runs_a_fixed_number_of_queries_for_a_director(
    login, programme, more_accounts, django_assert_num_queries, extra
):
    # given: 3 or 60 accounts
    more_accounts(extra)
    client = login(programme.director)
    # when / then
    with django_assert_num_queries(DIRECTOR_LIST_QUERIES):
        response = client.get(LIST)
    assert len(names_in(response)) == min(50, 3 + extra)


@pytest.mark.parametrize("extra", [0, 57])
def test_list_runs_a_fixed_number_of_queries_for_a_kam(
    login, programme, more_accounts, django_assert_num_queries, extra
):
    # given: the KAM owns 1 or 58 accounts
    more_accounts(extra, owner=programme.kam)
    client = login(programme.kam)
    # when / then
    with django_assert_num_queries(KAM_LIST_QUERIES):
        response = client.get(LIST, {"sort": "owner"})
    assert len(names_in(response)) == min(50, 1 + extra)


@pytest.mark.parametrize("extra", [0, 57])
def test_htmx_fragment_runs_a_fixed_number_of_queries(
    login, programme, more_accounts, django_assert_num_queries, extra
):
    more_accounts(extra)
    client = login(programme.director)
    with django_assert_num_queries(FRAGMENT_QUERIES):
        client.get(
            LIST,
            {"q": "e", "status": ["prospect", "key_account"]},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="account-results",
        )


def test_new_account_button_only_for_directors(login, programme):
    assert "New account" in login(programme.director).get(LIST).content.decode()
    assert "New account" not in login(programme.kam).get(LIST).content.decode()


def test_other_kam_exists_only_as_a_filter_choice(login, programme):
    # A second KAM with no accounts is offered in the owner filter (a director's tool).
    KamFactory(username="kam9", first_name="Nia", last_name="Newcomer")
    body = login(programme.director).get(LIST).content.decode()
    assert ">Nia Newcomer</option>" in body


def test_a_submitted_filter_form_with_empty_fields_filters_nothing(login, programme):
    # given: what a browser sends when only the search box is filled in
    query = "sort=name&q=&tier=&owner=&industry=&country=&region=&business_unit="
    # when
    response = login(programme.director).get(f"{LIST}?{query}")
    # then
    assert names_in(response) == ["Acme Industries", "Globex", "Initech"]
    assert "Some filters could not be used" not in response.content.decode()


def test_htmx_results_push_the_address_without_empty_fields(login, programme):
    response = login(programme.director).get(
        f"{LIST}?sort=name&q=glob&tier=&owner=&status=pilot",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="account-results",
    )
    assert response["HX-Push-Url"] == "/accounts/?sort=name&q=glob&status=pilot"
    assert names_in(response) == ["Globex"]


def test_page_links_keep_the_filters_in_use(login, programme, more_accounts):
    more_accounts(57)
    body = login(programme.director).get(LIST, {"industry": "Logistics", "tier": ""}).content
    assert 'href="?industry=Logistics&amp;page=2"' in body.decode()


@pytest.mark.parametrize("persona", ["director", "kam"])
def test_distinct_values_match_a_plain_distinct_for_every_persona(programme, persona):
    # given accounts in several industries, some empty, some repeated
    for industry in ["Oil", "Banking", "", "Oil", "Zinc mining", "Äpfel"]:
        AccountFactory.create(industry=industry)
    user = getattr(programme, persona)
    # when
    values = account_distinct_values(user=user, field="industry")
    # then the skip scan (director) and the plain DISTINCT (KAM) agree with a naive DISTINCT in
    # the database's own collation
    naive = account_visible_queryset(user=user).exclude(industry="").order_by("industry")
    assert values == list(naive.values_list("industry", flat=True).distinct())
    if persona == "director":
        assert {"Oil", "Banking", "Zinc mining", "Äpfel"} <= set(values)


def test_the_chosen_filters_stay_selected_whatever_their_case(login, programme):
    # when the director filters by owner, industry (lower case) and country (lower case)
    body = (
        login(programme.director)
        .get(LIST, {"owner": programme.kam.pk, "industry": "chemicals", "country": "de"})
        .content.decode()
    )
    # then the selects show those choices
    assert f'<option value="{programme.kam.pk}" selected>Kim Owner</option>' in body
    assert '<option value="Chemicals" selected>Chemicals</option>' in body
    assert '<option value="DE" selected>Germany</option>' in body


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Acme Industries", "Acme Subsidiary"]),
        ("-name", ["Acme Subsidiary", "Acme Industries"]),
    ],
)
def test_a_search_keeps_the_chosen_order(login, programme, sort, expected):
    # given a second account matching the search (PostgreSQL sorts searches by an expression)
    AccountFactory.create(name="Acme Subsidiary")
    # when
    response = login(programme.director).get(LIST, {"q": "acme", "sort": sort})
    # then
    assert names_in(response) == expected


# --- the account lookup (choosing a parent by name) ---

LOOKUP = "/accounts/lookup/"


def test_the_lookup_lists_matching_accounts_that_fill_the_named_field(login, programme):
    body = login(programme.director).get(LOOKUP, {"q": "glob", "for": "id_parent"}).content
    html = body.decode()
    assert 'data-fill-target="id_parent"' in html
    assert f'data-fill-value="{programme.other_account.pk}"' in html
    assert 'data-fill-label="Globex"' in html
    assert "Acme" not in html


def test_the_lookup_finds_an_account_by_its_number(login, programme):
    html = login(programme.director).get(LOOKUP, {"q": str(programme.prospect.pk)}).content
    assert b"Initech" in html


def test_the_lookup_shows_only_accounts_the_user_may_see(login, programme):
    # kam has no part in Globex or Initech
    html = login(programme.kam).get(LOOKUP, {"q": "glob"}).content.decode()
    assert "Globex" not in html
    assert "Nothing you can see matches" in html
    html = login(programme.outsider).get(LOOKUP, {"q": "acme"}).content.decode()
    assert "Acme" not in html


def test_the_lookup_refuses_an_unsafe_field_name(login, programme):
    html = login(programme.director).get(LOOKUP, {"q": "glob", "for": '"><script>'}).content
    assert b"<script>" not in html
    assert b'data-fill-target=""' in html


def test_the_lookup_needs_a_sign_in(client, programme):
    response = client.get(LOOKUP, {"q": "acme"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
