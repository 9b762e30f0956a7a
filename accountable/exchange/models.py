"""Imports from CRM and ERP exports: each run with who, when, files, counts and rejected rows."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One import of one or more files with a preset: who, when, what came of it."""

    preset = models.CharField(max_length=60)
    files = models.JSONField(default=list, help_text="The file names, as given.")
    paths = models.JSONField(default=list, help_text="Where the files are read from.")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    # {"accounts": {"created": n, "updated": n, "unchanged": n}, "sales lines": {...}, ...}
    counts = models.JSONField(default=dict)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.preset})"

    @property
    def progress_pct(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_read / self.bytes_total))


class ImportReject(models.Model):
    """A row an import refused: file, row number, column and reason."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejects")
    file = models.CharField(max_length=255)
    row = models.PositiveIntegerField(help_text="The line's number in the file (the header is 1).")
    column = models.CharField(max_length=120, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["run", "file", "row", "id"]

    def __str__(self) -> str:
        return f"{self.file}:{self.row} {self.column}: {self.reason}"


class MappingTarget(models.TextChoices):
    ACCOUNTS = "accounts", "Accounts"
    SALES_LINES = "sales-lines", "Sales lines"


class ImportMapping(models.Model):
    """A saved column mapping for files no preset knows: file column for each field."""

    name = models.SlugField(max_length=60, unique=True, help_text="Used as the preset name.")
    target = models.CharField(max_length=20, choices=MappingTarget.choices)
    source = models.SlugField(
        max_length=40, help_text="The source system the ids come from, e.g. erp, crm."
    )
    # {field: column name in the file}
    columns = models.JSONField(default=dict)
    currency = models.CharField(max_length=3, default="EUR")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
