"""`accountable token USERNAME`: print a new API token for that user."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accountable.people.models import User
from accountable.people.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown once; only its hash is kept)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"{user.username} is not active.")
        _, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
