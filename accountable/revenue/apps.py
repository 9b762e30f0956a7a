from django.apps import AppConfig


class RevenueConfig(AppConfig):
    """Revenue and pipeline: offerings, sales lines, opportunities, rollups, whitespace."""

    name = "accountable.revenue"
    label = "revenue"
    verbose_name = "Revenue and pipeline"

    def ready(self) -> None:
        from accountable.history.services import track
        from accountable.revenue.models import (
            Opportunity,
            Product,
            ProductLine,
            WhitespaceCell,
        )

        # Sales lines are recorded per import and account (one event each, see
        # exchange.services), not per line: a million-line file would otherwise write a
        # million events. Each line keeps its `import_run`, so it is traceable to that event.
        track(ProductLine, account_of=lambda obj: None)
        track(Product, account_of=lambda obj: None)
        track(Opportunity, account_of=lambda obj: obj.account_id, exclude=("created_at",))
        track(WhitespaceCell, account_of=lambda obj: obj.account_id)
