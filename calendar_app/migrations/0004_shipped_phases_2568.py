from django.db import migrations

from calendar_app.phases import load_shipped


def load(apps, schema_editor):
    load_shipped(apps.get_model("calendar_app", "Phase"))


class Migration(migrations.Migration):
    dependencies = [("calendar_app", "0003_delivery_by_address")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
