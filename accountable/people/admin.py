from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accountable.core.admin_access import DirectorAdmin, ReadOnlyAdmin
from accountable.people.models import ApiToken, BusinessUnit, Position, User


@admin.register(User)
class UserAdmin(DirectorAdmin, DjangoUserAdmin):  # type: ignore[misc]
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "position",
        "business_unit",
        "is_active",
    )
    list_filter = ("role", "position", "business_unit", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Accountable", {"fields": ("role", "position", "business_unit", "manager")}),
    )
    raw_id_fields = ("manager",)


@admin.register(Position)
class PositionAdmin(DirectorAdmin):
    list_display = ("name", "can_own_accounts", "sort_order")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(BusinessUnit)
class BusinessUnitAdmin(DirectorAdmin):
    list_display = ("name", "code")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
