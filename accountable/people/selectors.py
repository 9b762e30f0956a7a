"""Reads of our people's own things that only they (and directors) may see: their API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accountable.people.models import ApiToken, User


def api_tokens_visible_to(*, viewer: Any) -> QuerySet[ApiToken]:
    """A person sees their own tokens; a programme director sees everyone's."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    return tokens if viewer.is_director else tokens.filter(user=viewer)


def api_token_get_for_user(*, viewer: Any, id: int) -> ApiToken:
    """A token the viewer may see and revoke; anyone else's does not exist for them (404)."""
    token = api_tokens_visible_to(viewer=viewer).filter(pk=id).first()
    if token is None:
        raise Http404("No such API token.")
    return token


def api_token_owner_for_user(*, viewer: Any, id: int) -> User:
    """The person whose tokens page this is: the viewer's own, or anyone's for a director."""
    if viewer.pk != id and not viewer.is_director:
        raise Http404("No such page.")
    person = User.objects.filter(pk=id).first()
    if person is None:
        raise Http404("No such person.")
    return person
