from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Imports from CRM and ERP exports and exports of our data."""

    name = "accountable.exchange"
    label = "exchange"
    verbose_name = "Imports and exports"
