"""Tally the theme scores of the self-assessments that existed before tallies were kept.

Its work is done again, with the public sums, by 0009 (which every database that runs this
one runs next), so nothing is computed here: migrations never import live code."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_theme_tallies_behind_the_heatmap"),
        ("assessments", "0003_evidence"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
