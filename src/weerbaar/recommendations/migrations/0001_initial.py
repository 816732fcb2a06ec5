"""The recommendations models, taken over from insights (0012) with their tables: nothing in the
database changes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("insights", "0012_models_move_to_their_own_apps"),
        ("frameworks", "0002_step_codes_stable_across_library_loads"),
        ("organisations", "0003_region_min_group_size_at_least_two"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RecommendationStatus",
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
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("niet_gestart", "Niet gestart"),
                                    ("bezig", "In uitvoering"),
                                    ("gerealiseerd", "Gerealiseerd"),
                                    ("nvt", "Niet van toepassing"),
                                ],
                                default="niet_gestart",
                                max_length=14,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "owner",
                            models.CharField(blank=True, max_length=200, verbose_name="eigenaar"),
                        ),
                        (
                            "linked_codes",
                            models.CharField(
                                blank=True,
                                help_text="Codes van vragen uit het Kader, bijvoorbeeld UV-01, CY-03.",
                                max_length=300,
                                verbose_name="gekoppelde vragen",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="toelichting")),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="gewijzigd"
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="frameworks.item",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="organisations.region",
                            ),
                        ),
                        (
                            "role",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="frameworks.responsiblerole",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "status van een advies",
                        "verbose_name_plural": "status van adviezen",
                        "db_table": "insights_recommendationstatus",
                    },
                ),
                migrations.CreateModel(
                    name="RecommendationUpdate",
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
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("niet_gestart", "Niet gestart"),
                                    ("bezig", "In uitvoering"),
                                    ("gerealiseerd", "Gerealiseerd"),
                                    ("nvt", "Niet van toepassing"),
                                ],
                                max_length=14,
                            ),
                        ),
                        ("note", models.TextField(blank=True)),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "status",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="updates",
                                to="recommendations.recommendationstatus",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "insights_recommendationupdate",
                        "ordering": ("-at", "-pk"),
                    },
                ),
                migrations.AddConstraint(
                    model_name="recommendationstatus",
                    constraint=models.UniqueConstraint(
                        fields=("region", "item", "role"), name="recommendation_status_unique_actor"
                    ),
                ),
            ],
        ),
    ]
