"""Small presentation helpers for the page templates: badges and readable field names."""

from functools import lru_cache

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

register = template.Library()

STATUS_CLASSES = {
    "prospect": "text-bg-light border",
    "candidate": "text-bg-info",
    "pilot": "text-bg-warning",
    "key_account": "text-bg-success",
    "exited": "text-bg-secondary",
}

RACI_CLASSES = {
    "R": "text-bg-primary",
    "A": "text-bg-danger",
    "C": "text-bg-warning",
    "I": "text-bg-light border",
}


@register.filter
def status_class(status: str) -> str:
    """Bootstrap badge classes for a programme status."""
    return STATUS_CLASSES.get(status, "text-bg-light border")


@register.filter
def raci_class(role: str) -> str:
    return RACI_CLASSES.get(role, "text-bg-light border")


@lru_cache(maxsize=512)
def _label(object_type: str, name: str) -> str:
    try:
        model = apps.get_model(object_type)
        label = str(model._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


@register.simple_tag
def field_label(object_type: str, name: str) -> str:
    """The readable name of a model field in a history event (`programme_status` → "Programme
    status"), falling back to the raw name for fields that no longer exist."""
    return _label(object_type, name)


@register.filter
def object_kind(object_type: str) -> str:
    """A readable name for an event's object type (`accounts.teammember` → "Team member")."""
    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = object_type.rsplit(".", 1)[-1]
    return name[:1].upper() + name[1:]


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`mapping[key]` in a template, or None."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(key)
