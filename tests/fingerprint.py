"""A fingerprint of the whole database: every row of every table, as plain values.

Used to show that a refused request changed nothing (compare before and after) and that a
restored backup gives back every record (compare the original and the restored database).
A new app's tables are included without anyone listing them.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

# Bookkeeping that any request may touch without changing data: who is signed in, the sign-in
# limiter's counters, when a token or a person was last seen.
BOOKKEEPING: dict[str, tuple[str, ...] | None] = {
    "sessions.session": None,  # None: the whole table
    "axes.accessattempt": None,
    "axes.accessattemptexpiration": None,
    "axes.accesslog": None,
    "axes.accessfailurelog": None,
    "people.apitoken": ("last_used_at",),
    "people.user": ("last_login",),
}


def tables() -> list[type[models.Model]]:
    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        ),
        key=lambda m: m._meta.label_lower,
    )


def database_fingerprint(
    *, using: str = "default", ignore: dict[str, tuple[str, ...] | None] | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """{table label: [row values in primary-key order]} for every table, less `ignore`d
    tables (None) or columns (a tuple of field names)."""
    ignore = ignore or {}
    found: dict[str, list[tuple[Any, ...]]] = {}
    for model in tables():
        label = model._meta.label_lower
        if label in ignore and ignore[label] is None:
            continue
        skipped = ignore.get(label) or ()
        names = [f.attname for f in model._meta.local_concrete_fields if f.name not in skipped]
        found[label] = list(model._base_manager.using(using).order_by("pk").values_list(*names))
    return found
