"""`accountable worker`: run background jobs from the database queue (django-tasks-db)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background job worker (database-backed queue)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from accountable.history.models import Source
        from accountable.history.services import audit_context

        with audit_context(source=Source.JOB, actor_label="worker (job)"):
            extra = ["--batch"] if options["batch"] else []
            call_command("db_worker", *extra)
