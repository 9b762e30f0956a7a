from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    """The customer's stakeholders, who owns each relationship, and account activity."""

    name = "accountable.relationships"
    label = "relationships"
    verbose_name = "Stakeholders and relationships"

    def ready(self) -> None:
        from accountable.history.services import track
        from accountable.relationships.models import (
            Influence,
            Insight,
            Interaction,
            RelationshipOwner,
            RelationshipSettings,
            Stakeholder,
        )

        track(
            Stakeholder, account_of=lambda obj: obj.account_id, exclude=("created_at", "updated_at")
        )
        track(Influence, account_of=lambda obj: obj.account_id)
        track(RelationshipOwner, account_of=lambda obj: obj.account_id)
        track(Interaction, account_of=lambda obj: obj.account_id, exclude=("created_at",))
        track(Insight, account_of=lambda obj: obj.account_id)
        track(RelationshipSettings, account_of=lambda obj: None, exclude=("updated_at",))
