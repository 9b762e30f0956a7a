from typing import Any

from django.db import transaction

from accountable.core.errors import ValidationFailed
from accountable.history.services import audit_context
from accountable.programme.models import ProgrammeSettings


def programme_settings_get() -> ProgrammeSettings:
    settings = ProgrammeSettings.objects.filter(pk=1).first()
    if settings is None:  # the data migration creates it; this covers a hand-emptied table
        with audit_context(reason="default programme settings"):
            settings = ProgrammeSettings.objects.create(pk=1)
    return settings


@transaction.atomic
def programme_settings_update(
    *, actor: Any, key_accounts_per_kam_cap: int, reason: str = ""
) -> ProgrammeSettings:
    if key_accounts_per_kam_cap < 1:
        raise ValidationFailed("The cap must be at least 1.", field="key_accounts_per_kam_cap")
    settings = programme_settings_get()
    settings.key_accounts_per_kam_cap = key_accounts_per_kam_cap
    with audit_context(actor=actor, reason=reason):
        settings.save()
    return settings
