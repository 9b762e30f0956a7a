"""Key account selection: KAM assignment runs (an optimisation's proposal, then applied)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class AssignmentRun(models.Model):
    """One run of the KAM assignment optimiser: its inputs, its result, and what became of it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    statuses = models.JSONField(help_text="The programme statuses whose accounts were assigned.")
    keep_current_owners = models.BooleanField(default=False)
    cover_all = models.BooleanField(default=True)
    weights = models.JSONField()
    cap = models.PositiveSmallIntegerField()
    objective = models.FloatField()
    current_objective = models.FloatField(
        help_text="The same measure for the owners as they were, to compare."
    )
    solve_ms = models.FloatField()
    method = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
                name="assignment_run_decided_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"KAM assignment #{self.pk}"


class AssignmentProposal(models.Model):
    """One account in a run: its owner before, the owner proposed, and why."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="proposals")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="assignment_proposals"
    )
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.FloatField(help_text="The account's expected value used by the optimiser.")
    fit = models.FloatField(help_text="The proposed KAM's fit: 1 plus the bonuses that apply.")
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["-value", "account_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "account"], name="one_proposal_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.proposed_owner or 'no owner'}"

    @property
    def changes_owner(self) -> bool:
        return (
            self.proposed_owner_id is not None and self.proposed_owner_id != self.previous_owner_id
        )


class Score(models.IntegerChoices):
    ONE = 1, "1 — not at all"
    TWO = 2, "2"
    THREE = 3, "3 — in part"
    FOUR = 4, "4"
    FIVE = 5, "5 — fully"


# The questions of the willingness-to-partner assessment, in the order the page shows them.
PARTNERSHIP_QUESTIONS = (
    ("integrate", "Will they integrate parts of their business with ours?"),
    ("dedicate_team", "Will they dedicate a multi-disciplinary team to us?"),
    ("share_data", "Will they share sensitive data (forecasts, plans, costs)?"),
    ("joint_funding", "Will they jointly fund initiatives?"),
    ("strategic_fit", "How well do their strategy and ours fit?"),
)

QUESTION_SHORT = {
    "integrate": "Integrate with us",
    "dedicate_team": "Dedicated team",
    "share_data": "Share sensitive data",
    "joint_funding": "Joint funding",
    "strategic_fit": "Strategic fit",
}


class PartnershipAssessment(models.Model):
    """One person's view of how willing a customer is to partner with us. Several people (a
    cross-functional team) assess each account; where they disagree is the point."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="partnership_assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    integrate = models.PositiveSmallIntegerField(choices=Score.choices)
    dedicate_team = models.PositiveSmallIntegerField(choices=Score.choices)
    share_data = models.PositiveSmallIntegerField(choices=Score.choices)
    joint_funding = models.PositiveSmallIntegerField(choices=Score.choices)
    strategic_fit = models.PositiveSmallIntegerField(choices=Score.choices)
    comment = models.TextField(blank=True)
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessor__last_name", "assessor__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "assessor"], name="one_partnership_assessment_per_assessor"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"partnership_{name}_1_to_5",
                )
                for name, _ in PARTNERSHIP_QUESTIONS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.assessor}'s view of {self.account}"

    @property
    def average(self) -> float:
        return sum(getattr(self, name) for name, _ in PARTNERSHIP_QUESTIONS) / len(
            PARTNERSHIP_QUESTIONS
        )


class Decision(models.TextChoices):
    SELECTED = "selected", "Selected"
    DEFERRED = "deferred", "Deferred"
    DROPPED = "dropped", "Dropped"


class SelectionDecision(models.Model):
    """The decision journal: why an account was selected, deferred or dropped, by whom, and
    when the decision is to be looked at again."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="selection_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="selection_decision_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.get_decision_display().lower()}"


class ScoringModel(models.Model):
    """A versioned scoring model: its factors (see `scoring.py`) never change once saved;
    a change is a new version, and one version is the active one."""

    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    factors = models.JSONField(help_text="[{key, axis, weight, method, thresholds, ...}]")
    is_active = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="scoring_model_version"),
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_scoring_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class AccountScore(models.Model):
    """An account's score by one model version as of one date, with its explanation."""

    model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="scores")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="scores")
    as_of = models.DateField()
    attractiveness = models.FloatField(null=True)
    strength = models.FloatField(null=True)
    contributions = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "as_of", "account"], name="one_score_per_model_date_account"
            )
        ]
        indexes = [models.Index(fields=["model", "as_of"], name="score_model_as_of")]

    def __str__(self) -> str:
        return f"{self.account} by {self.model} on {self.as_of}"
