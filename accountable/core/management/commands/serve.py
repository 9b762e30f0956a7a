"""`accountable serve [--port N] [--workers N]`: collect static files and serve with gunicorn
(settings in accountable/config/gunicorn.py)."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Accountable with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Accountable is at http://{bind}/  (Ctrl+C stops it)")
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        argv = [
            gunicorn,
            "accountable.config.wsgi:application",
            "--config",
            "python:accountable.config.gunicorn",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
        ]
        sys.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with the server
