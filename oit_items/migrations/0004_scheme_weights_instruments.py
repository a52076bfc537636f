# The instruments and their weights become the ITA framework's data: a scheme keeps its three
# weights as overrides keyed by instrument code, and an indicator may name any instrument.

from django.db import migrations, models


def weights_to_json(apps, schema_editor):
    Scheme = apps.get_model("oit_items", "Scheme")
    for scheme in Scheme.objects.all():
        scheme.weights = {
            code: format(getattr(scheme, f"weight_{code}").normalize(), "f")
            for code in ("iit", "eit", "oit")
        }
        scheme.save(update_fields=["weights"])


class Migration(migrations.Migration):
    dependencies = [("oit_items", "0003_indicator_description")]

    operations = [
        migrations.RemoveConstraint(model_name="indicator", name="indicator_instrument_valid"),
        migrations.AddField(
            model_name="scheme",
            name="weights",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Overrides of the ITA framework\'s weights, e.g. {"oit": "40"}.',
                verbose_name="instrument weights",
            ),
        ),
        migrations.RunPython(weights_to_json, migrations.RunPython.noop),
        migrations.RemoveField(model_name="scheme", name="weight_eit"),
        migrations.RemoveField(model_name="scheme", name="weight_iit"),
        migrations.RemoveField(model_name="scheme", name="weight_oit"),
        migrations.AlterField(
            model_name="indicator",
            name="instrument",
            field=models.CharField(
                default="OIT",
                help_text="An instrument of the ITA framework: IIT, EIT, OIT, ...",
                max_length=10,
                verbose_name="instrument",
            ),
        ),
    ]
