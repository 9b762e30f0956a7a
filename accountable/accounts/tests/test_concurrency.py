"""Real parallel writers on PostgreSQL: one owner and the cap hold under races."""

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection, connections

from accountable.accounts import services
from accountable.accounts.models import Ownership
from accountable.core.errors import DomainError
from accountable.people.models import User
from tests.factories import KamFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a server database with concurrent connections",
    ),
]


def _race(jobs: list[Callable[[], object]]) -> list[object]:
    """Start all jobs at the same moment, each on its own connection; return results/errors."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = job()
        except DomainError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_directors_assigning_owners_at_once_leave_exactly_one():
    director = UserFactory.create(username="d", role=User.Role.DIRECTOR)
    kams = [KamFactory.create(username=f"race{i}") for i in range(4)]
    account = services.account_create(actor=director, name="Contested Ltd")
    results = _race(
        [
            partial(services.account_assign_owner, account=account, user=k, actor=director)
            for k in kams
        ]
    )
    assert sum(isinstance(r, Ownership) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 3
    assert Ownership.objects.filter(account=account, ended_at__isnull=True).count() == 1


def test_parallel_promotions_cannot_take_a_kam_over_the_cap():
    director = UserFactory.create(username="d", role=User.Role.DIRECTOR)
    kam = KamFactory.create(username="busy")
    accounts = [
        services.account_create(actor=director, name=f"Race {i}", programme_status="candidate")
        for i in range(3)
    ]
    results = _race(
        [
            partial(
                services.account_change_status,
                account=a,
                actor=director,
                to_status="pilot",
                reason="race",
                owner=kam,
            )
            for a in accounts
        ]
    )
    assert sum(not isinstance(r, DomainError) for r in results) == 1
    assert Ownership.objects.filter(user=kam, ended_at__isnull=True).count() == 1
