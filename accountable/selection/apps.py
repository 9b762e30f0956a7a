from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "accountable.selection"
    label = "selection"
    verbose_name = "Key account selection"

    def ready(self) -> None:
        from accountable.history.services import track
        from accountable.selection.models import (
            AssignmentRun,
            PartnershipAssessment,
            ScoringModel,
            SelectionDecision,
        )

        # A run's proposals are written once; applying a run changes owners through the
        # ownership services (recorded there) and the run's status (recorded here).
        track(AssignmentRun, account_of=lambda obj: None)
        track(PartnershipAssessment, account_of=lambda obj: obj.account_id)
        track(SelectionDecision, account_of=lambda obj: obj.account_id)
        # Scores are computed, not entered: their model versions are what is recorded.
        track(ScoringModel, account_of=lambda obj: None)
