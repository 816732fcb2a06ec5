"""Every action-card step gets a code that stays the same when the library is loaded again
(``D1-2.3``: card, phase and place counted from 1, as the loader derives it), so that a step
ticked in an incident still names the same step. Existing steps get the code the loader would
give them; the rule is written out here rather than imported, so this migration keeps working
whatever the code becomes."""

from django.db import migrations, models


def derive_codes(apps, schema_editor):
    Step = apps.get_model("frameworks", "Step")
    steps = Step.objects.select_related("phase__section").only(
        "pk", "order", "phase__order", "phase__section__code"
    )
    for step in steps.iterator(chunk_size=500):
        step.code = f"{step.phase.section.code}-{step.phase.order + 1}.{step.order + 1}"
        step.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="step",
            name="code",
            field=models.CharField(
                default="",
                help_text="Vast per stap van een actiekaart, ook als de bibliotheek opnieuw laadt.",
                max_length=40,
                verbose_name="code",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(derive_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="step",
            constraint=models.UniqueConstraint(
                fields=("phase", "code"), name="step_unique_code_in_phase"
            ),
        ),
    ]
