from django.conf import settings
from django.db import models
from django.utils import timezone


class Source(models.TextChoices):
    WEB = "web", "Web page"
    API = "api", "API"
    ADMIN = "admin", "Admin"
    SHELL = "shell", "Shell"
    JOB = "job", "Background job"
    IMPORT = "import", "Import"
    DEMO = "demo", "Demo generator"


class Action(models.TextChoices):
    CREATED = "created", "created"
    UPDATED = "updated", "updated"
    DELETED = "deleted", "deleted"


class Event(models.Model):
    """One recorded change to customer or programme data: who, when, what (before → after), why."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so that history still names its author after the user is removed.
    actor_name = models.CharField(max_length=150)
    source = models.CharField(max_length=10, choices=Source.choices)
    # Not a foreign key: an account's history must outlive the account itself.
    account_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    action = models.CharField(max_length=10, choices=Action.choices)
    # {field name: [before, after]} as display text, readable after related rows are gone.
    changes = models.JSONField(default=dict)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The account page's History tab and /api/v1/accounts/{id}/history.
            models.Index(fields=["account_id", "-at"], name="event_account_at"),
            # "What happened to this object" (a person's page, the admin).
            models.Index(fields=["object_type", "object_id"], name="event_object"),
            # The programme-wide feed, newest first.
            models.Index(fields=["-at"], name="event_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.object_type} {self.object_repr}"
