"""History through the API: an account's, and the filtered programme-wide feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accountable.history.models import Event
from tests.api.conftest import error_of


def test_an_accounts_history_pages_newest_first(api, world) -> None:
    # given
    api.as_("kam").patch(
        f"/api/v1/accounts/{world.account.pk}",
        {"version": world.account.version, "culture": "Direct"},
    )

    # when
    response = api.as_("member").get(f"/api/v1/accounts/{world.account.pk}/history", {"limit": 3})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Event.objects.filter(account_id=world.account.pk).count()
    assert body["next"] is not None
    newest = body["items"][0]
    assert (newest["object_type"], newest["action"], newest["actor_name"], newest["source"]) == (
        "accounts.account",
        "updated",
        "kam1",
        "api",
    )
    assert newest["changes"] == {"culture": [None, "Direct"]}
    ids = [item["id"] for item in body["items"]]
    assert ids == sorted(ids, reverse=True)


def test_members_read_history_only_of_their_accounts(api, world) -> None:
    # when
    member = api.as_("member").get("/api/v1/history/", {"limit": 500}).json()
    executive = api.as_("executive").get("/api/v1/history/", {"limit": 500}).json()

    # then
    visible = {world.account.pk, world.candidate.pk, world.unowned.pk}
    assert {item["account_id"] for item in member["items"]} <= visible | {None}
    assert any(item["account_id"] == world.other_account.pk for item in executive["items"])
    assert executive["count"] == Event.objects.count()


def test_history_filters_by_account_object_actor_source_and_time(api, world) -> None:
    # given
    api.as_("kam").post(
        f"/api/v1/accounts/{world.account.pk}/external-ids", {"source": "erp", "value": "E-9"}
    )
    old = Event.objects.order_by("id")[0]
    Event.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=30))
    director = api.as_("director")

    # when
    by_source = director.get("/api/v1/history/", {"source": "api"}).json()
    by_actor = director.get("/api/v1/history/", {"actor": world.kam.pk}).json()
    by_type = director.get(
        "/api/v1/history/", {"object_type": "accounts.externalid", "account": world.account.pk}
    ).json()
    by_object = director.get(
        "/api/v1/history/", {"object_type": "accounts.account", "object_id": str(world.account.pk)}
    ).json()
    until = director.get(
        "/api/v1/history/", {"until": (timezone.now() - dt.timedelta(days=1)).isoformat()}
    ).json()
    since = director.get("/api/v1/history/", {"since": "2000-01-01T00:00:00"}).json()
    since_day = director.get("/api/v1/history/", {"since": "2000-01-01"}).json()

    # then
    assert by_source["count"] == by_actor["count"] == 1
    assert by_source["items"][0]["object_type"] == "accounts.externalid"
    assert [i["changes"].get("value") for i in by_type["items"]] == [
        [None, "E-9"],
        [None, "ACME-1"],
    ]
    assert {i["object_id"] for i in by_object["items"]} == {str(world.account.pk)}
    assert [i["id"] for i in until["items"]] == [old.pk]
    assert since["count"] == since_day["count"] == Event.objects.count()


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"source": "telepathy"},
        {"actor": "kim"},
        {"until": "9999-12-31T23:59:59-12:00"},
        {"object_type": "x" * 61},
        {"object_id": "a\x00b"},
    ],
)
def test_history_refuses_bad_filters(api, world, params) -> None:
    # when
    response = api.as_("director").get("/api/v1/history/", params)

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == list(params)


def test_history_lists_take_a_fixed_number_of_queries(
    api, world, django_assert_num_queries
) -> None:
    # given
    member = api.as_("member")
    member.get("/api/v1/history/")

    # when / then: token, count, page — for the feed and for one account (+ the account with
    # the caller's access to it)
    with django_assert_num_queries(3):
        member.get("/api/v1/history/", {"limit": 500})
    with django_assert_num_queries(3):
        member.get("/api/v1/history/", {"limit": 1})
    with django_assert_num_queries(4):
        member.get(f"/api/v1/accounts/{world.account.pk}/history", {"limit": 500})
