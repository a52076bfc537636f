from django.db import migrations

from units.reference import ensure_reference_data


def load(apps, schema_editor):
    ensure_reference_data(apps.get_model("units", "UnitType"), apps.get_model("units", "Rank"))


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
