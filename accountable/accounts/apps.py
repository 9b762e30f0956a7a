from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Customer accounts (never our users: those are `people`)."""

    name = "accountable.accounts"
    label = "accounts"
    verbose_name = "Customer accounts"

    def ready(self) -> None:
        from accountable.accounts.models import (
            Account,
            BuyingCentre,
            ExternalId,
            Ownership,
            Responsibility,
            TeamMember,
        )
        from accountable.history.services import track

        # `version` and the denormalised `root` follow from other changes; recording them
        # would only add noise to every event.
        track(
            Account,
            account_of=lambda obj: obj.pk,
            exclude=(
                "version",
                "root",
                "owner_sort",
                "created_at",
                "updated_at",
                "status_changed_at",
            ),
        )
        track(ExternalId, account_of=lambda obj: obj.account_id)
        track(BuyingCentre, account_of=lambda obj: obj.account_id)
        track(Ownership, account_of=lambda obj: obj.account_id)
        track(TeamMember, account_of=lambda obj: obj.account_id, exclude=("added_at",))
        track(Responsibility, account_of=lambda obj: obj.account_id)
