"""Buying centres: the customer's divisions and sites, with a tree that never loops."""

import pytest

from accountable.accounts import services
from accountable.accounts.models import BuyingCentre
from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.models import Event

pytestmark = pytest.mark.django_db


def test_a_buying_centre_is_created_and_recorded_in_history(programme):
    # when the KAM adds a division to their account
    centre = services.buying_centre_create(
        account=programme.account, actor=programme.kam, name=" Europe ", kind="division"
    )
    # then it is stored trimmed and the account's history shows who added it
    assert centre.name == "Europe"
    event = Event.objects.get(object_type="accounts.buyingcentre", object_id=str(centre.pk))
    assert event.account_id == programme.account.pk
    assert event.actor == programme.kam
    assert event.action == "created"


def test_a_duplicate_name_on_the_same_account_is_refused(programme):
    services.buying_centre_create(account=programme.account, actor=programme.kam, name="Europe")
    with pytest.raises(Conflict):
        services.buying_centre_create(account=programme.account, actor=programme.kam, name="europe")
    assert BuyingCentre.objects.filter(account=programme.account).count() == 1


def test_the_same_name_on_another_account_is_fine(programme):
    services.buying_centre_create(account=programme.account, actor=programme.kam, name="Europe")
    services.buying_centre_create(
        account=programme.other_account, actor=programme.other_kam, name="Europe"
    )
    assert BuyingCentre.objects.filter(name="Europe").count() == 2


def test_a_parent_from_another_account_is_refused(programme):
    foreign = services.buying_centre_create(
        account=programme.other_account, actor=programme.other_kam, name="Asia"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.buying_centre_create(
            account=programme.account, actor=programme.kam, name="Tokyo", parent=foreign
        )
    assert refused.value.field == "parent"


def test_a_loop_in_the_tree_is_refused_and_nothing_changes(programme):
    # given Europe > Germany > Munich
    europe = services.buying_centre_create(
        account=programme.account, actor=programme.kam, name="Europe"
    )
    germany = services.buying_centre_create(
        account=programme.account, actor=programme.kam, name="Germany", parent=europe
    )
    munich = services.buying_centre_create(
        account=programme.account, actor=programme.kam, name="Munich", kind="site", parent=germany
    )
    # when Europe is moved under Munich
    with pytest.raises(ValidationFailed) as refused:
        services.buying_centre_update(centre=europe, actor=programme.kam, parent=munich)
    # then it is refused and Europe stays at the top
    assert "cannot sit under itself" in refused.value.message
    europe.refresh_from_db()
    assert europe.parent_id is None


def test_a_centre_with_children_cannot_be_deleted(programme):
    europe = services.buying_centre_create(
        account=programme.account, actor=programme.kam, name="Europe"
    )
    services.buying_centre_create(
        account=programme.account, actor=programme.kam, name="Germany", parent=europe
    )
    with pytest.raises(Conflict):
        services.buying_centre_delete(centre=europe, actor=programme.kam)
    assert BuyingCentre.objects.filter(pk=europe.pk).exists()


def test_an_update_is_recorded_with_before_and_after(programme):
    centre = services.buying_centre_create(
        account=programme.account, actor=programme.kam, name="Europe"
    )
    services.buying_centre_update(
        centre=centre, actor=programme.kam, reason="renamed by the customer", name="EMEA"
    )
    event = Event.objects.get(
        object_type="accounts.buyingcentre", object_id=str(centre.pk), action="updated"
    )
    assert event.changes["name"] == ["Europe", "EMEA"]
    assert event.reason == "renamed by the customer"
