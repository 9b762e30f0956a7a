import pytest

from accountable.core.errors import ValidationFailed
from accountable.history.models import Event
from accountable.programme.models import ProgrammeSettings
from accountable.programme.services import programme_settings_get, programme_settings_update

pytestmark = pytest.mark.django_db


def test_the_cap_defaults_to_one_key_account_per_kam():
    assert programme_settings_get().key_accounts_per_kam_cap == 1


def test_changing_the_cap_is_recorded_with_its_reason(programme):
    programme_settings_update(
        actor=programme.director, key_accounts_per_kam_cap=3, reason="Mid-market KAMs carry three"
    )
    event = Event.objects.filter(object_type="programme.programmesettings").latest("id")
    assert event.changes == {"key_accounts_per_kam_cap": [1, 3]}
    assert (event.actor, event.reason) == (programme.director, "Mid-market KAMs carry three")


def test_a_cap_below_one_is_refused(programme):
    with pytest.raises(ValidationFailed):
        programme_settings_update(actor=programme.director, key_accounts_per_kam_cap=0)
    assert ProgrammeSettings.objects.get().key_accounts_per_kam_cap == 1
