from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "accountable.people"
    label = "people"
    verbose_name = "Our people"

    def ready(self) -> None:
        from accountable.history.services import track
        from accountable.people.models import ApiToken, BusinessUnit, Position, User

        track(User, account_of=lambda obj: None, exclude=("last_login", "date_joined"))
        track(Position, account_of=lambda obj: None)
        track(BusinessUnit, account_of=lambda obj: None)
        # Who created and revoked which token, and when (never the digest; last use is
        # bookkeeping, written without a save).
        track(ApiToken, account_of=lambda obj: None, exclude=("digest", "last_used_at"))
