"""API fixtures: a token per persona and a client that speaks JSON with `Bearer` auth.

The personas are the root conftest's `programme`, plus the anonymous caller (no token) and a
revoked token (the director's, so that a refusal cannot come from the role).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from accountable.accounts import services as account_services
from accountable.accounts.models import Account
from accountable.history.models import Event
from accountable.people.models import User
from accountable.people.services import api_token_create, api_token_revoke
from tests.factories import KamFactory

PERSONAS = ("director", "executive", "kam", "member", "outsider", "anonymous", "revoked")


@dataclass
class World:
    """The root `programme` and the extra accounts the workflow endpoints need."""

    director: User
    executive: User
    kam: User
    member: User
    outsider: User
    other_kam: User
    spare_kam: User  # a KAM who owns nothing: room under the cap
    account: Account  # key account owned by kam, member on its team
    other_account: Account  # pilot owned by other_kam
    prospect: Account  # unowned prospect only director/executive see
    candidate: Account  # candidate owned by kam (no cap), member on its team
    unowned: Account  # candidate with no owner; kam and member on its team


@pytest.fixture
def world(programme) -> World:
    director = programme.director
    spare_kam = KamFactory.create(username="kam3", first_name="Sam", last_name="Spare")
    candidate = account_services.account_create(
        actor=director, name="Umbrella", programme_status="candidate"
    )
    account_services.account_assign_owner(
        account=candidate, user=programme.kam, actor=director, reason="Exploring"
    )
    account_services.team_member_add(
        account=candidate, user=programme.member, actor=director, allocation_pct=10
    )
    unowned = account_services.account_create(
        actor=director, name="Vandelay", programme_status="candidate"
    )
    for person in (programme.kam, programme.member):
        account_services.team_member_add(account=unowned, user=person, actor=director)
    return World(
        director=director,
        executive=programme.executive,
        kam=programme.kam,
        member=programme.member,
        outsider=programme.outsider,
        other_kam=programme.other_kam,
        spare_kam=spare_kam,
        account=programme.account,
        other_account=programme.other_account,
        prospect=programme.prospect,
        candidate=candidate,
        unowned=unowned,
    )


class Api:
    """A test client that sends JSON with a persona's token: `api.as_("kam").get(path)`."""

    def __init__(self, client: Client, tokens: dict[str, str | None]) -> None:
        self.client = client
        self.tokens = tokens
        self.token: str | None = None

    def as_(self, persona: str) -> Api:
        other = Api(self.client, self.tokens)
        other.token = self.tokens[persona]
        return other

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: Any = None) -> Any:
        return self.client.get(path, params or {}, headers=self._headers())

    def send(self, method: str, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.generic(
            method.upper(), path, data, content_type="application/json", headers=self._headers()
        )

    def post(self, path: str, body: Any = None) -> Any:
        return self.send("POST", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.send("PATCH", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.send("PUT", path, body)

    def delete(self, path: str) -> Any:
        return self.send("DELETE", path)


@pytest.fixture
def tokens(world: World) -> dict[str, str | None]:
    raws: dict[str, str | None] = {}
    for persona in ("director", "executive", "kam", "member", "outsider"):
        _, raws[persona] = api_token_create(user=getattr(world, persona), name="tests")
    revoked, raws["revoked"] = api_token_create(user=world.director, name="revoked")
    api_token_revoke(token=revoked)
    raws["anonymous"] = None
    return raws


@pytest.fixture
def api(client: Client, tokens: dict[str, str | None]) -> Api:
    return Api(client, tokens)


def last_event(**filters: Any) -> Event:
    return Event.objects.filter(**filters).order_by("-id").first()  # type: ignore[return-value]


def error_of(response: Any) -> dict[str, Any]:
    """The error of a response, after checking it has the one error shape."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == response.status_code
    return body["error"]  # type: ignore[no-any-return]
