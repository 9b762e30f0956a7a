"""A job for the worker tests (a module of its own: a job is found by its import path)."""

from django_tasks import task

RAN: list[int] = []


@task()
def note_account(account_id: int) -> int:
    RAN.append(account_id)
    return account_id
