from django.contrib import admin

from accountable.core.admin_access import ReadOnlyAdmin
from accountable.history.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "source", "object_type", "object_repr", "action", "reason")
    list_filter = ("source", "action", "object_type")
    search_fields = ("object_repr", "actor_name", "reason")
    date_hierarchy = "at"
