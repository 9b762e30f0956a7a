from django.db import migrations, models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat


def fill(apps, schema_editor):
    """Existing accounts get their current owner's sort key (as account_owner_sort_sync)."""
    Account = apps.get_model("accounts", "Account")
    Ownership = apps.get_model("accounts", "Ownership")
    current = Ownership.objects.filter(account=OuterRef("pk"), ended_at__isnull=True).annotate(
        key=Concat("user__last_name", Value(" "), "user__first_name", output_field=CharField())
    )
    Account.objects.update(owner_sort=Coalesce(Subquery(current.values("key")[:1]), Value("")))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_account_name_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="owner_sort",
            field=models.CharField(blank=True, default="", editable=False, max_length=320),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(fields=["owner_sort", "name", "id"], name="account_owner_sort"),
        ),
    ]
