"""`accountable digest [--days 1]`: email each owner and director their open alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from accountable.notifications.services import digest_send


class Command(BaseCommand):
    help = "Email each recipient the open alerts raised in the last --days days (a digest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest_send(since=timezone.now() - dt.timedelta(days=max(1, options["days"])))
        self.stdout.write(f"Sent {sent} digest email{'s' if sent != 1 else ''}.")
