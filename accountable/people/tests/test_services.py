import pytest

from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.models import Event
from accountable.people.models import ApiToken, Position, User
from accountable.people.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    position_create,
    user_create,
    user_update,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_director_extends_the_list_of_positions(programme):
    position = position_create(actor=programme.director, name="Pricing analyst")
    assert position.slug == "pricing-analyst"
    assert not position.can_own_accounts
    event = Event.objects.filter(object_type="people.position").latest("id")
    assert (event.action, event.actor) == ("created", programme.director)


def test_a_duplicate_position_is_refused(programme):
    with pytest.raises(Conflict):
        position_create(actor=programme.director, name="key account manager")
    assert Position.objects.filter(name__iexact="key account manager").count() == 1


def test_a_manager_loop_is_refused(programme):
    user_update(actor=programme.director, user=programme.member, manager=programme.kam)
    with pytest.raises(ValidationFailed) as refused:
        user_update(actor=programme.director, user=programme.kam, manager=programme.member)
    assert refused.value.field == "manager"
    programme.kam.refresh_from_db()
    assert programme.kam.manager is None


def test_a_weak_password_is_refused_and_no_user_is_created(programme):
    with pytest.raises(ValidationFailed):
        user_create(actor=programme.director, username="newbie", password="123")
    assert not Event.objects.filter(object_repr="newbie").exists()


def test_tokens_are_stored_hashed_and_can_be_revoked(programme):
    # given a new token
    token, raw = api_token_create(user=programme.kam, name="laptop")
    # then only its digest is stored, and it authenticates its user
    assert raw not in {token.digest, token.prefix}
    assert ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).exists()
    assert api_token_authenticate(raw) == programme.kam
    # when revoked, it no longer authenticates
    api_token_revoke(token=token)
    assert api_token_authenticate(raw) is None


def test_an_inactive_users_token_does_not_authenticate(programme):
    _, raw = api_token_create(user=programme.kam)
    user_update(actor=programme.director, user=programme.kam, is_active=False)
    assert api_token_authenticate(raw) is None


def test_a_director_cannot_take_away_their_own_director_role(programme):
    # given a second director, so the programme would not be left without one
    UserFactory.create(username="director2", role=User.Role.DIRECTOR)
    # when the director demotes themselves
    with pytest.raises(Conflict) as refused:
        user_update(actor=programme.director, user=programme.director, role="standard")
    # then it is refused and they stay a director
    assert "ask another programme director" in refused.value.message
    programme.director.refresh_from_db()
    assert programme.director.role == User.Role.DIRECTOR


def test_a_director_cannot_deactivate_themselves(programme):
    UserFactory.create(username="director2", role=User.Role.DIRECTOR)
    with pytest.raises(Conflict):
        user_update(actor=programme.director, user=programme.director, is_active=False)
    programme.director.refresh_from_db()
    assert programme.director.is_active


def test_the_last_active_director_cannot_be_demoted_by_anyone(programme):
    # given the only director, and a shell session acting without a user
    with pytest.raises(Conflict) as refused:
        user_update(actor=None, user=programme.director, role="executive")
    assert "last active programme director" in refused.value.message
    programme.director.refresh_from_db()
    assert programme.director.role == User.Role.DIRECTOR


def test_another_director_can_demote_a_director(programme):
    second = UserFactory.create(username="director2", role=User.Role.DIRECTOR)
    user_update(actor=programme.director, user=second, role="standard", reason="left")
    second.refresh_from_db()
    assert second.role == User.Role.STANDARD


def test_a_director_may_edit_their_own_other_fields(programme):
    user_update(actor=programme.director, user=programme.director, first_name="Dee")
    programme.director.refresh_from_db()
    assert programme.director.first_name == "Dee"
