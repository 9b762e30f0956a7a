"""Programme settings through the API."""

from __future__ import annotations

import pytest

from accountable.history.models import Event
from accountable.programme.models import ProgrammeSettings
from tests.api.conftest import error_of, last_event

SETTINGS = "/api/v1/programme-settings"


def test_everyone_reads_the_cap(api, world) -> None:
    # when
    response = api.as_("member").get(SETTINGS)

    # then
    assert response.status_code == 200
    assert response.json()["key_accounts_per_kam_cap"] == 1


def test_director_raises_the_cap_and_history_keeps_the_reason(api, world) -> None:
    # when
    response = api.as_("director").patch(
        SETTINGS, {"key_accounts_per_kam_cap": 2, "reason": "Bigger pilots"}
    )

    # then
    assert response.status_code == 200
    assert response.json()["key_accounts_per_kam_cap"] == 2
    assert ProgrammeSettings.objects.get().key_accounts_per_kam_cap == 2
    event = last_event(object_type="programme.programmesettings")
    assert event.changes["key_accounts_per_kam_cap"] == [1, 2]
    assert (event.actor_id, event.source, event.reason) == (
        world.director.pk,
        "api",
        "Bigger pilots",
    )


def test_an_empty_patch_changes_nothing(api, world) -> None:
    # given
    events = Event.objects.count()

    # when
    response = api.as_("director").patch(SETTINGS, {})

    # then
    assert response.status_code == 200
    assert response.json()["key_accounts_per_kam_cap"] == 1
    assert Event.objects.count() == events


@pytest.mark.parametrize("value", [0, -3, 40000, "two", None, 1.5])
def test_the_cap_must_be_a_whole_number_of_at_least_one(api, world, value) -> None:
    # when
    response = api.as_("director").patch(SETTINGS, {"key_accounts_per_kam_cap": value})

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["key_accounts_per_kam_cap"]
    assert ProgrammeSettings.objects.get().key_accounts_per_kam_cap == 1
