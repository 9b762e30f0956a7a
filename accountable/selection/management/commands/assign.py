"""`accountable assign`: the KAM assignment optimiser from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accountable.core.errors import DomainError
from accountable.people.models import User
from accountable.selection.selectors import assignment_run_page
from accountable.selection.services import (
    ASSIGNABLE_STATUSES,
    assignment_run_apply,
    assignment_run_create,
)


class Command(BaseCommand):
    help = (
        "Assign KAMs to the pilot and key accounts (or the statuses given) optimally under the "
        "cap, print the proposal, and apply it with --apply."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--status",
            action="append",
            choices=ASSIGNABLE_STATUSES,
            help="accounts of this programme status (repeat; default pilot and key_account)",
        )
        parser.add_argument("--keep-owners", action="store_true", help="owners stay as they are")
        parser.add_argument(
            "--allow-unassigned",
            action="store_true",
            help="leave accounts without an owner when the cap leaves no room",
        )
        parser.add_argument("--as", dest="username", help="the programme director who runs it")
        parser.add_argument("--apply", action="store_true", help="apply the proposal")
        parser.add_argument("--reason", default="", help="why it is applied (with --apply)")

    def handle(self, *args: Any, **options: Any) -> None:
        directors = User.objects.filter(is_active=True, role=User.Role.DIRECTOR)
        actor = (
            directors.filter(username=options["username"]).first()
            if options["username"]
            else directors.order_by("pk").first()
        )
        if actor is None:
            raise CommandError("Name an active programme director with --as USERNAME.")
        if options["apply"] and not options["reason"].strip():
            raise CommandError("--apply needs --reason: say why the assignment is applied.")
        try:
            run = assignment_run_create(
                actor=actor,
                statuses=options["status"] or ("pilot", "key_account"),
                keep_current_owners=options["keep_owners"],
                cover_all=not options["allow_unassigned"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        page = assignment_run_page(id=run.pk)
        self.stdout.write(
            f"{run}: {len(page.proposals)} accounts, {page.changes} owner changes, "
            f"{page.unassigned} without an owner; value x fit {run.current_objective:.1f} now, "
            f"{run.objective:.1f} proposed; solved in {run.solve_ms:.0f} ms ({run.method})."
        )
        for p in page.proposals:
            if p.changes_owner or p.proposed_owner is None:
                reasons = ", ".join(p.reasons) or "-"
                self.stdout.write(
                    f"  {p.account.name}: {p.previous_owner or '(none)'} -> "
                    f"{p.proposed_owner or '(none)'}  value {p.value:.1f}, fit {p.fit:.2f} "
                    f"({reasons})"
                )
        if options["apply"]:
            try:
                changed = assignment_run_apply(run=run, actor=actor, reason=options["reason"])
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Applied: {changed} owner(s) changed.")
