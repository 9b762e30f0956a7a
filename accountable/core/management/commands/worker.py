"""`accountable worker [--worker-id ID] [--batch]`: run background jobs from the database queue
(django-tasks-db). Jobs a worker of the same id left running when it was killed are put back
in the queue first."""

import socket
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background job worker (database-backed queue)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then stop."
        )
        parser.add_argument(
            "--worker-id",
            default=socket.gethostname()[:60],
            help="This worker's name, the same across restarts (default: the host name; give "
            "each worker on one host its own, e.g. the systemd instance: --worker-id %%H-%%i).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from accountable.history.models import Source
        from accountable.history.services import audit_context
        from accountable.ops.services import task_requeue_abandoned

        worker_id = options["worker_id"]
        requeued = task_requeue_abandoned(worker_id=worker_id)
        if requeued:
            self.stderr.write(f"Put back {requeued} job(s) that worker {worker_id} was running.")
        with audit_context(source=Source.JOB, actor_label="worker (job)"):
            extra = ["--batch"] if options["batch"] else []
            call_command("db_worker", "--worker-id", worker_id, *extra)
