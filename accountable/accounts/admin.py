from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from accountable.accounts import services
from accountable.accounts.models import (
    Account,
    ExternalId,
    Ownership,
    ProgrammeStatusChange,
    Responsibility,
    TeamMember,
)
from accountable.core.admin_access import DirectorAdmin, ReadOnlyAdmin
from accountable.core.errors import DomainError


class AccountAdminForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = list(services.EDITABLE_FIELDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parent = cleaned.get("parent")
        if parent is not None and self.instance.pk is not None:
            try:
                services._check_parent(self.instance, parent)
            except DomainError as exc:
                self.add_error("parent", exc.message)
        return cleaned


class ExternalIdInline(admin.TabularInline):
    model = ExternalId
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_director", False))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_director", False))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_director", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_director", False))


@admin.register(Account)
class AccountAdmin(DirectorAdmin):
    form = AccountAdminForm
    list_display = ("name", "programme_status", "tier", "industry", "country", "parent")
    list_filter = ("programme_status", "tier", "size_band")
    search_fields = ("name", "external_ids__value")
    raw_id_fields = ("parent",)
    inlines = [ExternalIdInline]
    readonly_fields = ("programme_status", "status_changed_at", "version")

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS
        }
        if change:
            current = Account.objects.get(pk=obj.pk)
            updated = services.account_update(
                account=current, actor=request.user, data=data, reason="Edited in the admin"
            )
            obj.pk = updated.pk
        else:
            name = form.cleaned_data["name"]
            fields = {
                k: v
                for k, v in form.cleaned_data.items()
                if k in services.EDITABLE_FIELDS and k != "name" and v not in (None, "")
            }
            created = services.account_create(
                actor=request.user, name=name, reason="Created in the admin", **fields
            )
            obj.pk = created.pk
            obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Account) -> None:
        services.account_delete(account=obj, actor=request.user, reason="Deleted in the admin")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting needs a reason: use the account page or the API


@admin.register(Ownership)
class OwnershipAdmin(ReadOnlyAdmin):
    list_display = ("account", "user", "started_at", "ended_at", "cap_override_reason")
    list_filter = ("ended_at",)
    search_fields = ("account__name", "user__username", "user__last_name")


@admin.register(TeamMember)
class TeamMemberAdmin(ReadOnlyAdmin):
    list_display = ("account", "user", "position", "kind", "allocation_pct")
    search_fields = ("account__name", "user__username")


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ("account", "member", "area", "role")


@admin.register(ProgrammeStatusChange)
class ProgrammeStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("account", "from_status", "to_status", "at", "actor_name", "reason")
    search_fields = ("account__name",)
