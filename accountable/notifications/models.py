"""Alerts for the account's owner and the programme director (silos made visible, a key
stakeholder gone), shown in each recipient's in-app notification list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AlertKind(models.TextChoices):
    SILO = "silo", "Outside the account team"
    STAKEHOLDER_LEFT = "stakeholder_left", "Key stakeholder left"


class Resolution(models.TextChoices):
    ADDED = "added", "Added to the team"
    DISMISSED = "dismissed", "Dismissed"


class Alert(models.Model):
    """Something the owner and the director should act on: who, when, what, and how it was
    resolved (added to the team, or dismissed with a reason)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts_about",
        help_text="Who acted outside the team (silo alerts).",
    )
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="alerts")
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Open silo alerts of an account about one person (not raised twice).
            models.Index(fields=["account", "kind", "subject_user"], name="alert_account_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolved_at__isnull=False),
                name="alert_resolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.message[:120]

    @property
    def is_open(self) -> bool:
        return not self.resolution
