import datetime as dt

import pytest

from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.models import Event
from accountable.notifications.models import Alert
from accountable.notifications.services import alert_add_to_team, alert_dismiss
from accountable.relationships import services


@pytest.fixture
def cfo(programme):
    return services.stakeholder_create(
        account=programme.account,
        actor=programme.director,
        name="Frank Finance",
        buying_role="economic_buyer",
    )


def _log(programme, cfo, participants):
    return services.interaction_log(
        account=programme.account,
        actor=programme.member,
        kind="meeting",
        summary="Review",
        participants=participants,
        stakeholders=[cfo],
    )


def test_someone_outside_the_team_in_an_interaction_alerts_the_owner_and_director(programme, cfo):
    # when
    _log(programme, cfo, [programme.member, programme.outsider])

    # then
    alert = Alert.objects.get()
    assert alert.kind == "silo"
    assert alert.subject_user == programme.outsider
    assert "Oscar Outsider is not on the Acme Industries team" in alert.message
    assert set(alert.recipients.all()) == {programme.kam, programme.director}


def test_the_team_alone_raises_nothing_and_one_open_alert_is_enough(programme, cfo):
    _log(programme, cfo, [programme.member, programme.kam])
    assert not Alert.objects.exists()
    _log(programme, cfo, [programme.outsider])
    _log(programme, cfo, [programme.outsider])
    assert Alert.objects.count() == 1


def test_add_to_team_puts_them_on_the_team_and_resolves_it(programme, cfo):
    _log(programme, cfo, [programme.outsider])
    alert = alert_add_to_team(alert=Alert.objects.get(), actor=programme.kam)
    assert programme.account.team_members.filter(user=programme.outsider).exists()
    assert alert.resolution == "added"
    with pytest.raises(Conflict):
        alert_dismiss(alert=alert, actor=programme.kam, reason="Too late")


def test_dismissing_needs_a_reason_and_is_recorded(programme, cfo):
    _log(programme, cfo, [programme.outsider])
    alert = Alert.objects.get()
    with pytest.raises(ValidationFailed):
        alert_dismiss(alert=alert, actor=programme.kam, reason=" ")
    alert_dismiss(alert=alert, actor=programme.kam, reason="Partner from logistics")
    event = Event.objects.filter(object_type="notifications.alert").latest("id")
    assert event.reason == "Partner from logistics"
    assert event.changes["resolution"] == [None, "Dismissed"]


def test_the_economic_buyer_leaving_raises_an_alert(programme, cfo):
    services.stakeholder_update(
        stakeholder=cfo, actor=programme.kam, left_at=dt.date.today() - dt.timedelta(days=1)
    )
    alert = Alert.objects.get()
    assert alert.kind == "stakeholder_left"
    assert "the economic buyer is gone" in alert.message


def test_the_notification_list_shows_a_recipient_their_alerts_only(programme, cfo, login):
    _log(programme, cfo, [programme.outsider])
    assert (
        "Oscar Outsider is not on" in login(programme.kam).get("/notifications/").content.decode()
    )
    assert (
        "Oscar Outsider is not on"
        not in login(programme.member).get("/notifications/").content.decode()
    )


def test_the_digest_emails_each_recipient_their_open_alerts(programme, cfo):
    from django.core import mail
    from django.core.management import call_command

    programme.kam.email = "kim@example.com"
    programme.kam.save()
    _log(programme, cfo, [programme.outsider])
    call_command("digest")
    to_kim = [m for m in mail.outbox if m.to == ["kim@example.com"]]
    assert len(to_kim) == 1
    assert "Oscar Outsider is not on the Acme Industries team" in to_kim[0].body
