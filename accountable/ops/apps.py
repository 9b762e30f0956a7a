from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Accountable in production: health and readiness, request logs, backup and
    restore, the read replica, the security headers and sign-in limits."""

    name = "accountable.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from accountable.ops import admin  # noqa: F401  (sign-in lockouts for directors)
