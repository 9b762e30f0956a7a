import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class BusinessUnit(models.Model):
    """One of our business units (divisions) that sells to customers."""

    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A position on our side (key account manager, sales rep, …); the director extends the list."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    can_own_accounts = models.BooleanField(
        default=False,
        help_text="People in this position may be the accountable owner (KAM) of a key account.",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """One of our people: signs in, may own accounts and sit on account teams."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "Programme director"
        EXECUTIVE = "executive", "Executive"
        STANDARD = "standard", "Standard"

    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        default=Role.STANDARD,
        help_text="Director: everything and settings. Executive: reads everything. "
        "Standard: what their ownerships and team memberships give them.",
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    business_unit = models.ForeignKey(
        BusinessUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["director", "executive", "standard"]),
                name="user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_director(self) -> bool:
        return self.is_active and (self.role == self.Role.DIRECTOR or self.is_superuser)

    @property
    def reads_everything(self) -> bool:
        return self.is_active and (
            self.role in (self.Role.DIRECTOR, self.Role.EXECUTIVE) or self.is_superuser
        )


class ApiToken(models.Model):
    """A revocable API token; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "acc_" + secrets.token_urlsafe(32)
