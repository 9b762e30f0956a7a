"""A worker killed in the middle of a job: the job is not lost; the worker, started again with
its id, runs it (jobs are idempotent). The kill is simulated: a job left marked as running by
that worker id, as SIGKILL leaves it."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accountable.ops.tests import jobs

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_queue"),
]


@pytest.fixture
def database_queue():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        jobs.RAN.clear()
        yield


def _killed_while_running(worker_id: str) -> DBTaskResult:
    result = jobs.note_account.enqueue(42)
    job = DBTaskResult.objects.get(id=result.id)
    job.claim(worker_id)  # it started the job, and then was killed
    return job


def test_a_restarted_worker_runs_the_job_it_was_killed_in() -> None:
    # given
    job = _killed_while_running("host-1")
    err = io.StringIO()

    # when
    call_command("worker", "--batch", "--worker-id", "host-1", stderr=err)

    # then
    job.refresh_from_db()
    assert "Put back 1 job(s) that worker host-1 was running." in err.getvalue()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["host-1", "host-1"]
    assert jobs.RAN == [42]


def test_another_workers_running_job_is_left_alone() -> None:
    # given: host-1 is alive and running it
    job = _killed_while_running("host-1")

    # when
    call_command("worker", "--batch", "--worker-id", "host-2", stderr=io.StringIO())

    # then
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING
    assert jobs.RAN == []
