"""Sign-in lockouts (django-axes) for directors: see who is locked out, lift a lock by deleting
it. The rest of django-axes' admin is not registered (AXES_ENABLE_ADMIN = False)."""

from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin
from django.http import HttpRequest

from accountable.core.admin_access import DirectorAdmin


@admin.register(AccessAttempt)
class SignInLockoutAdmin(DirectorAdmin):
    list_display = ("username", "ip_address", "failures_since_start", "attempt_time")
    search_fields = ("username", "ip_address")
    readonly_fields = (
        "username",
        "ip_address",
        "user_agent",
        "failures_since_start",
        "attempt_time",
        "path_info",
    )
    exclude = ("get_data", "post_data", "http_accept")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
