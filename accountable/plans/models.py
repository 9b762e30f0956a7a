"""Living account plans (PRODUCT requirements 5 and 6).

Every row below a plan also names its account (`account`), kept by the services: history is
filed under the account and permission checks start from it without a join.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The plan's analysis sections: (field, heading, guiding question). The order is the page's.
SECTIONS = (
    (
        "business_model",
        "Business model",
        "How does the customer make money: products, markets, channels, margins?",
    ),
    (
        "strategic_priorities",
        "Strategic priorities",
        "What must they achieve in the next three years, and what stands in the way?",
    ),
    (
        "industry_trends",
        "Industry trends (PESTLE)",
        "Political, economic, social, technological, legal and environmental forces on them.",
    ),
    ("swot_strengths", "Strengths", "Where are we strong with this customer?"),
    ("swot_weaknesses", "Weaknesses", "Where are we weak with this customer?"),
    ("swot_opportunities", "Opportunities", "Where could we grow with them?"),
    ("swot_threats", "Threats", "What could make us lose business with them?"),
    (
        "organisation",
        "Organisation and decision process",
        "How are they organised, who decides, who influences, how does a purchase get approved?",
    ),
    ("competitors", "Competitors", "Who else sells to them, their share and their strengths."),
    (
        "value_proposition",
        "Our value proposition",
        "Why should they work with us rather than anyone else, in their terms?",
    ),
)
SECTION_FIELDS = tuple(name for name, _, _ in SECTIONS)
# Sections left out of the customer-facing export: what we think of them is for us only.
INTERNAL_SECTIONS = frozenset({"swot_weaknesses", "swot_threats", "competitors", "organisation"})


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"


class PlanSettings(models.Model):
    """The programme's plan template (one row): the review cadence new plans start with and
    the guiding question of each section, which the programme director words."""

    review_cadence_days = models.PositiveSmallIntegerField(
        default=91, help_text="How often a plan is reviewed, in days (91: quarterly)."
    )
    # {section field: question}; a section without one shows the built-in question.
    questions = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "plan settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_cadence_days__gte=7) & Q(review_cadence_days__lte=366),
                name="plan_settings_cadence_week_to_year",
            ),
        ]

    def __str__(self) -> str:
        return "Plan settings"


class PlanApprover(models.Model):
    """A delegate of the programme director: may approve and return plans."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_approver"
    )

    def __str__(self) -> str:
        return f"{self.user} approves plans"


class AccountPlan(models.Model):
    """The one current, rolling plan of an account: the analysis and what we will do."""

    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, related_name="plan"
    )
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    business_model = models.TextField(blank=True)
    strategic_priorities = models.TextField(blank=True)
    industry_trends = models.TextField(blank=True)
    swot_strengths = models.TextField("strengths", blank=True)
    swot_weaknesses = models.TextField("weaknesses", blank=True)
    swot_opportunities = models.TextField("opportunities", blank=True)
    swot_threats = models.TextField("threats", blank=True)
    organisation = models.TextField("organisation and decision process", blank=True)
    competitors = models.TextField(blank=True)
    value_proposition = models.TextField(blank=True)
    review_cadence_days = models.PositiveSmallIntegerField(default=91)
    next_review_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a save based on an older version is refused, never silently lost.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["account__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved"]),
                name="plan_status_valid",
            ),
        ]
        indexes = [
            # Overdue reviews on the director's and owners' pages.
            models.Index(fields=["next_review_on"], name="plan_next_review"),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.TextChoices):
    LEAD = "lead", "Lead indicator"
    LAG = "lag", "Lag indicator"


class Objective(models.Model):
    """A measurable objective: metric, baseline, target, current value, due date."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="objectives")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    metric = models.CharField(max_length=200)
    unit = models.CharField(max_length=30, blank=True)
    baseline = models.DecimalField(max_digits=18, decimal_places=2)
    target = models.DecimalField(max_digits=18, decimal_places=2)
    current = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    due_on = models.DateField()
    indicator = models.CharField(max_length=4, choices=Indicator.choices, default=Indicator.LAG)
    created_on = models.DateField(default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__in=["lead", "lag"]), name="objective_indicator_valid"
            ),
            models.CheckConstraint(
                condition=~Q(target=models.F("baseline")), name="objective_target_not_baseline"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Initiative(models.Model):
    """A piece of work under an objective; its actions are the steps."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="initiatives")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_initiatives",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class PlanAction(models.Model):
    """One step of an initiative: an owner on the account team, a due date, a status."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="actions")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_actions"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done", "cancelled"]),
                name="plan_action_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="plan_action_done_has_date",
            ),
        ]
        indexes = [
            # A person's open actions (their page), overdue first.
            models.Index(fields=["owner", "status", "due_on"], name="plan_action_owner_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

    @property
    def status_choices(self) -> list[tuple[str, str]]:
        return list(ActionStatus.choices)


class Milestone(models.Model):
    """A dated milestone of the plan, reached or not."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="milestones")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    reached_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Risk(models.Model):
    """A risk to the plan: severity, likelihood, owner and mitigation."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="risks")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    severity = models.CharField(max_length=6, choices=Level.choices, default=Level.MEDIUM)
    likelihood = models.CharField(max_length=6, choices=Level.choices, default=Level.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_risks",
    )
    mitigation = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=["low", "medium", "high"])
                & Q(likelihood__in=["low", "medium", "high"]),
                name="risk_levels_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanReview(models.Model):
    """A review of the plan: when, who was there, what changed, what was decided, when next."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="reviews")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    attendees = models.TextField()
    changes = models.TextField("what changed", blank=True)
    decisions = models.TextField(blank=True)
    next_review_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=models.F("held_on")),
                name="plan_review_next_after_held",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.held_on.isoformat()}"


class PlanVersion(models.Model):
    """An approved version of a plan, frozen as it was approved; the newest is current, the
    others are superseded."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="versions")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    approved_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class StepKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"


class PlanStep(models.Model):
    """One step of the approval workflow, with who took it and their comment."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="steps")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()
