"""The customer's people (stakeholders), their org chart and informal influence, who on our side
owns each relationship, what happens on an account (interactions, insights) and the settings of
relationship strength."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class BuyingRole(models.TextChoices):
    ECONOMIC_BUYER = "economic_buyer", "Economic buyer"
    USER_BUYER = "user_buyer", "User buyer"
    TECHNICAL_BUYER = "technical_buyer", "Technical buyer"
    COACH = "coach", "Coach"


class DmuRole(models.TextChoices):
    USER = "user", "User"
    INFLUENCER = "influencer", "Influencer"
    BUYER = "buyer", "Buyer"
    DECIDER = "decider", "Decider"
    GATEKEEPER = "gatekeeper", "Gatekeeper"


class Attitude(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    NON_SUPPORTER = "non_supporter", "Non-supporter"
    ENEMY = "enemy", "Enemy"


class DecisionOrientation(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    TECHNICAL = "technical", "Technical"
    RELATIONSHIP = "relationship", "Relationship"
    BUSINESS = "business", "Business"


class Seniority(models.IntegerChoices):
    STAFF = 1, "Staff"
    MANAGER = 2, "Manager"
    HEAD = 3, "Head of / director"
    VP = 4, "Vice president"
    C_LEVEL = 5, "C-level / board"


class Stakeholder(models.Model):
    """One of the customer's people: where they sit, what role they play in buying, how they
    see us. A stakeholder who leaves keeps their row (`left_at`), so history stays whole."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    seniority = models.PositiveSmallIntegerField(
        choices=Seniority.choices,
        default=Seniority.MANAGER,
        help_text="How senior they are; used to see whether we meet them at the right level.",
    )
    buying_centre = models.ForeignKey(
        "accounts.BuyingCentre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholders",
        verbose_name="department / buying centre",
    )
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    buying_role = models.CharField(max_length=20, choices=BuyingRole.choices, blank=True)
    dmu_role = models.CharField(
        "decision-making-unit role", max_length=20, choices=DmuRole.choices, blank=True
    )
    influence = models.PositiveSmallIntegerField(
        default=3, help_text="1 (little say) to 5 (decides or sways the decision)."
    )
    attitude = models.CharField(
        "attitude towards us", max_length=20, choices=Attitude.choices, default=Attitude.NEUTRAL
    )
    decision_orientation = models.CharField(
        max_length=20, choices=DecisionOrientation.choices, blank=True
    )
    cares_about = models.TextField(
        "what they care about", blank=True, help_text="Their objectives and issues."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    location = models.CharField(max_length=200, blank=True)
    left_at = models.DateField(
        null=True, blank=True, help_text="When they left the customer; empty while still there."
    )
    # Where the row came from (an import's source and id), to re-import without duplicates.
    source = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # The stakeholder list and the relationship map of one account.
            models.Index(fields=["account", "name"], name="stakeholder_account_name"),
            # Children of a node when walking the org chart.
            models.Index(fields=["reports_to"], name="stakeholder_reports_to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__gte=1) & Q(influence__lte=5),
                name="stakeholder_influence_1_5",
            ),
            models.CheckConstraint(
                condition=Q(seniority__gte=1) & Q(seniority__lte=5),
                name="stakeholder_seniority_1_5",
            ),
            models.CheckConstraint(
                condition=~Q(reports_to=F("id")), name="stakeholder_not_own_manager"
            ),
            models.UniqueConstraint(
                fields=["account", "source", "source_id"],
                condition=~Q(source_id=""),
                name="stakeholder_source_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class Influence(models.Model):
    """Informal influence: `source` sways `target`, whatever the org chart says."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="stakeholder_influences"
    )
    source = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="influences")
    target = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="influenced_by")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="influence_once_per_pair"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="influence_not_on_self"),
        ]
        indexes = [
            # The map's extra lines: all influences of one account.
            models.Index(fields=["account"], name="influence_account"),
        ]

    def __str__(self) -> str:
        return f"{self.source.name} influences {self.target.name}"


class RelationshipOwner(models.Model):
    """Someone on our side in touch with a stakeholder; one of them is the primary owner."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="relationship_owners"
    )
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="owners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relationships"
    )
    is_primary = models.BooleanField("primary owner", default=False)
    assessment = models.PositiveSmallIntegerField(
        "own assessment",
        null=True,
        blank=True,
        help_text="How strong the owner thinks the relationship is, 0–100.",  # noqa: RUF001
    )

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stakeholder", "user"], name="relationship_owner_once"),
            # One primary owner per stakeholder; the database refuses a second.
            models.UniqueConstraint(
                fields=["stakeholder"],
                condition=Q(is_primary=True),
                name="relationship_one_primary_owner",
            ),
            models.CheckConstraint(
                condition=Q(assessment__isnull=True) | Q(assessment__lte=100),
                name="relationship_assessment_0_100",
            ),
        ]
        indexes = [
            # Coverage grid and gaps: all owners of one account's stakeholders.
            models.Index(fields=["account", "stakeholder"], name="relationship_owner_account"),
        ]

    def __str__(self) -> str:
        role = "primary owner" if self.is_primary else "in touch"
        return f"{self.user} ↔ {self.stakeholder.name} ({role})"


class InteractionKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    VISIT = "visit", "Visit"
    BUSINESS_REVIEW = "business_review", "Business review"


class Direction(models.TextChoices):
    OURS = "ours", "We reached out"
    THEIRS = "theirs", "They reached out"


class Interaction(models.Model):
    """Something that happened between our people and the customer's: a meeting, a call, …"""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="interactions"
    )
    occurred_on = models.DateField("date", default=timezone.localdate)
    kind = models.CharField("type", max_length=20, choices=InteractionKind.choices)
    direction = models.CharField(
        "who initiated", max_length=10, choices=Direction.choices, default=Direction.OURS
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interactions", verbose_name="our participants"
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, related_name="interactions", verbose_name="their stakeholders"
    )
    business_unit = models.ForeignKey(
        "people.BusinessUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interactions",
        verbose_name="our business unit",
    )
    summary = models.TextField()
    next_steps = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="interactions_logged",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # The activity feed of an account, newest first.
            models.Index(fields=["account", "-occurred_on", "-id"], name="interaction_feed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%Y-%m-%d}"


class Reaction(models.TextChoices):
    ENTHUSIASTIC = "enthusiastic", "Enthusiastic"
    INTERESTED = "interested", "Interested"
    NEUTRAL = "neutral", "Neutral"
    SCEPTICAL = "sceptical", "Sceptical"
    REJECTED = "rejected", "Rejected"


class Insight(models.Model):
    """An insight we brought the customer in an interaction (PRODUCT requirement 7)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="insights")
    topic = models.CharField(max_length=200)
    value_to_them = models.TextField(blank=True)
    reaction = models.CharField(max_length=20, choices=Reaction.choices, blank=True)
    outcome = models.TextField(blank=True, help_text="What came of it, filled in later.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.topic


class RelationshipStrength(models.Model):
    """Computed strength of one stakeholder and one of our people, 0-100 (see strength.py).
    Derived data, rebuilt by the strength job, so not recorded in history."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="strengths")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    last_contact = models.DateField(null=True)
    interactions = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stakeholder", "user"], name="strength_once_per_pair"),
        ]
        indexes = [
            # The coverage grid of one account.
            models.Index(fields=["account"], name="strength_account"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.stakeholder_id}: {self.score}"


class RelationshipSettings(models.Model):
    """Weights of relationship strength and thresholds of the gaps; one row (pk 1), edited by
    the programme director."""

    weight_recency = models.PositiveSmallIntegerField(default=30)
    weight_frequency = models.PositiveSmallIntegerField(default=25)
    weight_two_way = models.PositiveSmallIntegerField("weight of two-way contact", default=15)
    weight_depth = models.PositiveSmallIntegerField(default=20)
    weight_seniority = models.PositiveSmallIntegerField("weight of seniority match", default=10)
    half_life_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days after which an interaction counts half as much."
    )
    frequency_target = models.PositiveSmallIntegerField(
        default=6,
        help_text="Decayed number of interactions that counts as full frequency.",
    )
    weak_below = models.PositiveSmallIntegerField(
        default=40, help_text="A relationship weaker than this is a gap for a decider."
    )
    cold_after_days = models.PositiveSmallIntegerField(
        default=90, help_text="No contact for this many days: the relationship has gone cold."
    )
    single_thread_share = models.PositiveSmallIntegerField(
        default=60,
        help_text="Percent of an account's interactions carried by one contact pair that makes "
        "it single-threaded.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "relationship settings"
        verbose_name_plural = "relationship settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="relationship_settings_singleton"),
            models.CheckConstraint(
                condition=Q(half_life_days__gte=1), name="relationship_half_life_positive"
            ),
            models.CheckConstraint(
                condition=Q(frequency_target__gte=1), name="relationship_frequency_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return "Relationship settings"
