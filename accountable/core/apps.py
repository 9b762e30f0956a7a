from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accountable.core"
    label = "core"
    verbose_name = "Accountable"

    def ready(self) -> None:
        # Directors-only admin site rules.
        from accountable.core import admin_access  # noqa: F401
