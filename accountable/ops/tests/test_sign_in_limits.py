"""Sign-in rate limiting (django-axes): a username is paused after repeated failures from one
address, with a clear message; others and other addresses are not affected."""

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from conftest import PASSWORD

LIMIT = settings.AXES_FAILURE_LIMIT


def _sign_in(client, username, password, ip="203.0.113.5"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, username, times, ip="203.0.113.5"):
    for _ in range(times):
        _sign_in(client, username, "wrong-password", ip)


def test_the_limit_is_five_failures_for_fifteen_minutes():
    assert LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_after_too_many_failures_even_the_right_password_is_refused_with_a_message(
    client, programme
):
    # given
    statuses = [_sign_in(client, "kam1", "wrong").status_code for _ in range(LIMIT - 1)]

    # when
    last_failure = _sign_in(client, "kam1", "wrong-password")
    right_password = _sign_in(client, "kam1", PASSWORD)

    # then
    assert statuses == [200] * (LIMIT - 1)
    assert last_failure.status_code == 429
    assert right_password.status_code == 429
    body = right_password.content.decode()
    assert "Too many failed sign-ins for this username from your network address." in body
    assert "paused for 15 minutes" in body
    assert "_auth_user_id" not in client.session
    assert 'value="kam1"' in body  # the form keeps the username


def test_fewer_failures_than_the_limit_do_not_lock(client, programme):
    # given
    _fail(client, "kam1", LIMIT - 1)

    # when
    response = _sign_in(client, "kam1", PASSWORD)

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(programme.kam.pk)


def test_a_success_resets_the_count(client, programme):
    # given
    _fail(client, "kam1", LIMIT - 1)
    assert _sign_in(client, "kam1", PASSWORD).status_code == 302
    client.logout()

    # when
    _fail(client, "kam1", LIMIT - 1)
    response = _sign_in(client, "kam1", PASSWORD)

    # then
    assert response.status_code == 302


def test_a_locked_username_can_still_sign_in_from_another_address(client, programme):
    # given
    _fail(client, "kam1", LIMIT, ip="203.0.113.5")

    # when
    elsewhere = _sign_in(client, "kam1", PASSWORD, ip="198.51.100.9")

    # then
    assert elsewhere.status_code == 302


def test_a_colleague_at_the_same_address_is_not_locked_out(client, programme):
    # given
    _fail(client, "kam1", LIMIT)

    # when
    colleague = _sign_in(client, "member1", PASSWORD)

    # then
    assert colleague.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, programme):
    # given
    _fail(client, "kam1", LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    # when
    response = _sign_in(client, "kam1", PASSWORD)

    # then
    assert response.status_code == 302


def test_behind_the_proxy_the_forwarded_address_is_the_one_counted(client, programme, settings):
    # given: every request comes from the proxy at 127.0.0.1
    settings.BEHIND_PROXY = True

    def via_proxy(password, client_ip):
        return client.post(
            "/login/",
            {"username": "kam1", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {client_ip}",  # the first one is forgeable
        )

    for _ in range(LIMIT):
        via_proxy("wrong-password", "203.0.113.5")

    # when
    locked = via_proxy(PASSWORD, "203.0.113.5")
    other = via_proxy(PASSWORD, "198.51.100.9")

    # then
    assert locked.status_code == 429
    assert other.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_a_director_lifts_a_lock_in_the_admin(client, login, programme):
    # given
    _fail(client, "kam1", LIMIT)
    attempt = AccessAttempt.objects.get()
    admin = login(programme.director)

    # when
    listing = admin.get("/admin/axes/accessattempt/")
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    admin.logout()

    # then
    assert listing.status_code == 200
    assert "kam1" in listing.content.decode()
    assert not AccessAttempt.objects.exists()
    assert _sign_in(client, "kam1", PASSWORD).status_code == 302
