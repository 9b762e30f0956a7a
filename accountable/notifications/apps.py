from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Alerts and the in-app notification list."""

    name = "accountable.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from accountable.history.services import track
        from accountable.notifications.models import Alert

        track(Alert, account_of=lambda obj: obj.account_id, exclude=("created_at",))
