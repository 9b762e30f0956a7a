"""The `accountable` console command: `accountable token USERNAME` prints an API token."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from accountable.cli import main
from accountable.people.models import ApiToken


@pytest.mark.django_db
def test_the_printed_token_lists_that_users_accounts_through_the_api(
    programme, client, capsys, monkeypatch
):
    # given: the console command, as typed (it closes the database connections when it is
    # done, which would end the test's own transaction on PostgreSQL)
    monkeypatch.setattr(connections, "close_all", lambda: None)
    main(["accountable", "token", programme.kam.username])
    token = capsys.readouterr().out.strip()

    # when
    response = client.get("/api/v1/accounts/", HTTP_AUTHORIZATION=f"Bearer {token}")

    # then
    assert response.status_code == 200
    assert [a["name"] for a in response.json()["items"]] == ["Acme Industries"]
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["kam1"]


@pytest.mark.django_db
def test_only_the_tokens_digest_is_kept(programme, capsys):
    # when
    call_command("token", programme.director.username)
    token = capsys.readouterr().out.strip()

    # then
    stored = ApiToken.objects.get(user=programme.director)
    assert token.startswith("acc_")
    assert stored.digest == ApiToken.digest_of(token)
    assert token not in (stored.digest, stored.prefix)


@pytest.mark.django_db
def test_a_request_without_a_valid_token_is_refused_in_the_one_error_shape(programme, client):
    # when
    response = client.get("/api/v1/accounts/", HTTP_AUTHORIZATION="Bearer acc_not-a-token")

    # then
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.django_db
def test_a_token_for_an_unknown_user_is_refused_and_none_is_created(programme):
    # when
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("token", "nobody")

    # then
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_an_inactive_user_gets_no_token(programme):
    # given
    programme.outsider.is_active = False
    programme.outsider.save()

    # when
    with pytest.raises(CommandError, match="not active"):
        call_command("token", programme.outsider.username)

    # then
    assert ApiToken.objects.count() == 0
