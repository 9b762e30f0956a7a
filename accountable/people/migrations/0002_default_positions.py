from django.db import migrations

POSITIONS = [
    ("Key account manager", "key-account-manager", True, 10),
    ("Account director", "account-director", True, 20),
    ("Executive sponsor", "executive-sponsor", False, 30),
    ("Sales rep", "sales-rep", False, 40),
    ("Inside sales", "inside-sales", False, 50),
    ("Solutions engineer", "solutions-engineer", False, 60),
    ("Customer service", "customer-service", False, 70),
    ("Supply chain", "supply-chain", False, 80),
    ("Finance", "finance", False, 90),
    ("Marketing", "marketing", False, 100),
]


def create_positions(apps, schema_editor):
    Position = apps.get_model("people", "Position")
    for name, slug, can_own, order in POSITIONS:
        Position.objects.get_or_create(
            slug=slug, defaults={"name": name, "can_own_accounts": can_own, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create_positions, migrations.RunPython.noop)]
