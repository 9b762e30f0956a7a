"""Background jobs of the relationships app: they take ids, call a service, are safe to run
twice, and are enqueued with `transaction.on_commit` by the services."""

from __future__ import annotations

from django_tasks import task

from accountable.relationships.services import strength as strength_services


@task()
def strength_recompute_account(account_id: int) -> int:
    """Recompute one account's relationship strengths (after an interaction is logged)."""
    return strength_services.strength_recompute_account(account_id=account_id)


@task()
def strength_recompute_all() -> int:
    """Recompute every relationship strength (nightly: strength decays without new contact)."""
    return strength_services.strength_recompute_all()
