"""Fixtures for the operations tests."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accountable.accounts import services as account_services
from accountable.people.services import api_token_create


@pytest.fixture
def rich(programme):
    """The personas' programme plus one of every kind of value a column holds: decimals,
    dates, JSON, UUIDs, text with quotes and non-Latin letters, many-to-many rows, a session,
    an API token, a waiting job."""
    director = programme.director
    account_services.account_update(
        account=programme.account,
        actor=director,
        data={
            "annual_revenue": Decimal("1234567.89"),
            "employees": 4200,
            "strategy": 'Grow in "APAC" — 東京 & Zürich\nsecond line',
        },
        reason="Profile",
    )
    account_services.team_member_add(
        account=programme.account, user=programme.outsider, actor=director, allocation_pct=5
    )
    Group.objects.create(name="Stewards").user_set.add(programme.director)
    api_token_create(user=programme.kam, name="CRM sync")
    Client().force_login(programme.member)
    DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status="READY",
        args_kwargs={"args": [programme.account.pk], "kwargs": {}},
        priority=0,
        task_path="accountable.example.tasks.recompute",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() + dt.timedelta(hours=1),
        exception_class_path="",
        traceback="",
    )
    return programme
