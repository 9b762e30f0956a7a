from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accountable.core"
    label = "core"
    verbose_name = "Accountable"
