from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField

# Amounts of money: at most 15 significant digits (13 before the point, 2 after), what both
# databases keep exactly (SQLite stores decimals as 64-bit floats). The columns allow 18; the
# services, forms and API refuse more than this.
MONEY_DIGITS = 15
MONEY_LIMIT = 10 ** (MONEY_DIGITS - 2)


class ProgrammeStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    CANDIDATE = "candidate", "Candidate"
    PILOT = "pilot", "Pilot"
    KEY_ACCOUNT = "key_account", "Key account"
    EXITED = "exited", "Exited"


# Statuses that require exactly one accountable owner and count towards a KAM's cap.
OWNED_STATUSES = (ProgrammeStatus.PILOT, ProgrammeStatus.KEY_ACCOUNT)


class Tier(models.TextChoices):
    TIER_1 = "1", "Tier 1"
    TIER_2 = "2", "Tier 2"
    TIER_3 = "3", "Tier 3"


class SizeBand(models.TextChoices):
    SMALL = "small", "Small (< 50 staff)"
    MEDIUM = "medium", "Medium (50–999)"  # noqa: RUF001
    LARGE = "large", "Large (1,000–9,999)"  # noqa: RUF001
    ENTERPRISE = "enterprise", "Enterprise (10,000+)"


class Account(models.Model):
    """A customer company (or one of its subsidiaries) and the profile a KAM must know."""

    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The account one level up in a global account.",
    )
    # The top of this account's global-account tree (itself for a top-level account); kept by
    # the services so that a whole tree loads in one query.
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    industry = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    region = models.CharField(max_length=60, blank=True)
    size_band = models.CharField(max_length=20, choices=SizeBand.choices, blank=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    annual_revenue = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The customer's own annual revenue.",
    )
    website = models.URLField(blank=True)
    programme_status = models.CharField(
        max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PROSPECT
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    tier = models.CharField(max_length=2, choices=Tier.choices, blank=True)

    # The customer profile (PRODUCT requirement 3 and 5).
    business_model = models.TextField(blank=True)
    strategy = models.TextField("strategy and vision", blank=True)
    core_values = models.TextField(blank=True)
    current_initiatives = models.TextField(blank=True)
    culture = models.TextField(blank=True)
    company_history = models.TextField("history", blank=True)
    decision_process = models.TextField("decision-making process", blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit based on an older version is refused, never silently lost.
    version = models.PositiveIntegerField(default=1)
    # The current owner's "last first" name ("" when unowned), kept by the ownership services
    # (`account_owner_sort_sync`) so that sorting 100,000 accounts by owner reads an index
    # instead of joining and sorting them all.
    owner_sort = models.CharField(max_length=320, blank=True, default="", editable=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # Account list default sort and name search prefix.
            models.Index(fields=["name", "id"], name="account_name"),
            # Account list filtered by status (the common "key accounts" view), sorted by name.
            models.Index(fields=["programme_status", "name"], name="account_status_name"),
            models.Index(fields=["industry", "name"], name="account_industry_name"),
            models.Index(fields=["country", "name"], name="account_country_name"),
            models.Index(fields=["tier", "name"], name="account_tier_name"),
            # Account list sorted by owner (unowned first going up, last going down).
            models.Index(fields=["owner_sort", "name", "id"], name="account_owner_sort"),
            # Loading a whole global-account tree.
            models.Index(fields=["root"], name="account_root"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme_status__in=[s.value for s in ProgrammeStatus]),
                name="account_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="account_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_owner(self) -> bool:
        return self.programme_status in OWNED_STATUSES


class ExternalId(models.Model):
    """An id of this account in a source system (CRM, ERP, …); unique per source."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="external_ids")
    source = models.CharField(max_length=40, help_text="e.g. crm, erp, salesforce, northwind")
    value = models.CharField(max_length=120)

    class Meta:
        ordering = ["source", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "value"], name="external_id_unique_per_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.value}"


class BuyingCentreKind(models.TextChoices):
    DIVISION = "division", "Division"
    SITE = "site", "Site"
    DEPARTMENT = "department", "Department"
    FUNCTION = "function", "Function"


class BuyingCentre(models.Model):
    """A part of the customer that buys on its own: a division, a site, a department."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="buying_centres")
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=BuyingCentreKind.choices, default=BuyingCentreKind.DIVISION
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The buying centre this one belongs to (a site within a division).",
    )
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "name"], name="buying_centre_name_unique_per_account"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeStatusChange(models.Model):
    """One move of an account through the programme, with its date, actor and reason."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ProgrammeStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProgrammeStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    reason = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The status timeline on the account page; later, "when did it join the programme".
            models.Index(fields=["account", "-at"], name="status_change_account_at"),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.from_status or '—'} → {self.to_status}"


class Ownership(models.Model):
    """A period during which one KAM is the accountable owner of an account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ownerships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ownerships"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    end_reason = models.TextField(blank=True)
    cap_override_reason = models.TextField(
        blank=True, help_text="Why a programme director let this KAM go over the cap."
    )
    cap_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # PRODUCT requirement 2: one accountable owner. The database itself refuses a second.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(ended_at__isnull=True),
                name="one_current_owner_per_account",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="ownership_ends_after_start",
            ),
        ]
        indexes = [
            # A KAM's current accounts and the cap count.
            models.Index(fields=["user", "ended_at"], name="ownership_user_current"),
            # The current owner of a page of accounts.
            models.Index(fields=["account", "ended_at"], name="ownership_account_current"),
        ]

    def __str__(self) -> str:
        return f"{self.user} owns {self.account}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class TeamKind(models.TextChoices):
    DIRECT = "direct", "Direct account team"
    SHARED = "shared", "Shared resource"


