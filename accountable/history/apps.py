from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "accountable.history"
    label = "history"
    verbose_name = "History"
