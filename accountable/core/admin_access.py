"""The Django admin for data stewards, behind the same rules as the rest of the product.

Only programme directors (and superusers) may use it; rules that live in services (one owner,
the cap, status transitions, RACI) are not bypassed: those records are read-only here and are
changed through the pages or the API. Every admin save is recorded in history (source "admin").
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


def _is_director(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_director", False))


def admin_site_has_permission(request: HttpRequest) -> bool:
    return _is_director(request)


admin.site.has_permission = admin_site_has_permission  # type: ignore[method-assign]
admin.site.site_header = "Accountable data administration"
admin.site.site_title = "Accountable admin"


class DirectorAdmin(admin.ModelAdmin):
    """Directors may view, add, change and delete; nobody else gets in at all."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_director(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_director(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_director(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_director(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_director(request)


class ReadOnlyAdmin(DirectorAdmin):
    """For records whose rules live in services: visible, changed only through pages or the API."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _admin_login(request: HttpRequest, extra_context: Any = None) -> Any:
    # One sign-in for the whole product; the admin then admits directors only.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.GET.get("next") or "/admin/")


admin.site.login = _admin_login  # type: ignore[method-assign,assignment]
