import pytest

from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.models import Event
from accountable.people.models import ApiToken, Position
from accountable.people.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    position_create,
    user_create,
    user_update,
)

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
