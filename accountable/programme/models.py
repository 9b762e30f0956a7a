from django.db import models
from django.db.models import Q


class ProgrammeSettings(models.Model):
    """The programme's settings; one row (pk 1), edited by the programme director."""

    key_accounts_per_kam_cap = models.PositiveSmallIntegerField(
        "key accounts per KAM (cap)",
        default=1,
        help_text="Pilot and key accounts one KAM may own. One is the ideal; a director can "
        "override it for one assignment with a reason.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "programme settings"
        verbose_name_plural = "programme settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="programme_settings_singleton"),
            models.CheckConstraint(
                condition=Q(key_accounts_per_kam_cap__gte=1), name="programme_cap_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return "Programme settings"
