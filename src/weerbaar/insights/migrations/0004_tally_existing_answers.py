"""Tally the theme scores of the self-assessments that existed before tallies were kept."""

from django.db import migrations


def tally_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The tallies are derived data: the current code computes them from the answers. This runs
    # once, on the schema of 0003; a later schema change replaces it with a squash.
    from weerbaar.assessments.models import Assessment
    from weerbaar.insights.tally import tally_refresh

    tally_refresh(Assessment.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_theme_tallies_behind_the_heatmap"),
        ("assessments", "0003_evidence"),
    ]

    operations = [migrations.RunPython(tally_existing, migrations.RunPython.noop)]
