from types import SimpleNamespace

from django.db import migrations

from measures.frameworks import load_shipped


def load(apps, schema_editor):
    names = ["Framework", "Indicator", "Question", "Issue"]
    load_shipped(SimpleNamespace(**{name: apps.get_model("measures", name) for name in names}))


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
