from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Imports from CRM and ERP exports and exports of our data."""

    name = "accountable.exchange"
    label = "exchange"
    verbose_name = "Imports and exports"

    def ready(self) -> None:
        from accountable.exchange.models import ImportMapping
        from accountable.history.services import track

        track(ImportMapping, account_of=lambda obj: None, exclude=("created_at",))