class TeamMember(models.Model):
    """One of our people on an account's team: position, direct or shared, allocation, duties."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    position = models.ForeignKey(
        "people.Position", on_delete=models.PROTECT, related_name="team_members"
    )
    kind = models.CharField(max_length=10, choices=TeamKind.choices, default=TeamKind.DIRECT)
    allocation_pct = models.PositiveSmallIntegerField(
        "allocation %", default=0, help_text="Share of this person's time given to the account."
    )
    responsibilities = models.TextField(blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "position__sort_order", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user"], name="team_member_once_per_account"
            ),
            models.CheckConstraint(
                condition=Q(allocation_pct__gte=0) & Q(allocation_pct__lte=100),
                name="team_member_allocation_0_100",
            ),
        ]
        indexes = [
            # A person's page: all their accounts; permission checks for team members.
            models.Index(fields=["user", "account"], name="team_member_user_account"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.account}"


class Area(models.TextChoices):
    STRATEGY = "strategy", "Strategy"
    RELATIONSHIPS = "relationships", "Relationships"
    DELIVERY = "delivery", "Delivery"
    PRICING = "pricing", "Pricing"
    SERVICE = "service", "Service"
    SUPPLY_CHAIN = "supply_chain", "Supply chain"


class Raci(models.TextChoices):
    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"


class Responsibility(models.Model):
    """Who on the account team is Responsible, Accountable, Consulted or Informed for an area."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="responsibilities")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="raci")
    area = models.CharField(max_length=20, choices=Area.choices)
    role = models.CharField(max_length=1, choices=Raci.choices)

    class Meta:
        ordering = ["area"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "area"], name="raci_one_role_per_member_area"
            ),
            # Exactly the point of RACI: one Accountable per area.
            models.UniqueConstraint(
                fields=["account", "area"],
                condition=Q(role="A"),
                name="raci_one_accountable_per_area",
            ),
        ]

    def __str__(self) -> str:
        # Shown in history ("Kim Owner: Accountable for Pricing"); the member and their user
        # are loaded at most once, when the row is saved.
        return f"{self.member.user}: {self.get_role_display()} for {self.get_area_display()}"
