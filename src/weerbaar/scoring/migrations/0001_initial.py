"""The scoring models, taken over from insights (0012) with their tables: nothing in the
database changes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("insights", "0012_models_move_to_their_own_apps"),
        ("assessments", "0004_round_state_and_opening"),
        ("frameworks", "0002_step_codes_stable_across_library_loads"),
        ("organisations", "0003_region_min_group_size_at_least_two"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Norm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("norm_key", models.SlugField(max_length=64, verbose_name="norm")),
                        (
                            "minimum",
                            models.DecimalField(
                                decimal_places=3, max_digits=12, verbose_name="minimum"
                            ),
                        ),
                        (
                            "source",
                            models.TextField(
                                help_text="Waar deze norm vandaan komt.", verbose_name="bron"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="gewijzigd"
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="norms",
                                to="organisations.region",
                                verbose_name="regio",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "norm",
                        "verbose_name_plural": "normen",
                        "db_table": "insights_norm",
                        "ordering": ("region", "norm_key"),
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("region", "norm_key"), name="norm_unique_key"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ThemeTally",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("levels", models.PositiveIntegerField(default=0)),
                        ("not_applicable", models.PositiveSmallIntegerField(default=0)),
                        ("public_levels", models.PositiveIntegerField(default=0)),
                        ("public_not_applicable", models.PositiveSmallIntegerField(default=0)),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "section",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="frameworks.section",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "themasom",
                        "verbose_name_plural": "themasommen",
                        "db_table": "insights_themetally",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("assessment", "section"), name="theme_tally_unique_section"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
