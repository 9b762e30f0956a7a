import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountable.history.models import Event
from accountable.relationships import services
from accountable.relationships.models import Interaction, Stakeholder


def test_the_cycle_is_shown_as_a_form_error_and_nothing_changes(programme, org, login):
    # given
    client = login(programme.kam)
    events = Event.objects.count()

    # when
    response = client.post(
        f"/stakeholders/{org.ceo.pk}/edit/",
        {
            "name": "Clara Chief",
            "seniority": 5,
            "influence": 3,
            "attitude": "neutral",
            "reports_to": org.buyer.pk,
        },
    )

    # then
    assert response.status_code == 200
    assert "go round in a circle" in response.content.decode()
    assert response.context["form"].errors["reports_to"]
    assert Stakeholder.objects.get(pk=org.ceo.pk).reports_to_id is None
    assert Event.objects.count() == events


def test_a_stakeholder_without_a_name_is_a_form_error(programme, login):
    response = login(programme.kam).post(
        f"/accounts/{programme.account.pk}/stakeholders/new/",
        {"name": "", "seniority": 2, "influence": 3, "attitude": "neutral"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Stakeholder.objects.exists()


def test_the_stakeholder_list_shows_roles_owner_and_costs_fixed_queries(programme, org, login):
    # given
    services.relationship_owner_set(
        stakeholder=org.cfo, user=programme.kam, actor=programme.kam, is_primary=True, assessment=70
    )
    client = login(programme.member)
    client.get(f"/accounts/{programme.account.pk}/stakeholders/")  # warm session, caches

    # when
    with CaptureQueriesContext(connection) as few:
        response = client.get(f"/accounts/{programme.account.pk}/stakeholders/")
    for i in range(20):
        services.stakeholder_create(
            account=programme.account, actor=programme.kam, name=f"Person {i}", reports_to=org.ceo
        )
    with CaptureQueriesContext(connection) as many:
        client.get(f"/accounts/{programme.account.pk}/stakeholders/")

    # then
    html = response.content.decode()
    assert "Frank Finance" in html and "Economic buyer" in html and "Kim Owner" in html
    assert len(many) == len(few)


def test_a_team_member_logs_an_interaction_that_shows_in_the_feed(programme, org, login):
    # given
    client = login(programme.member)

    # when
    response = client.post(
        f"/accounts/{programme.account.pk}/interactions/new/",
        {
            "occurred_on": "2025-01-15",
            "kind": "call",
            "direction": "theirs",
            "participants": [programme.member.pk],
            "stakeholders": [org.buyer.pk],
            "summary": "Asked for a quote on resins",
            "insight_topic": "Freight consolidation",
            "insight_reaction": "interested",
        },
    )

    # then
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.logged_by == programme.member
    feed = client.get(f"/accounts/{programme.account.pk}/activity/").content.decode()
    assert "Asked for a quote on resins" in feed
    assert "Freight consolidation" in feed


@pytest.mark.parametrize("persona", ["executive"])
def test_someone_not_on_the_team_cannot_log(programme, org, login, persona):
    response = login(getattr(programme, persona)).get(
        f"/accounts/{programme.account.pk}/interactions/new/"
    )
    assert response.status_code == 403
