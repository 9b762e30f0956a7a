"""The account list's filters, shared by the page and the API so both filter alike."""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from accountable.accounts.models import Account, Ownership, ProgrammeStatus, TeamMember, Tier
from accountable.people.models import BusinessUnit, User

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    # In programme order (prospect → … → exited), not by the stored code.
    "status": ("status_rank", "name", "id"),
    "-status": ("-status_rank", "name", "id"),
    "tier": ("tier", "name", "id"),
    "-tier": ("-tier", "name", "id"),
    "industry": ("industry", "name", "id"),
    "-industry": ("-industry", "name", "id"),
    "country": ("country", "name", "id"),
    "-country": ("-country", "name", "id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "owner": ("owner_sort", "name", "id"),
    "-owner": ("-owner_sort", "name", "id"),
}


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    status = django_filters.MultipleChoiceFilter(
        field_name="programme_status", choices=ProgrammeStatus.choices, label="Programme status"
    )
    tier = django_filters.MultipleChoiceFilter(choices=Tier.choices)
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(position__can_own_accounts=True),
        method="filter_owner",
        label="Owner",
    )
    industry = django_filters.CharFilter(field_name="industry", lookup_expr="iexact")
    country = django_filters.CharFilter(method="filter_country")
    region = django_filters.CharFilter(field_name="region", lookup_expr="iexact")
    business_unit = django_filters.ModelChoiceFilter(
        queryset=BusinessUnit.objects.all(),
        method="filter_business_unit",
        label="Our business unit",
    )
    parent = django_filters.NumberFilter(field_name="parent_id")
    root = django_filters.NumberFilter(field_name="root_id", label="Global account")

    class Meta:
        model = Account
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Account], name: str, value: str) -> QuerySet[Account]:
        value = value.strip()
        if not value:
            return queryset
        return (
            queryset.filter(
                Q(name__icontains=value) | Q(external_ids__value__iexact=value)
            ).distinct()
            if len(value) >= 3 and not value.isalpha()
            else queryset.filter(name__icontains=value)
        )

    def filter_owner(self, queryset: QuerySet[Account], name: str, value: Any) -> QuerySet[Account]:
        if value is None:
            return queryset
        return queryset.filter(
            Exists(
                Ownership.objects.filter(account=OuterRef("pk"), user=value, ended_at__isnull=True)
            )
        )

    def filter_country(
        self, queryset: QuerySet[Account], name: str, value: str
    ) -> QuerySet[Account]:
        value = value.strip().upper()
        return queryset.filter(country=value) if value else queryset

    def filter_business_unit(
        self, queryset: QuerySet[Account], name: str, value: Any
    ) -> QuerySet[Account]:
        """Accounts our business unit works on: its people own them or sit on their teams."""
        if value is None:
            return queryset
        return queryset.filter(
            Exists(TeamMember.objects.filter(account=OuterRef("pk"), user__business_unit=value))
            | Exists(
                Ownership.objects.filter(
                    account=OuterRef("pk"), ended_at__isnull=True, user__business_unit=value
                )
            )
        )
