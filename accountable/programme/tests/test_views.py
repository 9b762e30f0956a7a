"""The programme settings page: director only; the cap, positions and business units."""

import pytest
from django.urls import reverse

from accountable.history.models import Event
from accountable.people.models import BusinessUnit, Position
from accountable.programme.models import ProgrammeSettings

SETTINGS = reverse("programme:settings")
POSTS = {
    "cap": (SETTINGS, {"key_accounts_per_kam_cap": 3, "reason": "Bigger programme"}),
    "position": (
        reverse("programme:position_add"),
        {"name": "Bid manager", "can_own_accounts": "on"},
    ),
    "business_unit": (reverse("programme:business_unit_add"), {"name": "Aerospace", "code": "AER"}),
}


def state() -> tuple:
    return (
        Event.objects.count(),
        ProgrammeSettings.objects.get(pk=1).key_accounts_per_kam_cap,
        sorted(Position.objects.values_list("name", "can_own_accounts")),
        sorted(BusinessUnit.objects.values_list("name", "code")),
    )


def test_anonymous_get_is_sent_to_login(client, programme):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response.url == f"/login/?next={SETTINGS}"


@pytest.mark.parametrize("form", sorted(POSTS))
def test_anonymous_post_is_sent_to_login_and_nothing_changes(client, programme, form):
    # given
    url, data = POSTS[form]
    before = state()
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert state() == before


@pytest.mark.parametrize("persona", ["executive", "kam", "member", "outsider"])
def test_only_a_director_sees_the_settings(login, programme, persona):
    response = login(getattr(programme, persona)).get(SETTINGS)
    assert response.status_code == 403
    assert (
        "Only a programme director can change the programme&#x27;s settings."
        in response.content.decode()
    )


@pytest.mark.parametrize("persona", ["executive", "kam", "member", "outsider"])
@pytest.mark.parametrize("form", sorted(POSTS))
def test_others_cannot_post_and_nothing_changes(login, programme, persona, form):
    # given
    url, data = POSTS[form]
    before = state()
    # when
    response = login(getattr(programme, persona)).post(url, data)
    # then
    assert response.status_code == 403
    assert state() == before


def test_director_sees_cap_positions_and_units(login, programme):
    body = login(programme.director).get(SETTINGS).content.decode()
    assert '<strong data-testid="current-cap">1</strong>' in body
    positions = body.split('data-testid="positions"')[1].split("</table>")[0]
    assert "<td>Key account manager</td><td>Yes</td>" in positions
    assert '<td>Sales rep</td><td><span class="text-muted">No</span></td>' in positions
    assert "<td>Industrial</td><td><code>IND</code></td>" in body


def test_director_changes_the_cap(login, programme):
    # when
    url, data = POSTS["cap"]
    response = login(programme.director).post(url, data, follow=True)
    # then
    assert ProgrammeSettings.objects.get(pk=1).key_accounts_per_kam_cap == 3
    assert "Saved the cap: 3 pilot or key account(s) per KAM." in response.content.decode()
    event = Event.objects.filter(object_type="programme.programmesettings").latest("id")
    assert (event.actor, event.changes, event.reason) == (
        programme.director,
        {"key_accounts_per_kam_cap": [1, 3]},
        "Bigger programme",
    )


def test_a_cap_below_one_is_refused_and_keeps_the_reason(login, programme):
    # given
    before = state()
    # when
    response = login(programme.director).post(
        SETTINGS, {"key_accounts_per_kam_cap": 0, "reason": "Typo here"}
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in body
    assert 'value="Typo here"' in body
    assert state() == before


def test_director_adds_a_position_that_may_own_accounts(login, programme):
    # when
    url, data = POSTS["position"]
    response = login(programme.director).post(url, data)
    # then
    assert response.status_code == 302
    position = Position.objects.get(name="Bid manager")
    assert position.can_own_accounts is True
    event = Event.objects.filter(object_type="people.position", object_id=str(position.pk)).get()
    assert (event.actor, event.action) == (programme.director, "created")


def test_a_duplicate_position_is_refused(login, programme):
    # given
    before = state()
    # when
    response = login(programme.director).post(
        reverse("programme:position_add"), {"name": "sales rep"}
    )
    # then
    assert "There is already a position called &#x27;sales rep&#x27;." in response.content.decode()
    assert state() == before


def test_director_adds_a_business_unit(login, programme):
    # when
    url, data = POSTS["business_unit"]
    response = login(programme.director).post(url, data)
    # then
    assert response.status_code == 302
    unit = BusinessUnit.objects.get(code="AER")
    event = Event.objects.filter(object_type="people.businessunit", object_id=str(unit.pk)).get()
    assert event.actor == programme.director


def test_a_duplicate_business_unit_is_refused(login, programme):
    before = state()
    response = login(programme.director).post(
        reverse("programme:business_unit_add"), {"name": "Industrial", "code": "IND2"}
    )
    assert "A business unit with that name or code exists." in response.content.decode()
    assert state() == before


def test_add_forms_accept_only_post(login, programme):
    assert login(programme.director).get(reverse("programme:position_add")).status_code == 405


def test_settings_page_runs_a_fixed_number_of_queries(login, programme, django_assert_num_queries):
    # session, user, settings, positions, business units
    client = login(programme.director)
    with django_assert_num_queries(5):
        client.get(SETTINGS)
