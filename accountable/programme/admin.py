from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accountable.core.admin_access import DirectorAdmin
from accountable.programme.models import ProgrammeSettings


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(DirectorAdmin):
    list_display = ("__str__", "key_accounts_per_kam_cap", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
