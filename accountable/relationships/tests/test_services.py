import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accountable.accounts.services import buying_centre_create
from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.models import Event
from accountable.relationships import services
from accountable.relationships.models import Interaction, RelationshipOwner, Stakeholder


def test_a_reports_to_cycle_is_refused_with_the_chain(programme, org):
    # given CEO <- CFO <- buyer
    events = Event.objects.count()

    # when the CEO is made to report to the buyer
    with pytest.raises(ValidationFailed) as exc:
        services.stakeholder_update(stakeholder=org.ceo, actor=programme.kam, reports_to=org.buyer)

    # then
    assert exc.value.field == "reports_to"
    assert "Clara Chief → Pia Purchaser → Frank Finance → Clara Chief" in exc.value.message
    assert Stakeholder.objects.get(pk=org.ceo.pk).reports_to_id is None
    assert Event.objects.count() == events


def test_reporting_to_oneself_is_refused(programme, org):
    with pytest.raises(ValidationFailed):
        services.stakeholder_update(stakeholder=org.cfo, actor=programme.kam, reports_to=org.cfo)


def test_a_manager_from_another_account_is_refused(programme, org):
    other = services.stakeholder_create(
        account=programme.other_account, actor=programme.director, name="Gus Globex"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.stakeholder_create(
            account=programme.account, actor=programme.kam, name="X", reports_to=other
        )
    assert exc.value.field == "reports_to"


def test_a_buying_centre_of_another_account_is_refused(programme):
    centre = buying_centre_create(
        account=programme.other_account, actor=programme.director, name="Plastics"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.stakeholder_create(
            account=programme.account, actor=programme.kam, name="X", buying_centre=centre
        )
    assert exc.value.field == "buying_centre"


@pytest.mark.parametrize(
    ("field", "value"),
    [("influence", 0), ("influence", 6), ("attitude", "hostile"), ("buying_role", "boss")],
)
def test_out_of_range_fields_are_refused(programme, field, value):
    with pytest.raises(ValidationFailed) as exc:
        services.stakeholder_create(
            account=programme.account, actor=programme.kam, name="X", **{field: value}
        )
    assert exc.value.field == field
    assert not Stakeholder.objects.exists()


def test_every_stakeholder_change_is_recorded_with_before_and_after(programme, org):
    # when
    services.stakeholder_update(
        stakeholder=org.buyer, actor=programme.kam, attitude="enemy", reason="Lost the bid"
    )

    # then
    event = Event.objects.filter(object_type="relationships.stakeholder").latest("id")
    assert event.changes == {"attitude": ["Neutral", "Enemy"]}
    assert event.actor == programme.kam
    assert event.reason == "Lost the bid"
    assert event.account_id == programme.account.pk


def test_making_someone_primary_moves_the_role(programme, org):
    # given
    first = services.relationship_owner_set(
        stakeholder=org.cfo, user=programme.kam, actor=programme.kam, is_primary=True
    )

    # when
    services.relationship_owner_set(
        stakeholder=org.cfo, user=programme.member, actor=programme.kam, is_primary=True
    )

    # then
    first.refresh_from_db()
    assert first.is_primary is False
    assert list(
        RelationshipOwner.objects.filter(stakeholder=org.cfo, is_primary=True).values_list(
            "user", flat=True
        )
    ) == [programme.member.pk]


def test_the_database_refuses_a_second_primary_owner(programme, org):
    RelationshipOwner.objects.create(
        account=programme.account, stakeholder=org.cfo, user=programme.kam, is_primary=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipOwner.objects.create(
            account=programme.account, stakeholder=org.cfo, user=programme.member, is_primary=True
        )


def test_an_assessment_above_100_is_refused(programme, org):
    with pytest.raises(ValidationFailed) as exc:
        services.relationship_owner_set(
            stakeholder=org.cfo, user=programme.kam, actor=programme.kam, assessment=101
        )
    assert exc.value.field == "assessment"


def test_an_interaction_records_its_people_in_history(programme, org):
    # when
    interaction = services.interaction_log(
        account=programme.account,
        actor=programme.member,
        kind="meeting",
        summary="Quarterly review of supply",
        participants=[programme.member, programme.kam],
        stakeholders=[org.cfo, org.buyer],
        insights=[{"topic": "Energy prices", "reaction": "interested"}],
    )

    # then
    events = Event.objects.filter(
        object_type="relationships.interaction", object_id=str(interaction.pk)
    ).order_by("id")
    assert [e.action for e in events] == ["created", "updated"]
    assert events[1].changes == {
        "participants": [None, "Kim Owner, Mia Member"],
        "stakeholders": [None, "Frank Finance, Pia Purchaser"],
    }
    assert interaction.insights.get().topic == "Energy prices"
    assert interaction.business_unit == programme.member.business_unit


def test_an_interaction_with_a_stakeholder_of_another_account_is_refused(programme, org):
    other = services.stakeholder_create(
        account=programme.other_account, actor=programme.director, name="Gus Globex"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.interaction_log(
            account=programme.account,
            actor=programme.kam,
            kind="call",
            summary="Hello",
            participants=[programme.kam],
            stakeholders=[org.cfo, other],
        )
    assert exc.value.field == "stakeholders"
    assert not Interaction.objects.exists()


def test_an_interaction_in_the_future_is_refused(programme, org):
    with pytest.raises(ValidationFailed) as exc:
        services.interaction_log(
            account=programme.account,
            actor=programme.kam,
            kind="call",
            summary="Hello",
            participants=[programme.kam],
            stakeholders=[org.cfo],
            occurred_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert exc.value.field == "occurred_on"


def test_an_insight_without_a_topic_leaves_no_half_logged_interaction(programme, org):
    with pytest.raises(ValidationFailed):
        services.interaction_log(
            account=programme.account,
            actor=programme.kam,
            kind="call",
            summary="Hello",
            participants=[programme.kam],
            stakeholders=[org.cfo],
            insights=[{"topic": " "}],
        )
    assert not Interaction.objects.exists()


def test_a_stakeholder_with_interactions_cannot_be_deleted(programme, org):
    services.interaction_log(
        account=programme.account,
        actor=programme.kam,
        kind="call",
        summary="Hello",
        participants=[programme.kam],
        stakeholders=[org.cfo],
    )
    with pytest.raises(Conflict):
        services.stakeholder_delete(stakeholder=org.cfo, actor=programme.kam)


def test_settings_refuse_all_weights_zero(programme):
    with pytest.raises(ValidationFailed):
        services.relationship_settings_update(
            actor=programme.director,
            weight_recency=0,
            weight_frequency=0,
            weight_two_way=0,
            weight_depth=0,
            weight_seniority=0,
        )
