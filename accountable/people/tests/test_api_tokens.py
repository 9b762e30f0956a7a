"""API tokens: stored as a SHA-256 digest only, shown once, revocable by their owner (page and
API) or a director, and a revoked token authenticates nothing from that moment."""

import hashlib

from django.urls import reverse

from accountable.history.models import Event
from accountable.people.models import ApiToken
from accountable.people.services import api_token_create


def test_only_the_digest_of_a_token_is_stored(programme):
    # when
    token, raw = api_token_create(user=programme.kam, name="CRM sync")

    # then
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(v) for v in stored.values()}
    assert stored["prefix"] == raw[:12]
    event = Event.objects.filter(object_type="people.apitoken").get()
    assert "digest" not in event.changes
    assert raw not in str(event.changes)


def test_a_person_makes_a_token_on_their_page_and_sees_it_once(login, programme):
    # given
    client = login(programme.kam)
    url = reverse("people:tokens", args=[programme.kam.pk])

    # when
    made = client.post(url, {"name": "CRM sync"})
    later = client.get(url)

    # then
    token = ApiToken.objects.get(user=programme.kam)
    body = made.content.decode()
    raw = body.split('<code class="d-block user-select-all fs-6">')[1].split("</code>")[0]
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert made["Cache-Control"] == "no-store"
    assert raw not in later.content.decode()
    assert f"{token.prefix}…" in later.content.decode()
    assert (
        client.get("/api/v1/accounts/", headers={"authorization": f"Bearer {raw}"}).status_code
        == 200
    )


def test_revoking_on_the_page_stops_the_token_at_once(login, programme, client):
    # given
    token, raw = api_token_create(user=programme.kam, name="CRM sync")
    headers = {"authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/", headers=headers).status_code == 200

    # when
    page = login(programme.kam).post(
        reverse("people:token_revoke", args=[programme.kam.pk, token.pk]), follow=True
    )
    client.logout()

    # then
    assert f"Revoked the API token {token.prefix}… (CRM sync)." in page.content.decode()
    assert client.get("/api/v1/accounts/", headers=headers).status_code == 401
    event = Event.objects.filter(object_type="people.apitoken", action="updated").get()
    assert event.actor == programme.kam
    assert list(event.changes) == ["revoked_at"]


def test_a_director_revokes_someone_elses_token_through_the_api(api_client_for, programme):
    # given
    token, _ = api_token_create(user=programme.kam, name="laptop")
    director = api_client_for(programme.director)

    # when
    listed = director.get("/api/v1/api-tokens/").json()
    revoked = director.post(f"/api/v1/api-tokens/{token.pk}/revoke")

    # then
    assert [t["name"] for t in listed["items"] if t["username"] == "kam1"] == ["laptop"]
    assert "digest" not in listed["items"][0]
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    again = director.post(f"/api/v1/api-tokens/{token.pk}/revoke")
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]


def test_a_token_can_revoke_itself(api_client_for, programme, client):
    # given
    token, raw = api_token_create(user=programme.member, name="leaked")

    # when
    response = client.post(
        f"/api/v1/api-tokens/{token.pk}/revoke", headers={"authorization": f"Bearer {raw}"}
    )

    # then
    assert response.status_code == 200
    assert (
        client.get("/api/v1/api-tokens/", headers={"authorization": f"Bearer {raw}"}).status_code
        == 401
    )


def test_a_person_lists_only_their_own_tokens(api_client_for, programme):
    # given
    api_token_create(user=programme.kam, name="theirs")
    api_token_create(user=programme.member, name="mine")

    # when
    listed = api_client_for(programme.member).get("/api/v1/api-tokens/").json()

    # then
    assert sorted(t["name"] for t in listed["items"]) == ["client", "mine"]
