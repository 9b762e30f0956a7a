from django.db import migrations


def create_settings(apps, schema_editor):
    PlanSettings = apps.get_model("plans", "PlanSettings")
    PlanSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_plan_template_questions")]

    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
