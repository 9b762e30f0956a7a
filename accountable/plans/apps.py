from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Living account plans: sections, objectives, initiatives, actions, milestones, risks,
    reviews and approved versions."""

    name = "accountable.plans"
    label = "plans"
    verbose_name = "Account plans"

    def ready(self) -> None:
        from accountable.history.services import track
        from accountable.plans.models import (
            AccountPlan,
            Initiative,
            Milestone,
            Objective,
            PlanAction,
            PlanApprover,
            PlanReview,
            PlanSettings,
            PlanStep,
            PlanVersion,
            Risk,
        )

        # The lock counter and timestamps follow from other changes: recording them is noise.
        track(
            AccountPlan,
            account_of=lambda obj: obj.account_id,
            exclude=("version", "created_at", "updated_at"),
        )
        track(Objective, account_of=lambda obj: obj.account_id, exclude=("version",))
        track(Initiative, account_of=lambda obj: obj.account_id)
        track(PlanAction, account_of=lambda obj: obj.account_id)
        track(Milestone, account_of=lambda obj: obj.account_id)
        track(Risk, account_of=lambda obj: obj.account_id)
        track(PlanReview, account_of=lambda obj: obj.account_id)
        # The snapshot is the whole plan; the version's number and who approved it say enough.
        # (its time is the event's own).
        track(
            PlanVersion,
            account_of=lambda obj: obj.account_id,
            exclude=("snapshot", "approved_at"),
        )
        track(PlanStep, account_of=lambda obj: obj.account_id, exclude=("at",))
        track(PlanSettings, account_of=lambda obj: None)
        track(PlanApprover, account_of=lambda obj: None)
