"""/healthz and /readyz: answered before host checks and sessions, readiness says what fails."""

import pytest
from django.db import DatabaseError
from django.test import override_settings

from accountable.ops import selectors


def test_healthz_answers_ok_without_touching_the_database(client):
    # when (no database fixture: any query would raise)
    response = client.get("/healthz")

    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_migrations_and_queue_ready(client):
    # when
    response = client.get("/readyz")

    # then
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "queue"}
    assert body["checks"]["migrations"] == {"ok": True, "pending": []}
    assert body["checks"]["queue"] == {"ok": True, "waiting": 0, "oldest_waiting_s": 0.0}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_pending_migrations(client, monkeypatch):
    # given a database one migration behind the code
    monkeypatch.setattr(selectors, "_migrations_current", {})
    monkeypatch.setattr(selectors, "_pending_migrations", lambda alias: ["accounts.0099_next"])

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "pending": ["accounts.0099_next"],
    }


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    # given
    def unreachable(alias):
        return False, {"error": "OperationalError: connection refused"}

    monkeypatch.setattr(selectors, "_database_check", unreachable)

    # when
    response = client.get("/readyz")

    # then
    checks = response.json()["checks"]
    assert response.status_code == 503
    assert checks["database"] == {"ok": False, "error": "OperationalError: connection refused"}
    assert checks["migrations"]["ok"] is False
    assert checks["queue"]["ok"] is False


@pytest.mark.django_db
def test_readyz_is_503_when_the_job_queue_table_cannot_be_read(client, monkeypatch):
    # given
    from django_tasks_db.models import DBTaskResult

    def broken(*args, **kwargs):
        raise DatabaseError('relation "django_tasks_database_dbtaskresult" does not exist')

    monkeypatch.setattr(DBTaskResult.objects, "filter", broken)

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["kam.example.com"], SECURE_SSL_REDIRECT=True)
def test_probes_answer_a_load_balancer_asking_by_address_over_plain_http(client):
    # when: the host is not an allowed name and the request is not HTTPS
    health = client.get("/healthz", headers={"host": "10.0.0.7:8000"})
    ready = client.get("/readyz", headers={"host": "10.0.0.7:8000"})
    page = client.get("/login/", headers={"host": "10.0.0.7:8000"})

    # then the probes answer, and everything else is still refused
    assert health.status_code == 200
    assert ready.status_code == 200
    assert page.status_code == 400
