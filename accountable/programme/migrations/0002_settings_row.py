from django.db import migrations


def create_settings(apps, schema_editor):
    ProgrammeSettings = apps.get_model("programme", "ProgrammeSettings")
    ProgrammeSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]
    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
